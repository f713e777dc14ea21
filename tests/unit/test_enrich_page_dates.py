"""Choosing a page's date among the dates it states (pages written for these tests)."""

from copydesk.document import DateCandidate, Extraction, PageMetadata
from copydesk.enrich.metadata import page_facts
from copydesk.enrich.page_dates import FEATURES, choose, dated_candidates, features


def day(candidates, lines=(), url="", language=""):
    chosen = choose(dated_candidates(candidates, lines, url, language))
    return chosen.day if chosen else ""


def test_printed_dates_in_the_supported_languages_with_their_labels():
    cases = {
        "en": ("Updated: OCTOBER 13, 2025", "2025-10-13"),
        "de": ("Aktualisiert am 3. März 2024, 10:15 Uhr", "2024-03-03"),
        "fr": ("Mis à jour le 12 février 2025", "2025-02-12"),
        "es": ("Actualizado el 5 de mayo de 2023", "2023-05-05"),
        "it": ("Aggiornato il 7 luglio 2022", "2022-07-07"),
        "pt": ("Atualizado em 9 de agosto de 2021", "2021-08-09"),
        "nl": ("Bijgewerkt op 4 oktober 2020", "2020-10-04"),
    }
    for language, (text, want) in cases.items():
        (dated,) = dated_candidates([DateCandidate(text, "printed", "post-meta")], (), "", language)
        assert (dated.day, dated.cue) == (want, "modified"), language
    published = {
        "de": "Veröffentlicht am 03.04.2020",
        "fr": "Publié le 3 avril 2020",
        "es": "Publicado el 3 de abril de 2020",
        "it": "Pubblicato il 3 aprile 2020",
        "pt": "Publicado em 3 de abril de 2020",
        "nl": "Gepubliceerd op 3 april 2020",
        "en": "Posted April 3, 2020",
    }
    for language, text in published.items():
        (dated,) = dated_candidates([DateCandidate(text, "printed")], (), "", language)
        assert (dated.day, dated.cue) == ("2020-04-03", "published"), language


def test_the_nearest_label_names_each_date_of_a_dateline():
    dated = dated_candidates([DateCandidate("Published March 1, 2024 · Updated May 2, 2024", "printed")], (), "")
    assert [(d.day, d.cue) for d in dated] == [("2024-03-01", "published"), ("2024-05-02", "modified")]


def test_declared_dates_url_dates_and_lines_are_candidates():
    dated = dated_candidates(
        [DateCandidate("2024-03-01T09:00:00Z", "ld_published"), DateCandidate("not a date", "meta_published")],
        ["By Jane Doe | May 2, 2024", "In 2019 the bridge was closed for repairs and reopened a year later."],
        "https://example.com/2024/03/01/bridge-closes/",
    )
    assert [(d.source, d.day) for d in dated] == [("ld_published", "2024-03-01"), ("line", "2024-05-02"), ("url", "2024-03-01")]
    assert all(len(row) == len(FEATURES) for row in features(dated))


def test_a_declared_publication_that_everything_agrees_with_is_chosen():
    candidates = [
        DateCandidate("2024-03-01T09:00:00+00:00", "ld_published", "datePublished"),
        DateCandidate("2024-03-01T09:00:00+00:00", "meta_published", "article:published_time"),
        DateCandidate("2024-03-05T10:00:00+00:00", "meta_modified", "article:modified_time"),
        DateCandidate("2024-03-01", "time", "byline Posted"),
    ]
    assert day(candidates) == "2024-03-01"
    assert day([]) == ""


def test_page_facts_take_the_chosen_date_and_keep_the_declared_modification():
    meta = PageMetadata(
        dates=(DateCandidate("2024-03-01T09:00:00+00:00", "meta_published", "article:published_time"),),
        modified="2024-03-05T10:00:00+00:00",
    )
    facts = page_facts(Extraction("html", "T", "", ("Body text of the article.",), metadata=meta))
    assert facts.published_at == "2024-03-01T09:00:00+00:00"
    assert facts.modified_at == "2024-03-05T10:00:00+00:00"


def test_text_mode_reads_the_dateline_and_its_update():
    lines = ("By Jane Doe", "Published 10:00 AM EST, Tue November 19, 2019 | Updated November 20, 2019")
    facts = page_facts(Extraction("text", "T", "", lines + ("The council voted on the bridge.",)))
    assert facts.published_at[:10] == "2019-11-19"
    assert facts.modified_at == "2019-11-20"
