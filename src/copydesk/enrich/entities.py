"""People, organisations and places, by rules over capitalised spans and the gazetteers.

A span is a run of capitalised words (with the particles names carry: "Bank of America",
"Osama bin Laden"). It is an organisation when a table or an organisational head word says so
("... University", "... Party") or the press writes it with "the" ("the Doobie Brothers"), a
place when GeoNames knows it, and a person when a title introduces it ("President Donald
Trump"), it opens with a given name, a speech verb follows it, or its last word recurs alone.
A lone word joins the person whose surname it is ("Suleimani" -> "Qassim Suleimani"), an
acronym joins the organisation it abbreviates, and aliases from the tables merge ("ISIS" =
"Islamic State"). Anything else capitalised (products, titles of works, events) is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import compress
from operator import attrgetter, itemgetter
from typing import NamedTuple

from copydesk.document import Entity
from copydesk.enrich.gazetteer import Gazetteer, Place, gazetteer
from copydesk.enrich.scanning import by_first_letter
from copydesk.enrich.tokens import ABBREVIATIONS, Tokens

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
    "programme lab team productions observatory reporter wire chronicle examiner inquirer observer "
    "united management sports business chamber commerce construction engineering builders contractors "
    "logistics consulting consultants".split()
)
_PARTICLES = frozenset("of the for and de la le du da del der van von bin al ibn y".split())
_NOT_NAMES = frozenset(
    "january february march april may june july august september october november december monday "
    "tuesday wednesday thursday friday saturday sunday street avenue road day year act bill award prize "
    "cup championship festival war show series season game games bridge tunnel highway "
    # infrastructure is named like people ("Harbor Bridge", "Union Station") but is a place or a thing
    "boulevard expressway freeway motorway railway airport station terminal stadium plaza harbor "
    "harbour dam canal".split()
)
# First words of spans that read as names of things, not of people.
_NOT_FIRST_NAMES = frozenset(
    "new north south east west northern southern eastern western great united national international "
    "federal central royal the grand upper lower old saint san st".split()
)
_DIRECTIONS = frozenset(
    "north south east west northern southern eastern western central northeast northwest southeast "
    "southwest northeastern northwestern southeastern southwestern upper lower".split()
)
# Lower-case roles that sit between an employer and a name: "Wells Fargo analyst Zachary Fadem".
_ROLES = frozenset(
    "analyst analysts spokesman spokeswoman spokesperson executive executives official officials "
    "chief president chairman director manager founder cofounder co-founder economist strategist "
    "researcher researchers engineer engineers lawyer lawyers employee employees representative "
    "head boss owner partner".split()
)
_TICKER = re.compile(r"(?:['’]s)? \((?:ticker: |NYSE: |NASDAQ: |Nasdaq: |LSE: )?[A-Z][A-Z.]{0,5}\)")
_SAID = frozenset("said says told added wrote explained noted argued insisted warned stated tweeted asked replied".split())
# "Lakshiwnder Singh, another deportee, said": a description between a name and its speech verb.
_APPOSITION_SAID = re.compile(r",(?: [a-z][\w’'-]*){1,6}, (?:said|says|told|added)\b")
# Only words that are isupper() can match: testing that first spares most words the engine.
_ACRONYM = re.compile(r"^(?:[A-Z]{2,6}|(?:[A-Z]\.){2,4})$")
_INITIALS = re.compile(r"^(?:[A-Z]\.)+$")
# Capitals that abbreviate roles, times and things, not organisations.
_NOT_ACRONYMS = frozenset(
    "CEO CFO COO CTO CIO IPO TV OK ET PT EST PST CST MST GMT UTC AM PM GDP FAQ DIY PC HD AI VR AR DNA HIV AIDS "
    "ID PR USB LGBT LGBTQ RIP PS SUV MP MPS RAM CPU GPU SSD LED LCD FPS NFT VAT ETF LLC PLC INC AKA FYI ASAP "
    "TBA TBD EV EVS NB DJ MC MVP QB OT".split()
)
_STOPWORDS_AFTER_INITIAL = frozenset("so but and the a an it this that he she they we i in on at as".split())
# With the space before it, where a demonym must stand: a literal first character lets the engine
# jump from space to space (no noun holds a space followed by another noun).
_INSTITUTION = re.compile(
    rf" (?:{by_first_letter('parliament|government|cabinet|senate|congress|army|navy|air force|police|supreme court|foreign ministry|embassy')})\b"
)

# What opens a sentence inside one: a quote or a bracket right before a word, or a colon or a
# dash and a space.
_OPENING_MARKS = frozenset(("“", '"', "‘", "'", "("))
_OPENING_PAIRS = frozenset((": ", "— ", "– "))
# The gaps a name goes on across: "Bank of America", "George W. Bush", "AT & T".
_NAME_GAPS = frozenset((" ", ". ", " & "))


class _Span(NamedTuple):
    """A named tuple: spans are many and short-lived."""

    text: str
    start: int
    end: int
    #: a speech verb follows or precedes it ("X said", "said X", "according to X")
    said: bool = False
    #: the press wrote "the" before it, which it never does before a person's name
    the: bool = False
    #: what follows says it is a company: a role ("Jefferies analyst Jonathan Matuszewski") or a
    #: ticker ("Home Depot (ticker: HD)")
    company: bool = False


# A span from a tuple of all six fields, made by the tuple constructor in C: a named tuple's
# own constructor is Python code (it fills in the defaults), and _spans makes dozens a text.
_new_span = partial(tuple.__new__, _Span)


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
    spans = _spans(tokens, gaz)
    # Lone words that recur as themselves, not as a known place or organisation: surnames.
    lone = {s.text for s in spans if " " not in s.text and s.text not in gaz.places and s.text.lower() not in gaz.organizations}
    for span, following in zip(spans, [*spans[1:], None]):
        kind = _classify(span, gaz, lone)
        if kind is None and following is not None and following.start == span.end + 2:
            kind = _town(span, following, tokens.text, gaz)
        if kind is None or kind[0] == "surname":
            singles.append(span if kind is None else _Span(kind[3], span.start + span.text.rfind(kind[3]), span.end, True))
            continue
        type_, name, place, surface = kind
        entry = found.get((type_, name))
        if entry is None:
            entry = found[type_, name] = _Found(name, type_, [], place)
        entry.mentions.append((surface, span.start + max(span.text.rfind(surface), 0)))
    for name, start in _institutions(tokens.text, gaz.demonyms):
        key = ("organization", name.lower())
        if key not in found:
            found[key] = _Found(name, "organization", [])
        found[key].mentions.append((name, start))
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
        if entity.type == "person":  # by surname, or the family name that comes first ("Liu Xiaming")
            parts = entity.text.lower().split()
            names.setdefault(parts[-1], entity.text)
            names.setdefault(parts[0], entity.text)
    return names


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


def _spans(tokens: Tokens, gaz: Gazetteer) -> list[_Span]:
    """The text's capitalised spans, lists of names ("Iran and Iraq") already split."""
    text, words, starts, ends, lower, gaps = tokens.text, tokens.words, tokens.starts, tokens.ends, tokens.lower, tokens.gaps
    count = len(words)
    # Set and filter calls in C: the per-word work stays out of Python. A lower-case word is in
    # the vocabulary exactly when the text writes it in lower case.
    vocabulary = set(words)
    capitals = compress(range(count), map(str.isupper, map(itemgetter(0), words)))
    sentence_starts = set(map(attrgetter("start"), tokens.sentences))
    spans: list[_Span] = []
    j = 0
    for i in capitals:
        if i < j:
            continue  # inside the span just made
        j = i + 1
        # Most names end at the next word, at a gap no name spans or a lower-case word that is
        # no particle: settled here, before the finer tests of _joins.
        while (
            j < count
            and gaps[j] in _NAME_GAPS
            and (words[j][0].isupper() or lower[j] in _PARTICLES)
            and _joins(tokens, j, vocabulary)
        ):
            j += 1
        start = starts[i]
        if j == i + 1 and start in sentence_starts and _opens_sentence_only(lower[i], words[i], gaz):
            continue  # "He", "But", "The": what _trim_start would drop, at a fraction of the cost
        last = j - 1
        while last >= i and lower[last] in _PARTICLES:
            last -= 1
        if lower[i] == "the" or _opens(start, gaps[i], sentence_starts):
            first, the = _trim_start(tokens, i, last, sentence_starts, vocabulary, gaz)
        else:
            first, the = i, False  # what _trim_start says of a word that opens nothing
        if first > last:
            continue
        start = starts[first]
        word = words[last]
        end = starts[last] + word.index("-") if "-" in word and _compound(word, vocabulary) else ends[last]
        surface = text[start:end]
        if surface.isupper():
            if _shouting(words[first : last + 1]) and surface.title() not in gaz.places:
                continue
            if text[start - 1 : start] in ("(", " ") and text[end : end + 1] == ")" and surface.lower() not in gaz.organizations:
                continue  # "(KOSPI)", "(ticker: HD)": an index or a ticker, not a name
        # The word after the name, when a single space separates them.
        after = lower[j] if j < count and end == ends[j - 1] and gaps[j] == " " else ""
        # What comes before, for "said X", "according to X", "the X": each ends in a letter and
        # one space, and a gap holds no letters, so only a name after a lone space can follow one.
        before = text[start - 13 if start > 13 else 0 : start].lower() if gaps[first] == " " else ""
        said = (
            after in _SAID
            or before.endswith(("according to ", "said ", "says "))
            or (text.startswith(",", end) and _APPOSITION_SAID.match(text, end) is not None)
        )
        the = the or before.endswith("the ")
        company = after in _ROLES or (text.startswith((" (", "’s", "'s"), end) and _TICKER.match(text, end) is not None)
        span = _new_span((surface, start, end, said, the, company))
        if " and " in surface or " & " in surface:
            spans.extend(_split_lists(span, gaz))
        else:
            spans.append(span)
    return spans


def _split_lists(span: _Span, gaz: Gazetteer) -> list[_Span]:
    """"Iran and Iraq" names two things, "Securities and Exchange Commission" one (of a span
    with an "and" or "&")."""
    if span.text.lower() in gaz.organizations or span.text in gaz.places:
        return [span]
    left, right = re.split(r" (?:and|&) ", span.text, maxsplit=1)
    left_known = left.lower() in gaz.organizations or left in gaz.places
    right_is_org = right.split()[-1].lower() in _ORG_HEADS
    if not left_known and (" of " in left or (right_is_org and left.endswith("s")) or (" " not in left and not right_is_org)):
        return [span]
    parts: list[_Span] = []
    start = span.start
    for part in re.split(r" (?:and|&) ", span.text):
        offset = span.text.index(part, start - span.start) + span.start
        parts.append(_Span(part, offset, offset + len(part), span.said and offset + len(part) == span.end, span.the and offset == span.start))
        start = offset + len(part)
    return parts


def _capitalised(word: str) -> bool:
    return word[0].isupper() and word[0].isalpha()


def _compound(word: str, vocabulary: set[str]) -> bool:
    """"US-led", "American-born": a hyphenated name joined to an ordinary word, which ends the
    name ("Cheuk Hau-yip" does not)."""
    tail = word.rsplit("-", 1)[1]
    return tail.islower() and (tail in vocabulary or tail.endswith(("ed", "ing", "based", "born", "style")))


def _joins(tokens: Tokens, k: int, vocabulary: set[str]) -> bool:
    """Whether word ``k``, capitalised or a particle and after a gap a name can span, goes on
    the name that word ``k - 1`` is part of."""
    words = tokens.words
    word, previous = words[k], words[k - 1]
    if "-" in previous and _compound(previous, vocabulary):
        return False
    if tokens.gaps[k] == ". " and (not _dotted(previous) or tokens.lower[k] in _STOPWORDS_AFTER_INITIAL):
        return False  # "Xbox One X. So ..." ends a sentence
    if not word[0].isupper():  # a particle joins when a capitalised word follows it: "Bank of America"
        return k + 1 < len(words) and tokens.gaps[k + 1] == " " and _capitalised(words[k + 1])
    return word[0].isalpha()


def _dotted(word: str) -> bool:
    """Abbreviated titles and initials keep their dot inside a name ("Maj. General", "George W. Bush")."""
    return (len(word) == 1 and word.isupper()) or word.lower() in ABBREVIATIONS


def _trim_start(
    tokens: Tokens, first: int, last: int, sentence_starts: set[int], vocabulary: set[str], gaz: Gazetteer
) -> tuple[int, bool]:
    """Drop sentence-opening words that are capitalised only because they open the sentence:
    the index of the name's first word, and whether a "the" went (people's names never take one)."""
    the = False
    text, words, starts = tokens.text, tokens.words, tokens.starts
    opening = first
    while first <= last:
        start = starts[first]
        at_start = _opens(start, tokens.gaps[first], sentence_starts)
        lowered = tokens.lower[first]
        if not at_start and lowered != "the":
            break  # only an opening word can owe its capital to its place
        if first == opening:
            whole = text[start : tokens.ends[last]]
            if (whole.title() if whole.isupper() else whole) in gaz.places:
                break  # "NEW DELHI", "United States"
        if lowered == "the":
            the = True
            if not at_start and first < last and words[first] == "The":
                break  # "from The Wrap": a capital "The" inside a sentence belongs to the name
            first += 1
            continue
        # "Following the vote, ...": an opening -ing word is a verb, not a name.
        common = lowered in gaz.stopwords or (lowered in vocabulary and lowered.islower()) or (lowered.endswith("ing") and first < last)
        if common and lowered not in _TITLES and not _recurs(tokens, first, last, gaz):
            first += 1
            continue
        break
    return first, the


def _opens(start: int, gap: str, sentence_starts: set[int]) -> bool:
    """Whether the word at ``start`` (after ``gap``) opens a sentence, or a quote or clause that
    reads like one. No word ends in a mark, so the gap holds whatever marks precede it."""
    return start in sentence_starts or gap[-1:] in _OPENING_MARKS or gap[-2:] in _OPENING_PAIRS


def _opens_sentence_only(lowered: str, word: str, gaz: Gazetteer) -> bool:
    """A lone capitalised stopword at a sentence's start, which is no name."""
    return lowered in gaz.stopwords and lowered not in _TITLES and word not in gaz.places and not word.isupper()


def _recurs(tokens: Tokens, first: int, last: int, gaz: Gazetteer) -> bool:
    """Whether a sentence's capitalised opening pair appears again, so is a name ("Big Machine")."""
    text = tokens.text
    return (
        first < last
        and tokens.lower[first] not in gaz.stopwords
        and text.count(text[tokens.starts[first] : tokens.ends[first + 1]]) > 1
    )


def _shouting(words: list[str]) -> bool:
    """All-capitals words: headings ("AN IMPORTANT UPDATE") and datelines ("HONOLULU, Hawaii")."""
    return all(w.isupper() and len(w) > 1 for w in words) and (len(words) > 1 or len(words[0]) > 6)


def _classify(span: _Span, gaz: Gazetteer, lone: set[str]) -> tuple[str, str, Place | None, str] | None:
    """(type, canonical name, place, the words that name it) for a span, or None when only
    context can tell. A lone word a title introduced ("Mr. Trump") is a "surname"."""
    surface = span.text
    if " " not in surface:  # most spans, with nothing to trim
        return _known(surface, gaz) or (None if surface.lower().rstrip(".") in _NOT_NAMES else _one_word(surface, False, span.company, gaz))
    found = _known(surface, gaz)
    if found:
        return found
    words = surface.split()
    lowered = [w.lower().rstrip(".") for w in words]
    if not _NOT_NAMES.isdisjoint(lowered):
        return None
    if len(words) > 1 and lowered[0] in _DIRECTIONS and " ".join(words[1:]) in gaz.places:
        region = gaz.places[" ".join(words[1:])]  # "West Michigan", "Northern California"
        return "place", surface, Place(surface, region.country_code), surface
    if len(words) > 1 and (lowered[-1] in _ORG_HEADS or ("of" in lowered and any(a in _ORG_HEADS and b == "of" for a, b in zip(lowered, lowered[1:])))):
        return "organization", surface, None, surface
    if len(words) > 1 and lowered[-1] in _TITLES:  # "House of Representatives Speaker"
        cut = surface[: surface.rindex(" ")]
        return _classify(_Span(cut, span.start, span.start + len(cut), span.said, span.the), gaz, lone)
    titled = not _TITLES.isdisjoint(lowered[:-1])
    if titled:  # "Police Chief Jane Roe", "Supreme Leader Ayatollah Khamenei": the name follows the last title
        last = max(i for i, w in enumerate(lowered[:-1]) if w in _TITLES)
        words, lowered = words[last + 1 :], lowered[last + 1 :]
    while len(words) > 2 and words[0] in gaz.places or len(words) > 1 and (words[0] in gaz.demonyms or words[0] in _PARTICLES):
        words, lowered = words[1:], lowered[1:]
    if not words or len(words) > 4:
        return None
    rest = " ".join(words)
    if rest != surface and (rest.lower() in gaz.organizations or rest in gaz.places):
        return _classify(_Span(rest, span.start, span.end), gaz, lone)
    if len(words) == 1:
        return _one_word(rest, titled, span.company, gaz)
    if words[0] == "The" or (words[0].isupper() and _ACRONYM.match(words[0]) and words[0] not in _NOT_ACRONYMS and not titled):
        return "organization", surface, None, surface  # "The Wrap", "CNN Business"
    if not all(map(_name_like, words)):
        return None
    given = _given_name(lowered, gaz.given_names)
    if given is not None and given < len(words) - 1:
        name = " ".join(words[given:])  # "Employee Steve Castro" -> "Steve Castro"
        return "person", name.lower(), None, name
    if titled or lowered[0] in _HONORIFICS or span.said or words[-1] in lone:
        return "person", rest.lower(), None, rest
    if span.company:
        return "organization", surface, None, surface
    if span.the and lowered[0] not in _NOT_FIRST_NAMES:
        return "organization", surface, None, surface
    return None


def _known(surface: str, gaz: Gazetteer) -> tuple[str, str, Place | None, str] | None:
    """An organisation or a place the tables know by this name."""
    org = gaz.organizations.get(surface.lower())
    if org:
        return "organization", org, None, surface
    place = gaz.places.get(surface) or (gaz.places.get(surface.title()) if surface.isupper() else None)
    if place:
        return "place", place.name, place, surface
    return None


def _given_name(lowered: list[str], given_names: frozenset[str]) -> int | None:
    """Where the first given name ("steve", "mary-jane") stands."""
    for i, word in enumerate(lowered):
        if word.partition("-")[0] in given_names:
            return i
    return None


def _one_word(word: str, titled: bool, company: bool, gaz: Gazetteer) -> tuple[str, str, Place | None, str] | None:
    """What a span, or what is left of it after its titles, is when it is one word."""
    if titled:
        return "surname", word, None, word
    if word in gaz.demonyms:
        return None  # "Austrian researchers": a nationality, not an employer
    if (word.isupper() and _ACRONYM.match(word) and word not in _NOT_ACRONYMS and "." not in word) or company:
        return "organization", word, None, word
    return None


def _town(span: _Span, following: _Span, text: str, gaz: Gazetteer) -> tuple[str, str, Place | None, str] | None:
    """"Greenbelt, Maryland": a name written before its state or country is a place there (of a
    span the next one follows two characters on)."""
    if text[span.end : following.start] != ", ":
        return None
    region = gaz.places.get(following.text)
    if region is None or not region.country_code or len(span.text.split()) > 3:
        return None
    if any(w.lower() in _NOT_NAMES for w in span.text.split()):
        return None
    return "place", span.text, Place(span.text, region.country_code), span.text


def _name_like(word: str) -> bool:
    return word[0].isupper() and not word.isupper() or len(word) <= 2 or bool(_INITIALS.match(word))


def _merge_singles(found: dict[tuple[str, str], _Found], singles: list[_Span]) -> None:
    """Lone words: a known person's surname or first name, an acronym's expansion, or a speaker."""
    # Where each first or last word of a full name was used: (offset, person).
    by_part: dict[str, list[tuple[int, _Found]]] = {}
    for person in (f for f in found.values() if f.type == "person"):
        for text, start in person.mentions:
            parts = text.split()
            if len(parts) > 1:
                for part in {parts[0], parts[-1]}:
                    by_part.setdefault(part, []).append((start, person))
    # Each organisation by its initials, the one found first where two share them.
    by_initials: dict[str, _Found] = {}
    for org in (f for f in found.values() if f.type == "organization"):
        by_initials.setdefault(_initials(org.name), org)
    for span in singles:
        if " " in span.text:
            continue
        uses = by_part.get(span.text)
        owner = _nearest(uses, span.start) if uses else None
        if owner is None and span.text.isupper():
            owner = by_initials.get(span.text.replace(".", ""))
        if owner is None and span.said and span.text.lower() not in _NOT_NAMES:
            key = ("person", span.text.lower())
            if key not in found:
                found[key] = _Found(span.text, "person", [])
            owner = found[key]
        if owner is not None:
            owner.mentions.append((span.text, span.start))


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


def _institutions(text: str, demonyms: dict[str, str]) -> Iterator[tuple[str, int]]:
    """"the Iraqi parliament": a nation's institution, written without capitals. The nouns are
    found first and the demonym checked behind them, which is far quicker than the reverse."""
    for match in _INSTITUTION.finditer(text):
        noun = match.start() + 1
        words = text[max(0, noun - 30) : noun].split()
        for size in (2, 1):  # "South Korean" before "Korean"
            demonym = " ".join(words[-size:])
            if len(words) >= size and demonym in demonyms:
                start = noun - len(demonym) - 1
                yield text[start : match.end()], start
                break
