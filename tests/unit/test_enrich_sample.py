"""The shared sample's expected enrichment (read from the shared directory; skipped without it)."""

from copydesk.document import Extraction
from copydesk.enrich import enrich


def _enriched(expected: dict, fetched_at: str = ""):
    extraction = Extraction("text", expected["title"], expected["dek"], tuple(expected["body_paragraphs"]))
    return enrich(extraction, url="https://www.motherjones.com/", fetched_at=fetched_at)


def _names(entity) -> set[str]:
    return {entity.text.lower(), *(a.lower() for a in entity.aliases)}


def test_expected_entities(sample_expected):
    found = _enriched(sample_expected)
    wanted = [(t, n) for t, names in sample_expected["expected_entities"].items() for n in names]
    hits = [n for t, n in wanted if any(e.type == t and n.lower() in _names(e) for e in found.entities)]
    assert len(hits) >= 0.9 * len(wanted), set(n for _, n in wanted) - set(hits)
    suleimani = next(e for e in found.entities if e.text == "Qassim Suleimani")
    assert "Suleimani" in suleimani.aliases


def test_expected_quotes_and_speakers(sample_expected):
    found = {q.text: q.speaker for q in _enriched(sample_expected).quotes}
    for quote in sample_expected["expected_quotes"]:
        assert quote["text"] in found
        assert found[quote["text"]] and found[quote["text"]] in quote["speaker"]


def test_expected_dates_unresolved_without_a_reference(sample_expected):
    found = {d.text: d.date for d in _enriched(sample_expected).dates}
    assert set(sample_expected["expected_dates_mentioned"]) <= set(found)
    assert all(found[d] == "" for d in sample_expected["expected_dates_mentioned"])


def test_expected_dates_resolve_against_the_fetch_time(sample_expected):
    found = {d.text: d.date for d in _enriched(sample_expected, "2020-01-06T09:00:00Z").dates}
    assert found["Sunday"] == "2020-01-05"
    assert found["last week"] == "2020-W01"
    assert found["December 27"] == "2019-12-27"


def test_language_summary_and_counts(sample_expected):
    found = _enriched(sample_expected)
    assert found.language == sample_expected["language"]
    assert found.summary.startswith("The American-led coalition")
    assert found.word_count > 250 and found.reading_time_s > 60
    assert len(found.fingerprints.simhash) == 16
