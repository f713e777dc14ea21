"""The article's date, chosen among every date its page states by a small learned scorer.

A page states its dates in many places that often disagree: JSON-LD and meta tags declare a
publication and a modification, ``<time>`` elements and printed datelines show what the reader
sees ("Updated December 15, 2025"), bylines and the URL carry more. Each candidate is described
by a few features (where it stands, the words printed with it, whether other places agree, how
recent it is among the page's dates) and the candidate with the highest linear score is the
article's date. The weights are fitted by ``bench/train_dates.py`` (its card:
``data/DATE-MODEL.md``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import orjson

from copydesk.document import DateCandidate
from copydesk.enrich.dates import YEAR, find_dates, parse_timestamp
from copydesk.enrich.dates_languages import LANGUAGES, find_dates_in

#: Where a candidate stands; a ``line`` is a short block of the page's text (a byline, a
#: dateline) and ``url`` the date in the page's address.
SOURCES = (
    "ld_published", "ld_modified", "ld_other_published", "ld_other_modified", "meta_published",
    "meta_modified", "time", "itemprop", "printed", "line", "url",
)
# What the reader sees printed on the page.
_VISIBLE = frozenset({"time", "itemprop", "printed", "line"})
# Words that label a date as the publication's or the last update's, in the supported languages
# and in the class names publishers give the elements.
_PUBLISHED = re.compile(
    r"publish|posted|pubdate|created|erschienen|veröffentlicht|publié|publicado|publicada|pubblicato|"
    r"gepubliceerd|geplaatst",
    re.I,
)
_UPDATED = re.compile(
    r"updat|modif|revis|review|edited|aktualisiert|geändert|mis à jour|mise à jour|actualiza|atualiza|aggiornat|"
    r"bijgewerkt|gewijzigd",
    re.I,
)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-]([0-3]\d)(?:[/-]|$)")
_ZONE = re.compile(r"T.*(?:[+-]\d\d:\d\d|Z)$")
_CAPITALS = re.compile(r"\b[A-Z]{3,}\b")
# Printed texts and lines give at most this many dates each ("Published X, updated Y").
_DATES_PER_TEXT = 2
# A date that is more than this share of its text's characters is that text's point.
_ALONE_SHARE = 0.3

FEATURES = (
    *(f"source={s}" for s in SOURCES),
    "cue=published",
    "cue=modified",
    "visible&cue=published",
    "visible&cue=modified",
    "first of its source",
    "agreeing sources",
    "visible somewhere",
    "declared somewhere",
    "shown first",
    "newest",
    "oldest",
    "visible&newest",
    "newer than declared publication",
    "agrees with declared publication",
    "agrees with url",
    "alone in its text",
    "has time of day",
    "has time zone",
    "first of January",
)


@dataclass(frozen=True, slots=True)
class Dated:
    """A candidate parsed: its day, its full ISO stamp, where it stands and what labels it."""

    day: str
    stamp: str
    source: str
    cue: str  # "published", "modified" or ""
    first: bool
    #: the date is most of its printed text (a dateline, not a sentence that mentions a day)
    alone: bool = True


def dated_candidates(candidates: Iterable[DateCandidate], lines: Iterable[str], url: str, language: str = "") -> list[Dated]:
    """Every candidate that names a full day, parsed; ``lines`` are the short blocks of text
    where bylines and datelines live, ``url`` the page's address, ``language`` the page's (its
    printed dates may be written in it: "3. März 2024")."""
    found: list[Dated] = []
    seen: set[str] = set()
    for candidate in candidates:
        first = candidate.source not in seen
        seen.add(candidate.source)
        if candidate.source == "printed":
            found.extend(_printed(candidate.value, candidate.label, "printed", first, language))
            continue
        stamp = parse_timestamp(candidate.value)
        if len(stamp) >= 10:
            found.append(Dated(stamp[:10], stamp, candidate.source, _cue(candidate.label, candidate.source), first))
    first = True
    for line in lines:
        if YEAR.search(line):
            dated = _printed(line, "", "line", first, language)
            first = first and not dated
            found.extend(dated)
    match = _URL_DATE.search(url)
    if match:
        day = "-".join(match.groups())
        found.append(Dated(day, day, "url", "", True))
    return found


def _printed(text: str, label: str, source: str, first: bool, language: str) -> list[Dated]:
    """The full days a printed text gives (in English, else in the page's language), each
    labelled by the words before it in the text, else by its element's label."""
    text = _CAPITALS.sub(lambda m: m.group().capitalize(), text)  # "OCTOBER 13, 2025", "UPDATED:"
    days = [m for m in find_dates(text) if len(m.date) == 10][:_DATES_PER_TEXT]
    if not days and language in LANGUAGES:
        days = [m for m in find_dates_in(text, language, None) if len(m.date) == 10][:_DATES_PER_TEXT]
    return [
        Dated(m.date, m.date, source, _cue(text[: m.offset]) or _cue(label), first and i == 0, len(m.text) / len(text) > _ALONE_SHARE)
        for i, m in enumerate(days)
    ]


def _cue(text: str, source: str = "") -> str:
    if source.endswith("published"):
        return "published"
    if source.endswith("modified"):
        return "modified"
    # The label nearest the date, the last in the text before it, names it.
    updated = max((m.start() for m in _UPDATED.finditer(text)), default=-1)
    published = max((m.start() for m in _PUBLISHED.finditer(text)), default=-1)
    return "" if updated == published else "modified" if updated > published else "published"


def features(dated: list[Dated]) -> list[list[float]]:
    """One row of ``FEATURES`` per candidate."""
    days = Counter(d.day for d in dated)
    sources_of: dict[str, set[str]] = {}
    for d in dated:
        sources_of.setdefault(d.day, set()).add(d.source)
    newest, oldest = max(days), min(days)
    declared = next((d.day for d in dated if d.source in ("ld_published", "meta_published")), "")
    visible_days = {d.day for d in dated if d.source in _VISIBLE}
    declared_days = {d.day for d in dated if d.source.startswith(("ld_", "meta_"))}
    shown_first = next((d.day for d in dated if d.source in _VISIBLE), "")
    from_url = next((d.day for d in dated if d.source == "url"), "")
    rows = []
    for d in dated:
        visible = d.source in _VISIBLE
        row = [float(d.source == s) for s in SOURCES]
        row += [
            float(d.cue == "published"),
            float(d.cue == "modified"),
            float(visible and d.cue == "published"),
            float(visible and d.cue == "modified"),
            float(d.first),
            min(len(sources_of[d.day]) - 1, 4) / 4,
            float(d.day in visible_days),
            float(d.day in declared_days),
            float(d.day == shown_first),
            float(d.day == newest),
            float(d.day == oldest),
            float(visible and d.day == newest),
            float(bool(declared) and d.day > declared),
            float(d.day == declared),
            float(d.day == from_url),
            float(d.alone),
            float("T" in d.stamp),
            float(_ZONE.search(d.stamp) is not None),
            float(d.day.endswith("-01-01")),
        ]
        rows.append(row)
    return rows


@cache
def _weights() -> tuple[float, ...]:
    model = orjson.loads(files("copydesk.enrich").joinpath("data/date-model.json").read_bytes())
    if tuple(model["features"]) != FEATURES:
        raise ValueError("date-model.json was fitted on other features: retrain it with bench/train_dates.py")
    return tuple(model["weights"])


def choose(dated: list[Dated], weights: tuple[float, ...] | None = None) -> Dated | None:
    """The candidate with the highest score (the first of equals), or None when there is none."""
    if not dated:
        return None
    w = weights or _weights()
    scores = [sum(x * y for x, y in zip(row, w)) for row in features(dated)]
    return dated[scores.index(max(scores))]
