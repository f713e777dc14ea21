"""WCXB's metric, the domain folds and the targets block of ``bench/``, on texts written here (no shared data)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from folds import FOLDS, fold_of  # noqa: E402
from scoring import WordScore, parse_snippets, snippet_share, summarise_words, word_score  # noqa: E402


def test_identical_texts_score_one_whatever_their_case_and_punctuation() -> None:
    assert word_score("The cat sat.", "the CAT, sat") == WordScore(1.0, 1.0, 1.0)


def test_words_are_a_bag_counted_with_repeats() -> None:
    # truth: a a b (3 words); prediction: a b b c (4 words); overlap: a once, b once
    s = word_score("a a b", "a b b c")
    assert s.precision == pytest.approx(2 / 4)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_word_order_does_not_matter() -> None:
    assert word_score("one two three", "three two one").f1 == 1.0


def test_empty_sides() -> None:
    assert word_score("", "").f1 == 1.0
    assert word_score("  ...  ", "").f1 == 1.0  # no \w token on either side
    assert word_score("", "boilerplate").f1 == 0.0
    assert word_score("the body", "") == WordScore(0.0, 0.0, 0.0)
    assert word_score("the body", "nothing alike").f1 == 0.0


def test_tokens_are_unicode_words() -> None:
    assert word_score("Ünïcode café 東京", "ünïcode CAFÉ 東京").f1 == 1.0


def test_summary_is_the_mean_of_page_f1s_not_the_f1_of_means() -> None:
    scores = [word_score("a b", "a b"), word_score("a b c d", "a")]
    summary = summarise_words(scores, resamples=50)
    assert summary.pages == 2
    assert summary.f1 == pytest.approx((1.0 + 0.4) / 2)
    assert summary.precision == pytest.approx(1.0)
    assert summary.recall == pytest.approx((1.0 + 0.25) / 2)
    assert 0 < summary.f1_std < 0.5
    assert summarise_words(scores, resamples=50) == summary  # seeded


def test_snippet_shares_are_case_insensitive_substrings() -> None:
    assert snippet_share("Read the FULL story here", ["full story", "missing", "READ THE"]) == pytest.approx(2 / 3)
    assert snippet_share("anything", []) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["one", "two"], ["one", "two"]),
        ("['one', \"it's two\"]", ["one", "it's two"]),
        ('["one", "two"]', ["one", "two"]),
        ("[broken, 'list'", ["[broken, 'list'"]),
        ("a single snippet", ["a single snippet"]),
        ("", []),
        (None, []),
        (["kept", "  ", ""], ["kept"]),
    ],
)
def test_snippets_parse_from_every_form_the_truth_holds(value: object, expected: list[str]) -> None:
    assert parse_snippets(value) == expected


def test_folds_are_pinned_and_in_range() -> None:
    # pinned: a change here moves sites between folds and silently breaks every fitted model's out-of-fold claim
    domains = ("example.com", "nytimes.com", "docs.python.org", "bbc.co.uk", "lemonde.fr")
    assert [fold_of(d) for d in domains] == [3, 1, 0, 0, 0]
    assert all(0 <= fold_of(f"site{i}.org") < FOLDS for i in range(200))


def test_a_site_keeps_its_fold_with_or_without_www_and_case() -> None:
    assert fold_of("www.Example.com") == fold_of("example.com") == fold_of("EXAMPLE.COM")


def test_folds_spread_sites_evenly() -> None:
    counts = [0] * FOLDS
    for i in range(5000):
        counts[fold_of(f"site-{i}.example")] += 1
    assert min(counts) > 900 and max(counts) < 1100


def _row(system: str, set_: str, mode: str, f1: float, *, article: float | None = None, speed: float | None = None, **flags: bool) -> Any:
    from quality import Row

    by_type = {} if article is None else {"article": article}
    return Row(set_, mode, system, 10, f1, 0.0, f1, f1, by_type, None, None, speed, "",
               flags.get("primary", False), flags.get("in_fold", False), system == "keep everything")  # fmt: skip


def test_targets_say_met_or_missed_by_how_much() -> None:
    from quality import targets

    rows = [
        _row("copydesk", "wcxb", "html", 0.870, article=0.930, speed=700.0, primary=True),
        _row("trafilatura", "wcxb", "html", 0.820, article=0.935, speed=100.0),
        _row("rs-trafilatura", "wcxb", "html", 0.850, article=0.930, speed=150.0),
        _row("copydesk", "wcxb", "text", 0.800, primary=True, in_fold=True),
        _row("keep everything", "wcxb", "text", 0.700),
    ]
    lines = targets(rows, {("wcxb", "html"): [], ("wcxb", "text"): ["0007"]}, {})
    text = "\n".join(lines)
    assert "WCXB all pages >= better of trafilatura/rs-trafilatura + 0.01: met (0.870 >= 0.860)" in text
    assert "WCXB articles >= better peer + 0.01: MISSED by 0.015 (0.930 < 0.945)" in text
    assert "text, WCXB >= keep everything + 0.15: MISSED by 0.050 (0.800 < 0.850) - IN-FOLD" in text
    assert "scrapinghub (fitted on WCXB alone) >= 0.970: not measured in this run" in text
    assert "(7.00x wcxb): met" in text
    assert "MISSED: 1 pages" in text and "wcxb text: 1: 0007" in text


def test_self_assessment_reads_page_types_and_confidence() -> None:
    from quality import self_assessment

    records = [
        {"page_type": "article", "page_type_guess": "live_blog", "confidence": 0.9, "f1": 0.9},
        {"page_type": "article", "page_type_guess": "article", "confidence": 0.8, "f1": 0.7},
        {"page_type": "forum", "page_type_guess": "article", "confidence": 0.2, "f1": 0.1},
        {"page_type": "forum", "page_type_guess": "forum", "confidence": 0.3, "f1": 0.3},
    ]
    types, confidence = self_assessment("wcxb", "html", "x", records)
    assert "0.750 right over 4 pages; by true type: article 1.00 forum 0.50" in types
    assert "below 0.5: 2 pages, mean F1 0.200; the rest: 2 pages, mean F1 0.800" in confidence
    assert self_assessment("wcxb", "html", "y", [{"page_type": "forum", "page_type_guess": None, "confidence": None, "f1": 1.0}]) == []
