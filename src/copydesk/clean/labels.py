"""Why a block is boilerplate: one label of ``copydesk.document.REMOVED_LABELS`` per removed block.

Labels come from what the block says (calls to action, legal wording) and, in HTML, from the
class/id/tag hints of its context. They explain a cut; they do not decide it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: The author's note under an article: "Jane Doe is a senior reporter for ...".
_ABOUT_AUTHOR = (
    r"^[\w.'’ -]{3,40} (is|was) (an?|the) [\w ,'’-]{0,40}"
    r"(reporter|writer|editor|correspondent|journalist|columnist|contributor|author|blogger)\b"
)

#: What only a photo caption says: "In this file photo, ...", "(AP Photo/Jane Doe)", "Mayor
#: Jane Doe (left) ...", "An artist's illustration of ...", "2 of 14 The mayor opens ...".
_CAPTION_PHRASES = (
    r"\bfile (photo|image)\b", r"\bphoto(graph)? (by|courtesy|credit)\b", r"\bap photo\b", r"\bgetty images\W*$",
    # A caption ends on its agency, with no full stop: "... on July 25. Jane Doe / AP file".
    r"[/|] ?(ap|afp|reuters|epa|getty images|shutterstock)( file| photo)?\)?$",
    r"\bcredits?: \S", r"\bphotos?( credit| copyright)?: [^.]{0,60}$", r"\bimages?( credit| copyright)?: [^.]{0,60}$",
    r"\bpictured (here|above|below|left|right)\b", r"\((left|right|centre|center|top|bottom|pictured)\)",
    r"^(this|an?) (artist'?s )?(illustration|image|photo|photograph|picture|rendering|impression) (of|shows|showing)\b",
    r"^\d+ of \d+ ", r"^image caption\b", r"^(image|photo|picture|slide) \d+ of \d+$",
)

#: Headings that only ever stand over suggestions of other pages ("You may also like"), in
#: several languages; "Related" or "Most read" may also head a box inside an article.
_SUGGESTIONS = (
    r"^(you (may|might|will) also (like|enjoy)|we recommend|recommended for you|você (pode|também pode) gostar"
    r"|(también )?te puede interesar|das könnte sie auch interessieren|vous aimerez aussi|(ti )?potrebbe interessarti"
    r"|вам (может|также может) (понравиться|быть интересно)|anda mungkin suka)\b"
)
_SUGGESTS = re.compile(_SUGGESTIONS)
_CAPTION = re.compile("|".join(_CAPTION_PHRASES))
#: The same note, where a name (capitalised words) is what the sentence is about.
_ABOUT_AUTHOR_LINE = re.compile(
    r"^(?:[A-ZÀ-Þ][\w.'’-]*\s){1,4}(?:is|was) (?:an?|the) [\w ,'’-]{0,40}?"
    r"(?i:reporter|writer|editor|correspondent|journalist|columnist|contributor|author|blogger)\b"
)

# Ordered: the first rule that matches names the block. Appeals and subscriptions come before
# newsletters because appeals often mention the newsletter too. Each rule is a list of phrases
# matched against the lower-cased text; a phrase should start with a word that is rare in
# running text (not "the" or "for"), which keeps labelling fast (see _LEADING_WORDS).
_TEXT_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("navigation", (r"^(skip|jump) to (the )?(main )?(content|navigation|menu|search)\b", r"^(main )?menu$")),
    ("appeal", (
        r"\bdonat\w*", r"\bfundrais\w*", r"\bsupport (our|us|independent)\b", r"\bchip in\b",
        r"\btax-deductible\b", r"\bpayment methods\b", r"\bbecome a (member|patron|supporter)\b",
        # German, French, Spanish, Italian, Portuguese, Russian.
        r"\bspenden\b", r"\bfaites un don\b", r"\bhaz una donación\b", r"\bdona ora\b", r"\bfaça uma doação\b",
        r"\bпожертвова\w*",
    )),
    ("subscription", (
        r"\bsubscri(be|bed|bing|ption|ptions)\b", r"\balready a subscriber\b", r"\blog ?in to (continue|read)\b",
        r"\bsign in to (continue|read)\b", r"\bpaywall\b", r"\bunlimited (digital )?access\b",
        r"\bfree (trial|articles? (left|remaining))\b", r"\bsave (big|up to|\d+ ?%)",
        r"\bget (our|the) [\w -]{0,30}(magazine|print edition)\b", r"\bbuy (our|the) [\w -]{0,30}(magazine|print edition)\b",
        r"\bdelivered (to|through) your (door|letterbox|mailbox)\b", r"\bissues for [£$€]?\d",
        r"\babonn(ieren|ez-vous|er)\b", r"\bsuscr[ií](bete|birse)\b", r"\babbonati\b", r"\bassine( já)?\b",
        r"\bподпис(ка|аться)\b",
    )),
    ("newsletter", (
        r"\bnewsletters?\b", r"\bsign up\b", r"\binbox\b", r"\bemail updates\b", r"\be-mail updates\b",
        r"\bbreaking news (emails|alerts)\b", r"\bdelivered (every |each )?(weekday )?mornings?\b",
    )),
    ("legal", (
        r"©", r"\(c\)", r"\bcopyright\b", r"\ball rights reserved\b", r"\bcookies?\b",
        r"\bprivacy (policy|notice)\b", r"\bterms (of (use|service)|and conditions)\b",
        r"\bdatenschutz\w*", r"\bimpressum\b", r"\bmentions légales\b", r"\baviso legal\b", r"\bpolítica de privacidad\b",
        r"\bregistered trademarks?\b", r"\binformational purposes only\b",
        r"\bevaluated by the food and drug administration\b",
        r"\binformation (provided |contained |published )?on this (web)?site\b",
        r"\bcontents? (provided |contained |published )?on this (web)?site\b",
    )),
    ("share", (
        r"^(share|tweet|pin|email|print|copy link)$", r"\bshare (this|on)\b", r"\bfollow us\b",
        r"^follow [\w ]{1,40} on (facebook|twitter|instagram|youtube|linkedin|tiktok)\b",
        r"^(teilen|partager|compartir|condividi|compartilhe|compartilhar|поделиться)\b",
    )),
    ("credit", (
        *_CAPTION_PHRASES,
        r"\bphotos?( credit)?:", r"\bimages?( credit)?:", r"\billustrations?( credit)?:", r"\bvideos?( credit)?:",
        r"\bcredits?: ", r"\bgetty images\b", r"\breuters\b", r"\bafp\b", r"\bshutterstock\b", r"\bipx\b", r"\bistock\b",
        _ABOUT_AUTHOR,
        # Agency credits such as "Name / Agency / Service".
        r"^[a-z0-9][\w-]*( ?/ ?[\w. -]+){2,3}$",
    )),
    ("comments", (
        r"^[\w .-]{1,40} (says|said|wrote):$", r"^(top|all|show|view|load|read|hide) (\w+ )?comments",
        # "12 comments": the number's last digit is enough to find it, and much faster.
        r"\d (comments?|responses?|replies|thoughts? on)\b",
        r"^(one|two|three) (comments?|responses?|replies|thoughts?) (on|to)\b",
        r"\bleave a (comment|reply)\b", r"\bcomments? (are|is) closed\b", r"\bjoin the (conversation|discussion)\b",
        r"^(kommentare|commentaires|comentarios|commenti|comentários|комментарии)\b",
    )),
    ("related", (
        r"^(related|recommended|more (from|on|in|stories|news|articles)|more:?$|more \w+ ?\w*$|read more|most (popular|read)"
        r"|trending|latest|editor'?s picks|also on|see (also|more)|don'?t miss|(also )?read (also|next)|leia (também|mais)|veja também|lee también|lesen sie auch|mehr zum thema"
        r"|(à )?lire aussi|sur le même sujet|leggi anche|читайте также|baca juga)\b",
        _SUGGESTIONS,
    )),
    ("advertisement", (
        r"^(advertisement|advert|sponsored|ad|promoted|paid content|continue reading below)\b",
        r"^(anzeige|werbung|publicité|publicidad|pubblicità|publicidade|реклама)$",
        # The publisher's own promotions.
        r"\bclick here to (get|download|install)\b", r"\bdownload (our|the) [\w ]{0,30}app\b",
    )),
)
_COMPILED_TEXT_RULES = tuple((label, re.compile("|".join(phrases))) for label, phrases in _TEXT_RULES)

# Most blocks match no rule, and running every rule on every block is slow. A phrase that starts
# with a word can only match where that word (or a longer word it begins) is, so one search for
# all those words tells which rules can match; the few phrases that start otherwise are
# searched on their own.
_LEADING_WORD = re.compile(r"\\b([^\W\d_](?:[^\W\d_]|[ -])*)")


def _leading_word(phrase: str) -> str:
    """The literal words ``phrase`` starts with ("" when it starts otherwise), less a last
    letter the phrase makes optional ("cookies?" starts with "cookie")."""
    match = _LEADING_WORD.match(phrase)
    if not match:
        return ""
    word = match.group(1)
    if phrase[match.end() : match.end() + 1] in ("?", "*"):
        word = word[:-1]
    return word.strip()


def _any_word(words: Iterable[str]) -> re.Pattern[str]:
    """One pattern for words starting a word, grouped by first letter (which the regex engine
    checks much faster than one long alternation), longest first so a match names its word."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(words, key=lambda w: (-len(w), w)):
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    return re.compile(r"\b(?:" + "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in by_first.items()) + ")")


def _rules_by_word() -> dict[str, frozenset[int]]:
    rules: dict[str, frozenset[int]] = {}
    for rule, (_, phrases) in enumerate(_TEXT_RULES):
        for word in filter(None, map(_leading_word, phrases)):
            rules[word] = rules.get(word, frozenset()) | {rule}
    return rules


_RULES_BY_WORD = _rules_by_word()
_RULES_WITHOUT_WORD = frozenset(
    rule for rule, (_, phrases) in enumerate(_TEXT_RULES) if any(not _leading_word(p) for p in phrases)
)
_UNWORDED = [p for _, phrases in _TEXT_RULES for p in phrases if not _leading_word(p)]
_LEADING_WORDS = _any_word(_RULES_BY_WORD)
_LINE_PHRASES = re.compile("|".join(p[1:] for p in _UNWORDED if p.startswith("^")))
_OTHER_PHRASES = re.compile("|".join(p for p in _UNWORDED if not p.startswith("^")))


def text_label(text: str) -> str:
    """The label the words of ``text`` call for, or "" when they say nothing."""
    lowered = text.lower()
    rules: set[int] = set()
    if _LEADING_WORDS.search(lowered):
        rules.update(rule for match in _LEADING_WORDS.finditer(lowered) for rule in _RULES_BY_WORD[match.group()])
    if _LINE_PHRASES.match(lowered) or _OTHER_PHRASES.search(lowered):
        rules |= _RULES_WITHOUT_WORD
    for rule in sorted(rules):
        label, pattern = _COMPILED_TEXT_RULES[rule]
        if pattern.search(lowered):
            return label
    return ""


def suggests_other_pages(text: str) -> bool:
    """Whether ``text`` is a heading over suggestions of other pages, whatever the site."""
    return bool(_SUGGESTS.match(text.lower()))


def is_caption(text: str) -> bool:
    """Whether ``text`` says what only a photo caption says (a paragraph that merely names an
    agency does not)."""
    return bool(_CAPTION.search(text.lower()))


def about_author(text: str) -> bool:
    """Whether ``text`` is the note about the author that ends many articles."""
    return bool(_ABOUT_AUTHOR_LINE.match(text))


def call_words(text: str) -> int:
    """How many phrases of the label rules ``text`` holds."""
    lowered = text.lower()
    return sum(len(pattern.findall(lowered)) for _, pattern in _COMPILED_TEXT_RULES)


_HINT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("navigation", re.compile(r"\b(nav|navbar|menu|breadcrumbs?|pagination|masthead|header|footer)\b")),
    ("share", re.compile(r"\b(share|sharing|social)\b")),
    ("related", re.compile(r"\b(related|recommend\w*|more-stories|read-more|popular|trending|outbrain|taboola)\b")),
    ("comments", re.compile(r"\b(comments?|disqus|respond)\b")),
    ("advertisement", re.compile(r"\b(ad|ads|advert\w*|sponsor\w*|promo\w*|dfp|gpt)\b")),
    ("newsletter", re.compile(r"\b(newsletter|signup|sign-up)\b")),
    ("subscription", re.compile(r"\b(paywall|subscribe|subscription|meter)\b")),
    ("credit", re.compile(r"\b(caption|credit|figcaption)\b")),
    ("legal", re.compile(r"\b(cookie\w*|consent|copyright|legal|gdpr)\b")),
)


def label_for(text: str, hints: str = "") -> str:
    """The label that best explains why ``text`` is not article body."""
    label = text_label(text)
    if label:
        return label
    for label, pattern in _HINT_RULES:
        if pattern.search(hints):
            return label
    return fallback_label(text)


def fallback_label(text: str) -> str:
    """The label of a block that neither its words nor its context name: a few words that do
    not make a sentence are a link of a menu."""
    words = text.split()
    if len(words) <= 4 and not text.rstrip().endswith((".", "!", "?", "\"", "”")):
        return "navigation"
    return "other"
