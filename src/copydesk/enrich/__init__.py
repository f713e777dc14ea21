"""Enrichment: language, metadata, entities, keywords, sentiment, quotes, dates, summary and
fingerprints for a cleaned article. Offline and pure: every model and table ships with the code.

Offsets (entities, dates) index ``extraction.text``, the record's ``text``.
"""

from __future__ import annotations

from copydesk.document import Enrichment, Extraction
from copydesk.enrich.dates import find_dates, reference_day
from copydesk.enrich.entities import Entities, find_entities
from copydesk.enrich.fingerprints import fingerprint
from copydesk.enrich.keywords import find_keywords
from copydesk.enrich.language import detect
from copydesk.enrich.metadata import page_facts
from copydesk.enrich.quotes import find_quotes
from copydesk.enrich.readability import flesch_kincaid_grade, reading_time_s, word_count
from copydesk.enrich.sentiment import body_sentiment, text_sentiment
from copydesk.enrich.summary import lead_summary
from copydesk.enrich.tokens import tokenize

# The rules and lexicons below are English; other languages get the language-neutral fields.
_ENGLISH = "en"


def enrich(extraction: Extraction, *, url: str, fetched_at: str = "") -> Enrichment:
    text = extraction.text
    tokens = tokenize(text)
    language, confidence = detect(text)
    facts = page_facts(extraction)
    words = word_count(tokens)
    english = language == _ENGLISH
    found = find_entities(tokens) if english else Entities((), ())
    return Enrichment(
        language=language,
        language_confidence=confidence,
        site_name=facts.site_name,
        authors=facts.authors,
        published_at=facts.published_at,
        modified_at=facts.modified_at,
        section=facts.section,
        image=facts.image,
        entities=found.entities,
        keywords=find_keywords(tokens, extraction.title) if english else (),
        sentiment=body_sentiment(tokens) if english else 0.0,
        title_sentiment=text_sentiment(extraction.title) if english else 0.0,
        quotes=find_quotes(tokens, found),
        dates=find_dates(text, reference_day(facts.published_at, fetched_at)) if english else (),
        summary=lead_summary(tokens),
        word_count=words,
        reading_time_s=reading_time_s(words),
        readability_grade=flesch_kincaid_grade(tokens) if english else 0.0,
        fingerprints=fingerprint(tokens),
    )


__all__ = ["enrich"]
