"""The block model's evaluation, the models the package ships, and what cleaning says about a
page with them (its type, its confidence, why each block went)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from copydesk.clean import clean_html, clean_text
from copydesk.clean.context import CONTEXT_FEATURES, STATIC_FEATURES
from copydesk.clean.html import FEATURES
from copydesk.clean.model import BlockModel, expected_f1_keeps, mean_model, neighbours, probabilities_of, shipped, whole_groups
from copydesk.clean.names import NAME_FEATURES, WORD_FEATURES
from copydesk.clean.page import LEARNED_TYPES, LINE_PAGE_FEATURES, PAGE_FEATURES, PAGE_TYPES, line_page_features, page_type_and_confidence
from copydesk.clean.text import CONTEXT_FEATURES as LINE_CONTEXT_FEATURES
from copydesk.clean.text import LINE_FEATURES
from copydesk.document import REMOVAL_RULES, REMOVED_LABELS


def tiny_model() -> BlockModel:
    """Two trees of depth 2 over two features, written out by hand."""
    return BlockModel(
        features=("a", "b"),
        split_feature=np.array([[0, 1], [1, 1]]),
        split_border=np.array([[0.5, 0.5], [2.0, np.inf]], np.float32),
        leaf_values=np.array([[-1.0, 1.0, -2.0, 3.0], [0.0, 0.5, 9.0, 9.0]]),
        bias=0.25,
    )


def test_oblivious_trees_sum_the_leaves_the_levels_pick() -> None:
    rows = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 3.0]], np.float32)
    # Tree 1: bit 0 is a > 0.5, bit 1 is b > 0.5; tree 2: bit 0 is b > 2, its second level never goes right.
    logits = np.array([-1.0 + 0.0, 1.0 + 0.0, -2.0 + 0.0, 3.0 + 0.5]) + 0.25
    assert np.allclose(tiny_model().probabilities(rows), 1 / (1 + np.exp(-logits)))


def test_a_model_survives_saving_and_loading(tmp_path: Path) -> None:
    model = tiny_model()
    model.save(tmp_path / "m.npz")
    loaded = BlockModel.load((tmp_path / "m.npz").read_bytes())
    rows = np.random.default_rng(0).random((20, 2)).astype(np.float32) * 4
    assert loaded.features == model.features and loaded.bias == model.bias
    assert np.allclose(loaded.probabilities(rows), model.probabilities(rows))


def test_no_blocks_no_probabilities() -> None:
    assert tiny_model().probabilities(np.zeros((0, 2), np.float32)).shape == (0,)


def test_models_evaluated_together_give_each_its_own_probabilities_bit_for_bit() -> None:
    models = tuple(shipped(f"page-{kind}") for kind in LEARNED_TYPES) + (shipped("confidence"),)
    rows = np.random.default_rng(0).normal(size=(30, len(PAGE_FEATURES))).astype(np.float32)
    together = probabilities_of(models, rows)
    for k, model in enumerate(models):
        assert np.array_equal(together[:, k], model.probabilities(rows))


def test_the_mean_model_has_the_mean_log_odds_of_its_models() -> None:
    one = tiny_model()
    other = BlockModel(one.features, one.split_feature, one.split_border, -2 * one.leaf_values, -1.0)
    rows = np.array([[0.0, 0.0], [1.0, 3.0], [1.0, 1.0]], np.float32)

    def log_odds(model: BlockModel) -> np.ndarray:
        p = model.probabilities(rows)
        return np.log(p / (1 - p))

    assert np.allclose(log_odds(mean_model([one, other])), (log_odds(one) + log_odds(other)) / 2)
    assert mean_model([one]).probabilities(rows).tolist() == one.probabilities(rows).tolist()


def test_neighbours_are_the_values_around_each_block() -> None:
    before, after, near = neighbours(np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0]))
    assert before.tolist() == [0, 1, 0, 1, 1, 0, 0]
    assert after.tolist() == [0, 1, 1, 0, 0, 1, 0]
    assert np.allclose(near, np.convolve([1.0, 0, 1, 1, 0, 0, 1], np.ones(5) / 5, mode="same"))


@pytest.mark.parametrize(
    ("name", "features"),
    [
        ("html", (*FEATURES, *STATIC_FEATURES, *NAME_FEATURES, *WORD_FEATURES)),
        ("html-context", (*FEATURES, *STATIC_FEATURES, *NAME_FEATURES, *WORD_FEATURES, *CONTEXT_FEATURES)),
        ("text", (*LINE_FEATURES, *WORD_FEATURES)),
        ("text-context", (*LINE_FEATURES, *WORD_FEATURES, *LINE_CONTEXT_FEATURES)),
        ("confidence", PAGE_FEATURES),
        ("text-confidence", LINE_PAGE_FEATURES),
    ]
    + [(f"page-{kind}", PAGE_FEATURES) for kind in LEARNED_TYPES]
    + [(f"text-page-{kind}", LINE_PAGE_FEATURES) for kind in LEARNED_TYPES],
)
def test_the_shipped_models_read_the_features_the_code_makes(name: str, features: tuple[str, ...]) -> None:
    model = shipped(name)
    assert model.features == features
    assert model.split_feature.max() < len(features)


ARTICLE = """<html><head><title>Harbour bridge reopens after repairs | Example News</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<main><article><h1>Harbour bridge reopens after repairs</h1>
<p>The harbour bridge reopened to traffic on Monday after eight months of repairs to its deck and cables, the city said.</p>
<p>Engineers replaced more than two hundred steel hangers and resurfaced the whole span, which carries forty thousand vehicles a day.</p>
<p>"We are glad to give the bridge back to the people who use it every day," the mayor told reporters at the opening.</p>
<p>Cyclists will get a separate lane from next spring, when the second phase of the work is due to be finished.</p>
</article></main>
<footer><p>Copyright 2026 Example News. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def test_html_cleaning_says_what_the_page_is_and_how_sure_it_is() -> None:
    extraction = clean_html(ARTICLE, "https://news.example.com/2026/03/bridge-reopens")
    assert any("harbour bridge reopened" in p for p in extraction.paragraphs)
    assert extraction.page_type in PAGE_TYPES
    assert extraction.confidence is not None and 0.0 <= extraction.confidence <= 1.0
    assert all(r.rule in REMOVAL_RULES and r.label in REMOVED_LABELS for r in extraction.removed)
    assert any("Copyright" in r.text for r in extraction.removed)


def test_text_cleaning_names_the_line_model_as_the_rule_and_says_what_the_page_is() -> None:
    page = "\n\n".join(["Home | World | Sport", "Harbour bridge reopens after repairs", *ARTICLE.split("<p>")[1:5], "Copyright 2026"])
    extraction = clean_text(page.replace("</p>", ""), "https://news.example.com/2026/03/bridge-reopens")
    assert extraction.page_type in PAGE_TYPES
    assert extraction.confidence is not None and 0.0 <= extraction.confidence <= 1.0
    assert {r.rule for r in extraction.removed} <= {"line_model", "repeat"}


def test_text_mode_reads_a_page_of_no_lines_as_a_page_it_is_unsure_of() -> None:
    empty = np.zeros(0)
    row = line_page_features("", [], {"log_chars": empty, "prose": empty, "listed": empty, "digits": empty}, empty, empty.astype(bool))
    assert row.shape == (1, len(LINE_PAGE_FEATURES)) and np.isfinite(row).all()
    page_type, confidence = page_type_and_confidence(row, (), "text")
    assert page_type in PAGE_TYPES and 0.0 <= confidence <= 1.0


def test_a_page_that_most_likely_shows_no_article_keeps_nothing_only_when_asked() -> None:
    words = np.array([5.0, 5.0, 5.0])
    doubtful = np.array([0.1, 0.05, 0.05])
    assert expected_f1_keeps(doubtful, words).tolist() == [True, False, False]
    assert expected_f1_keeps(doubtful, words, or_none=True).tolist() == [False, False, False]
    assert expected_f1_keeps(np.array([0.9, 0.05, 0.05]), words, or_none=True).tolist() == [True, False, False]


def test_a_group_whose_blocks_are_mostly_kept_keeps_them_all() -> None:
    groups = np.array([7, 7, 7, 7, 9, 9, 9, 9, 4, 4])
    chars = np.array([100.0, 100, 100, 100, 100, 100, 100, 100, 100, 100])
    eligible = np.array([True, True, True, False, True, True, True, True, True, True])
    keep = np.array([True, True, False, False, True, False, False, False, True, False])
    # Group 7: two of its three eligible blocks kept, so all three, not the ineligible fourth;
    # group 9: one of four is not most; group 4: two blocks are too few to call a text.
    assert whole_groups(groups, chars, eligible, keep).tolist() == [
        True, True, True, False, True, False, False, False, True, False,
    ]
    # Most by characters, not by blocks: a long kept block outweighs two short dropped ones.
    assert whole_groups(groups[:3], np.array([500.0, 50, 50]), eligible[:3], np.array([True, False, False])).all()
    assert not whole_groups(groups[:0], chars[:0], eligible[:0], keep[:0]).size
