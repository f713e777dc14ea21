"""Write the tables copydesk derives from its dependencies' data into the package, as it builds
them (``copydesk.enrich.language.built_tables``). Run from the repository root after a new release
of py3langid::

    python bench/shipped_data.py

A unit test fails while a shipped file differs from what the installed packages give.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from copydesk.enrich.language import TABLES_FILE, built_tables

DATA = Path(__file__).resolve().parents[1] / "src" / "copydesk" / "enrich" / "data"


def main() -> int:
    np.savez_compressed(DATA / TABLES_FILE, **built_tables())
    print(f"{DATA / TABLES_FILE}: {(DATA / TABLES_FILE).stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
