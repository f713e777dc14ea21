import pytest

from copydesk.enrich.entities import find_entities
from copydesk.enrich.quotes import _quoted, find_quotes
from copydesk.enrich.tokens import tokenize


def quotes(text: str, language: str = "en") -> list[tuple[str, str]]:
    # names are found in the text's language, as enrichment finds them
    tokens = tokenize(text)
    return [(q.text, q.speaker) for q in find_quotes(tokens, find_entities(tokens, language))]


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
    found = quotes("„Wer sich auf dem Rad sicher fühlt, lässt das Auto stehen“, sagte Oberbürgermeisterin Sabine Hoffmann nach der Abstimmung.", "de")
    assert found == [("Wer sich auf dem Rad sicher fühlt, lässt das Auto stehen", "Sabine Hoffmann")]  # the title goes


def test_a_quote_ends_at_the_first_mark_that_can_close_it():
    cases = {
        '“One two" three” and "four five" six': ['“One two"', '"four five"'],
        "“An open quote\nruns to the line end": ["“An open quote"],
        '"a straight one\nand „low marks“ too': ['"a straight one', "„low marks“"],
        '“ab“cd” "x"y" z': ["“cd”"],
    }
    for text, found in cases.items():
        assert [m.group() for m in _quoted(text)] == found


def test_a_speaker_is_never_a_fragment_of_the_sentence():
    found = quotes('Mayor Jane Roe spoke on Monday. He instead said: "The bridge will open next year, whatever happens."')
    assert [speaker for _, speaker in found] in ([], ["Jane Roe"])  # the pronoun resolves, or no one speaks
    assert all(speaker != "He instead" for _, speaker in found)
    assert quotes('There\'s a saying here: "Rome was not built in a day."') == []
    found = quotes('Benioff instead said: "We are not leaving this city."')
    assert found == [("We are not leaving this city.", "Benioff")]


def test_roles_and_bodies_speak():
    assert quotes('"The road stays closed," a police spokesperson said.') == [("The road stays closed", "a police spokesperson")]


SPEECH = {
    "de": [
        ("„Wir werden die Brücke sanieren“, sagte Anna Schneider am Montag.", ("Wir werden die Brücke sanieren", "Anna Schneider")),
        ("Jonas Weber erklärte: „Das Geld reicht nicht für alle Projekte.“", ("Das Geld reicht nicht für alle Projekte.", "Jonas Weber")),
        ("»Die Lage ist ernst«, warnte Innenminister Peter Brandt.", ("Die Lage ist ernst", "Peter Brandt")),
        ("„Der Zug fährt wieder“, so Lukas Braun.", ("Der Zug fährt wieder", "Lukas Braun")),
    ],
    "fr": [
        ("« Nous allons reconstruire le pont », a déclaré le maire Claire Moreau.", ("Nous allons reconstruire le pont", "Claire Moreau")),
        ("Julien Petit a affirmé : « Le budget ne suffit pas pour tout. »", ("Le budget ne suffit pas pour tout.", "Julien Petit")),
        ("« La situation est grave », selon le ministre Paul Girard.", ("La situation est grave", "Paul Girard")),
    ],
    "es": [
        ("«Vamos a reconstruir el puente», dijo la alcaldesa Lucía Fernández.", ("Vamos a reconstruir el puente", "Lucía Fernández")),
        ("Carlos Ruiz afirmó: «El dinero no alcanza para todo».", ("El dinero no alcanza para todo", "Carlos Ruiz")),
        ('"La situación es grave", señaló el ministro Pedro Gómez.', ("La situación es grave", "Pedro Gómez")),
    ],
    "it": [
        ("«Ricostruiremo il ponte», ha detto il sindaco Marco Bianchi.", ("Ricostruiremo il ponte", "Marco Bianchi")),
        ("Giulia Russo ha dichiarato: «I soldi non bastano per tutto».", ("I soldi non bastano per tutto", "Giulia Russo")),
        ('"La situazione è grave", ha spiegato il ministro Luca Ferri.', ("La situazione è grave", "Luca Ferri")),
    ],
    "pt": [
        ('"Vamos reconstruir a ponte", disse a autarca Joana Ribeiro.', ("Vamos reconstruir a ponte", "Joana Ribeiro")),
        ('Pedro Costa afirmou: "O dinheiro não chega para tudo."', ("O dinheiro não chega para tudo.", "Pedro Costa")),
        ("«A situação é grave», declarou o ministro Rui Santos.", ("A situação é grave", "Rui Santos")),
    ],
    "nl": [
        ('"We gaan de brug herbouwen", zei burgemeester Pieter de Vries.', ("We gaan de brug herbouwen", "Pieter de Vries")),
        ('Sanne Jansen verklaarde: "Het geld is niet genoeg voor alles."', ("Het geld is niet genoeg voor alles.", "Sanne Jansen")),
        ('"De situatie is ernstig", aldus minister Tom Bakker.', ("De situatie is ernstig", "Tom Bakker")),
    ],
}


@pytest.mark.parametrize(("language", "text", "expected"), [(language, *case) for language, cases in SPEECH.items() for case in cases])
def test_speech_verbs_and_quotation_marks_of_the_supported_languages(language: str, text: str, expected: tuple[str, str]) -> None:
    assert quotes(text, language) == [expected]
