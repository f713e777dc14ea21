from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.enrich.dates import _AGO, _FUTURE, _PAST, _agos, _future, _sentence_start, find_dates, parse_timestamp, reference_day
from copydesk.enrich.tokens import tokenize
from tests.unit.timing import cpu_seconds

MONDAY = date(2020, 1, 6)


def resolved(text: str, ref: date | None = MONDAY) -> dict[str, str]:
    return {m.text: m.date for m in find_dates(text, ref)}


def test_year_less_date_is_the_nearest_one_not_after_the_reference():
    assert resolved("an attack on December 27 killed a contractor") == {"December 27": "2019-12-27"}
    assert resolved("on January 3 the talks began") == {"January 3": "2020-01-03"}


def test_year_less_date_never_becomes_a_century_old_year():
    for mention in find_dates("one on December 27 that killed", MONDAY):
        assert mention.date.startswith("2019")


def test_future_context_moves_a_year_less_date_ahead():
    assert resolved("The vote will be held on March 3.") == {"March 3": "2020-03-03"}


def test_without_a_reference_relative_and_year_less_dates_stay_unresolved():
    found = resolved("It said on Sunday, after last week and December 27, that on 3 January 2020 it", None)
    assert found == {"Sunday": "", "last week": "", "December 27": "", "3 January 2020": "2020-01-03"}


def test_weekdays_and_relative_phrases():
    found = resolved("It announced on Sunday what it did last week, last month and two days ago; yesterday too.")
    assert found == {
        "Sunday": "2020-01-05",
        "last week": "2020-W01",
        "last month": "2019-12",
        "two days ago": "2020-01-04",
        "yesterday": "2020-01-05",
    }
    # A bare weekday is the nearest; "next Tuesday" is next week's, even on a Monday.
    assert resolved("He will speak on Friday and next Tuesday.") == {"Friday": "2020-01-10", "next Tuesday": "2020-01-14"}


def test_last_and_next_weekdays_are_in_the_week_before_and_after():
    wednesday = date(2019, 11, 20)
    assert resolved("He left on Tuesday.", wednesday) == {"Tuesday": "2019-11-19"}
    assert resolved("He left last Tuesday.", wednesday) == {"last Tuesday": "2019-11-12"}
    assert resolved("They meet this Thursday.", wednesday) == {"this Thursday": "2019-11-21"}
    assert resolved("They meet next Thursday.", wednesday) == {"next Thursday": "2019-11-28"}
    assert resolved("The deal was struck last Friday.", date(2019, 11, 18)) == {"last Friday": "2019-11-15"}


def test_parts_of_a_month_are_part_of_the_mention():
    november = date(2019, 11, 20)
    assert resolved("It began in late January.", november) == {"late January": "2019-01"}
    assert resolved("Talks resumed in mid-December and early March.", november) == {"mid-December": "2018-12", "early March": "2019-03"}


def test_full_dates_in_common_forms():
    found = resolved("Dec. 27, 2019, then 3 January 2020, 2020-01-02, 27/12/2019, in May 2019 and since 2018.")
    assert found == {
        "Dec. 27, 2019": "2019-12-27",
        "3 January 2020": "2020-01-03",
        "2020-01-02": "2020-01-02",
        "27/12/2019": "2019-12-27",
        "May 2019": "2019-05",
        "2018": "2018",
    }


def test_ambiguous_numeric_dates_are_not_guessed():
    assert resolved("on 01/02/2020") == {"01/02/2020": ""}


def test_names_that_hold_a_weekday_or_month_are_not_dates():
    assert resolved("The Sunday Times said it may rain; the march went on. 5,200 troops.") == {}


def test_parse_timestamp_normalises_what_pages_write():
    assert parse_timestamp("2019-12-27T10:00:00Z") == "2019-12-27T10:00:00+00:00"
    assert parse_timestamp("2019-12-27T10:00:00+0100") == "2019-12-27T10:00:00+01:00"
    assert parse_timestamp("Fri, 27 Dec 2019 10:00:00 GMT") == "2019-12-27T10:00:00+00:00"
    assert parse_timestamp("December 27, 2019") == "2019-12-27"
    assert parse_timestamp("1577440800") == "2019-12-27T10:00:00+00:00"
    assert parse_timestamp("not a date") == ""


def test_reference_day_takes_the_first_stamp_that_names_a_day():
    assert reference_day("", "2020-01-06T12:00:00Z") == date(2020, 1, 6)
    assert reference_day("", "") is None


def test_a_weekday_beside_a_date_picks_the_year_it_agrees_with():
    found = resolved("Tickets go on sale Friday, Dec. 6, and he was taken on Saturday, May 18.", date(2019, 11, 19))
    assert found == {"Friday": "2019-12-06", "Dec. 6": "2019-12-06", "Saturday": "2019-05-18", "May 18": "2019-05-18"}


def test_a_past_verb_after_a_future_word_keeps_the_date_in_the_past():
    text = "The house will become a police station, the minister said on Tuesday."
    assert resolved(text, date(2019, 11, 20)) == {"Tuesday": "2019-11-19"}


def test_bare_years_with_a_cue_and_addresses_without():
    found = resolved("a 2018 analysis, 2009’s film, fiscal 2019, and a house at 1909 Jolinda Drive")
    assert found == {"2018": "2018", "2009": "2009", "2019": "2019"}


def test_a_weekday_in_a_past_clause_is_the_last_one_even_after_a_future_one():
    tuesday = date(2025, 3, 11)
    text = "The bridge will close on April 7 for repairs, the city council decided on Monday night."
    assert resolved(text, tuesday) == {"April 7": "2025-04-07", "Monday": "2025-03-10"}
    # a passive after "be" may still lie ahead
    assert resolved("The vote will be held on Monday.", tuesday) == {"Monday": "2025-03-17"}


# Fragments that open dates, nearly open them, or join words the way articles do.
_PIECES = (
    "on", "in", "mid-2019", "Dec.6", "18-24 November", "U.S.", "LAST Monday", "last week", "Earlier this week",
    "2009’s", "o’clock", "José", "May", "may", "March 3", "3 March", "the weekend", "Today", "2019-05-01",
    "27/12/2019", "5,200", "Sept. 4,", "next", "this year", "Tuesday’s", "1909 Jolinda Drive", "Jan.-Feb.",
    "two days ago", "Wee\u212aend", "(2018)", "—", "\n\n", ", ", ". ", " ",
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map(" ".join))
def test_the_scan_given_the_words_finds_what_a_scan_of_every_character_finds(text: str) -> None:
    ref = date(2020, 1, 6)
    assert find_dates(text, ref, tokenize(text)) == find_dates(text, ref)


# Pieces of "ago" phrases and of future and past clauses, in cases and forms that nearly match.
_CLAUSE_PIECES = (
    "ago", "AGO", "Ago", "agony", "a", "An", "one", "ONE", "seven", "1", "123", "1234", "٣", "day", "days",
    "months", "YEARS", "will", "Shall", "next", "scheduled", "expected to", "plans to", "is to", "said", "be",
    "held", "decided", "hundred", "went", "the", "x", ". ", "\n", ",", "-", "",
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CLAUSE_PIECES), max_size=20).map(" ".join))
def test_ago_phrases_are_what_a_scan_of_every_character_finds(text: str) -> None:
    assert [m.span() for m in _agos(text)] == [m.span() for m in _AGO.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CLAUSE_PIECES), max_size=20).map(" ".join))
def test_the_future_is_a_cue_of_it_with_no_past_verb_after(text: str) -> None:
    for position in range(len(text) + 1):
        begin = _sentence_start(text, position)
        futures = [m.end() for m in _FUTURE.finditer(text, begin, position)]
        pasts = [m.end() for m in _PAST.finditer(text, begin, position)]
        assert _future(text, position) == (bool(futures) and (not pasts or futures[-1] >= pasts[-1]))


def test_letters_the_pattern_folds_to_ascii_are_found_as_without_the_words():
    text = "on THİS WEEK, LAſT Monday and Laſt month"
    assert find_dates(text, MONDAY, tokenize(text)) == find_dates(text, MONDAY)
    assert [m.text for m in find_dates(text, MONDAY)] == ["THİS WEEK", "LAſT Monday", "Laſt month"]


def test_a_run_on_text_full_of_dates_costs_linear_time():
    # No ". " anywhere: each date's sentence must not be read back to the start of the text.
    def seconds(copies: int) -> float:
        text = "On 12 March 2020 and March 13, 2021, last Monday, next week; " * copies
        assert len(find_dates(text, date(2024, 6, 1))) >= 2 * copies
        return cpu_seconds(lambda: find_dates(text, date(2024, 6, 1)))

    assert seconds(8_000) < 15 * seconds(800) + 0.2
