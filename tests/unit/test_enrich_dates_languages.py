"""Date forms of German, French, Spanish, Italian, Portuguese and Dutch, in sentences written
for these tests, resolved against Wednesday 20 November 2019."""

from datetime import date

import pytest

from copydesk.enrich.dates_languages import SUPPORTED, _compiled, find_dates_in
from copydesk.enrich.scanning import matches_at

WEDNESDAY = date(2019, 11, 20)


def resolved(text: str, language: str, ref: date | None = WEDNESDAY) -> dict[str, str]:
    return {m.text: m.date for m in find_dates_in(text, language, ref)}


CASES = {
    "de": [
        ("Der Vertrag vom 3. März 2020 gilt.", {"3. März 2020": "2020-03-03"}),
        ("Die Sitzung am 12.10.2019 fiel aus.", {"12.10.2019": "2019-10-12"}),
        ("Am Dienstag sprach sie, letzten Dienstag schwieg sie.", {"Dienstag": "2019-11-19", "letzten Dienstag": "2019-11-12"}),
        ("Das Werk schloss Ende Januar.", {"Ende Januar": "2019-01"}),
        ("Gestern und vor drei Tagen regnete es.", {"Gestern": "2019-11-19", "vor drei Tagen": "2019-11-17"}),
        ("Vergangene Woche stimmte der Rat zu.", {"Vergangene Woche": "2019-W46"}),
        ("Heute Morgen kam der Zug pünktlich.", {"Heute": "2019-11-20"}),
        ("Ein Brief von Jan Müller kam an.", {}),
    ],
    "fr": [
        ("Le décret du 3 mars 2020 s'applique.", {"3 mars 2020": "2020-03-03"}),
        ("Le 1er mai, les syndicats ont défilé.", {"1er mai": "2019-05-01"}),
        ("Mardi dernier, le ministre a démissionné.", {"Mardi dernier": "2019-11-12"}),
        ("L'usine a fermé fin janvier.", {"fin janvier": "2019-01"}),
        ("Il y a deux jours, hier encore, il pleuvait.", {"Il y a deux jours": "2019-11-18", "hier": "2019-11-19"}),
        ("La semaine dernière, le conseil a voté.", {"semaine dernière": "2019-W46"}),
    ],
    "es": [
        ("La ley del 3 de marzo de 2020 entró en vigor.", {"3 de marzo de 2020": "2020-03-03"}),
        ("El martes pasado dimitió el ministro.", {"martes pasado": "2019-11-12"}),
        ("La fábrica cerró a finales de enero.", {"a finales de enero": "2019-01"}),
        ("Hace dos días, y ayer también, llovió.", {"Hace dos días": "2019-11-18", "ayer": "2019-11-19"}),
        ("Esta mañana llovió en Madrid.", {}),
        ("El mes pasado subieron los precios.", {"mes pasado": "2019-10"}),
    ],
    "it": [
        ("Il decreto del 3 marzo 2020 è in vigore.", {"3 marzo 2020": "2020-03-03"}),
        ("Martedì scorso il ministro si è dimesso.", {"Martedì scorso": "2019-11-12"}),
        ("La fabbrica ha chiuso a fine gennaio.", {"a fine gennaio": "2019-01"}),
        ("Due giorni fa, e ieri, ha piovuto.", {"Due giorni fa": "2019-11-18", "ieri": "2019-11-19"}),
        ("La seduta del 12/10/2019 è saltata.", {"12/10/2019": "2019-10-12"}),
    ],
    "pt": [
        ("A lei de 3 de março de 2020 entrou em vigor.", {"3 de março de 2020": "2020-03-03"}),
        ("Na terça-feira passada o ministro demitiu-se.", {"terça-feira passada": "2019-11-12"}),
        ("A fábrica fechou no final de janeiro.", {"no final de janeiro": "2019-01"}),
        ("Há dois dias, e ontem também, choveu.", {"Há dois dias": "2019-11-18", "ontem": "2019-11-19"}),
        ("Pela segunda vez o clube perdeu.", {}),
    ],
    "nl": [
        ("De wet van 3 maart 2020 geldt.", {"3 maart 2020": "2020-03-03"}),
        ("Afgelopen dinsdag trad de minister af.", {"Afgelopen dinsdag": "2019-11-12"}),
        ("De fabriek sloot eind januari.", {"eind januari": "2019-01"}),
        ("Twee dagen geleden, en gisteren, regende het.", {"Twee dagen geleden": "2019-11-18", "gisteren": "2019-11-19"}),
        ("De zitting van 12-10-2019 ging niet door.", {"12-10-2019": "2019-10-12"}),
        ("Vorig jaar groeide de economie.", {"Vorig jaar": "2018"}),
    ],
}


@pytest.mark.parametrize(("language", "text", "expected"), [(lang, t, e) for lang, cases in CASES.items() for t, e in cases])
def test_date_forms(language: str, text: str, expected: dict[str, str]) -> None:
    assert resolved(text, language) == expected


def test_every_supported_language_is_tested():
    assert set(CASES) == SUPPORTED


def test_next_weekday_is_next_weeks_and_the_future_moves_a_bare_one_ahead():
    assert resolved("Nächsten Dienstag wird abgestimmt.", "de") == {"Nächsten Dienstag": "2019-11-26"}
    assert resolved("Le vote aura lieu mardi prochain.", "fr") == {"mardi prochain": "2019-11-26"}
    assert resolved("La votación será el viernes.", "es") == {"viernes": "2019-11-22"}


def test_without_a_reference_only_full_dates_resolve():
    assert resolved("Am Dienstag, dem 3. März 2020.", "de", None) == {"Dienstag": "", "3. März 2020": "2020-03-03"}


@pytest.mark.parametrize("language", sorted(SUPPORTED))
def test_the_scan_from_opening_words_finds_what_the_full_scan_finds(language: str) -> None:
    compiled = _compiled(language)
    text = " ".join(t for cases in CASES.values() for t, _ in cases) + " Im März, am 3. März 2020, VOR DREI TAGEN."
    starts = (m.start() for m in compiled.openers.finditer(text.lower()))
    assert [m.span() for m in matches_at(compiled.pattern, text, starts)] == [m.span() for m in compiled.pattern.finditer(text)]
