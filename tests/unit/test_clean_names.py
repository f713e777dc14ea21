"""The learned weights of tokens: how a block reads the class and id names above it, and a line
of flattened text its own words."""

from __future__ import annotations

import numpy as np

from copydesk.clean.blocks import repeat_key
from copydesk.clean.context import shipped_staged
from copydesk.clean.names import NAME_FEATURES, WORD_FEATURES, TokenWeights, name_tokens, word_tokens
from copydesk.clean.text import shipped_lines
from copydesk.clean.text_stopwords import STOPWORDS

WEIGHTS = TokenWeights({"article": 1.5, "body": 0.5, "sidebar": -2.0, "widget": -1.0})


def test_tokens_are_the_words_of_the_names_not_their_counters() -> None:
    assert name_tokens("article-body post_42 sidebar-widget-3 ab 2col") == {"article", "body", "post", "sidebar", "widget", "col"}
    assert name_tokens("") == frozenset()


def test_a_block_reads_the_nearest_known_name_and_the_extremes_above_it() -> None:
    # Elements in document order: 0 <main class="article-body"> holds 1 <div class="unknown">
    # holding 2 <p>, and 3 <aside class="sidebar widget"> holding 4 <p>; 5 <footer>.
    hints = ["article-body", "unknown", "", "sidebar widget", "", ""]
    ends = [5, 3, 3, 5, 5, 6]
    at = np.array([2, 4, 5])
    rows = WEIGHTS.columns(hints, ends, at)
    assert rows.shape == (3, len(NAME_FEATURES))
    assert rows[0].tolist() == [1.0, 1.5, 0.0]  # under the article body alone
    assert rows[1].tolist() == [-1.5, 1.5, -2.0]  # the sidebar inside it is nearer
    assert rows[2].tolist() == [0.0, 0.0, 0.0]  # no known name above it


def test_a_line_reads_its_own_words_in_any_script_but_not_its_numbers() -> None:
    assert word_tokens(repeat_key("© 2026 Example Ltd. All rights reserved | Datenschutz")) == {
        "example", "ltd", "rights", "reserved", "datenschutz"
    }
    assert word_tokens(repeat_key("Русский · 日本語 · a · 42")) == {"русский", "日本語"}
    words = TokenWeights({"rights": -3.0, "reserved": -2.0, "the": 0.5, "日本語": -1.0})
    keys = [repeat_key(line) for line in ("All rights reserved.", "The council met on Tuesday.", "日本語", "Nothing known here")]
    rows = words.line_columns(keys)
    assert rows.shape == (4, len(WORD_FEATURES))
    assert rows.tolist() == [[-2.5, -2.0, -3.0], [0.5, 0.5, 0.5], [-1.0, -1.0, -1.0], [0.0, 0.0, 0.0]]
    assert words.line_columns([]).shape == (0, len(WORD_FEATURES))


def test_function_words_of_any_language_are_no_line_words() -> None:
    # They say which language a line is in, which the stopword features read; weighed, German's
    # took the weight of the German notices on English pages.
    assert word_tokens(repeat_key("Melden Sie sich für unseren Newsletter an und lesen Sie mehr")) == {
        "melden", "unseren", "newsletter", "lesen", "mehr"
    }
    assert word_tokens(repeat_key("Le gouvernement a présenté son budget en conseil des ministres")) == {
        "gouvernement", "présenté", "budget", "conseil", "ministres"
    }


def test_weights_survive_their_file_and_the_package_ships_some() -> None:
    assert TokenWeights.loads(WEIGHTS.dumps()).weights == WEIGHTS.weights
    html = shipped_staged()
    for shipped in (html.names.weights, html.words.weights, shipped_lines().words.weights):
        assert len(shipped) > 1000
        assert all(isinstance(weight, float) for weight in shipped.values())
    for shipped in (html.words.weights, shipped_lines().words.weights):
        assert not STOPWORDS & shipped.keys()
