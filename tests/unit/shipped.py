"""The shipped data files are compared with what their source gives only where the installed
source is the release they were made from; another release is a visible skip, not a failure of
a fresh install (``python bench/shipped_data.py`` makes them anew from it)."""

from __future__ import annotations

from importlib.metadata import version

import pytest


def require_source(source: tuple[str, str]) -> None:
    package, made_from = source
    installed = version(package)
    if installed != made_from:
        pytest.skip(f"the shipped file was made from {package} {made_from}, {installed} is installed: python bench/shipped_data.py makes it anew")
