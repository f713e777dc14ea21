"""``bench/snippets.py``'s metric and its run over a folder laid out as trafilatura's tests are,
on a page written here (no shared data, no peers)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import snippets  # noqa: E402

BODY = (
    "The harbour board approved the new ferry timetable on Tuesday after a year of complaints from commuters.",
    "From March, boats will leave every twenty minutes at peak times instead of every forty, the board said.",
    "Fares stay the same until the end of the year, when the board will review them with the city council.",
)
PAGE = f"""<html><head><title>Ferries every twenty minutes</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Ferries every twenty minutes</h1>{''.join(f'<p>{p}</p>' for p in BODY)}</article>
<footer>Copyright 2026 Harbour Times. All rights reserved.</footer></body></html>"""


def test_snippets_are_whitespace_normalised_substring_tests() -> None:
    page = snippets.Page("u", "", ("every twenty minutes at peak times", "not there"), ("All rights reserved",))
    assert snippets.counts(page, "boats will leave every twenty\n  minutes at peak times") == (1, 0, 1, 1)
    assert snippets.counts(page, "") == (0, 0, 2, 1)


def test_f1_pools_every_snippet_of_every_page() -> None:
    rows = np.array([[2, 0, 0, 1], [1, 1, 1, 0]])
    precision, recall, f1 = snippets.f1(rows)
    assert (precision, recall) == (pytest.approx(3 / 4), pytest.approx(3 / 4))
    assert f1 == pytest.approx(3 / 4)


def test_a_run_over_a_folder_laid_out_as_trafilaturas_tests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "eval").mkdir()
    (tmp_path / "eval" / "ferries.html").write_text(PAGE, encoding="utf-8")
    truth = {"https://example.org/ferries": {"file": "ferries.html", "with": ["every twenty minutes at peak times", "review them with the city council"], "without": ["All rights reserved", "Sport"]}}
    (tmp_path / "evaldata.json").write_text(json.dumps(truth), encoding="utf-8")
    dump = tmp_path / "texts.json"
    assert snippets.main(["--tests", str(tmp_path), "--systems", "copydesk", "--dump", str(dump)]) == 0
    table = capsys.readouterr().out
    assert "| html | copydesk | 1     | 1.000     | 1.000  | 1.000 ± 0.000 | 1.000" in table
    assert json.loads(dump.read_text())["html"]["copydesk"]["https://example.org/ferries"].startswith(BODY[0])
