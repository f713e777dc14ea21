"""The fixed split of an evaluation set by domain: everything fitted on some folds is scored on
the others, and no site's pages sit on both sides."""

from __future__ import annotations

import hashlib

FOLDS = 5


def fold_of(domain: str) -> int:
    """The fold (0 to FOLDS - 1) a site's pages belong to, the same on every machine."""
    host = domain.lower().removeprefix("www.")
    return hashlib.sha256(host.encode()).digest()[0] % FOLDS
