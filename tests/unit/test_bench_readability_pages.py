"""``bench/readability_pages.py``: which of a folder laid out as Readability's tests are counts
as a page, and a run over one written here (no shared data, no peers)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import readability_pages  # noqa: E402

PARAGRAPHS = (
    "The harbour board approved the new ferry timetable on Tuesday after a year of complaints from commuters who said "
    "the boats were too few and too full at the busiest hours of the morning.",
    "From March, boats will leave every twenty minutes at peak times instead of every forty, the board said, and the "
    "last boat of the evening will leave an hour later than it does now, at half past eleven.",
    "Fares stay the same until the end of the year, when the board will review them with the city council and publish "
    "what it finds, together with the numbers of passengers on each of the routes.",
    "Commuters' groups welcomed the change but said they would watch whether the extra boats really ran, since the old "
    "timetable had often been cut at short notice when crews were missing.",
)
ARTICLE = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
SOURCE = f"""<html><head><title>Ferries every twenty minutes</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Ferries every twenty minutes</h1>{ARTICLE}</article>
<footer>Copyright 2026 Harbour Times. All rights reserved.</footer></body></html>"""


def _write(folder: Path, name: str, source: str, expected: str) -> None:
    (folder / name).mkdir(parents=True)
    (folder / name / "source.html").write_text(source, encoding="utf-8")
    (folder / name / "expected.html").write_text(expected, encoding="utf-8")


def test_fixtures_in_lorem_ipsum_or_too_short_are_no_pages(tmp_path: Path) -> None:
    _write(tmp_path, "ferries", SOURCE, f"<div>{ARTICLE}</div>")
    _write(tmp_path, "lorem", SOURCE, "<p>" + "Lorem ipsum dolor sit amet. " * 30 + "</p>")
    _write(tmp_path, "short", SOURCE, "<p>Only a few words.</p>")
    (tmp_path / "no-expected").mkdir()
    assert [page.name for page in readability_pages.load_pages(tmp_path)] == ["ferries"]


def test_a_run_over_a_folder_laid_out_as_readabilitys_tests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, "ferries", SOURCE, f"<div>{ARTICLE}</div>")
    assert readability_pages.main(["--pages", str(tmp_path), "--systems", "copydesk", "--mode", "both"]) == 0
    table = capsys.readouterr().out
    assert "| html | copydesk        | 1     | 1.000     | 1.000  | 1.000 ± 0.000 |" in table
    assert "| text | keep everything |" in table
