"""Dates the text mentions, resolved against a reference day (publication, else fetch).

Only what the words pin down is resolved: a year-less "December 27" becomes the nearest such
day not after the reference (the future one when the sentence speaks of the future), a relative
"last week" becomes an ISO week, and with no reference both stay unresolved. A wrong date is
worse than none, so two-digit years and ambiguous numeric dates are never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from itertools import compress
from typing import Any

from copydesk.document import DateMention
from copydesk.enrich.scanning import matches_at
from copydesk.enrich.tokens import Tokens

_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",),
            ("June", "Jun"), ("July", "Jul"), ("August", "Aug"), ("September", "Sep", "Sept"),
            ("October", "Oct"), ("November", "Nov"), ("December", "Dec"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "several": 0, "few": 0,
}

_MONTH = r"(?:" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\b\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?:1[7-9]|20)\d\d(?![\d,]\d)"
_CUE = r"(?:in|since|until|by|from|through|during|of|before|after|early|late|mid|last|next|this)"
# Words that put a bare year in front of them as a date: "a 2018 analysis", "fiscal 2019".
_YEAR_CUE = r"(?:in|since|until|by|from|through|during|of|before|after|early|late|mid|a|the|as|fiscal|fiscal year|summer|winter|spring|autumn|fall)"
#: A year as dates are written with one: a text without one names no full day.
YEAR = re.compile(_YEAR)
_ADDRESS = r"(?!\s+[A-Z][a-z]+\s+(?:St|Street|Drive|Dr|Ave|Avenue|Road|Rd|Lane|Ln|Place|Pl|Blvd|Boulevard|Court|Way)\b)"

# Every form starts with a capital, a digit or one of these words; saying so up front lets the
# engine skip most positions at once, which makes the scan several times faster (the first
# character alone, tested before the word boundary, settles most). Cue words ("in March",
# "a 2018 study") are checked behind a match instead, for the same reason.
_STARTS = r"(?=[A-Z0-9elntwy])(?=\b(?:[A-Z0-9]|last|next|this|today|yesterday|tomorrow|tonight|earlier|later|weekend))"
# With the article's words at hand, the pattern is tried only where a run of letters and digits
# starts with a digit or is one of these words (lower-cased), the first words of every form that
# does not open on a digit: a few dozen places instead of every character.
_OPENERS = frozenset(
    word.lower()
    for word in (*_MONTH_NUMBERS, *_WEEKDAYS, "last", "next", "this", "today", "yesterday", "tomorrow", "tonight", "earlier", "later", "weekend")
)
_DIGITS = frozenset("0123456789")
# What joins the runs of letters and digits inside one word ("mid-2019", "Dec.6", "U.S.").
_JOINERS = re.compile(r"[-.'’]")
# Letters the pattern's case-insensitive parts equate with ASCII ones where str.lower() does not.
_FOLDED = "İıſ"
_CUE_BEFORE = re.compile(rf"\b(?i:{_CUE})[\s-]+$")
_YEAR_CUE_BEFORE = re.compile(rf"\b(?i:{_YEAR_CUE})[\s-]+$")
_PATTERN = re.compile(
    _STARTS
    + "(?:"
    + "|".join(
        (
            rf"(?<![\d/])(?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>[0-3]\d)(?!\d)",
            rf"(?<![\d/.])(?P<num_a>\d{{1,2}})[/.](?P<num_b>\d{{1,2}})[/.](?P<num_y>{_YEAR})(?![\d/])",
            rf"(?P<mdy_m>{_MONTH})\s+(?P<mdy_d>{_DAY})(?:,?\s+(?P<mdy_y>{_YEAR}))?",
            rf"(?<![\d.,])(?P<dmy_d>{_DAY})\s+(?:of\s+)?(?P<dmy_m>{_MONTH})(?:,?\s+(?P<dmy_y>{_YEAR}))?",
            rf"(?P<my_m>{_MONTH}),?\s+(?P<my_y>{_YEAR})",
            rf"(?:(?P<wd_mod>(?i:last|next|this))\s+)?(?P<wd>{'|'.join(_WEEKDAYS)})(?!\s+[A-Z])\b",
            rf"(?:(?P<mo_mod>(?i:last|next|this))\s+)?(?P<mo>{_MONTH})(?!\s*\d)(?!\s+[A-Z])",
            rf"(?P<year_own>{_YEAR})(?=['’]s\b)",
            rf"(?P<year>{_YEAR})\b{_ADDRESS}",
            r"\b(?P<rel>(?i:today|yesterday|tomorrow|tonight|last night|"
            r"(?:earlier |later )?this (?:morning|afternoon|evening|week|weekend|month|year)|"
            r"(?:last|next) (?:week|weekend|month|year)|weekend))\b",
        )
    )
    + ")"
)
_AGO = re.compile(
    r"(?=\b(?:\d|[Aa]n?\b|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en))"
    r"\b(?P<ago>(?i:(?P<ago_n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten) "
    r"(?P<ago_unit>day|week|month|year)s? ago))\b"
)
_AGO_END = re.compile(r" (?i:ago)\b")
# The most characters _AGO reads before " ago": a number word and a plural unit.
_AGO_REACH = len("three months")
# The groups of "March 3, 2020" and "3 March 2020": month, day, year.
_MONTH_DAY_GROUPS = (("mdy_m", "mdy_d", "mdy_y"), ("dmy_m", "dmy_d", "dmy_y"))
_NUMBER = re.compile(r"\d+")
_NO_GROUPS = dict.fromkeys((*_PATTERN.groupindex, *_AGO.groupindex))
_EARLIEST_YEAR = 1900
# Words before a date in its sentence that put it ahead of the reference day.
_FUTURE = re.compile(r"(?=[a-z])\b(will|shall|next|upcoming|scheduled|due|until|expected to|plans? to|set to|is to|tomorrow)\b", re.I)
# A past verb after the future word puts the date back in the past: "X will go, he said on Tuesday",
# "the bridge will close in April, the council decided on Monday". Regular "-ed" forms count too,
# unless "be" or "is" makes a passive that may still lie ahead ("will be held on Monday").
# The letter and the word boundary come first so the look-behinds run only where a word starts.
_PAST = re.compile(
    r"(?=[a-z])\b(?<!\bbe )(?<!\bis )(?<!\bare )(?<!\bbeen )(?:said|says|told|was|were|did|had|went|came|made|took|"
    r"gave|met|won|lost|held|began|left|spoke|wrote|found|brought|sent|saw|got|chose|"
    r"(?!(?:hundred|indeed)\b)[a-z]+[^e\W]ed)\b",
    re.I,
)


# Which week "last", "this" and "next" put a weekday in, counted from this one.
_WEEK_OFFSETS = {"last": -1, "this": 0, "next": 1}
# "early March", "late January", "mid-December": part of the mention, not a cue before it.
_MONTH_PART = re.compile(r"\b(?i:early|late|mid)[\s-]+$")

_HYPHENED_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-((?:19|20)\d\d)\b")

#: The longest sentence read for a cue of the future before a date, in characters.
_SENTENCE_REACH = 600


def find_dates(text: str, reference: date | None = None, tokens: Tokens | None = None) -> tuple[DateMention, ...]:
    """The dates ``text`` mentions; ``tokens``, the text's own when at hand, makes the scan faster."""
    found: list[DateMention] = []
    matches = _scan(text, tokens)
    if " ago" in text:
        matches = sorted((*matches, *_agos(text)), key=lambda m: m.start())
    for match in matches:
        groups = {**_NO_GROUPS, **match.groupdict()}  # every group by name, read once per match
        if not _cued(match, groups, text):
            continue
        start, surface = _surface(match, groups)
        resolved = _resolve(groups, reference, lambda: _future(text, start))
        if resolved is not None:
            found.append(DateMention(surface, resolved, start))
    return tuple(_agree_weekdays(text, found, reference))


def _scan(text: str, tokens: Tokens | None) -> list[re.Match[str]]:
    """_PATTERN's matches: one can only start where _STARTS lets it, and every such place is
    among the _openings."""
    if tokens is None or any(letter in text for letter in _FOLDED):
        return list(_PATTERN.finditer(text))
    return matches_at(_PATTERN, text, _openings(tokens))


def _agos(text: str) -> list[re.Match[str]]:
    """_AGO's matches. Each ends in " ago" (any case), which a search finds far quicker than the
    engine tries _AGO at every character, so _AGO is tried only in the few characters before."""
    matches: list[re.Match[str]] = []
    end = 0
    for ago in _AGO_END.finditer(text):
        # One past the match, so the word boundary after "ago" sees the character there.
        match = _AGO.search(text, max(end, ago.start() - _AGO_REACH), ago.end() + 1)
        if match:
            matches.append(match)
            end = match.end()
    return matches


def _openings(tokens: Tokens) -> list[int]:
    """Where a run of letters and digits starts with a digit or is one of _OPENERS, in text order."""
    words, starts = tokens.words, tokens.starts
    found = list(compress(starts, map(_OPENERS.__contains__, tokens.lower)))
    # The words that are not all letters (numbers, "mid-2019", "U.S.") are read run by run;
    # they are a few in a hundred, found by list.index in C rather than a loop over every word.
    letters = list(map(str.isalpha, words))
    at = -1
    for _ in range(letters.count(False)):
        at = letters.index(False, at + 1)
        offset = starts[at]
        for run in _JOINERS.split(words[at]):
            if run[:1] in _DIGITS or run.lower() in _OPENERS:
                found.append(offset)
            offset += len(run) + 1
    found.sort()
    return found


def _cued(match: re.Match[str], groups: dict[str, Any], text: str) -> bool:
    """A month or a year alone is a date only after a cue word ("in March", "a 2018 study");
    "weekend" only as "the weekend"."""
    lead = text[max(0, match.start() - 14) : match.start()]
    if groups.get("mo") and not groups.get("mo_mod"):
        return bool(_CUE_BEFORE.search(lead))
    if groups.get("year"):
        return bool(_YEAR_CUE_BEFORE.search(lead))
    if groups.get("rel") == "weekend":
        return lead.lower().endswith("the ")
    return True


def _future(text: str, position: int) -> bool:
    begin = _sentence_start(text, position)
    cue = None
    for cue in _FUTURE.finditer(text, begin, position):
        pass
    # Only a past verb after the last cue of the future counts, so the search for one starts
    # where that cue ends (a word ends there: no match of _PAST spans it). A cue that looks
    # past ("scheduled", "expected to") is still a cue.
    return cue is not None and not _PAST.search(text, cue.end(), position)


def _agree_weekdays(text: str, found: list[DateMention], ref: date | None) -> list[DateMention]:
    """"Friday, Dec. 6": the year is the one in which that day is that weekday, and the weekday
    names that day."""
    if ref is None:
        return found
    for i, (weekday, day) in enumerate(zip(found, found[1:])):
        if weekday.text not in _WEEKDAYS or len(day.date) != 10 or text[weekday.offset + len(weekday.text) : day.offset] not in (", ", " "):
            continue
        month_day = date.fromisoformat(day.date)
        for year in (ref.year, ref.year - 1, ref.year + 1):
            candidate = _iso_day(year, month_day.month, month_day.day)
            if candidate and date.fromisoformat(candidate).weekday() == _WEEKDAYS.index(weekday.text):
                found[i] = DateMention(weekday.text, candidate, weekday.offset)
                found[i + 1] = DateMention(day.text, candidate, day.offset)
                break
    return found


def _surface(match: re.Match[str], groups: dict[str, Any]) -> tuple[int, str]:
    """Where the mention starts and what it says, without cue words such as "in" or "on"."""
    for name in ("wd_mod", "mo_mod"):
        if groups.get(name):
            return match.start(name), match.group().strip()
    for name in ("wd", "mo", "year"):
        if groups.get(name):
            start = match.start(name)
            part = _MONTH_PART.search(match.string, max(0, start - 6), start) if name == "mo" else None
            start = part.start() if part else start
            return start, match.string[start : match.end()].rstrip(".")
    if groups.get("rel") == "weekend":
        return match.start() - 4, "the weekend"
    return match.start(), match.group()


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence holding ``position`` starts, looking back at most _SENTENCE_REACH
    characters: text without ". " (a run-on page, a script with its own full stop) would
    otherwise be read from its start for every date in it."""
    floor = max(0, position - _SENTENCE_REACH)
    cut = max(text.rfind(". ", floor, position), text.rfind("\n", floor, position))
    return cut + 1 if cut >= 0 else floor


def _resolve(g: dict[str, Any], ref: date | None, future: Callable[[], bool]) -> str | None:
    """The ISO form of the mention, "" when it cannot be pinned down, None when it is no date.
    ``future`` says whether the sentence looks ahead; it is asked only when that matters."""
    if g["iso_y"]:
        return _iso_day(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
    if g["num_y"]:
        a, b = int(g["num_a"]), int(g["num_b"])
        if a > 12 and b <= 12:
            return _iso_day(int(g["num_y"]), b, a)
        if b > 12 and a <= 12:
            return _iso_day(int(g["num_y"]), a, b)
        return "" if a <= 12 and b <= 12 else None
    for month_group, day_group, year_group in _MONTH_DAY_GROUPS:
        if g[month_group]:
            month, day = _month(g[month_group]), int(_NUMBER.match(g[day_group]).group())  # type: ignore[union-attr]
            if g[year_group]:
                return _iso_day(int(g[year_group]), month, day)
            return _yearless(month, day, ref, future())
    if g["my_m"]:
        return f"{int(g['my_y']):04d}-{_month(g['my_m']):02d}"
    if g["wd"]:
        return _weekday(_WEEKDAYS.index(g["wd"]), (g["wd_mod"] or "").lower(), ref, future())
    if g["mo"]:
        return _month_only(_month(g["mo"]), (g["mo_mod"] or "").lower(), ref, future())
    if g["year"] or g["year_own"]:
        return g["year"] or g["year_own"]
    if g["rel"]:
        return _relative(" ".join(g["rel"].lower().split()), ref)
    if g["ago"]:
        return _ago(g["ago_n"].lower(), g["ago_unit"].lower(), ref)
    return None


def _month(name: str) -> int:
    return _MONTH_NUMBERS[name.rstrip(".")]


def _iso_day(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _yearless(month: int, day: int, ref: date | None, future: bool) -> str | None:
    if not 1 <= day <= 31:
        return None
    if ref is None:
        return ""
    years = (ref.year, ref.year + 1) if future else (ref.year, ref.year - 1)
    for year in (*years, ref.year - 2 if not future else ref.year + 2):
        try:
            candidate = date(year, month, day)
        except ValueError:  # February 29 outside a leap year
            continue
        if (candidate >= ref) if future else (candidate <= ref):
            return candidate.isoformat()
    return None


def _weekday(weekday: int, modifier: str, ref: date | None, future: bool) -> str:
    """A bare weekday is the nearest such day (ahead when the sentence looks ahead); "last",
    "this" and "next" name that day of the week before, of this one and of the next (weeks start
    on Monday): on a Wednesday "Tuesday" is yesterday and "last Tuesday" eight days ago."""
    if ref is None:
        return ""
    monday = ref - timedelta(days=ref.weekday())
    if modifier in _WEEK_OFFSETS:
        return (monday + timedelta(days=7 * _WEEK_OFFSETS[modifier] + weekday)).isoformat()
    delta = (weekday - ref.weekday()) % 7 if future else -((ref.weekday() - weekday) % 7)
    return (ref + timedelta(days=delta)).isoformat()


def _month_only(month: int, modifier: str, ref: date | None, future: bool) -> str:
    if ref is None:
        return ""
    if modifier == "next" or (future and modifier != "last"):
        year = ref.year if month >= ref.month else ref.year + 1
        if modifier == "next" and month == ref.month:
            year += 1
    else:
        year = ref.year if month <= ref.month else ref.year - 1
        if modifier == "last" and month == ref.month:
            year -= 1
    return f"{year:04d}-{month:02d}"


def _relative(phrase: str, ref: date | None) -> str:
    if ref is None:
        return ""
    unit = phrase.split()[-1]
    step = -1 if phrase.startswith("last") or phrase == "yesterday" else 1 if phrase.startswith("next") or phrase == "tomorrow" else 0
    if phrase in ("yesterday", "tomorrow", "last night"):
        return (ref + timedelta(days=-1 if phrase != "tomorrow" else 1)).isoformat()
    if phrase == "weekend":  # "the weekend": the last one, or the one under way
        return _iso_week(ref if ref.weekday() >= 5 else ref - timedelta(days=ref.weekday() + 1))
    if unit in ("week", "weekend"):
        return _iso_week(ref + timedelta(weeks=step))
    if unit == "month":
        return _shift_month(ref, step)
    if unit == "year":
        return f"{ref.year + step:04d}"
    return ref.isoformat()  # today, tonight, this morning/afternoon/evening


def _ago(amount: str, unit: str, ref: date | None) -> str:
    n = int(amount) if amount.isdigit() else _NUMBER_WORDS.get(amount, 0)
    if ref is None or n == 0:
        return ""
    if unit == "day":
        return (ref - timedelta(days=n)).isoformat()
    if unit == "week":
        return _iso_week(ref - timedelta(weeks=n))
    if unit == "month":
        return _shift_month(ref, -n)
    return f"{ref.year - n:04d}"


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _shift_month(day: date, months: int) -> str:
    index = day.year * 12 + day.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_timestamp(value: str) -> str:
    """A page's own date string in ISO-8601 (with its time and zone when it gave them), or ""."""
    value = value.strip()
    if not value:
        return ""
    if re.fullmatch(r"\d{10}(\d{3})?", value):  # epoch seconds or milliseconds
        seconds = int(value[:10])
        return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat()
    iso = re.match(r"(\d{4})-?(\d\d)-?(\d\d)(?:[T ](\d\d):?(\d\d)(?::?(\d\d))?(?:\.\d+)?\s*(Z|[+-]\d\d:?\d\d)?)?", value)
    if iso:
        year, month, day, hour, minute, second, zone = iso.groups()
        day_iso = _iso_day(int(year), int(month), int(day))
        if day_iso is None or int(year) < _EARLIEST_YEAR:  # "0001-01-01": a template's empty date
            return ""
        if hour is None:
            return day_iso
        zone = "+00:00" if zone == "Z" else (f"{zone[:3]}:{zone[-2:]}" if zone else "")
        return f"{day_iso}T{hour}:{minute}:{second or '00'}{zone}"
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    hyphened = _HYPHENED_DATE.match(value)  # "11-29-2024, 09:03 AM": forum software's form
    if hyphened:
        a, b, year = map(int, hyphened.groups())
        day = _iso_day(year, a, b) if b > 12 >= a else _iso_day(year, b, a) if a > 12 >= b else None
        if day:
            return day
    for mention in find_dates(value):
        if len(mention.date) == 10:
            return mention.date
    return ""


def reference_day(*stamps: str) -> date | None:
    """The first of the ISO stamps that names a day."""
    for stamp in stamps:
        if len(stamp) >= 10:
            try:
                return date.fromisoformat(stamp[:10])
            except ValueError:
                continue
    return None
