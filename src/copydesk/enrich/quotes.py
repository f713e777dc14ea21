"""Direct quotes and who said them.

The attribution patterns of news prose: '"...," X said', '"...," said X', 'X said: "..."',
'X has promised "..."', 'X said the plan was "..."', '"..." and more, X said', 'according to X',
and '"...," the statement said' where the speaker is whoever issued the statement ("a statement
from the army ..."). Pronouns and surnames resolve to the entity they point to; later quotes in a
paragraph, and a long quote opening the next one, keep the speaker before them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from itertools import takewhile
from dataclasses import dataclass

from copydesk.document import Quote
from copydesk.enrich.entities import Entities, entity_names
from copydesk.enrich.scanning import by_first_letter, matches_at
from copydesk.enrich.tokens import Tokens

# News prose leaves a quote open at the end of a paragraph when the next paragraph goes on
# quoting, so a paragraph's end closes an open quote too. A quote ends at the first mark that
# can close it: a possessive run of the characters that cannot finds that end in one pass, where
# a lazy one would try the ending after every character.
_QUOTED = re.compile(
    r"(?:“(?P<curly>[^“”\n]{2}[^“”\n\"]*+)(?:[”\"]|(?=\n)|$)"
    r"|(?<![\w\"])\"(?P<straight>[^\"”\n]{2,}+)[\"”](?!\w)"
    r"|(?<![\w\"])\"(?P<open_straight>[^\"\n]{2,}+)(?=\n|$)"
    r"|«\s?(?P<guillemet>[^«»]{2,}?)\s?»|„(?P<low>[^„“”]{2,}+)[“”]|»(?P<reversed>[^»«]{2,}?)«)"
)
# What a quote opens with: _QUOTED is tried only where str.find, far faster than the regex
# engine's scan, finds one of these.
_OPENING_MARKS = "“\"«„»"
# Grouped by first letter, which the engine tries far faster (see by_first_letter).
_VERBS = by_first_letter(
    r"said|says|say|told|tells|added|adds|asked|asks|explained|explains|noted|notes|wrote|writes|argued|"
    r"argues|insisted|warned|warns|promised|promises|vowed|declared|stated|announced|tweeted|posted|"
    r"replied|continued|claimed|claims|acknowledged|recalled|predicted|suggested|admitted|concluded|"
    r"remarked|urged|commented|responded|recounted|joked|conceded|cautioned|observed|pledged|threatened|"
    r"saying|adding|warning|noting|explaining|arguing|telling|insisting|writing|testified|described|"
    # the commonest in German, French, Spanish, Italian, Portuguese and Dutch news: '„...“, sagte
    # X', '« ... », a déclaré X', '«...», dijo X', '«...», ha detto X', '"...", disse X', '"...", zei X'
    r"sagte|sagt|sagten|erklärte|erklärt|betonte|betont|meinte|meint|warnte|forderte|kritisierte|"
    r"berichtete|ergänzte|fügte hinzu|teilte mit|so|"
    r"dit|a dit|a déclaré|déclare|a affirmé|affirme|a expliqué|explique|a ajouté|ajoute|a souligné|"
    r"souligne|a indiqué|indique|a précisé|précise|a assuré|assure|a estimé|estime|a lancé|"
    r"dijo|dice|afirmó|afirma|explicó|señaló|aseguró|declaró|añadió|agregó|indicó|subrayó|destacó|"
    r"advirtió|sostuvo|manifestó|comentó|"
    r"ha detto|detto|dice|ha dichiarato|dichiara|ha spiegato|spiega|ha affermato|afferma|ha aggiunto|"
    r"aggiunge|ha sottolineato|sottolinea|ha precisato|"
    r"disse|diz|afirmou|explicou|declarou|acrescentou|sublinhou|destacou|garantiu|referiu|salientou|"
    r"zei|zegt|verklaarde|stelde|aldus|benadrukte|liet weten|voegde toe"
)
_AUX = rf"(?:(?:{by_first_letter('has|had|have|was|is|also|then|later|previously|reportedly|once|recently|simply|just')})\s+)*"
_AFTER_SPEAKER_FIRST = re.compile(rf"^[\s,]*(?P<speaker>[^.;:!?“”\"]{{1,100}}?)\s+{_AUX}(?:{_VERBS})\b")
_AFTER_VERB_FIRST = re.compile(rf"^[\s,]*(?:{_VERBS})\s+(?P<speaker>[^,.;:!?“”\"]{{1,80}})")
# "X said: “...", "X said that “...", and the partial quote "X said the plan was “...”".
_AFTER_VERB = r"(?:[^.;:!?“”\"]{0,60}?[\s,:]*|(?:\s+[\w’']+){0,4}\s*:\s*)$"
_BEFORE = re.compile(rf"(?P<speaker>[^.;:!?“”\"]{{1,120}}?)\s*,?\s+{_AUX}(?:{_VERBS})\b{_AFTER_VERB}")
# When what follows the last speech verb is not such an ending, no verb's is, and _BEFORE would
# fail only after trying every start against every verb.
_ENDS_AFTER_VERB = re.compile(_AFTER_VERB)
_CLAUSE_STOP = re.compile(r"[.;!?“”\"][^.;!?“”\"]*$")
# "“...” and affects the state, Noem said in the announcement.": the speaker ends the sentence.
_TAIL = re.compile(rf",\s+(?P<speaker>[^,.;:!?“”\"]{{1,60}}?)\s+{_AUX}(?:{_VERBS})\b[^.;!?“”\"]*[.!?]?\s*$")
# Every attribution pattern holds a speech verb after a space; where none is, the costly
# patterns (they try each start against each end) need not run.
_ANY_VERB = re.compile(rf"\s(?:{_VERBS})\b")
_VERB_PHRASE = re.compile(rf"\s+{_AUX}(?:{_VERBS})\b")
_CLAUSE_OPENER = re.compile(r"\b(?:and|but|while|as|when|after|because|where|then)\s+")
_ACCORDING = re.compile(
    r"\b(?:[Aa]ccording to|[Ss]elon|[Ss]egún|[Ss]econdo|[Ss]egundo|[Vv]olgens|[Ll]aut) (?P<speaker>[^,.;:!?“”\"«»„]{2,80})"
)
_ACCORDING_WORDS = ("ccording to", "elon ", "egún ", "econdo ", "egundo ", "olgens ", "aut ")
# Third-person pronouns in the supported languages ("sie", "ze", "ela" are also "they" or
# "her"; in front of a speech verb they are the speaker).
_PRONOUN = re.compile(r"^(?:he|she|him|her|er|sie|il|elle|él|ella|lui|lei|ele|ela|hij|zij|ze)$", re.I)
_DOCUMENT = re.compile(r"^(?:the|a|an|this|that|its|their|his|her)\s+(?:\w+\s+){0,2}(?:statement|release|report|letter|memo|document|filing|complaint|notice|post|tweet)$", re.I)
_ISSUER = re.compile(
    r"(?:statement|release|report|letter|memo)\s+(?:from|by|issued by)\s+(?P<a>(?:the\s+)?[A-Za-z][\w’'-]*(?:\s+[A-Za-z][\w’'-]*){0,4}?)(?=\s+(?:announcing|on|that|said|says|which|to|pointed|in|was|has|,)|[.,])"
    r"|(?P<b>(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})(?:’s|'s)\s+statement"
    r"|(?P<c>(?:the\s+)?(?:[\w’'.-]+\s+){0,2}[\w’'-]+)\s+(?:said in|issued|released|put out) a statement"
)
_DOT = "\u2024"
_ABBREVIATED = re.compile(r"\b(?:[A-Z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|St|Jr|Sr)\.|\b[A-Z]\.(?= [A-Z])")
# Where a speaker's name ends and the rest of the clause begins.
_SPEAKER_END = re.compile(rf",|\s+(?:{by_first_letter('and|in|on|at|during|via|to|from|after|before|when|while|with|who|which|because')})\s+")
_NAME_PARTICLES = frozenset("de la le du da del der van von bin al ibn y".split())
_AGE_DESCRIPTOR = re.compile(r"^the \d+-year-old$", re.I)
# Nouns that name a speaker by role or a body that speaks: "the spokesperson", "a police officer",
# "Russia's foreign ministry" are speakers; "the Rukban camp" is not.
_ROLE_NOUNS = frozenset(
    "spokesperson spokesman spokeswoman spokespeople official officials source sources expert experts "
    "analyst analysts doctor doctors physician physicians officer officers police president minister "
    "ministry mayor governor prosecutor prosecutors insider insiders lawyer lawyers attorney attorneys "
    "office department agency service government company statement user users director chief "
    "executive ceo chairman chairwoman secretary senator spokes representative witness witnesses "
    "resident residents commander army military court judge coach manager leader leaders team club "
    "council commission committee board union mother father wife husband son daughter sister brother "
    "family friend neighbour neighbor sprecher sprecherin polizei regierung "
    "ministerium minister ministerin präsident präsidentin porte-parole ministre gouvernement préfecture "
    "portavoz gobierno ministerio policía portavoce governo ministero polizia porta-voz ministério "
    "polícia woordvoerder minister regering ministerie politie".split()
)
# Words that open a clause, never a name, even with a capital ("There's a", "In a separate tweet").
_NOT_NAMES = frozenset(
    "there there’s there's as in on at if when while after before but and so yet still then also "
    "this that these those it its we i you they fifty one two three some many most several".split()
)
_MAX_ROLE_WORDS = 3
# How titles end, in English and German (whose compounds put the title last: "Innenminister").
_TITLE_ENDINGS = (
    "mayor", "president", "senator", "governor", "minister", "chancellor", "secretary", "judge", "coach",
    "chief", "director", "ceo", "chairman", "chairwoman", "sheriff", "officer", "gen", "dr", "prof", "sen",
    "rep", "gov", "lt", "col", "capt", "sgt", "meister", "meisterin", "ministerin", "kanzler", "kanzlerin",
    "präsident", "präsidentin", "sprecher", "sprecherin", "chefin", "direktorin", "trainer", "trainerin",
    "leiter", "leiterin",
)
_DETERMINERS = frozenset("the a an one der die das ein eine le la les un une el los las il lo gli o os as de het een".split())
_NOT_SPEAKERS = re.compile(r"^(?:it|this|that|they|we|i|you|there|which|who|what)$", re.I)
# Scare quotes are short; what a person says at length is a quote even without a verb nearby.
_MIN_WORDS = 2
_CONTINUATION_WORDS = 8


@dataclass(frozen=True, slots=True)
class _Context:
    names: dict[str, str]
    #: (offset, canonical name, type) of every mention, in text order: the people among them
    #: are what "he" and "she" point back to
    mentions: tuple[tuple[int, str, str], ...]


def find_quotes(tokens: Tokens, found: Entities) -> tuple[Quote, ...]:
    text = tokens.text
    matches = _quoted(text)
    if not matches:
        return ()  # many articles quote no one: the speakers' names need not be gathered
    speakers = tuple(e for e in found.entities if e.type != "place")
    context = _Context(entity_names(speakers), found.mentions)
    starts = [s.start for s in tokens.sentences]
    quotes: list[Quote] = []
    last_speaker, last_end = "", -1
    for match in matches:
        # Each of _QUOTED's alternatives holds one group, so the last group matched is the body.
        body = match[match.lastindex].strip().rstrip(",").strip()
        words = len(body.split())
        if words < _MIN_WORDS:
            continue
        start_sentence = tokens.sentences[max(bisect.bisect_right(starts, match.start()) - 1, 0)]
        end_sentence = tokens.sentences[max(bisect.bisect_right(starts, match.end() - 1) - 1, 0)]
        before = text[start_sentence.start : match.start()]
        after = text[match.end() : max(end_sentence.end, match.end())]
        # '"...," X said' needs the quote to close a clause; a phrase quoted mid-sentence does not.
        closes = match.group().rstrip("”\"").endswith((",", "!", "?", "—")) or after.lstrip().startswith(",")
        raw = (
            (_speaker_after(after) if closes else "")
            or _speaker_before(before)
            or _according(before + " " + after)
            or _tail(after)
        )
        speaker = _resolve(raw, match.start(), text, context) if raw else ""
        if not speaker and last_speaker and _continues(text, last_end, match.start(), words):
            speaker = last_speaker
        if speaker:
            quotes.append(Quote(body, speaker))
            last_speaker, last_end = speaker, match.end()
        elif words >= _CONTINUATION_WORDS and not before.strip():
            quotes.append(Quote(body, None))
    return tuple(quotes)


def _quoted(text: str) -> list[re.Match[str]]:
    """_QUOTED's matches: each starts at an opening mark."""
    return matches_at(_QUOTED, text, sorted(at for mark in _OPENING_MARKS for at in _positions(text, mark)))


def _positions(text: str, mark: str) -> Iterator[int]:
    at = text.find(mark)
    while at >= 0:
        yield at
        at = text.find(mark, at + 1)


def _continues(text: str, last_end: int, start: int, words: int) -> bool:
    """Whether a quote with no speaker of its own goes on from the quote before it: in the same
    sentence or paragraph with nothing but a speech verb between them, or as a long quote that
    opens the next paragraph."""
    between = text[last_end:start]
    if "\n\n" not in between:  # one paragraph quotes one speaker, unless it names another
        return True
    return between.count("\n\n") == 1 and between.endswith("\n\n") and words >= _CONTINUATION_WORDS


def _tail(after: str) -> str:
    head = _mask_dots(after[:200])
    match = _TAIL.search(head) if _ANY_VERB.search(head) else None
    return _unmask(match.group("speaker").strip()) if match else ""


def _speaker_after(after: str) -> str:
    head = _mask_dots(after[:140])
    match = _AFTER_VERB_FIRST.match(head) or _AFTER_SPEAKER_FIRST.match(head)
    return _unmask(match.group("speaker").strip()) if match else ""


def _mask_dots(text: str) -> str:
    """Hide the dots of "U.S." and "Dr." so they do not end a speaker's name."""
    if "." not in text:
        return text  # most clauses before a quote: nothing for the engine to look for
    return _ABBREVIATED.sub(lambda m: m.group().replace(".", _DOT), text)


def _unmask(text: str) -> str:
    return text.replace(_DOT, ".")


def _speaker_before(before: str) -> str:
    tail = _mask_dots(before[-160:])
    # No part of the pattern holds these marks, so it can only start after the last of them.
    stop = _CLAUSE_STOP.search(tail)
    begin = stop.end() if stop else 0
    verbs = [m.end() for m in _ANY_VERB.finditer(tail, begin)]
    match = _BEFORE.search(tail, begin) if verbs and _ENDS_AFTER_VERB.match(tail, verbs[-1]) else None
    if not match:
        return ""
    speaker = _unmask(match.group("speaker").strip())
    if speaker.endswith((" and", " but", " or")):
        return ""  # "X accused Y and warned ...": the subject is further back than we look
    # "Liu said that the army could be deployed, warning: ..." -> "Liu".
    speaker = _VERB_PHRASE.split(speaker, maxsplit=1)[0]
    # The subject is the last clause's: "While X did that, Y said" -> "Y".
    return _CLAUSE_OPENER.split(speaker)[-1].strip()


def _according(sentence: str) -> str:
    match = _ACCORDING.search(sentence) if any(w in sentence for w in _ACCORDING_WORDS) else None
    return match.group("speaker").strip() if match else ""


def _resolve(raw: str, position: int, text: str, context: _Context) -> str:
    raw = " ".join(raw.split())
    parts = [p.strip() for p in _SPEAKER_END.split(raw) if p and p.strip()] or [raw]
    nearest = parts[-1].split()[-1]  # the word right before the verb: "Finding water on Europa, he said"
    if _PRONOUN.match(nearest):
        raw = nearest
    else:
        # "chairman, CEO and president Craig Menear", "Peschorn, who serves in ...": the part
        # that names someone, the one nearest the verb first, descriptions ("chairman of X") last.
        for part in sorted(reversed(parts), key=lambda p: p[0].islower()):
            known = _known(part, context)
            if known:
                return known
        raw = next((p for p in reversed(parts) if p[0].isupper()), parts[-1])
    if _NOT_SPEAKERS.match(raw):
        return ""
    # "He instead said": a pronoun opening a subject that names no one is the subject (Italian
    # "il sindaco Marco Bianchi" opens on an article spelled as French "il").
    words = raw.split()
    opens_on_pronoun = _PRONOUN.match(words[0]) and not any(w[0].isupper() for w in words[1:])
    if _PRONOUN.match(raw) or opens_on_pronoun or _AGE_DESCRIPTOR.match(raw):
        return _last_person(context.mentions, position)
    if _DOCUMENT.match(raw):
        issuer = _issuer(text, position)
        return issuer or ""
    return "" if len(raw.split()) > 6 else _speaker_name(raw)


def _speaker_name(raw: str) -> str:
    """Who a clause before a speech verb names, or "" when it names no one: a name ("Benioff
    weighed in" -> "Benioff"), or a role or body ("the spokesperson", "Russia's foreign ministry");
    never a fragment of the sentence ("There's a", "Fifty-one percent", "decide")."""
    words = raw.split()
    if words[-1].lower().strip("’'s") in _ROLE_NOUNS or words[-1].lower() in _ROLE_NOUNS:
        return raw
    if len(words) > 1 and words[0] in _DETERMINERS:  # "the UK", "the White House"
        words = words[1:]
    name = _leading_name(" ".join(words))
    first = name.split()[0]
    if first.lower() in _NOT_NAMES or not first[0].isupper() or any(ch.isdigit() for ch in name):
        return ""
    if first.lower() in _DETERMINERS:  # "The report", "Ein Sprecher" without a role noun we know
        return ""
    return name




def _last_person(mentions: tuple[tuple[int, str, str], ...], position: int) -> str:
    """The person named last before ``position``."""
    for i in range(bisect.bisect_left(mentions, (position,)) - 1, -1, -1):
        if mentions[i][2] == "person":
            return mentions[i][1]
    return ""


def _leading_name(raw: str) -> str:
    """A name and what follows it, cut where the name ends: "Sabine Hoffmann nach der Abstimmung"
    -> "Sabine Hoffmann", "Benioff weighed in" -> "Benioff"."""
    words = raw.split()
    # "le maire Claire Moreau", "burgemeester Pieter de Vries": the role before the name goes.
    lead = next((i for i, w in enumerate(words[:_MAX_ROLE_WORDS + 1]) if w[0].isupper()), 0)
    words = words[lead:]
    name = list(takewhile(lambda w: w[0].isupper() or w in _NAME_PARTICLES, words))
    while name and name[-1] in _NAME_PARTICLES:
        name.pop()
    # "Mayor John Smith", "Bürgermeisterin Anna Schneider": a title before a full name goes.
    while len(name) >= 3 and name[0].lower().rstrip(".").endswith(_TITLE_ENDINGS):
        name.pop(0)
    return " ".join(name) if name else raw


def _known(part: str, context: _Context) -> str:
    """The entity the longest tail of the words names: "Iranian leader X Y" -> "X Y"."""
    words = part.split()
    for i in range(len(words)):
        known = context.names.get(" ".join(words[i:]).lower())
        if known:
            return known
    return ""


def _issuer(text: str, position: int) -> str:
    """Who issued the statement a quote comes from: the nearest issuer named before it."""
    paragraph = text.rfind("\n\n", 0, position)
    window = text[max(0, text.rfind("\n\n", 0, paragraph) if paragraph > 0 else 0) : position]  # this paragraph and the one before
    issuers = [next(g for g in m.groups() if g) for m in _ISSUER.finditer(window)]
    return issuers[-1].strip() if issuers else ""
