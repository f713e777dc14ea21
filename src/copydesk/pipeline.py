"""One raw message in, one record out: parse, clean, enrich. No Kafka in sight.

The worker, the batch CLI and the tests all call ``process_value``; anything that cannot become
a record raises a ``CopydeskError`` whose ``reason`` the dead letter carries.
"""

from __future__ import annotations

import time
from dataclasses import replace

from copydesk import __version__
from copydesk.clean import clean_html, clean_text
from copydesk.contracts import Processing, RawArticle, Record, parse_raw, utc_timestamp
from copydesk.document import Enrichment, Extraction
from copydesk.enrich import enrich
from copydesk.errors import CopydeskError, NoContent, ProcessingError
from copydesk.sanitize import http_url, public_url, strip_unsafe
from copydesk.settings import Settings
from copydesk.urls import domain, normalize_url, resolve, url_id


def process_value(value: bytes | None, settings: Settings) -> Record:
    """Turn one raw message's bytes into a record, or raise the error to dead-letter it with."""
    started = time.perf_counter()
    raw = parse_raw(value, max_bytes=settings.max_message_bytes)
    try:
        return process(raw, settings, started=started)
    except CopydeskError:
        raise
    except RecursionError as exc:
        raise ProcessingError(f"the page is nested too deeply to process: {exc}") from exc
    except Exception as exc:  # a bug of ours must not cost the article: it is kept for replay
        raise ProcessingError(f"{type(exc).__name__}: {exc}") from exc


def process(raw: RawArticle, settings: Settings, *, started: float | None = None) -> Record:
    started = time.perf_counter() if started is None else started
    cpu_started = time.thread_time()
    if raw.html and not raw.html.isspace():  # strip() would copy a page of megabytes
        extraction = clean_html(raw.html, raw.url)
    else:
        extraction = clean_text(raw.text, raw.url)
    extraction = _safe_text(extraction)
    if not extraction.paragraphs:
        raise NoContent("no block of the page reads as article text")
    canonical = http_url(resolve(raw.url, extraction.metadata.canonical_url)) or normalize_url(raw.url)
    # A page whose cleaning alone used up the budget is not enriched: its record is the clean
    # text, and says so, rather than a worker busy with one page while its partitions wait.
    enriched = time.thread_time() - cpu_started <= settings.page_budget_s
    found = enrich(extraction, url=raw.url, fetched_at=raw.fetched_at, reading_wpm=settings.reading_wpm) if enriched else Enrichment()
    published_at, precision = utc_timestamp(found.published_at)
    return Record(
        id=raw.id or url_id(canonical),
        url=raw.url,
        canonical_url=canonical,
        source=raw.source or domain(raw.url) or None,
        site_name=found.site_name or None,
        title=extraction.title or raw.title or None,
        dek=extraction.dek or None,
        authors=found.authors,
        agencies=found.agencies,
        published_at=published_at,
        published_at_precision=precision,
        modified_at=utc_timestamp(found.modified_at)[0],
        fetched_at=utc_timestamp(raw.fetched_at)[0],
        language=found.language or None,
        language_confidence=found.language_confidence,
        section=found.section or None,
        image=public_url(resolve(raw.url, found.image)) or None,
        text=extraction.text,
        summary=found.summary or None,
        word_count=found.word_count,
        reading_time_s=found.reading_time_s,
        readability_grade=found.readability_grade,
        entities=found.entities,
        keywords=found.keywords,
        topic=found.topic or None,
        sentiment=found.sentiment,
        title_sentiment=found.title_sentiment,
        quotes=found.quotes,
        dates=found.dates,
        page_type=extraction.page_type,
        extraction_confidence=extraction.confidence,
        removed=extraction.removed,
        fingerprints=found.fingerprints,
        processing=Processing(__version__, round((time.perf_counter() - started) * 1000, 3), extraction.mode, enriched),
        extra=raw.extra,
    )


def _safe_text(extraction: Extraction) -> Extraction:
    """The article without control and bidi-override characters (``copydesk.sanitize``), before
    enrichment finds offsets into its text: the record's last pass over all its strings then
    finds none there to remove, and the offsets hold."""
    if extraction.title.isprintable() and extraction.dek.isprintable() and all(p.isprintable() for p in extraction.paragraphs):
        return extraction  # nearly every page: nothing to remove
    paragraphs = tuple(p for p in map(strip_unsafe, extraction.paragraphs) if p and not p.isspace())
    return replace(extraction, title=strip_unsafe(extraction.title), dek=strip_unsafe(extraction.dek), paragraphs=paragraphs)
