"""Who wrote the article and when: the page's own metadata, cleaned, else its byline and dateline.

Text-mode pages have no metadata, and cleaning often cuts the byline ("By Jane Doe | May 2,
2019") as boilerplate, so the removed blocks and the first paragraphs are read too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from copydesk.clean.labels import BYLINE_WORD
from copydesk.document import DateCandidate, Extraction
from copydesk.enrich.dates import parse_timestamp
from copydesk.enrich.page_dates import choose, dated_candidates
from copydesk.enrich.gazetteer import gazetteer

# A byline's opening word, after the verbs that may come before it in the supported languages.
_BYLINE = re.compile(
    r"^\s*(?:(?:written|words|story|text|posted|reported|geschrieben|escrito|scritto|geschreven)\s+)?"
    rf"{BYLINE_WORD}[:\s]+(?P<names>.+)$",
    re.I,
)
_AUTHOR_LABEL = re.compile(
    r"^\s*(?:authors?|writer|reporter|autor(?:in|a|es)?|auteur(?:e|s)?|autore|autori|text|texto|texte|"
    r"redacteur|redactie|redacción|redazione)\s*:\s*(?P<names>.+)$",
    re.I,
)
# News agencies by the names bylines and datelines give them; an agency is a source, not a writer.
_AGENCIES = {
    name.lower(): canonical
    for canonical, names in {
        "AP": ("AP", "Associated Press", "The Associated Press"),
        "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
        "Reuters": ("Reuters", "Thomson Reuters"),
        "dpa": ("dpa", "Deutsche Presse-Agentur"),
        "EFE": ("EFE", "Agencia EFE"),
        "ANSA": ("ANSA",),
        "Xinhua": ("Xinhua", "Xinhua News Agency"),
        "Kyodo": ("Kyodo", "Kyodo News"),
        "Yonhap": ("Yonhap",),
        "PA": ("PA", "PA Media", "Press Association"),
        "UPI": ("UPI", "United Press International"),
        "Bloomberg": ("Bloomberg", "Bloomberg News"),
        "Anadolu": ("Anadolu", "Anadolu Agency", "AA"),
        "TASS": ("TASS",),
        "Europa Press": ("Europa Press",),
        "APA": ("APA",),
        "KNA": ("KNA",),
        "epd": ("epd",),
        "SDA": ("SDA", "Keystone-SDA"),
        "Belga": ("Belga",),
        "ANP": ("ANP",),
        "Lusa": ("Lusa",),
        "AAP": ("AAP", "Australian Associated Press"),
        "CP": ("The Canadian Press", "Canadian Press"),
        "PTI": ("PTI", "Press Trust of India"),
        "IANS": ("IANS",),
        "ANI": ("ANI",),
        "Agência Brasil": ("Agência Brasil", "Agencia Brasil"),
        "PAP": ("PAP",),
        "CTK": ("ČTK", "CTK"),
        "NTB": ("NTB",),
        "TT": ("TT",),
        "Ritzau": ("Ritzau",),
        "STT": ("STT",),
        "MTI": ("MTI",),
        "AGI": ("AGI", "Agenzia Italia"),
        "Adnkronos": ("Adnkronos",),
        "Notimex": ("Notimex",),
        "Télam": ("Télam", "Telam"),
        "Interfax": ("Interfax",),
        "RIA Novosti": ("RIA Novosti",),
        "CNA": ("CNA", "Central News Agency"),
        "Bernama": ("Bernama",),
        "Antara": ("Antara",),
    }.items()
    for name in names
}
# A dateline naming its agency: "LONDON (Reuters) -", "BERLIN (dpa) –", "PARIS, 3 mai (AFP) -".
_DATELINE_AGENCY = re.compile(r"^[A-ZÀ-Þ][\w .,'’/-]{1,60}?\((?P<agency>[\w .\-/]{2,40})\)\s*[-—–:]")
_AGENCY_NAMES = "|".join(re.escape(n) for n in sorted(_AGENCIES, key=len, reverse=True))
_AGENCY_TAIL = re.compile(r"(?:^|[\s,/|(-]+)(?P<agency>" + _AGENCY_NAMES + r")\)?\s*$", re.I)
_AGENCY_HEAD = re.compile(r"(?P<agency>" + _AGENCY_NAMES + r")\s", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "Finian Cunningham. Sputnik International": an outlet after the name, past a full stop that
# does not close an initial.
_OUTLET_AFTER_DOT = re.compile(r"(?<=\w\w)\.\s+[A-Z].*$")
_ROLE = re.compile(
    r"\b(?:staff|senior|chief|deputy|contributing|special|associate|managing|executive|political|"
    r"foreign|national|business|science|tech(?:nology)?|sports?|health|news|investigative|"
    r"freelance|guest)?\s*(?:writer|reporter|correspondent|editor|columnist|contributor|journalist|"
    r"producer|photographer|analyst|author|critic|blogger|redakteur(?:in)?|korrespondent(?:in)?|"
    r"journaliste|rédact(?:eur|rice)|envoyée? spéciale?|periodista|corresponsal|redactor(?:a)?|"
    r"giornalista|corrispondente|inviat[oa]|jornalista|correspondente|redacteur|verslaggever|"
    r"correspondent)s?\b.*$",
    re.I,
)
_SPLIT_NAMES = re.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|\||/|;)\s*")
_NAME = re.compile(r"^[A-ZÀ-Þ][\w'’.-]*(?:\s+(?:[A-ZÀ-Þ][\w'’.-]*|van|von|der|de|da|del|la|le|di|bin|al|ibn))*$")
_URLISH = re.compile(r"https?://|www\.|@|\.(?:com|org|net|co\.uk)\b")
# Bylines that name a newsroom, not a writer.
_NEWSROOM = re.compile(
    r"\b(?:news|staff|reports?|press|media|wire|agency|desk|team|editorial|bureau|business|online|"
    r"digital|newsroom|editors|associated|network|radio|television|tv|magazine|times|post|daily|"
    r"image|images|photo|photos|copyright|caption|credit|getty)\b",
    re.I,
)
_BYLINE_ALONE = re.compile(rf"^\s*{BYLINE_WORD}\s*$", re.I)
# "Monday November 18, 2019 7:45 am PST by Joe Rossignol": "by" and a capital after a date.
_BYLINE_INSIDE = re.compile(r"(?:\d|am|pm|[AP]M|[A-Z]{2,4}T)\s+(?:by|By)\s+(?P<names>[A-ZÀ-Þ].*)$")
_HANDLE = re.compile(r"\s*@\w+.*$")
# "Keris Lahiff @kerisalison": a name and the writer's handle.
_HANDLE_LINE = re.compile(r"^\s*(?P<names>[A-ZÀ-Þ][\w'’.-]+(?:\s+[A-ZÀ-Þ][\w'’.-]+){1,3})\s+@\w+")
# "Robert Burns, AP National Security Writer": a name, a comma, a role.
_ROLE_LINE = re.compile(r"^\s*(?P<names>[A-ZÀ-Þ][\w'’.-]+(?:\s+[A-ZÀ-Þ][\w'’.-]+){1,3}\s*,\s*.{2,60})$")
# Where the names of a byline end: a date, a time, a weekday, "on", "updated"...
_NAMES_END = re.compile(
    r"\s+(?:on|updated|published|posted|am|le|el|il|op)\b|,\s*(?=\d|[A-Z][a-z]+\.? \d)|\s+(?=[A-Z][a-z]{2,8}\.? \d)"
    r"|\s+(?=[A-Z]{2,}[a-z]+\b)"  # "Jonathan Garber FOXBusiness": an outlet glued on
)
_LINE_PARTS = re.compile(r"\s*[|•·]\s*|\s{2,}|\n")
# Page types (``copydesk.clean.page``) whose printed bylines are other pages' or a team's.
_NO_PRINTED_BYLINES = frozenset({"listing", "collection", "product", "service"})
# What may open a forum post's byline (in the supported languages), and where the poster's user name ends in it: a bracket,
# a separator, a count, a date or the forum's words for the poster's rank.
_POSTED_BY = re.compile(
    r"^\s*(?:(?:post(?:ed)?|beitrag|geschrieben|publié|posté|publicado|postado|pubblicato|scritto|geplaatst|gepost)\s+)?"
    rf"(?:{BYLINE_WORD}|da)\s+",
    re.I,
)
_POSTER_END = re.compile(
    r"\s*[(»·|,–—•]|\s+\d|\s+(?:wrote|discussion starter|member|moderator|joined|posts?|offline|online|said)\b", re.I
)
_THREAD_LABEL = re.compile(r"^\s*(?:topic|thread)\s+(?:author|starter)\s*$", re.I)
_MAX_POSTER_WORDS = 3
# A declared author of more words is a sentence, not a byline.
_MAX_DECLARED_WORDS = 5
# More names than this in a page's printed bylines: they are the bylines of other articles.
_MAX_PRINTED_NAMES = 3
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
    agencies: tuple[str, ...] = ()


def page_facts(extraction: Extraction, url: str = "") -> PageFacts:
    meta = extraction.metadata
    authors, agencies = split_byline(meta.authors, declared=True)
    # The outlet signing with its own name ("CBS News" on cbsnews.com) names no writer.
    authors = tuple(a for a in authors if not _is_outlet(a, meta.site_name, meta.canonical_url, meta.news))
    # A byline printed on a listing or a shop's page is another page's.
    printed = extraction.page_type not in _NO_PRINTED_BYLINES
    if not authors and extraction.page_type == "forum":
        authors = _first_poster(meta.bylines)
    if not authors and printed:
        authors, printed_agencies = _from_bylines(meta.bylines)
        agencies = agencies or printed_agencies
    lines = date_lines(extraction)
    if not authors and printed:
        authors, line_agencies = _authors_from_lines(lines)
        agencies = agencies or line_agencies
    # Metadata made elsewhere than from a page's tree may give only its two dates.
    stated = meta.dates or tuple(DateCandidate(v, f"meta_{k}") for k, v in (("published", meta.published), ("modified", meta.modified)) if v)
    dated = dated_candidates(stated, lines, meta.canonical_url or url, meta.language)
    chosen = choose(dated)
    # The page's declared modification, else a printed "Updated" date.
    modified = parse_timestamp(meta.modified) or next((d.stamp for d in dated if d.cue == "modified" and d.source in ("printed", "line")), "")
    return PageFacts(
        site_name=site_name(meta.site_name),
        authors=authors,
        published_at=chosen.stamp if chosen else "",
        modified_at=modified,
        section=" ".join(meta.section.split()),
        image=meta.image.strip() if meta.image.strip().startswith(("http://", "https://", "//", "/")) else "",
        agencies=agencies or _dateline_agency(extraction.paragraphs[:1]),
    )


def _is_outlet(name: str, site: str, canonical_url: str, news: bool) -> bool:
    """Whether a declared author is the outlet's own name: the site's name or its domain's, on
    a news article unless it is a person's ("Gary Marcus" on garymarcus.substack.com), or with a
    newsroom's word ("Ecocult Staff") elsewhere (a company's blog signed by the company is signed
    by its author)."""
    key = _squash(name)
    host = _squash(canonical_url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.").rsplit(".", 1)[0])
    named = key == _squash(site) or (len(host) >= 3 and host in key) or (len(key) >= 3 and key in host)
    personal = name.split()[0].lower() in gazetteer().given_names
    return bool(key) and named and ((news and not personal) or bool(_NEWSROOM.search(name)))


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def site_name(raw: str) -> str:
    """The site's name as people write it, never a URL or a bare domain ("example.com")."""
    name = " ".join(raw.split())
    return "" if _URLISH.search(name) or re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", name) else name


def clean_authors(raw: Iterable[str]) -> tuple[str, ...]:
    """Names only: no "By", no roles, outlets or agencies, one name per entry, each once."""
    return split_byline(raw)[0]


def split_byline(raw: Iterable[str], declared: bool = False) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The people and the news agencies a byline names, each once: "By Jane Doe, AP" ->
    (("Jane Doe",), ("AP",)). A ``declared`` author (the page's metadata names it as the
    author) may be one word ("Susan"): only a printed line needs two to read as a name."""
    names: list[str] = []
    agencies: list[str] = []
    for entry in raw:
        entry = entry.strip()
        if entry.startswith(("http://", "https://", "www.")):
            continue
        entry = _BYLINE.sub(r"\g<names>", _from_email(entry))
        for part in _SPLIT_NAMES.split(entry):
            agency = _agency(part)
            if agency:
                part = _AGENCY_TAIL.sub("", part) if _AGENCY_TAIL.search(part) else ""  # else the agency's role
                if agency not in agencies:
                    agencies.append(agency)
            name = _clean_name(part, 1 if declared else 2) or (_declared_name(part) if declared else "")
            if name and name.lower() not in (n.lower() for n in names):
                names.append(name)
    return tuple(names), tuple(agencies)


def _agency(part: str) -> str:
    """The agency a byline part is or ends with ("Reuters", "Jane Doe (AP)"), or ""."""
    bare = part.strip(" .()-–—/")
    if bare.lower() in _AGENCIES:
        return _AGENCIES[bare.lower()]
    tail = _AGENCY_TAIL.search(part)
    if tail and (tail.group("agency").isupper() or tail.group("agency")[0].isupper() and len(tail.group("agency")) > 3):
        return _AGENCIES[tail.group("agency").lower()]
    head = _AGENCY_HEAD.match(part.strip())  # "AP National Security Writer"
    return _AGENCIES[head.group("agency").lower()] if head and _ROLE.search(part) else ""


def _from_email(entry: str) -> str:
    """A byline that is or holds an e-mail address: the name beside it ("jane@x.org (Jane Doe)"),
    else the name the address spells ("jane.doe@x.org" -> "Jane Doe")."""
    email = _EMAIL.search(entry)
    if not email:
        return entry
    rest = " ".join(_EMAIL.sub(" ", entry).replace("(", " ").replace(")", " ").replace("<", " ").replace(">", " ").split())
    if re.search(r"[A-Za-zÀ-ÿ]{2}", rest):
        return rest
    parts = re.split(r"[._-]+", email.group().split("@")[0])
    return " ".join(p.capitalize() for p in parts) if len(parts) >= 2 and all(p.isalpha() for p in parts) else ""


def _dateline_agency(first: tuple[str, ...]) -> tuple[str, ...]:
    match = _DATELINE_AGENCY.match(first[0]) if first else None
    if not match:
        return ()
    found = [_AGENCIES[a.strip().lower()] for a in re.split(r"[/,]| and ", match.group("agency")) if a.strip().lower() in _AGENCIES]
    return tuple(dict.fromkeys(found))


def _from_bylines(bylines: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The first printed byline that names someone, unless the bylines name many people (a
    list of other articles) and the first is not printed again (an article's byline at its
    head and in its author box, then quotes or other articles' bylines), or end on an initial
    ("Lance S.": a customer review)."""
    found = [split_byline([re.sub(r"^(?:written\s+)?by\b\s*:?\s*", "", line, flags=re.I)]) for line in bylines]
    named = [f for f in found if f[0]]
    names = [n.lower() for f in named for n in f[0]]
    if not named or (len(set(names)) > _MAX_PRINTED_NAMES and names.count(names[0]) < 2):
        return (), ()
    if any(len(name.split()[-1].rstrip(".")) < 2 for name in named[0][0]):
        return (), ()
    return named[0]


def _first_poster(bylines: Iterable[str]) -> tuple[str, ...]:
    """A forum thread's author: the user name of its first post's byline ("Post by jdoe » Sat
    Feb 24, 2024", "jdoe 1,992 posts · Joined 2016"), one word or a few."""
    for line in bylines:
        if _THREAD_LABEL.match(line):
            continue  # "Topic Author": the label of the byline that follows
        name = _POSTER_END.split(_POSTED_BY.sub("", line), maxsplit=1)[0].strip()
        if 1 <= len(name.split()) <= _MAX_POSTER_WORDS and re.search(r"[^\W\d_]", name) and not _URLISH.search(name):
            return (name,)
        return ()
    return ()


def _declared_name(part: str) -> str:
    """What the page's metadata names as its author when it is no person's name ("Our Editors",
    "Ecocult Staff", a user name): kept as the page's byline, short, and not an address."""
    part = " ".join(part.strip(" .:-–—|").split())
    if not part or len(part.split()) > _MAX_DECLARED_WORDS or _URLISH.search(part) or not re.search(r"[^\W\d_]", part):
        return ""
    return part


def _clean_name(part: str, fewest_words: int = 2) -> str:
    unroled = _ROLE.sub("", part)
    if unroled != part:
        fewest_words = 2  # "Our Editors", "Staff Writer": a role was all it said
    part = unroled
    part = _OUTLET_AFTER_DOT.sub("", part.strip())
    part = re.sub(r"\s+(?:for|at|of|in|für|pour|para|per|voor)\s+.*$|\s+[-–—]\s+.*$|\(.*?\)", "", part)
    part = " ".join(part.strip(" .:-–—").split())
    if part.isupper() and len(part) > 3:
        part = part.title()
    # A writer has a first and a last name; one word ("Reuters", "Sky") is a newsroom.
    if not _NAME.match(part) or not fewest_words <= len(part.split()) <= 4 or _NEWSROOM.search(part) or _URLISH.search(part):
        return ""
    if any(w.isupper() and len(w) > 1 and "." not in w for w in part.split()):  # "AP National Security"
        return ""
    if part.lower() in gazetteer().organizations:
        return ""
    return part


def date_lines(extraction: Extraction) -> list[str]:
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


def _role_line(part: str) -> re.Match[str] | None:
    """"Robert Burns, AP National Security Writer": a name, a comma, a role. The anchored shape is
    matched first: searching every short line for a role word costs seven times as much, and few
    lines have the shape."""
    found = _ROLE_LINE.match(part)
    return found if found and _ROLE.search(part) else None


def _authors_from_lines(lines: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The first byline among short lines: "By X" (also after a date: "7:45 am PST by X", or
    with the name on the next line), "Author: X", "X @handle", "X, Staff Writer"."""
    for line, after in zip(lines, [*lines[1:], ""]):
        if _BYLINE_ALONE.match(line):
            line = f"{line.strip()} {after}"  # "By" on a line of its own, the name on the next
        for part in _LINE_PARTS.split(line):
            match = _BYLINE.match(part) or _AUTHOR_LABEL.match(part) or _BYLINE_INSIDE.search(part)
            match = match or _HANDLE_LINE.match(part) or _role_line(part)
            if match:
                found = split_byline([_NAMES_END.split(_HANDLE.sub("", match.group("names")))[0]])
                if found[0] or found[1]:
                    return found
    return (), ()
