import re

from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.enrich.keywords import find_keywords
from copydesk.enrich.language import detect
from copydesk.enrich.readability import _SILENT_E_REVERSED, flesch_kincaid_grade, reading_time_s, word_count
from copydesk.enrich.sentiment import text_sentiment
from copydesk.enrich.summary import lead_summary
from copydesk.enrich.tokens import split_sentences, tokenize


def test_sentences_keep_abbreviations_and_initials_inside():
    text = "Maj. Gen. Qassim Suleimani met George W. Bush. Then the U.S. Army left. Done!"
    assert [s.text for s in split_sentences(text)] == [
        "Maj. Gen. Qassim Suleimani met George W. Bush.",
        "Then the U.S. Army left.",
        "Done!",
    ]


def test_words_have_offsets_and_possessives_split():
    tokens = tokenize("Suleimani’s death")
    assert list(zip(tokens.words, tokens.starts, tokens.ends)) == [("Suleimani", 0, 9), ("’s", 9, 11), ("death", 12, 17)]
    assert tokens.lower == ["suleimani", "'s", "death"]


def test_words_keep_dotted_initials_joined_words_and_inner_apostrophes():
    tokens = tokenize("The U.S.A. at 5 o’clock, mid-2019: A.B e.g. it's ’S 3.5% co-op’s rock’n’roll Jones' _x_ U.S")
    assert tokens.words == [
        "The", "U.S.A.", "at", "5", "o’clock", "mid-2019", "A.B", "e.g", "it", "'s", "’S", "3.5", "co-op", "’s",
        "rock’n’roll", "Jones", "_x_", "U.S",
    ]
    assert tokens.gaps == ["", " ", " ", " ", " ", ", ", ": ", " ", ". ", "", " ", " ", "% ", "", " ", " ", "' ", " "]


def test_language():
    assert detect("Der Stadtrat hat am Montag neue Radwege für die ganze Stadt beschlossen.")[0] == "de"
    code, confidence = detect("The city council approved new bike lanes for the whole city on Monday.")
    assert code == "en" and 0.5 < confidence <= 1
    assert detect("12 34") == ("", 0.0)


def test_sentiment_signs_and_negation():
    assert text_sentiment("A wonderful, happy success") > 0.5
    assert text_sentiment("A horrible, deadly disaster") < -0.5
    assert text_sentiment("This is not good") < 0
    assert text_sentiment("The meeting is on Tuesday") == 0


def test_keywords_prefer_the_recurring_phrases():
    text = (
        "The bike lanes will cost four million euros. Critics of the bike lanes fear lost parking. "
        "The council says protected bike lanes make streets safer, and parking will move."
    )
    keywords = find_keywords(tokenize(text), "Council approves bike lanes")
    assert keywords[0] == "bike lanes" or keywords[0].endswith("bike lanes")
    assert "parking" in keywords


def test_summary_is_the_lead_and_skips_datelines():
    text = "HONOLULU\n\nScientists confirmed water vapour on Europa. The find means the moon likely has liquid water. It is a big deal for the search for life. More follows."
    assert lead_summary(tokenize(text)) == (
        "Scientists confirmed water vapour on Europa. The find means the moon likely has liquid water. "
        "It is a big deal for the search for life."
    )


def test_counts_reading_time_and_grade():
    tokens = tokenize("The cat sat on the mat. It was happy there.")
    assert word_count(tokens) == 10
    assert reading_time_s(230, 230) == 60 and reading_time_s(230, 115) == 120
    assert flesch_kincaid_grade(tokens) < 3


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeiouyAEIOUYbcdlmnstxz .,'’-\néİ9", max_size=60))
def test_grade_counts_each_run_of_vowels_as_a_syllable(text: str) -> None:
    tokens = tokenize(text)
    words, lowered = word_count(tokens), text.lower()
    if not words or not tokens.sentences:
        return
    syllables = max(len(re.findall("[aeiouy]+", lowered)) - len(_SILENT_E_REVERSED.findall(lowered[::-1])), words)
    expected = round(0.39 * words / len(tokens.sentences) + 11.8 * syllables / words - 15.59, 2)
    assert flesch_kincaid_grade(tokens) == expected
