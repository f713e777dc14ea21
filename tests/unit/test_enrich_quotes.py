from copydesk.enrich.entities import find_entities
from copydesk.enrich.quotes import _quoted, find_quotes
from copydesk.enrich.tokens import tokenize


def quotes(text: str) -> list[tuple[str, str]]:
    tokens = tokenize(text)
    return [(q.text, q.speaker) for q in find_quotes(tokens, find_entities(tokens))]


def test_speaker_after_the_quote_in_both_orders():
    found = quotes('"This is a tragedy," said Mayor John Smith. "We will rebuild," Smith told reporters.')
    assert found == [("This is a tragedy", "John Smith"), ("We will rebuild", "John Smith")]


def test_speaker_before_the_quote():
    found = quotes("Iranian Supreme Leader Ayatollah Khamenei has promised “harsh revenge” against US assets.")
    assert found == [("harsh revenge", "Ayatollah Khamenei")]


def test_pronouns_resolve_to_the_last_person_named():
    found = quotes('Police Chief Jane Roe spoke on Monday. "We will find them," she said.')
    assert found == [("We will find them", "Jane Roe")]


def test_according_to():
    found = quotes('According to the weather service, the storm is "historic in scale".')
    assert found == [("historic in scale", "the weather service")]


def test_a_statement_is_spoken_by_whoever_issued_it():
    found = quotes(
        "A statement from the American command announcing the pause pointed to attacks. "
        "“[W]e have therefore paused these activities, subject to continuous review,” the statement said."
    )
    assert found == [("[W]e have therefore paused these activities, subject to continuous review", "the American command")]


def test_scare_quotes_are_not_quotes():
    assert quotes('The so-called "experts" disagreed with the "plan".') == []


def test_a_quote_only_paragraph_continues_the_previous_speaker():
    found = quotes(
        '"We are working around the clock," said Mayor John Smith.\n\n'
        '"Nobody expected the storm to turn this quickly and this hard toward us."'
    )
    assert found[-1] == ("Nobody expected the storm to turn this quickly and this hard toward us.", "John Smith")


def test_partial_quotes_after_a_speech_verb_and_speakers_at_the_end_of_the_sentence():
    found = quotes(
        "Research head Jennifer Ngo-Anh says the idea \"is actually not so crazy.\" "
        "The crisis is “growing at an alarming rate” and affects every town, Ngo-Anh said in the announcement."
    )
    assert found == [("is actually not so crazy.", "Jennifer Ngo-Anh"), ("growing at an alarming rate", "Jennifer Ngo-Anh")]


def test_later_quotes_in_a_paragraph_keep_its_speaker():
    found = quotes('"We got her!" officers announced on their radios. "He\'s in custody; we have her."')
    assert found == [("We got her!", "officers"), ("He's in custody; we have her.", "officers")]


def test_german_attribution_names_the_speaker():
    found = quotes("„Wer sich auf dem Rad sicher fühlt, lässt das Auto stehen“, sagte Oberbürgermeisterin Sabine Hoffmann nach der Abstimmung.")
    assert found == [("Wer sich auf dem Rad sicher fühlt, lässt das Auto stehen", "Oberbürgermeisterin Sabine Hoffmann")]


def test_a_quote_ends_at_the_first_mark_that_can_close_it():
    cases = {
        '“One two" three” and "four five" six': ['“One two"', '"four five"'],
        "“An open quote\nruns to the line end": ["“An open quote"],
        '"a straight one\nand „low marks“ too': ['"a straight one', "„low marks“"],
        '“ab“cd” "x"y" z': ["“cd”"],
    }
    for text, found in cases.items():
        assert [m.group() for m in _quoted(text)] == found
