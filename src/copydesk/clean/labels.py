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
#: A line that opens a comment section ("12 Comments", "Leave a Reply", "Kommentare").
_COMMENT_HEADING = re.compile(
    r"^\W*(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|leave a (?:reply|comment)|post a comment|"
    r"add a comment|join the (?:discussion|conversation)|discussion|what do you think|kommentare?|commentaires?|"
    r"comentarios?|commenti|reacties|komentáře|komentarze|комментарии)\b",
    re.I,
)
#: A comment section's heading is a short line.
_COMMENT_HEADING_CHARS = 80
#: A line that signs a reader's comment as blogs print it (WordPress's "Jane Doe says:"): a
#: name, then "says" ending the line.
_COMMENT_SIGNATURE = re.compile(r"\S.{0,60}?\ssays\s?:?", re.I)
_SUGGESTS = re.compile(_SUGGESTIONS)
_CAPTION = re.compile("|".join(_CAPTION_PHRASES))
#: The same note, where a name (capitalised words) is what the sentence is about.
_ABOUT_AUTHOR_LINE = re.compile(
    r"^(?:[A-ZÀ-Þ][\w.'’-]*\s){1,4}(?:is|was) (?:an?|the) [\w ,'’-]{0,40}?"
    r"(?i:reporter|writer|editor|correspondent|journalist|columnist|contributor|author|blogger)\b"
)

#: A month's name or its abbreviation, in English (lower case; match without case).
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
#: The word before a writer's name in the languages enrichment reads bylines in ("By", "Von",
#: "Par", "Por", "Di", "Door").
BYLINE_WORD = r"(?:by|von|par|por|di|door)"
#: What a byline opens with, for both cleaning modes: those words, a few longer openings, and
#: the Scandinavian and Russian ones ("Av"/"Af", "Автор").
BYLINE_OPENING = rf"(?:{BYLINE_WORD}|written by|posted by|words by|av|af|автор)"

#: What a short line that only calls on the reader says ("Advertisement", "Sign up for our
#: newsletter", "Related articles"): never the article's text, in either mode.
READER_CALLS = frozenset({"advertisement", "newsletter", "subscription", "appeal", "share", "related"})
#: A call on the reader this short is a line of its own, not a sentence of the article's.
SHORT_CALL_CHARS = 120
#: Labels grouped as the models read them: 0 calls on the reader, 1 links to elsewhere, 2 small print.
LABEL_GROUPS = {
    "appeal": 0, "subscription": 0, "newsletter": 0, "share": 1, "comments": 1, "navigation": 1, "related": 1,
    "legal": 2, "credit": 2,
}

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
        # Dutch, Polish, Turkish, Vietnamese, Arabic, Hindi, Chinese, Japanese, Korean.
        r"\balle rechten voorbehouden\b", r"\bwszelkie prawa zastrzeżone\b", r"\btüm hakları saklıdır\b",
        r"\bbản quyền thuộc\b", r"\bجميع الحقوق محفوظة", r"\bसर्वाधिकार सुरक्षित", r"\b版权所有", r"\b無断転載", r"\b무단 ?전재",
        r"\binformation (provided |contained |published )?on this (web)?site\b",
        r"\bcontents? (provided |contained |published )?on this (web)?site\b",
    )),
    ("share", (
        r"^(share|tweet|pin|email|print|copy link)$", r"\bshare (this|on)\b", r"\bfollow us\b",
        r"^follow [\w ]{1,40} on (facebook|twitter|instagram|youtube|linkedin|tiktok)\b",
        r"^(teilen|partager|compartir|condividi|compartilhe|compartilhar|поделиться)\b",
        r"^(delen|udostępnij|paylaş|chia sẻ|شارك|शेयर करें|分享|シェア|공유하기|공유)$",
        r"^(поділитися|sdílet|dela|κοινοποίηση|distribuie|bagikan|แชร์|שתף)$",
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
        r"[0-9] (comments?|responses?|replies|thoughts? on)\b",
        r"^(one|two|three) (comments?|responses?|replies|thoughts?) (on|to)\b",
        r"\bleave a (comment|reply)\b", r"\bcomments? (are|is) closed\b", r"\bjoin the (conversation|discussion)\b",
        r"^(kommentare|commentaires|comentarios|commenti|comentários|комментарии)\b",
        # A heading alone, a count may follow: the word also opens sentences about comments.
        r"^(reacties|komentarze|yorumlar|bình luận|تعليقات|التعليقات|टिप्पणियां|टिप्पणियाँ|评论|コメント|댓글|коментарі"
        r"|komentáře|komentáre|kommentarer|σχόλια|comentarii|komentar|ความคิดเห็น|نظرات|תגובות)\s*([(（]?\d+[)）]?)?\s*:?$",
    )),
    ("related", (
        r"^(related|recommended|more (from|on|in|stories|news|articles)|more:?$|more \w+ ?\w*$|read more|most (popular|read)"
        r"|trending|latest|editor'?s picks|also on|see (also|more)|don'?t miss|(also )?read (also|next)|leia (também|mais)|veja também|lee también|lesen sie auch|mehr zum thema"
        r"|(à )?lire aussi|sur le même sujet|leggi anche|читайте также|baca juga)\b",
        r"^(lees ook|czytaj (też|także|również)|zobacz (też|także)|ilgili haberler|xem thêm|tin liên quan|اقرأ أيضا|اقرأ أيضاً"
        r"|ये भी पढ़ें|यह भी पढ़ें|相关阅读|相关新闻|相关文章|延伸阅读|関連記事|関連ニュース|관련 ?기사|читайте також|čtěte (také|též)|läs (också|även)"
        r"|διαβάστε (επίσης|ακόμα)|citește și|citeste si|ข่าวที่เกี่ยวข้อง|بیشتر بخوانید|مطالب مرتبط|כתבות נוספות)(?!\w)",
        _SUGGESTIONS,
    )),
    ("advertisement", (
        r"^(advertisement|advert|sponsored|ad|promoted|paid content|continue reading below)\b",
        r"^(anzeige|werbung|publicité|publicidad|pubblicità|publicidade|реклама)$",
        r"^(advertentie|reklama|reklam|iklan|quảng cáo|إعلان|विज्ञापन|广告|広告|광고|annons|διαφήμιση|publicitate|โฆษณา|تبلیغات|פרסומת)$",
        # The publisher's own promotions.
        r"\bclick here to (get|download|install)\b", r"\bdownload (our|the) [\w ]{0,30}app\b",
    )),
)
_COMPILED_TEXT_RULES = tuple((label, re.compile("|".join(phrases))) for label, phrases in _TEXT_RULES)
_LABELS = (*(label for label, _ in _TEXT_RULES), "")

# Most blocks match no rule, and searching rule after rule is slow. The phrases go into one
# pattern for each place they can match (the start of the line, the start of a word, a sign),
# each phrase a group named after its rule, so a match names a rule; only earlier rules can
# still beat it, so the search goes on with the pattern of those alone. Inside a pattern the
# phrases are grouped by the words or the sign they start with, and a group opens only after
# those: the regex engine rules a place out by its first characters much faster than by
# entering every group of a long alternation, and a pattern whose phrases all start with one
# of a few characters (the signs) is only tried where one of those is.
_LEADING_WORDS = re.compile(r"\\b((?:[^\W\d_]|[ -])+)")
#: An escaped sign, a class of plain characters and ranges, or one plain character.
_SIGN = re.compile(r"\\[^\w]|\[[^\]^\\]*\]|[^\\\[(^.$|)*+?{]")
_CLASS_ITEM = re.compile(r"(.)-(.)|(.)")
_QUANTIFIERS = ("?", "*", "+", "{")
#: An escaped character, a character class, or the opening of a capturing group.
_GROUP_OPENING = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|\((?!\?)")
#: A pattern for the first n rules at index n, None where none of them has a phrase there.
_Patterns = tuple["re.Pattern[str] | None", ...]


def _split_first(phrase: str) -> tuple[str, str]:
    """What a phrase starts with, and the rest of it: "^"; or the literal words after its
    ``\b`` (less a last letter it makes optional, so "cookies?" starts with "cookie"), which
    come back with the ``\b``; or one sign."""
    if phrase.startswith("^"):
        return "^", phrase[1:]
    words = _LEADING_WORDS.match(phrase)
    if words:
        word = words.group(1)[:-1] if phrase[words.end() : words.end() + 1] in _QUANTIFIERS else words.group(1)
        if word:
            return phrase[: 2 + len(word)], phrase[2 + len(word) :]
    sign = _SIGN.match(phrase)
    if sign and phrase[sign.end() : sign.end() + 1] not in _QUANTIFIERS:
        return sign.group(), phrase[sign.end() :]
    raise ValueError(f"a phrase starts with ^, a literal word after \\b, or one sign: {phrase!r}")


def _sign_chars(sign: str) -> list[str]:
    """The characters a sign stands for, each as a pattern."""
    if not sign.startswith("["):
        return [sign]
    chars: list[str] = []
    for first, last, single in _CLASS_ITEM.findall(sign[1:-1]):
        chars += [chr(c) for c in range(ord(first), ord(last) + 1)] if first else [single]
    return [re.escape(char) for char in chars]


def _by_start(table: _Rules) -> dict[str, list[str]]:
    """The phrases of ``table`` as named groups, by what they start with ("^", ``\b`` and
    words, or one character)."""
    by_start: dict[str, list[str]] = {}
    for rule, (_, phrases) in enumerate(table):
        for n, phrase in enumerate(phrases):
            start, rest = _split_first(phrase)
            firsts = [start] if start == "^" or start.startswith("\\b") else _sign_chars(start)
            for i, first in enumerate(firsts):
                by_start.setdefault(first, []).append(f"(?:{_without_captures(rest)})(?P<r{rule}_{n}_{i}>)")
    return by_start


def _without_captures(pattern: str) -> str:
    """``pattern`` with its groups made non-capturing. A phrase names its rule with an empty
    group at its end: the regex engine passes over a phrase that cannot start where it stands
    by its first character, unless the phrase opens with a group it must enter first."""
    return _GROUP_OPENING.sub(lambda part: "(?:" if part.group() == "(" else part.group(), pattern)


def _places(table: _Rules) -> tuple[str | None, str | None, str | None]:
    """The patterns of the phrases of ``table`` at the start of the line, of a word, of a sign."""
    by_start = _by_start(table)
    line = by_start.pop("^", [])
    by_letter: dict[str, list[str]] = {}
    for start in [start for start in by_start if start.startswith("\\b")]:
        by_letter.setdefault(start[2], []).append(f"{start[3:]}(?:{'|'.join(by_start.pop(start))})")
    words = [f"{letter}(?:{'|'.join(rests)})" for letter, rests in by_letter.items()]
    signs = [f"{sign}(?:{'|'.join(rests)})" for sign, rests in by_start.items()]
    return (
        f"^(?:{'|'.join(line)})" if line else None,
        f"\\b(?:{'|'.join(words)})" if words else None,
        "|".join(signs) or None,
    )


def _patterns(table: _Rules) -> tuple[_Patterns, ...]:
    """For each place, the patterns of the first n rules of ``table`` at index n."""
    by_rules = [_places(table[:rules]) for rules in range(len(table) + 1)]
    return tuple(
        tuple(re.compile(places[place]) if places[place] else None for places in by_rules) for place in range(3)
    )


_TEXT_PATTERNS = _patterns(_TEXT_RULES)


def _rule_of(match: re.Match[str]) -> int:
    name = match.lastgroup or ""
    return int(name[1 : name.index("_")])


def text_label(text: str) -> str:
    """The label the words of ``text`` call for, or "" when they say nothing."""
    return _LABELS[_first_rule(_TEXT_PATTERNS, _lowered(text))]


def _first_rule(places: tuple[_Patterns, ...], text: str) -> int:
    """The index of the first rule a phrase of which is in ``text``, else the number of rules."""
    rule = len(places[0]) - 1
    for patterns in places:
        at = 0
        # Nothing matches before the first match, so an earlier rule can only match from there on.
        while rule and (pattern := patterns[rule]) and (match := pattern.search(text, at)):
            rule, at = _rule_of(match), match.start()
    return rule


def is_comment_heading(text: str) -> bool:
    """Whether ``text`` opens a comment section ("12 Comments", "Leave a Reply", "Kommentare")."""
    return len(text) < _COMMENT_HEADING_CHARS and _COMMENT_HEADING.match(text) is not None


def signs_a_comment(text: str) -> bool:
    """Whether ``text`` is a line that signs a reader's comment ("Jane Doe says:")."""
    return _COMMENT_SIGNATURE.fullmatch(text) is not None


def suggests_other_pages(text: str) -> bool:
    """Whether ``text`` is a heading over suggestions of other pages, whatever the site."""
    return bool(_SUGGESTS.match(_lowered(text)))


def is_caption(text: str) -> bool:
    """Whether ``text`` says what only a photo caption says (a paragraph that merely names an
    agency does not)."""
    return bool(_CAPTION.search(_lowered(text)))


def about_author(text: str) -> bool:
    """Whether ``text`` is the note about the author that ends many articles."""
    return bool(_ABOUT_AUTHOR_LINE.match(text))


def call_words(text: str) -> int:
    """How many phrases of the label rules ``text`` holds."""
    lowered = _lowered(text)
    return sum(len(pattern.findall(lowered)) for _, pattern in _COMPILED_TEXT_RULES)


def _lowered(text: str) -> str:
    """``text`` lower-cased as the rules are written: Turkish and Azerbaijani "İ" lower-cases to
    "i" and a combining dot above, which no rule spells ("İlgili Haberler")."""
    return text.lower().replace("i\u0307", "i")


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
_HINT_PATTERNS = _patterns(_HINT_RULES)


def label_for(text: str, hints: str = "") -> str:
    """The label that best explains why ``text`` is not article body."""
    return text_label(text) or hint_label(hints) or fallback_label(text)


def hint_label(hints: str) -> str:
    """The label the class/id/tag ``hints`` of a block's context call for, or ""."""
    return _HINT_LABELS[_first_rule(_HINT_PATTERNS, hints)]


#: Words of a link of a menu, at the most.
_MAX_LINK_WORDS = 4


def fallback_label(text: str) -> str:
    """The label of a block that neither its words nor its context name: a few words that do
    not make a sentence are a link of a menu."""
    # Splitting stops once there are more words than a link has: a paragraph is not read through.
    if len(text.split(maxsplit=_MAX_LINK_WORDS)) <= _MAX_LINK_WORDS and not text.rstrip().endswith((".", "!", "?", "\"", "”")):
        return "navigation"
    return "other"
