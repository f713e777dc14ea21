"""Enrichment: language, metadata, entities, keywords, sentiment, quotes, dates, summary and
fingerprints for a cleaned article. Offline and pure: every model and table ships with the code.

Offsets (entities, dates) index ``extraction.text``, the record's ``text``.
"""

from __future__ import annotations

from datetime import date

from copydesk.document import DateMention, Enrichment, Extraction
from copydesk.enrich.dates import find_dates, reference_day
from copydesk.enrich.dates_languages import find_dates_in
from copydesk.enrich.entities import Entities, find_entities
from copydesk.enrich.fingerprints import fingerprint
from copydesk.enrich.gazetteer import stopwords_for
from copydesk.enrich.keywords import find_keywords
from copydesk.enrich.language import detect
from copydesk.enrich.languages import DATES, ENTITIES, KEYWORDS, QUOTES, READABILITY, SENTIMENT
from copydesk.enrich.metadata import PageFacts, page_facts
from copydesk.enrich.quotes import find_quotes
from copydesk.enrich.readability import flesch_kincaid_grade, reading_time_s, word_count
from copydesk.enrich.sentiment import body_sentiment, text_sentiment
from copydesk.enrich.summary import lead_summary
from copydesk.enrich.tokens import Tokens, tokenize
from copydesk.settings import Settings

# Which languages each field is worked out for is in enrich/languages.py.
_ENGLISH = "en"
#: Used where no settings are passed (a notebook, the benchmarks): the settings' defaults.
_DEFAULTS = Settings()


def enrich(extraction: Extraction, *, url: str, fetched_at: str = "", reading_wpm: int = _DEFAULTS.reading_wpm) -> Enrichment:
    text = extraction.text
    tokens = tokenize(text)
    language, confidence = detect(text)
    facts = page_facts(extraction, url)
    words = word_count(tokens)
    found = find_entities(tokens, language) if language in ENTITIES else Entities((), ())
    return Enrichment(
        language=language,
        language_confidence=confidence,
        site_name=facts.site_name,
        authors=facts.authors,
        agencies=facts.agencies,
        published_at=facts.published_at,
        modified_at=facts.modified_at,
        section=facts.section,
        image=facts.image,
        entities=found.entities if language in ENTITIES else None,
        keywords=find_keywords(tokens, extraction.title, language=language) if language in KEYWORDS else None,
        sentiment=body_sentiment(tokens) if language in SENTIMENT else None,
        title_sentiment=text_sentiment(extraction.title) if language in SENTIMENT else None,
        quotes=find_quotes(tokens, found) if language in QUOTES else None,
        dates=_dates(text, language, _reference(facts, fetched_at), tokens),
        summary=lead_summary(tokens),
        word_count=words,
        reading_time_s=reading_time_s(words, reading_wpm),
        readability_grade=flesch_kincaid_grade(tokens) if language in READABILITY else None,
        fingerprints=fingerprint(tokens),
    )


def _dates(text: str, language: str, reference: date | None, tokens: Tokens) -> tuple[DateMention, ...] | None:
    if language == _ENGLISH:
        return find_dates(text, reference, tokens)
    return find_dates_in(text, language, reference) if language in DATES else None


def _reference(facts: PageFacts, fetched_at: str) -> date | None:
    """The day "Monday" and "last week" count from: when the page says it was published, else
    updated ("Updated June 3, 2024" is all many bylines give), else when it was fetched."""
    return reference_day(facts.published_at, facts.modified_at, fetched_at)


def warm_up() -> None:
    """Load every model and table now (about a second) rather than in the first article: a
    worker calls this once at start. A short English article goes through every stage; the
    other languages' date patterns and stopword lists are built too."""
    sample = "President Jane Doe of the World Bank said on Monday in Paris: “This loads every table.”"
    enrich(Extraction("text", "Warm-up", "", (sample,)), url="")
    for language in DATES - {_ENGLISH}:
        find_dates_in("", language)
    for language in KEYWORDS:
        stopwords_for(language)


__all__ = ["enrich", "warm_up"]
