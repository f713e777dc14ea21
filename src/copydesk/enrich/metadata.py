"""Who wrote the article and when: the page's own metadata, cleaned, else its byline and dateline.

Text-mode pages have no metadata, and cleaning often cuts the byline ("By Jane Doe | May 2,
2019") as boilerplate, so the removed blocks and the first paragraphs are read too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from copydesk.document import Extraction
from copydesk.enrich.dates import YEAR, find_dates, parse_timestamp
from copydesk.enrich.gazetteer import gazetteer

_BYLINE = re.compile(r"^\s*(?:(?:written|words|story|text|posted|reported)\s+)?by[:\s]+(?P<names>.+)$", re.I)
_AUTHOR_LABEL = re.compile(r"^\s*(?:authors?|writer|reporter)\s*:\s*(?P<names>.+)$", re.I)
_ROLE = re.compile(
    r"\b(?:staff|senior|chief|deputy|contributing|special|associate|managing|executive|political|"
    r"foreign|national|business|science|tech(?:nology)?|sports?|health|news|investigative|"
    r"freelance|guest)?\s*(?:writer|reporter|correspondent|editor|columnist|contributor|journalist|"
    r"producer|photographer|analyst|author|critic|blogger)s?\b.*$",
    re.I,
)
_SPLIT_NAMES = re.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|\||/|;)\s*")
_NAME = re.compile(r"^[A-ZÀ-Þ][\w'’.-]*(?:\s+(?:[A-ZÀ-Þ][\w'’.-]*|van|von|der|de|da|del|la|le|di|bin|al|ibn))*$")
_PUBLISHED_CUE = re.compile(r"\b(published|posted|first published|date|on)\b", re.I)
_UPDATED_CUE = re.compile(r"\b(updated|modified|last updated|edited)\b", re.I)
_URLISH = re.compile(r"https?://|www\.|@|\.(?:com|org|net|co\.uk)\b")
# Bylines that name a newsroom, not a writer.
_NEWSROOM = re.compile(
    r"\b(?:news|staff|reports?|press|media|wire|agency|desk|team|editorial|bureau|business|online|"
    r"digital|newsroom|editors|associated|network|radio|television|tv|magazine|times|post|daily)\b",
    re.I,
)
_LINE_PARTS = re.compile(r"\s*[|•·]\s*|\s{2,}|\n")
# A dateline or byline is short; longer blocks that hold dates are stories, often other stories.
_MAX_LINE_WORDS = 25


@dataclass(frozen=True, slots=True)
class PageFacts:
    site_name: str
    authors: tuple[str, ...]
    published_at: str
    modified_at: str
    section: str
    image: str


def page_facts(extraction: Extraction) -> PageFacts:
    meta = extraction.metadata
    authors = clean_authors(meta.authors)
    published = parse_timestamp(meta.published)
    modified = parse_timestamp(meta.modified)
    # Most HTML pages say all of it in their metadata; only the others need their lines read.
    lines = _byline_candidates(extraction) if not (authors and published and modified) else []
    authors = authors or _authors_from_lines(lines)
    if not published or not modified:
        line_published, line_modified = _dates_from_lines(lines)
        published = published or line_published
        modified = modified or line_modified
    return PageFacts(
        site_name=" ".join(meta.site_name.split()),
        authors=authors,
        published_at=published,
        modified_at=modified,
        section=" ".join(meta.section.split()),
        image=meta.image.strip() if meta.image.strip().startswith(("http://", "https://", "//", "/")) else "",
    )


def clean_authors(raw: Iterable[str]) -> tuple[str, ...]:
    """Names only: no "By", no roles or outlets, one name per entry, each once."""
    names: list[str] = []
    for entry in raw:
        if entry.strip().startswith(("http://", "https://", "www.")):
            continue
        entry = _BYLINE.sub(r"\g<names>", entry.strip())
        for part in _SPLIT_NAMES.split(entry):
            name = _clean_name(part)
            if name and name.lower() not in (n.lower() for n in names):
                names.append(name)
    return tuple(names)


def _clean_name(part: str) -> str:
    part = _ROLE.sub("", part)
    part = re.sub(r"\s+(?:for|at|of|in)\s+.*$|\s+[-–—]\s+.*$|\(.*?\)", "", part)
    part = " ".join(part.strip(" .:-–—").split())
    if part.isupper() and len(part) > 3:
        part = part.title()
    # A writer has a first and a last name; one word ("Reuters", "Sky") is a newsroom.
    if not _NAME.match(part) or not 2 <= len(part.split()) <= 4 or _NEWSROOM.search(part) or _URLISH.search(part):
        return ""
    if any(w.isupper() and len(w) > 1 and "." not in w for w in part.split()):  # "AP National Security"
        return ""
    if part.lower() in gazetteer().organizations:
        return ""
    return part


def _byline_candidates(extraction: Extraction) -> list[str]:
    """Short blocks where bylines and datelines live: what cleaning cut, then the body's start."""
    blocks = [r.text for r in extraction.removed if r.label not in ("related", "comments")]
    blocks += list(extraction.paragraphs[:3])
    if extraction.dek:
        blocks.append(extraction.dek)
    # A block longer than this many characters cannot be short enough in words, and one shorter
    # than it would take to write one word too many (each a letter and a space) cannot be too
    # long; only the others are split, and only far enough to tell.
    longest, surely_short = _MAX_LINE_WORDS * 30, 2 * _MAX_LINE_WORDS
    return [
        b
        for b in blocks
        if len(b) <= surely_short or (len(b) <= longest and len(b.split(None, _MAX_LINE_WORDS)) <= _MAX_LINE_WORDS)
    ]


def _authors_from_lines(lines: list[str]) -> tuple[str, ...]:
    for line in lines:
        if ":" not in line and "by" not in line.lower():
            continue  # neither pattern can match
        for part in _LINE_PARTS.split(line):
            match = _BYLINE.match(part) or _AUTHOR_LABEL.match(part)
            if match:
                names = re.split(r"\s+(?:on|updated|published|posted)\b|,\s*(?=\d|[A-Z][a-z]+\.? \d)", match.group("names"))[0]
                found = clean_authors([names])
                if found:
                    return found
    return ()


def _dates_from_lines(lines: list[str]) -> tuple[str, str]:
    published = modified = ""
    for line in lines:
        if not YEAR.search(line):
            continue  # only a date with a year is a full date without a reference day
        full = [m for m in find_dates(line) if len(m.date) == 10]
        if not full:
            continue
        covered = sum(len(m.text) for m in full) / max(len(line), 1)
        if _UPDATED_CUE.search(line[: full[0].offset]):
            modified = modified or full[0].date
            if len(full) > 1 and not published:
                published = full[1].date
        elif covered > 0.3 or _PUBLISHED_CUE.search(line) or _BYLINE.match(line):
            published = published or full[0].date
        if published and modified:
            break
    return published, modified
