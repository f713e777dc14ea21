"""Why a block is boilerplate: one label of ``copydesk.document.REMOVED_LABELS`` per removed block.

Labels come from what the block says (calls to action, legal wording) and, in HTML, from the
class/id/tag hints of its context. They explain a cut; they do not decide it.
"""

from __future__ import annotations

import re

# Ordered: the first pattern that matches names the block. Appeals and subscriptions come before
# newsletters because appeals often mention the newsletter too.
_TEXT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("appeal", re.compile(r"\b(donat\w*|fundrais\w*|support (our|us|independent)|chip in|tax-deductible|payment methods|become a (member|patron|supporter))\b", re.I)),
    ("subscription", re.compile(r"\b(subscribe\w*|subscription|already a subscriber|log ?in to (continue|read)|sign in to (continue|read)|paywall|unlimited (digital )?access|free (trial|articles? (left|remaining))|save (big|up to|\d+ ?%)|(get|buy) (our|the) [\w -]{0,30}(magazine|print edition))\b", re.I)),
    ("newsletter", re.compile(r"\b(newsletter|sign up|inbox|e-?mail updates)\b", re.I)),
    ("legal", re.compile(r"(©|\(c\)|\bcopyright\b|all rights reserved|\bcookies?\b|privacy (policy|notice)|terms (of (use|service)|and conditions))", re.I)),
    ("share", re.compile(r"^(share|tweet|pin|email|print|copy link|share (this|on) .{0,30})$|\b(share (this|on)|follow us)\b", re.I)),
    ("credit", re.compile(r"(\b(photo|image|illustration|video)s?( credit)?:|\b(getty images|reuters|afp|ap photo|shutterstock|ipx|istock)\b|^[A-Z0-9][\w.-]*( ?/ ?[\w. -]+){1,3}$)", re.I)),
    ("comments", re.compile(r"^[\w .-]{1,40} (says|said|wrote):$|^(top|all|show|view|load|read|hide) (\w+ )?comments|\b(\d+ (comments?|responses?|replies)|leave a (comment|reply)|comments? (are|is) closed|join the (conversation|discussion))\b", re.I)),
    ("related", re.compile(r"^(related|recommended|more (from|on|in|stories|news|articles)|more \w+ ?\w*$|read more|you (may|might) also like|we recommend|most (popular|read)|trending|latest|editor'?s picks)\b", re.I)),
    ("advertisement", re.compile(r"^(advertisement|sponsored|ad|promoted|paid content)\b", re.I)),
)

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


# Most blocks match no rule: one search of all the patterns at once rules them out cheaply.
_ANY_TEXT_RULE = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _TEXT_RULES), re.I)


def text_label(text: str) -> str:
    """The label the words of ``text`` call for, or "" when they say nothing."""
    if not _ANY_TEXT_RULE.search(text):
        return ""
    for label, pattern in _TEXT_RULES:
        if pattern.search(text):
            return label
    return ""


def call_words(text: str) -> int:
    """How many phrases of the label rules ``text`` holds."""
    return len(_ANY_TEXT_RULE.findall(text))


def label_for(text: str, hints: str = "") -> str:
    """The label that best explains why ``text`` is not article body."""
    label = text_label(text)
    if label:
        return label
    for label, pattern in _HINT_RULES:
        if pattern.search(hints):
            return label
    words = text.split()
    if len(words) <= 4 and not text.rstrip().endswith((".", "!", "?", "\"", "”")):
        return "navigation"
    return "other"
