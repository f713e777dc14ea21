"""Page context for the block model: the static columns read from the page alone, and the
columns stage 2 reads from stage 1's probabilities."""

from __future__ import annotations

import numpy as np

from copydesk.clean.context import (
    CONTEXT_FEATURES,
    STATIC_FEATURES,
    context_columns,
    declared_shares,
    named_under,
    static_columns,
)
from copydesk.clean.model import after_comment_heading, main_run
from copydesk.clean.page import PAGE_FEATURES

BODY = (
    "The council voted on Tuesday to keep the old library open for another year.\n"
    "Readers had written hundreds of letters asking for the building to be saved from closure.\n"
    "The mayor said the money would come from the parks budget, which had been underspent this year."
)


def test_declared_shares_say_how_much_of_a_block_the_declared_body_holds() -> None:
    texts = [
        "The council voted on Tuesday to keep the old library open for another year.",
        "Great news, I grew up reading in that library and my kids do now too.",
        "Short",
    ]
    shares = declared_shares(texts, BODY)
    assert shares[0] == 1.0
    assert shares[1] == 0.0
    assert shares[2] == -1.0  # fewer than three words: nothing to tell


def test_without_a_declared_body_no_block_is_measured() -> None:
    assert declared_shares(["The council voted on Tuesday."], "").tolist() == [-1.0]


def test_comment_and_post_names_reach_every_element_below() -> None:
    # 0 body > 1 main > 2 p; 0 body > 3 section#comments > 4 div.comment-body; 3 > 5 div.post
    ends = [6, 3, 3, 6, 5, 6]
    hints = ["", "main-content", "", "comments", "comment-body", "post"]
    found = named_under(ends, hints)
    assert found[:, 0].tolist() == [False, False, False, True, True, True]
    assert found[:, 1].tolist() == [False, False, False, False, False, True]


def test_a_comment_sections_heading_marks_what_follows_it() -> None:
    texts = ["Story paragraph one.", "3 Comments", "Nice story!", "Leave a Reply", "Name"]
    assert after_comment_heading(texts).tolist() == [False, False, True, True, True]
    assert after_comment_heading([]).tolist() == []


def test_the_main_run_is_the_heaviest_stretch_of_likely_blocks() -> None:
    assert main_run(np.array([-1.0, 2.0, 3.0, -0.5, 4.0, -9.0, 5.0])) == (1, 4)
    assert main_run(np.array([-1.0, -2.0])) == (0, -1)


def test_static_columns_have_one_row_per_block() -> None:
    texts = ["The council voted on Tuesday to keep the old library open for another year.", "2 comments", "Me too"]
    rows = static_columns(texts, np.array([1, 2, 2]), [3, 2, 3], ["", "", "comments"], BODY)
    assert rows.shape == (3, len(STATIC_FEATURES))
    named = STATIC_FEATURES.index("comment_named")
    assert rows[:, named].tolist() == [0.0, 1.0, 1.0]
    assert static_columns([], np.zeros(0, np.intp), [], [], "").shape == (0, len(STATIC_FEATURES))


def test_context_places_blocks_against_the_main_run() -> None:
    # A teaser, three paragraphs of the story, a reader's comment: 0 body > 1 article > 2 p;
    # 0 > 3 div.teaser; 0 > 4 div.comment. Blocks 1-3 are all in element 2, held by 1.
    chars = np.array([50.0, 400.0, 300.0, 350.0, 120.0])
    probabilities = np.array([0.2, 0.9, 0.95, 0.85, 0.3])
    at = np.array([3, 2, 2, 2, 4])
    holders = np.array([0, 1, 1, 1, 0])
    parents, ends = [-1, 0, 1, 0, 0], [5, 3, 3, 4, 5]
    page_row = np.zeros(len(PAGE_FEATURES), np.float32)
    rows = context_columns(chars, at, holders, parents, ends, probabilities, page_row)
    assert rows.shape == (5, len(CONTEXT_FEATURES))
    column = dict(zip(CONTEXT_FEATURES, rows.T, strict=True))
    assert column["run_inside"].tolist() == [0, 1, 1, 1, 0]
    assert column["run_blocks_before"][0] > 0 and column["run_blocks_after"][4] > 0
    assert column["run_blocks_after"][0] == 0 and column["run_blocks_before"][4] == 0
    holder_mean = (400 * 0.9 + 300 * 0.95 + 350 * 0.85) / 1050
    assert np.isclose(column["holder_stage1"][1], holder_mean)
    assert np.isclose(column["run_share"][0], 1050 / chars.sum())
    # The teaser's container is the body: the mean over the whole page.
    assert np.isclose(column["holder_stage1"][0], (chars * probabilities).sum() / chars.sum())
    assert context_columns(np.zeros(0), at[:0], holders[:0], [], [], np.zeros(0), page_row).shape == (0, len(CONTEXT_FEATURES))
