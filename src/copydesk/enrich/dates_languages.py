"""Dates the text mentions in German, French, Spanish, Italian, Portuguese and Dutch, resolved
against a reference day by the same rules as the English ones (``copydesk.enrich.dates``).

Each language gives its words (months, weekdays, "yesterday", "last"/"next", "ago", "early"/
"late"); one pattern per language is built from them. Numeric dates are day first in all six,
so "03.04.2020" is the 3rd of April. As in English, a month alone needs a cue before it ("im
März", "en mars") and a weekday with "last" or "next" is that day of the week before or after.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

from copydesk.document import DateMention
from copydesk.enrich.dates import _ago, _iso_day, _month_only, _relative, _weekday, _yearless
from copydesk.enrich.scanning import matches_at

_YEAR = r"(?:1[7-9]|20)\d\d(?!\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"


@dataclass(frozen=True, slots=True)
class Words:
    #: each month's names, January first
    months: tuple[str, ...]
    #: each weekday's names, Monday first
    weekdays: tuple[str, ...]
    #: words (before or after a weekday, week, month or year) for the one before, this and the next
    last: str
    this: str
    next: str
    week: str
    month: str
    year: str
    today: str
    yesterday: str
    tomorrow: str
    #: the form of "n units ago" ({n}: the count, {units}: the units below)
    ago: str
    days: str
    weeks: str
    months_unit: str
    years: str
    #: a count in words, one to ten
    numbers: tuple[str, ...]
    #: what may stand between a day and its month and between a month and its year
    joiner: str
    #: "early"/"mid"/"late" before a month, as one alternation
    parts: str
    #: cue words before a month alone
    cues: str
    #: words before a date in its sentence that put it ahead of the reference day
    future: str


LANGUAGES: dict[str, Words] = {
    "de": Words(
        months=("Januar|Jänner|Jan", "Februar|Feb", "März|Mär", "April|Apr", "Mai", "Juni|Jun", "Juli|Jul",
                "August|Aug", "September|Sept|Sep", "Oktober|Okt", "November|Nov", "Dezember|Dez"),
        weekdays=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag|Sonnabend", "Sonntag"),
        last="letzte[nmrs]?|vergangene[nmrs]?|vorige[nmrs]?", this="diese[nmrs]?", next="nächste[nmrs]?|kommende[nmrs]?",
        week="Woche", month="Monat", year="Jahr(?:es)?", today="heute", yesterday="gestern",
        tomorrow=r"(?<!am\s)(?<!heute\s)(?<!jeden\s)(?<!guten\s)morgen",
        ago=r"vor\s+(?P<n>{n})\s+(?P<ago_unit>{units})", days="Tag(?:en)?", weeks="Wochen?", months_unit="Monat(?:en)?",
        years="Jahr(?:en)?", numbers=("einem|einer|eins|ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn"),
        joiner=r"\.?\s*", parts="Anfang|Mitte|Ende", cues="im|seit|bis|ab|von|vom|zum|Anfang|Mitte|Ende",
        future=r"\b(?:wird|werden|soll|sollen|will|wollen|geplant|bis|kommende[nmrs]?|nächste[nmrs]?)\b",
    ),
    "fr": Words(
        months=("janvier|janv", "février|févr|fév", "mars", "avril|avr", "mai", "juin", "juillet|juil", "août",
                "septembre|sept", "octobre|oct", "novembre|nov", "décembre|déc"),
        weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        last="dernière|dernier|passée|passé", this="ce|cette", next="prochaine|prochain",
        week="semaine", month="mois", year="année|an", today="aujourd'hui|aujourd’hui", yesterday="hier", tomorrow="demain",
        ago=r"il\s+y\s+a\s+(?P<n>{n})\s+(?P<ago_unit>{units})", days="jours?", weeks="semaines?", months_unit="mois",
        years="ans|années?", numbers=("un|une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"),
        joiner=r"(?:er)?\s+", parts="début|mi-|fin", cues="en|depuis|jusqu'en|jusqu’en|dès|début|mi-|fin|d'ici|d’ici",
        future=r"\b(?:sera|seront|va|vont|doit|doivent|prévue?s?|prochaine?s?|d'ici|d’ici|jusqu'à|jusqu’à)\b",
    ),
    "es": Words(
        months=("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre|setiembre",
                "octubre", "noviembre", "diciembre"),
        weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
        last="pasado|pasada", this="este|esta", next="próximo|próxima|que viene",
        week="semana", month="mes", year="año", today="hoy", yesterday="ayer",
        tomorrow=r"(?<!la\s)(?<!esta\s)(?<!una\s)(?<!cada\s)mañana",
        ago=r"hace\s+(?P<n>{n})\s+(?P<ago_unit>{units})", days="días?", weeks="semanas?", months_unit="mes(?:es)?",
        years="años?", numbers=("un|una|uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"),
        joiner=r"\s+(?:de\s+)?", parts="a principios de|a mediados de|a finales de|a fines de|principios de|mediados de|finales de",
        cues="en|desde|hasta|de|principios de|mediados de|finales de|fines de",
        future=r"\b(?:será|serán|va a|van a|prevé|previsto|prevista|próximo|próxima|hasta)\b",
    ),
    "it": Words(
        months=("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
                "ottobre", "novembre", "dicembre"),
        weekdays=("lunedì|lunedi", "martedì|martedi", "mercoledì|mercoledi", "giovedì|giovedi", "venerdì|venerdi", "sabato", "domenica"),
        last="scorso|scorsa|passato|passata", this="questo|questa", next="prossimo|prossima",
        week="settimana", month="mese", year="anno", today="oggi", yesterday="ieri", tomorrow="domani",
        ago=r"(?P<n>{n})\s+(?P<ago_unit>{units})\s+fa", days="giorni|giorno", weeks="settimane|settimana", months_unit="mesi|mese",
        years="anni|anno", numbers=("un|una|uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci"),
        joiner=r"\s+(?:del\s+)?", parts="all'inizio di|all’inizio di|a metà|a fine|inizio|metà|fine",
        cues="a|in|da|dal|fino a|entro|di|inizio|metà|fine",
        future=r"\b(?:sarà|saranno|dovrà|dovranno|previsto|prevista|prossimo|prossima|entro)\b",
    ),
    "pt": Words(
        months=("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
                "novembro", "dezembro"),
        # "segunda" alone is also "second", "quinta" "fifth": only the "-feira" forms are weekdays.
        weekdays=("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"),
        last="passado|passada", this="este|esta|nesta|neste", next="próximo|próxima|que vem",
        week="semana", month="mês", year="ano", today="hoje", yesterday="ontem", tomorrow="amanhã",
        ago=r"há\s+(?P<n>{n})\s+(?P<ago_unit>{units})", days="dias?", weeks="semanas?", months_unit="mês|meses",
        years="anos?", numbers=("um|uma", "dois|duas", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez"),
        joiner=r"\s+(?:de\s+)?", parts="no início de|em meados de|no final de|no fim de|início de|meados de|final de|fim de",
        cues="em|desde|até|de|início de|meados de|final de|fim de",
        future=r"\b(?:será|serão|vai|vão|deve|devem|prevista?|próxim[oa]|até)\b",
    ),
    "nl": Words(
        months=("januari|jan", "februari|feb", "maart|mrt", "april|apr", "mei", "juni|jun", "juli|jul", "augustus|aug",
                "september|sept|sep", "oktober|okt", "november|nov", "december|dec"),
        weekdays=("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
        last="afgelopen|vorige|vorig|verleden", this="deze|dit", next="volgende|volgend|komende|aanstaande",
        week="week", month="maand", year="jaar", today="vandaag", yesterday="gisteren", tomorrow="morgen",
        ago=r"(?P<n>{n})\s+(?P<ago_unit>{units})\s+geleden", days="dagen|dag", weeks="weken|week", months_unit="maanden|maand",
        years="jaren|jaar", numbers=("een|één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"),
        joiner=r"\s+", parts="begin|half|medio|eind", cues="in|sinds|tot|vanaf|begin|half|medio|eind",
        future=r"\b(?:zal|zullen|gaat|gaan|moet|moeten|gepland|volgende|komende|tot)\b",
    ),
}
SUPPORTED = frozenset(LANGUAGES)


def _alternation(names: tuple[str, ...]) -> str:
    return "|".join(sorted((n for group in names for n in group.split("|")), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class _Compiled:
    pattern: re.Pattern[str]
    openers: re.Pattern[str]
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    words: Words


@cache
def _compiled(language: str) -> _Compiled:
    w = LANGUAGES[language]
    months = _alternation(w.months)
    weekdays = _alternation(w.weekdays)
    units = "|".join((w.days, w.weeks, w.months_unit, w.years))
    count = r"\d{1,3}|" + _alternation(w.numbers)
    forms = (
        rf"(?<![\d.])(?P<num_d>{_DAY})[./-](?P<num_m>0?[1-9]|1[0-2])[./-](?P<num_y>{_YEAR})",
        rf"(?<![\d.,])(?P<d>{_DAY}){w.joiner}(?P<m>{months})\b\.?(?:{w.joiner}(?P<y>{_YEAR}))?",
        rf"(?P<my_m>{months})\b\.?{w.joiner}(?P<my_y>{_YEAR})",
        rf"(?:(?P<wd_pre>{w.last}|{w.this}|{w.next})\s+)?(?P<wd>{weekdays})\b(?:\s+(?P<wd_post>{w.last}|{w.next})\b)?",
        rf"(?P<part>{w.parts})\s*(?P<part_m>{months})\b",
        # "von Jan Müller", "van Mei Li": a capital after a short month name makes it a given name
        rf"(?:{w.cues})\s+(?P<mo>{months})\b(?!{w.joiner}\d)(?!\s+[A-ZÀ-Þ])",
        rf"(?:(?P<rel_pre>{w.last}|{w.this}|{w.next})\s+)?(?P<unit>{w.week}|{w.month}|{w.year})\b(?:\s+(?P<rel_post>{w.last}|{w.next})\b)?",
        rf"\b(?P<day>{w.today}|{w.yesterday}|{w.tomorrow})\b",
        w.ago.format(n=count, units=units),
    )
    pattern = re.compile(r"(?i)\b(?:" + "|".join(f"(?:{f})" for f in forms) + ")")
    # Every form opens on a digit or on one of these words (the cue of "im März", the count of
    # "drie dagen geleden", the lead of "il y a"): the pattern is tried only where one starts,
    # which a plain alternation finds several times faster than the pattern's own scan.
    lead = w.ago.split("(?P<n>")[0].removesuffix(r"\s+")
    words = (months, weekdays, w.last, w.this, w.next, w.week, w.month, w.year, w.today, w.yesterday,
             w.tomorrow, w.parts, w.cues, _alternation(w.numbers), *([lead] if lead else []))
    # It runs on the lower-cased text: a case-sensitive scan is several times faster again.
    openers = re.compile((r"\b(?:\d|" + "|".join(f"(?:{x})" for x in words) + ")").lower())
    return _Compiled(
        pattern,
        openers,
        {n.lower(): i for i, group in enumerate(w.months, 1) for n in group.split("|")},
        {n.lower(): i for i, group in enumerate(w.weekdays) for n in group.split("|")},
        {n.lower(): i for i, group in enumerate(w.numbers, 1) for n in group.split("|")},
        w,
    )


def find_dates_in(text: str, language: str, reference: date | None = None) -> tuple[DateMention, ...]:
    """The dates ``text`` in ``language`` (one of SUPPORTED) mentions."""
    c = _compiled(language)
    found = []
    lowered = text.lower()
    if len(lowered) == len(text):
        matches = matches_at(c.pattern, text, (m.start() for m in c.openers.finditer(lowered)))
    else:  # a letter whose lower case is longer ("İ") shifts every position after it
        matches = list(c.pattern.finditer(text))
    for match in matches:
        resolved = _resolve(match, c, reference, lambda: _future(text, match.start(), c.words.future))
        if resolved is not None:
            start = match.start("mo") if match.group("mo") else match.start()  # the cue is no part of it
            found.append(DateMention(text[start : match.end()].strip(), resolved, start))
    return tuple(found)


def _modifier(word: str | None, w: Words) -> str:
    if not word:
        return ""
    for name in ("last", "this", "next"):
        if re.fullmatch(getattr(w, name), word, re.I):
            return name
    return ""


def _resolve(m: re.Match[str], c: _Compiled, ref: date | None, future: Callable[[], bool]) -> str | None:
    g = m.groupdict()
    w = c.words
    if g["num_y"]:
        return _iso_day(int(g["num_y"]), int(g["num_m"]), int(g["num_d"]))
    if g["m"]:
        month, day = c.months[g["m"].lower()], int(g["d"])
        return _iso_day(int(g["y"]), month, day) if g["y"] else _yearless(month, day, ref, future())
    if g["my_m"]:
        return f"{int(g['my_y']):04d}-{c.months[g['my_m'].lower()]:02d}"
    if g["wd"]:
        modifier = _modifier(g["wd_pre"] or g["wd_post"], w)
        return _weekday(c.weekdays[g["wd"].lower()], modifier, ref, future())
    if g["part_m"] or g["mo"]:
        return _month_only(c.months[(g["part_m"] or g["mo"]).lower()], "", ref, future())
    if g["unit"]:
        modifier = _modifier(g["rel_pre"] or g["rel_post"], w)
        if not modifier:
            return None  # "die Woche", "le mois": no date
        unit = "week" if re.fullmatch(w.week, g["unit"], re.I) else "month" if re.fullmatch(w.month, g["unit"], re.I) else "year"
        return _relative(f"{modifier} {unit}", ref)
    if g["day"]:
        word = g["day"].lower()
        phrase = "yesterday" if re.fullmatch(w.yesterday, word, re.I) else "tomorrow" if re.fullmatch(w.tomorrow, word, re.I) else "today"
        return _relative(phrase, ref)
    if g["n"]:
        n = g["n"].lower()
        amount = n if n.isdigit() else str(c.numbers.get(n, 0))
        units = (("day", w.days), ("week", w.weeks), ("month", w.months_unit), ("year", w.years))
        unit = next(u for u, form in units if re.fullmatch(form, g["ago_unit"], re.I))
        return _ago(amount, unit, ref)
    return None


def _future(text: str, position: int, cues: str) -> bool:
    start = max(text.rfind(". ", 0, position), text.rfind("\n", 0, position), position - 300) + 1
    return re.search(cues, text[start:position], re.I) is not None
