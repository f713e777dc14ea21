"""People, organisations and places, by rules over capitalised spans and the gazetteers.

A span is a run of capitalised words (with the particles names carry: "Bank of America",
"Osama bin Laden"). It is an organisation when a table or an organisational head word says so
("... University", "... Party"), a place when GeoNames knows it, and a person when a title
introduces it ("President Donald Trump") or it reads like a full name. A lone word joins the
person whose surname it is ("Suleimani" -> "Qassim Suleimani"), an acronym joins the
organisation it abbreviates, and aliases from the tables merge ("ISIS" = "Islamic State").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from copydesk.document import Entity
from copydesk.enrich.gazetteer import Gazetteer, Place, gazetteer
from copydesk.enrich.tokens import Tokens, Word

# Words that introduce a name and are not part of it.
_TITLES = frozenset(
    "president vice prime minister secretary chancellor senator sen rep representative congressman "
    "congresswoman gov governor mayor judge justice chief executive ceo cfo founder chairman chairwoman "
    "chair director general gen maj major col colonel lt lieutenant sgt sergeant capt captain cmdr "
    "commander adm admiral officer spokesman spokeswoman spokesperson ambassador envoy supreme leader "
    "foreign defense defence interior finance health attorney deputy professor prof dr mr mrs ms miss "
    "coach manager premier sheriff commissioner superintendent inspector detective agent rev reverend "
    "bishop archbishop cardinal rabbi imam former acting interim speaker house senior lawmaker "
    "striker midfielder defender goalkeeper quarterback pitcher star actor actress singer rapper "
    "author writer reporter analyst economist researcher scientist dean principal".split()
)
# Words that open a name and belong to it.
_HONORIFICS = frozenset("ayatollah pope king queen prince princess sheikh sir dame lord lady emir sultan".split())
_ORG_HEADS = frozenset(
    "inc corp corporation co ltd llc plc ag gmbh sa nv group company companies bank holdings partners "
    "capital ventures university college school institute academy association society council committee "
    "commission department ministry agency bureau office service services administration authority board "
    "party parliament congress senate assembly court tribunal police army navy force forces guard corps "
    "command federation league union club fc foundation fund trust center centre hospital clinic church "
    "times post news journal herald tribune gazette telegraph guardian press media network magazine review "
    "airlines airways motors systems technologies technology labs laboratories pharmaceuticals energy "
    "industries organization organisation coalition alliance movement records studios entertainment "
    "brands stores institution museum library exchange reserve cooperative initiative project program "
    "programme lab team".split()
)
_PARTICLES = frozenset("of the for and de la le du da del der van von bin al ibn y on".split())
_NOT_NAMES = frozenset(
    "january february march april may june july august september october november december monday "
    "tuesday wednesday thursday friday saturday sunday street avenue road day year act bill award prize "
    "cup championship festival war show series season game games".split()
)
# First words of spans that read as names of things, not of people.
_NOT_FIRST_NAMES = frozenset(
    "new north south east west northern southern eastern western great united national international "
    "federal central royal the grand upper lower old saint san st".split()
)
_SAID = frozenset("said says told added wrote explained noted argued insisted warned stated tweeted asked replied".split())
_ACRONYM = re.compile(r"^(?:[A-Z]{2,6}|(?:[A-Z]\.){2,4})$")
_INSTITUTIONS = r"parliament|government|cabinet|senate|congress|army|navy|air force|police|supreme court|foreign ministry|embassy"


@dataclass(frozen=True, slots=True)
class _Span:
    text: str
    start: int
    end: int
    said: bool


@dataclass(slots=True)
class _Found:
    name: str
    type: str
    mentions: list[tuple[str, int]]
    place: Place | None = None


@dataclass(frozen=True, slots=True)
class Entities:
    entities: tuple[Entity, ...]
    #: (offset, canonical name, type) of every mention, in text order
    mentions: tuple[tuple[int, str, str], ...]


def find_entities(tokens: Tokens) -> Entities:
    gaz = gazetteer()
    found: dict[tuple[str, str], _Found] = {}
    singles: list[_Span] = []
    for span in (part for whole in _spans(tokens, gaz) for part in _split_lists(whole, gaz)):
        kind = _classify(span.text, gaz)
        if kind is None or kind[0] == "surname":
            singles.append(span if kind is None else _Span(kind[3], span.start + span.text.rfind(kind[3]), span.end, True))
            continue
        type_, name, place, surface = kind
        entry = found.setdefault((type_, name), _Found(name, type_, [], place))
        entry.mentions.append((surface, span.start + max(span.text.rfind(surface), 0)))
    for match in _institution_pattern(frozenset(gaz.demonyms)).finditer(tokens.text):
        name = match.group()
        entry = found.setdefault(("organization", name.lower()), _Found(name, "organization", []))
        entry.mentions.append((name, match.start()))
    _merge_singles(found, singles)
    entities = {id(f): _entity(f) for f in found.values() if f.mentions}
    mentions = sorted((offset, entities[id(f)].text, f.type) for f in found.values() if f.mentions for _, offset in f.mentions)
    return Entities(tuple(sorted(entities.values(), key=lambda e: (-e.count, e.offset))), tuple(mentions))


def entity_names(entities: tuple[Entity, ...]) -> dict[str, str]:
    """Every name an entity went by (lower-cased, and people by surname too) -> canonical name."""
    names: dict[str, str] = {}
    for entity in entities:
        for alias in (entity.text, *entity.aliases):
            names.setdefault(alias.lower(), entity.text)
        if entity.type == "person":
            names.setdefault(entity.text.split()[-1].lower(), entity.text)
    return names


def _entity(found: _Found) -> Entity:
    surfaces = list(dict.fromkeys(text for text, _ in found.mentions))
    canonical = found.name
    if found.type == "person":
        canonical = max(surfaces, key=lambda s: (len(s.split()), len(s)))
    place = found.place
    return Entity(
        text=canonical,
        type=found.type,  # type: ignore[arg-type]
        count=len(found.mentions),
        offset=min(offset for _, offset in found.mentions),
        aliases=tuple(s for s in surfaces if s != canonical),
        country_code=place.country_code if place else "",
        geonames_id=place.geonames_id if place else None,
    )


def _spans(tokens: Tokens, gaz: Gazetteer) -> Iterator[_Span]:
    text, words = tokens.text, tokens.words
    lowercase = {w.text for w in words if w.text.islower()}
    sentence_starts = {s.start for s in tokens.sentences}
    i = 0
    while i < len(words):
        if not _capitalised(words[i]):
            i += 1
            continue
        j = i + 1
        while j < len(words) and _joins(text, words[j - 1], words[j], words[j + 1] if j + 1 < len(words) else None):
            j += 1
        run = list(words[i:j])
        while run and run[-1].text.lower() in _PARTICLES:
            run.pop()
        i = j
        run = _trim_start(run, text, sentence_starts, lowercase, gaz)
        if not run or _shouting(run, words, text):
            continue
        first, last = run[0], run[-1]
        end = last.end if "-" not in last.text or last.text.split("-")[-1][:1].isupper() else last.start + last.text.index("-")
        after = words[j].text.lower() if j < len(words) else ""
        said = after in _SAID or text[max(0, first.start - 13) : first.start].lower().endswith("according to ")
        yield _Span(text[first.start : end], first.start, end, said)


def _split_lists(span: _Span, gaz: Gazetteer) -> list[_Span]:
    """"Iran and Iraq" names two things, "Food and Drug Administration" one: a span splits at
    "and" unless the tables know it whole or its first part is a lone word they do not know."""
    if " and " not in span.text and " & " not in span.text:
        return [span]
    if span.text.lower() in gaz.organizations or span.text in gaz.places:
        return [span]
    left = re.split(r" (?:and|&) ", span.text, maxsplit=1)[0]
    if " " not in left and left.lower() not in gaz.organizations and left not in gaz.places:
        return [span]
    parts: list[_Span] = []
    start = span.start
    for part in re.split(r" (?:and|&) ", span.text):
        offset = span.text.index(part, start - span.start) + span.start
        parts.append(_Span(part, offset, offset + len(part), span.said and offset + len(part) == span.end))
        start = offset + len(part)
    return parts


def _capitalised(word: Word) -> bool:
    return word.text[0].isupper() and word.text[0].isalpha()


def _joins(text: str, prev: Word, word: Word, following: Word | None) -> bool:
    if "-" in prev.text and prev.text.split("-")[-1][:1].islower():
        return False  # "US-led" ends a name
    gap = text[prev.end : word.start]
    if gap not in (" ", ". ", " & ") or (gap == ". " and not _dotted(prev.text)):
        return False
    if word.text.lower() in _PARTICLES and not word.text[0].isupper():
        return following is not None and _capitalised(following) and text[word.end : following.start] == " "
    return _capitalised(word)


def _dotted(word: str) -> bool:
    """Abbreviated titles and initials keep their dot inside a name ("Maj. General", "George W. Bush")."""
    return len(word) == 1 or word.lower() in _TITLES


def _trim_start(run: list[Word], text: str, sentence_starts: set[int], lowercase: set[str], gaz: Gazetteer) -> list[Word]:
    """Drop sentence-opening words that are capitalised only because they open the sentence."""
    while run:
        word = run[0]
        at_start = word.start in sentence_starts or text[max(0, word.start - 1) : word.start] in ("“", '"', "‘", "'", "(")
        lowered = word.text.lower()
        common = lowered in gaz.stopwords or lowered in lowercase or lowered == "the"
        if common and (at_start or lowered == "the") and lowered not in _TITLES:
            run = run[1:]
            continue
        break
    return run


def _shouting(run: list[Word], words: tuple[Word, ...], text: str) -> bool:
    """All-capitals headings ("AN IMPORTANT UPDATE") are not names."""
    if len(run) > 1:
        return all(w.text.isupper() and len(w.text) > 1 for w in run) and not text[run[0].start : run[-1].end].count(".")
    return False


def _classify(surface: str, gaz: Gazetteer) -> tuple[str, str, Place | None, str] | None:
    """(type, canonical name, place, the words that name it) for a span, or None when only
    context can tell. A lone word a title introduced ("Mr. Trump") is a "surname"."""
    org = gaz.organizations.get(surface.lower())
    if org:
        return "organization", org, None, surface
    place = gaz.places.get(surface)
    if place:
        return "place", place.name, place, surface
    words = surface.split()
    lowered = [w.lower().rstrip(".") for w in words]
    if any(w in _NOT_NAMES for w in lowered):
        return None
    if len(words) > 1 and (lowered[-1] in _ORG_HEADS or lowered[0] in _ORG_HEADS and "of" in lowered):
        return "organization", surface, None, surface
    titled = any(w in _TITLES for w in lowered[:-1])
    if titled:  # "Police Chief Jane Roe", "Supreme Leader Ayatollah Khamenei": the name follows the last title
        last = max(i for i, w in enumerate(lowered[:-1]) if w in _TITLES)
        words, lowered = words[last + 1 :], lowered[last + 1 :]
    while words and words[0] in gaz.demonyms:
        words, lowered = words[1:], lowered[1:]
    if not words or len(words) > 4:
        return None
    rest = " ".join(words)
    if rest != surface:
        if rest.lower() in gaz.organizations or rest in gaz.places:
            return _classify(rest, gaz)
    if len(words) == 1:
        if titled:
            return "surname", rest, None, rest
        return ("organization", rest, None, rest) if _ACRONYM.match(rest) else None
    if lowered[0] not in _HONORIFICS and not titled and (lowered[0] in _NOT_FIRST_NAMES or not all(map(_name_like, words))):
        return None
    return "person", rest.lower(), None, rest


def _name_like(word: str) -> bool:
    return word[0].isupper() and not word.isupper() or len(word) <= 2


def _merge_singles(found: dict[tuple[str, str], _Found], singles: list[_Span]) -> None:
    """Lone words: a known person's surname or first name, an acronym's expansion, or a speaker."""
    people = [f for f in found.values() if f.type == "person"]
    orgs = [f for f in found.values() if f.type == "organization"]
    for span in singles:
        if " " in span.text:
            continue
        owner = _nearest_person(people, span.text, span.start)
        if owner is None and span.text.isupper():
            owner = next((o for o in orgs if _initials(o.name) == span.text.replace(".", "")), None)
        if owner is None and span.said:
            owner = found.setdefault(("person", span.text.lower()), _Found(span.text, "person", []))
            people.append(owner)
        if owner is not None:
            owner.mentions.append((span.text, span.start))


def _nearest_person(people: list[_Found], word: str, offset: int) -> _Found | None:
    """The person whose name holds this word, the latest mentioned before it when several do."""
    best: tuple[int, _Found] | None = None
    for person in people:
        for text, start in person.mentions:
            parts = text.split()
            if len(parts) > 1 and word in (parts[-1], parts[0]):
                rank = start if start <= offset else -start
                if best is None or rank > best[0]:
                    best = (rank, person)
    return best[1] if best else None


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in _PARTICLES and w[0].isupper())


@cache
def _institution_pattern(demonyms: frozenset[str]) -> re.Pattern[str]:
    """"the Iraqi parliament": a nation's institution, written without capitals."""
    names = "|".join(sorted((re.escape(d) for d in demonyms), key=len, reverse=True))
    return re.compile(rf"\b(?:{names}) (?:{_INSTITUTIONS})\b")
