import re

from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.enrich.quotes import _QUOTED, _quoted
from copydesk.enrich.scanning import by_first_letter, matches_at

_WORDISH = re.compile(r"\b[A-Z]\w*(?: [A-Z]\w*)*|\d+(?:[.,]\d+)?")


def spans(matches: list[re.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def test_matches_tried_at_every_possible_start_are_finditers():
    text = "Jane Doe met Bank of America on 3.5 days, then New York at 12,000 feet."
    starts = [m.start() for m in re.finditer(r"\b\w", text)]
    assert spans(matches_at(_WORDISH, text, starts)) == spans(list(_WORDISH.finditer(text)))


def test_a_start_inside_a_match_is_skipped_as_finditer_skips_it():
    text = "Bank Of America"
    assert spans(matches_at(_WORDISH, text, [0, 5, 8])) == [(0, 15)]


# Quote marks of every kind, open and closed, with the words and line breaks around them.
_PIECES = ("“", "”", '"', "«", "»", "„", "said", "Jane Doe", "it’s", "a", ", ", ". ", "\n", "\n\n", " ")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_quotes_are_the_matches_a_scan_of_every_character_finds(text: str) -> None:
    assert spans(_quoted(text)) == spans(list(_QUOTED.finditer(text)))


def test_words_grouped_by_first_letter_keep_their_order_within_a_group():
    assert by_first_letter("said|told|says|say|a dit") == "s(?:aid|ays|ay)|t(?:old)|a(?: dit)"


# Words that start alike and are prefixes of one another, where the order of trying decides.
_ALTERNATIVES = "say|says|said|sa|told|tells|a dit|added|add"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(("say", "s", "aid", "told", "tel", "ls", "a", " dit", "dd", "ed", " ", ".")), max_size=30).map("".join))
def test_a_grouped_alternation_finds_what_the_plain_one_finds(text: str) -> None:
    for shape in (r"(?:{})", r"\s(?:{})\b", r"(?:{})\w*"):
        plain, grouped = re.compile(shape.format(_ALTERNATIVES)), re.compile(shape.format(by_first_letter(_ALTERNATIVES)))
        assert [m.group() for m in grouped.finditer(text)] == [m.group() for m in plain.finditer(text)]
