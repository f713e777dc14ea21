"""People, organisations and places: the statistical tagger (``tagger``) finds and types the
names; the gazetteers then canonicalise them.

The tagger decides; what follows only gathers its mentions into entities. A name written several
times in one text takes the type most of its mentions got (it is one thing throughout); titles
the tagger left on a person's name go ("Supreme Leader"). English national institutions written in lower case ("the Iraqi
parliament") are added by a rule, as the tagger only finds capitalised names. A
place GeoNames knows gets its canonical name, country and id ("US" -> "United States"); an
organisation the table knows gets its canonical name ("ISIS" -> "Islamic State"), and an acronym
joins the organisation it abbreviates. A lone word the tagger calls a person joins the person
whose first or last name it is ("Suleimani" -> "Qassim Suleimani", the one named last before it),
else the organisation the table knows by it ("Nissan said"), else stands for a person of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter

from copydesk.document import Entity
from copydesk.enrich.gazetteer import Gazetteer, Place, gazetteer
from copydesk.enrich.scanning import by_first_letter
from copydesk.enrich.tagger import TITLES, spans, tag
from copydesk.enrich.tokens import Tokens

_TYPES = {"PER": "person", "ORG": "organization", "LOC": "place"}
_PARTICLES = frozenset("of the for and de la le du da del der van von bin al ibn y".split())
# With the space before it, where a demonym must stand: a literal first character lets the engine
# jump from space to space (no noun holds a space followed by another noun).
_INSTITUTION = re.compile(
    rf" (?:{by_first_letter('parliament|government|cabinet|senate|congress|army|navy|air force|police|supreme court|foreign ministry|embassy')})\b"
)


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


def find_entities(tokens: Tokens, language: str = "en") -> Entities:
    text = tokens.text
    named = [
        (text[tokens.starts[first] : tokens.ends[last - 1]], tokens.starts[first], _TYPES[kind])
        for first, last, kind in spans(tag(tokens.words, tokens.gaps, tokens.sentence_words, language))
    ]
    # One name, one type: the one most of its mentions got (the first among equals).
    votes: dict[str, Counter[str]] = {}
    for surface, _, type_ in named:
        votes.setdefault(surface, Counter())[type_] += 1
    gaz = gazetteer()
    found: dict[tuple[str, str], _Found] = {}
    singles: list[tuple[str, int]] = []
    for surface, start, _ in named:
        type_ = votes[surface].most_common(1)[0][0]
        if type_ == "person":
            surface, start = _untitled(surface, start)
        if type_ == "person" and " " not in surface:
            singles.append((surface, start))  # a surname or a first name, settled below
            continue
        name, place = _canonical(surface, type_, gaz)
        entry = found.get((type_, name.lower()))
        if entry is None:
            entry = found[type_, name.lower()] = _Found(name, type_, [], place)
        entry.mentions.append((surface, start))
    if language == "en":
        for name, start in _institutions(text, gaz.demonyms):
            found.setdefault(("organization", name.lower()), _Found(name, "organization", [])).mentions.append((name, start))
    _merge_singles(found, singles, gaz)
    _merge_acronyms(found)
    entities = {id(f): _entity(f) for f in found.values() if f.mentions}
    mentions = sorted((offset, entities[id(f)].text, f.type) for f in found.values() if f.mentions for _, offset in f.mentions)
    return Entities(tuple(sorted(entities.values(), key=lambda e: (-e.count, e.offset))), tuple(mentions))


def entity_names(entities: tuple[Entity, ...]) -> dict[str, str]:
    """Every name an entity went by (lower-cased, and people by surname too) -> canonical name."""
    names: dict[str, str] = {}
    for entity in entities:
        for alias in (entity.text, *entity.aliases):
            names.setdefault(alias.lower(), entity.text)
        if entity.type == "person":  # by surname, or the family name that comes first ("Liu Xiaming")
            parts = entity.text.lower().split()
            names.setdefault(parts[-1], entity.text)
            names.setdefault(parts[0], entity.text)
    return names


def _untitled(surface: str, start: int) -> tuple[str, int]:
    """A person's name without the titles the tagger left on it ("Leader Ayatollah Khamenei")."""
    while " " in surface:
        first, rest = surface.split(" ", 1)
        if first.lower().rstrip(".") not in TITLES:
            break
        surface, start = rest, start + len(first) + 1
    return surface, start


def _institutions(text: str, demonyms: dict[str, str]) -> Iterator[tuple[str, int]]:
    """"the Iraqi parliament": a nation's institution, written without capitals, which no tagger
    trained on capitalised names finds. The nouns are found first and the demonym checked behind
    them, which is far quicker than the reverse."""
    for match in _INSTITUTION.finditer(text):
        noun = match.start() + 1
        words = text[max(0, noun - 30) : noun].split()
        for size in (2, 1):  # "South Korean" before "Korean"
            demonym = " ".join(words[-size:])
            if len(words) >= size and demonym in demonyms:
                start = noun - len(demonym) - 1
                yield text[start : match.end()], start
                break


def _canonical(surface: str, type_: str, gaz: Gazetteer) -> tuple[str, Place | None]:
    """The name the tables give a place or an organisation (and the place), else the surface."""
    if type_ == "place":
        place = gaz.places.get(surface) or (gaz.places.get(surface.title()) if surface.isupper() else None)
        if place is not None:
            return place.name, place
    elif type_ == "organization":
        org = gaz.organizations.get(surface.lower())
        if org:
            return org, None
    return surface, None


def _entity(found: _Found) -> Entity:
    surfaces = list(dict.fromkeys(map(itemgetter(0), found.mentions)))
    canonical = max(surfaces, key=_fullness) if found.type == "person" else found.name
    if canonical in surfaces:
        surfaces.remove(canonical)  # the others are its aliases
    place = found.place
    return Entity(
        text=canonical,
        type=found.type,  # type: ignore[arg-type]
        count=len(found.mentions),
        offset=min(map(itemgetter(1), found.mentions)),
        aliases=tuple(surfaces),
        country_code=place.country_code or None if place else None,
        geonames_id=place.geonames_id if place else None,
    )


def _fullness(name: str) -> tuple[int, int]:
    """A person's fullest name has the most words, then the most letters."""
    return len(name.split()), len(name)


def _merge_singles(found: dict[tuple[str, str], _Found], singles: list[tuple[str, int]], gaz: Gazetteer) -> None:
    """One-word people: the first or last name of a person named in full, else the organisation
    the table knows by that word ("Nissan said"), else people of their own."""
    by_part: dict[str, list[tuple[int, _Found]]] = {}
    for person in (f for f in found.values() if f.type == "person"):
        for text, start in person.mentions:
            parts = text.split()
            for part in {parts[0], parts[-1]}:
                by_part.setdefault(part, []).append((start, person))
    for text, start in singles:
        uses = by_part.get(text)
        owner = _nearest(uses, start) if uses else None
        if owner is None and text.lower() in gaz.organizations:
            name = gaz.organizations[text.lower()]
            owner = found.setdefault(("organization", name.lower()), _Found(name, "organization", []))
        if owner is None:
            key = ("person", text.lower())
            owner = found.get(key)
            if owner is None:
                owner = found[key] = _Found(text, "person", [])
        owner.mentions.append((text, start))


def _merge_acronyms(found: dict[tuple[str, str], _Found]) -> None:
    """"FBI" after "Federal Bureau of Investigation": an organisation by its initials."""
    by_initials: dict[str, _Found] = {}
    for org in (f for f in found.values() if f.type == "organization" and " " in f.name):
        by_initials.setdefault(_initials(org.name), org)
    for key, org in list(found.items()):
        if org.type == "organization" and org.name.isupper() and " " not in org.name:
            full = by_initials.get(org.name.replace(".", ""))
            if full is not None and full is not org:
                full.mentions.extend(org.mentions)
                del found[key]


def _nearest(uses: Iterable[tuple[int, _Found]], offset: int) -> _Found | None:
    """The person named last before the offset, else the first named after it."""
    best: tuple[int, _Found] | None = None
    for start, person in uses:
        rank = start if start <= offset else -start
        if best is None or rank > best[0]:
            best = (rank, person)
    return best[1] if best else None


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in _PARTICLES and w[0].isupper())
