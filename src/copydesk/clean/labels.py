"""Why a block is boilerplate: one label of ``copydesk.document.REMOVED_LABELS`` per removed block.

Labels come from what the block says (calls to action, legal wording) and, in HTML, from the
class/id/tag hints of its context. They explain a cut; they do not decide it.
"""

from __future__ import annotations

import re

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

#: Labels, each with its phrases (regexes matched against the lower-cased text).
_Rules = tuple[tuple[str, tuple[str, ...]], ...]

# Ordered: the first rule that matches names the block. Appeals and subscriptions come before
# newsletters because appeals often mention the newsletter too.
_TEXT_RULES: _Rules = (
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
_LABELS = (*(label for label, _ in _TEXT_RULES), "")

# Most blocks match no rule, and searching rule after rule is slow: all phrases go into one
# pattern per place (the line's start, anywhere), each in a group named after its rule. A match
# names a rule; only earlier rules can still beat it, so the search goes on with the pattern of
# those alone. Phrases are grouped by the words or the sign they start with, and a group opens
# only after those: the regex engine rules a place out by its first characters much faster
# than by entering every group of a long alternation.
_LEADING_WORDS = re.compile(r"\\b((?:[^\W\d_]|[ -])+)")
_SIGN = re.compile(r"\\[^b]|\[[^\]]*\]|[^\\\[(^.]")
_QUANTIFIERS = ("?", "*", "+", "{")


def _group(rule: int, n: int, body: str) -> str:
    return f"(?P<r{rule}_{n}>{body})"


def _split_first(phrase: str) -> tuple[str, str]:
    """The literal words a phrase starts with (less a last letter it makes optional, so
    "cookies?" starts with "cookie") or else its first sign, and the rest of the phrase;
    ("", phrase) when it starts otherwise. Words come back with their ``\\b``."""
    words = _LEADING_WORDS.match(phrase)
    if words:
        word = words.group(1)[:-1] if phrase[words.end() : words.end() + 1] in _QUANTIFIERS else words.group(1)
        if word:
            return phrase[: 2 + len(word)], phrase[2 + len(word) :]
    sign = _SIGN.match(phrase)
    if sign and phrase[sign.end() : sign.end() + 1] not in _QUANTIFIERS:
        return sign.group(), phrase[sign.end() :]
    return "", phrase


def _at_start() -> re.Pattern[str]:
    """The phrases that only match at the start of a line, in the order of their rules (so a
    match names the first rule that matches there)."""
    groups = [
        _group(rule, n, phrase[1:])
        for rule, (_, phrases) in enumerate(_TEXT_RULES)
        for n, phrase in enumerate(phrases)
        if phrase.startswith("^")
    ]
    return re.compile("|".join(groups) or "(?!)")


def _anywhere(table: _Rules, rules: int) -> re.Pattern[str]:
    """The phrases of the first ``rules`` rules of ``table`` that may match anywhere, grouped
    by how they start: by first letter, then by the words that follow it."""
    by_start: dict[str, list[str]] = {}
    for rule, (_, phrases) in enumerate(table[:rules]):
        for n, phrase in enumerate(phrases):
            if not phrase.startswith("^"):
                start, rest = _split_first(phrase)
                by_start.setdefault(start, []).append(_group(rule, n, rest))
    by_letter: dict[str, list[str]] = {}
    signs = []
    for start, groups in by_start.items():
        if start.startswith("\\b"):
            by_letter.setdefault(start[2], []).append(f"{start[3:]}(?:{'|'.join(groups)})")
        else:
            signs.append(f"{start}(?:{'|'.join(groups)})")
    letters = [f"{letter}(?:{'|'.join(words)})" for letter, words in by_letter.items()]
    return re.compile("|".join(([rf"\b(?:{'|'.join(letters)})"] if letters else []) + signs) or "(?!)")


_AT_START = _at_start()
#: Indexed by how many rules (from the first) they hold.
_ANYWHERE = tuple(_anywhere(_TEXT_RULES, rules) for rules in range(len(_TEXT_RULES) + 1))


def _rule_of(match: re.Match[str]) -> int:
    name = match.lastgroup or ""
    return int(name[1 : name.index("_")])


def text_label(text: str) -> str:
    """The label the words of ``text`` call for, or "" when they say nothing."""
    lowered = text.lower()
    match = _AT_START.match(lowered)
    rule = _rule_of(match) if match else len(_TEXT_RULES)
    return _LABELS[_first_rule(_ANYWHERE, lowered, rule)]


def _first_rule(patterns: tuple[re.Pattern[str], ...], text: str, rule: int) -> int:
    """The first rule before ``rule`` that ``patterns`` (the phrases of the first n rules at
    index n) find in ``text``, else ``rule``."""
    at = 0
    # Nothing matches before the first match, so an earlier rule can only match from there on.
    while rule and (match := patterns[rule].search(text, at)):
        rule, at = _rule_of(match), match.start()
    return rule


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


def _whole_words(*words: str) -> tuple[str, ...]:
    return tuple(rf"\b{word}\b" for word in words)


_HINT_RULES: _Rules = (
    ("navigation", _whole_words("nav", "navbar", "menu", "breadcrumbs?", "pagination", "masthead", "header", "footer")),
    ("share", _whole_words("share", "sharing", "social")),
    ("related", _whole_words("related", r"recommend\w*", "more-stories", "read-more", "popular", "trending", "outbrain", "taboola")),
    ("comments", _whole_words("comments?", "disqus", "respond")),
    ("advertisement", _whole_words("ad", "ads", r"advert\w*", r"sponsor\w*", r"promo\w*", "dfp", "gpt")),
    ("newsletter", _whole_words("newsletter", "signup", "sign-up")),
    ("subscription", _whole_words("paywall", "subscribe", "subscription", "meter")),
    ("credit", _whole_words("caption", "credit", "figcaption")),
    ("legal", _whole_words(r"cookie\w*", "consent", "copyright", "legal", "gdpr")),
)
_HINT_LABELS = (*(label for label, _ in _HINT_RULES), "")
_HINTS = tuple(_anywhere(_HINT_RULES, rules) for rules in range(len(_HINT_RULES) + 1))


def label_for(text: str, hints: str = "") -> str:
    """The label that best explains why ``text`` is not article body."""
    return text_label(text) or _HINT_LABELS[_first_rule(_HINTS, hints, len(_HINT_RULES))] or fallback_label(text)


#: Words of a link of a menu, at the most.
_MAX_LINK_WORDS = 4


def fallback_label(text: str) -> str:
    """The label of a block that neither its words nor its context name: a few words that do
    not make a sentence are a link of a menu."""
    # Splitting stops once there are more words than a link has: a paragraph is not read through.
    if len(text.split(maxsplit=_MAX_LINK_WORDS)) <= _MAX_LINK_WORDS and not text.rstrip().endswith((".", "!", "?", "\"", "”")):
        return "navigation"
    return "other"
