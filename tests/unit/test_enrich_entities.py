"""The entity tagger and what gathers its names into entities, on sentences written for these tests."""

import numpy as np
import pytest

from copydesk.document import Extraction
from copydesk.enrich import enrich
from copydesk.enrich.entities import find_entities
from copydesk.enrich.languages import ENTITIES
from copydesk.enrich.tagger import (
    CLUSTER_DEPTHS,
    COMMON_BANDS,
    _own_models,
    candidates,
    cluster_features,
    clustered,
    common_words,
    emissions,
    features,
    model,
    read,
    scores,
    spans,
    word_key,
)
from copydesk.enrich.tokens import tokenize


def entities(text: str, language: str = "en") -> dict[str, object]:
    return {e.text: e for e in find_entities(tokenize(text), language).entities}


def types(text: str, language: str = "en") -> dict[str, str]:
    return {name: e.type for name, e in entities(text, language).items()}  # type: ignore[attr-defined]


# Sentences in each supported language, with the names a reader would mark in them.
SENTENCES = [
    pytest.param(
        "en",
        "Chancellor Rishi Sunak met President Joe Biden in Washington on Tuesday, and Microsoft said it would open an office in London.",
        {"Rishi Sunak": "person", "Joe Biden": "person", "Washington": "place", "Microsoft": "organization", "London": "place"},
        id="en",
    ),
    pytest.param(
        "de",
        "Bundeskanzler Olaf Scholz traf am Montag in Berlin den französischen Präsidenten Emmanuel Macron. "
        "Die Deutsche Bahn kündigte danach einen Streik in Bayern an.",
        {"Olaf Scholz": "person", "Berlin": "place", "Emmanuel Macron": "person", "Deutsche Bahn": "organization", "Bayern": "place"},
        id="de",
    ),
    pytest.param(
        "fr",
        "Le président Emmanuel Macron a reçu Angela Merkel à Paris, où la Commission européenne tenait sa réunion.",
        {"Emmanuel Macron": "person", "Angela Merkel": "person", "Paris": "place"},
        id="fr",
    ),
    pytest.param(
        "es",
        "El presidente Pedro Sánchez viajó el lunes a Barcelona, y el Banco de España publicó un informe sobre Madrid.",
        {"Pedro Sánchez": "person", "Barcelona": "place", "Banco de España": "organization", "Madrid": "place"},
        id="es",
    ),
    pytest.param(
        "it",
        "Il presidente Sergio Mattarella ha incontrato Giorgia Meloni a Roma, mentre la Fiat apriva una fabbrica a Torino.",
        {"Sergio Mattarella": "person", "Giorgia Meloni": "person", "Roma": "place", "Torino": "place"},
        id="it",
    ),
    pytest.param(
        "pt",
        "O presidente Luiz Inácio Lula da Silva visitou Lisboa na segunda-feira, e a Petrobras anunciou lucros no Brasil.",
        {"Luiz Inácio Lula da Silva": "person", "Lisboa": "place", "Petrobras": "organization", "Brasil": "place"},
        id="pt",
    ),
    pytest.param(
        "nl",
        "Premier Mark Rutte sprak dinsdag in Amsterdam met de burgemeester van Rotterdam over de plannen van Philips.",
        {"Mark Rutte": "person", "Amsterdam": "place", "Rotterdam": "place"},
        id="nl",
    ),
]


@pytest.mark.parametrize(("language", "text", "expected"), SENTENCES)
def test_names_in_each_language(language: str, text: str, expected: dict[str, str]) -> None:
    found = types(text, language)
    assert {name: found.get(name) for name in expected} == expected


def test_words_that_are_not_people_or_places():
    # Errors the rule-based tagger made on real news: a film's title, a carmaker, an adverb and
    # a sentence opener taken for names.
    found = types("Fans queued for the new Star Wars film on Friday. Nissan said its profits fell in Japan.")
    assert found.get("Wars") != "person" and found.get("Star Wars") != "person"
    assert found.get("Nissan") == "organization"
    found = types("Sadly, the storm hit the coast hard. Thought I would never see it again, said Maria Lopez.")
    assert "Sadly" not in found and "Thought I" not in found and "Thought" not in found
    assert found.get("Maria Lopez") == "person"


def test_a_lone_surname_is_the_full_name_used_earlier():
    found = entities("The mayor, Maria Lopez, opened the bridge on Monday. Lopez said it had cost less than planned.")
    person = found["Maria Lopez"]
    assert person.type == "person" and person.count == 2 and person.aliases == ("Lopez",)  # type: ignore[attr-defined]
    assert "Lopez" not in found


def test_places_carry_country_code_and_geonames_id():
    found = entities("Troops in Iraq and the US were told. The United States said so.")
    assert found["Iraq"].country_code == "IQ" and found["Iraq"].geonames_id == 99237  # type: ignore[attr-defined]
    assert found["United States"].count == 2 and found["United States"].aliases == ("US",)  # type: ignore[attr-defined]


def test_an_acronym_joins_the_organisation_it_abbreviates():
    found = entities("The Federal Bureau of Investigation opened a case. The FBI said more on Monday.")
    assert found["Federal Bureau of Investigation"].count == 2  # type: ignore[attr-defined]
    assert "FBI" not in found


def test_a_name_keeps_one_type_in_a_text():
    text = "Acme Robotics said sales rose. Analysts at Acme Robotics were pleased, and Acme Robotics shares rose."
    found = find_entities(tokenize(text), "en")
    assert len({e.type for e in found.entities if e.text == "Acme Robotics"}) == 1


def test_offsets_point_into_the_text():
    text = "Yesterday in Paris, Anne Hidalgo spoke with the mayor of Lyon."
    found = find_entities(tokenize(text), "fr")
    assert found.entities
    for entity in found.entities:
        assert text[entity.offset :].startswith(entity.text)
    for offset, name, _ in found.mentions:
        assert offset < len(text)


def test_empty_text_and_no_names():
    assert find_entities(tokenize(""), "en").entities == ()
    assert find_entities(tokenize("nothing here is a name, not one word."), "en").entities == ()


def test_bio_tags_make_spans():
    # O, B-PER, I-PER, O, I-LOC (an I- with no B- opens a name), B-ORG, B-ORG
    assert spans([0, 1, 2, 0, 6, 3, 3]) == [(1, 3, "PER"), (4, 5, "LOC"), (5, 6, "ORG"), (6, 7, "ORG")]


def test_common_words_come_in_bands_for_each_tagged_language():
    # The commonest words are band 0; a word past the lists (a rare word or a name) has no band.
    for language, word in (("en", "the"), ("de", "und"), ("fr", "et"), ("es", "que"), ("it", "che"), ("pt", "não"), ("nl", "het")):
        assert common_words(language)[word] == 0, language
    assert 0 < common_words("en")["sadly"] < len(COMMON_BANDS)
    assert "zelenskyy" not in common_words("en")
    assert common_words("sv") == {}



def scored_words(text: str, language: str) -> list[str]:
    tokens = tokenize(text)
    return [tokens.words[i] for i in candidates(read(tokens.words, tokens.gaps, tokens.sentence_words, language))]


def test_a_street_noun_and_the_short_words_after_it_can_open_a_name():
    assert scored_words("Il habite avenue de la Madeleine depuis mai.", "fr") == ["avenue", "de", "la", "Madeleine"]
    assert scored_words("Ela mora na rua do Ouro.", "pt") == ["rua", "do", "Ouro"]
    # Only where a name follows the noun, and only in the noun's language.
    assert scored_words("On a fermé la rue depuis mai.", "fr") == []
    assert scored_words("They walked down the boulevard Haussmann.", "en") == ["Haussmann"]
    assert scored_words("Ils ont pris le boulevard Haussmann.", "fr") == ["boulevard", "Haussmann"]


def test_the_model_is_small():
    assert model().nbytes < 40_000_000


def test_languages_with_training_documents_add_their_own_model_to_the_shared_one():
    # Spanish and Italian have no training documents: the shared model alone tags them.
    own = ("en", "de", "fr", "nl", "pt")
    assert len({id(model(language)) for language in own} | {id(model(""))}) == len(own) + 1
    for language in ("es", "it"):
        assert model(language) is model("")


@pytest.mark.parametrize(("language", "text", "expected"), SENTENCES)
def test_fast_scoring_adds_up_the_features(language: str, text: str, expected: dict[str, str]) -> None:
    # Tagging sums what each distinct word brings (cached) instead of looking every feature up:
    # the scores must be those of the features the model was trained on.
    tokens = tokenize(text)
    words = read(tokens.words, tokens.gaps, tokens.sentence_words, language)
    full = scores(model().weights, features(tokens.words, tokens.gaps, tokens.sentence_words, language))
    assert np.allclose(emissions(model(), words, np.arange(len(tokens.words))), full, atol=1e-3)


def test_only_languages_with_a_model_of_their_own_read_word_clusters():
    # The shared model is trained without cluster features: a language it tags alone (Spanish,
    # Italian) would read weights nothing trained.
    with_clusters = {language for language in ENTITIES if clustered(language)}
    assert with_clusters and with_clusters <= _own_models()
    tokens = tokenize("Angela Merkel traf Emmanuel Macron in Paris.")
    plain = features(tokens.words, tokens.gaps, tokens.sentence_words, "de", clusters=False)
    full = features(tokens.words, tokens.gaps, tokens.sentence_words, "de")
    assert full.shape[1] == plain.shape[1] + len(CLUSTER_DEPTHS) + 4  # the word's depths, two of each neighbour's
    spanish = tokenize("Pedro Sánchez viajó a Madrid.")
    assert features(spanish.words, spanish.gaps, spanish.sentence_words, "es").shape[1] == plain.shape[1]


def test_cluster_paths_are_cut_at_each_depth():
    # Names of one kind share the shallow part of their paths, and the hashes say so: a city and
    # a country part deeper down.
    def clusters(words: list[str], language: str) -> list[list[int]]:
        return cluster_features(np.array([word_key(w) for w in words]), language).tolist()

    city, country, verb, nothing, other = clusters(["London", "Germany", "said", "Xqzzyv", "Qvvxzy"], "en")
    assert city[:2] == country[:2] and city[2:] != country[2:]
    assert city != verb
    # Words without a path hash alike, and apart from the same in another language.
    assert nothing == other != clusters(["Xqzzyv"], "de")[0]
    # A language without clusters reads the same "none" for every word.
    assert len({tuple(row) for row in clusters(["Madrid", "dijo", ""], "es")}) == 1


def test_entities_are_null_where_the_language_is_not_supported():
    text = (
        "Regeringen meddelade på måndagen att den vill bygga fler bostäder i Stockholm och Göteborg. "
        "Enligt ministern ska arbetet börja redan nästa år, och kommunerna får mer pengar för att "
        "planera nya områden med skolor, parker och bättre kollektivtrafik för alla som bor där."
    )
    found = enrich(Extraction("text", "", "", (text,)), url="https://example.com/")
    assert found.language == "sv" and found.entities is None
    english = enrich(Extraction("text", "", "", ("The mayor of Boston, Maria Lopez, opened the new bridge on Monday.",)), url="")
    assert english.entities
