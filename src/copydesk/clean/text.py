"""Article extraction from a page flattened to text, one block per line.

The article is one contiguous run of prose. Each line gets a score from how much it reads like
prose (length, function words, sentence shape) and from what it says (calls to action,
repeats); the run of lines with the highest total is the body. That run takes in the short
lines inside the article (subheads, short quotes) and leaves out the chrome around it. Title
and dek come from the lines just before the body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from copydesk.clean.blocks import Block, Shape, first_occurrences, normalize_space, shape_of
from copydesk.clean.labels import label_for, text_label
from copydesk.document import Extraction, Removed

#: Labels that mark a block as not article even when it is long prose, provided it speaks to
#: the reader: an appeal or a cookie notice is written in sentences too.
_CALL_LABELS = frozenset({"appeal", "subscription", "newsletter", "comments", "legal", "share"})
_TO_READER = re.compile(
    r"\b(you|your|we|our|us|sie|ihr|vous|votre|vos|nous|usted|su|nuestro|voi|noi|você|nós)\b", re.I
)
_BYLINE = re.compile(
    r"^(by|from|written by|posted by|words by|von|par|por|di|door|av|автор)\s+\S", re.I
)
_MONTH = (
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
)
_DATELINE = re.compile(
    rf"^(\w+,? )?({_MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}},? {_MONTH},? \d{{4}}|\d{{4}}-\d\d-\d\d|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}})\b",
    re.I,
)
# Sites append their name to the page title: "Headline - Site", "Headline | Site".
_TITLE_SUFFIX = re.compile(r"\s+[-|–—:•»]\s+[^-|–—:•»]{1,40}$")

_MIN_PROSE_WORDS = 10
_MIN_STOP_RATIO = 0.18
_MAX_CAPITAL_RATIO = 0.6
_MIN_UNENDED_PROSE_WORDS = 25
_PROSE_DISCOUNT = 8.0
#: How much a line that is not prose costs the run that includes it.
_SHORT_COST = 3.0
#: A line in a block of lines with no blank line between them is a list item or menu entry.
_LIST_COST = 5.0
_MAX_DEK_WORDS = 60
#: How far below the headline the body may start.
_TITLE_REACH = 25


@dataclass(frozen=True, slots=True)
class _Line:
    block: Block
    shape: Shape
    label: str
    repeated: bool
    in_list: bool

    @property
    def text(self) -> str:
        return self.block.text


def clean_text(text: str, url: str = "") -> Extraction:
    lines = _lines(text)
    if not lines:
        return Extraction("text", "", "", ())
    uses_stops = _uses_stopwords(lines)
    prose = [_is_prose(line, uses_stops) for line in lines]
    call = [_is_call(line, is_prose) for line, is_prose in zip(lines, prose)]
    values = [_value(line, p, c) for line, p, c in zip(lines, prose, call)]
    headline = _headline_index(lines, prose)
    if headline is None:
        start, end = _best_run(values, 0, len(values))
    else:
        start, end = _best_run(values, headline + 1, headline + 1 + _TITLE_REACH)
    if start > end:
        return Extraction("text", _fallback_title(lines), "", (), _removed(lines, set()))
    kept = _body(lines, prose, call, start, end)
    title_at = headline if headline is not None else _title_index(lines, kept[0] if kept else start)
    dek_at = _dek_index(lines, prose, call, title_at, kept)
    if dek_at is not None and dek_at in kept:
        kept = [i for i in kept if i != dek_at]
    used = set(kept) | {i for i in (title_at, dek_at) if i is not None}
    title = lines[title_at].text if title_at is not None else ""
    if title_at == 0:
        title = _strip_site_name(title) or title
    dek = lines[dek_at].text if dek_at is not None else ""
    return Extraction(
        "text",
        title,
        dek,
        tuple(lines[i].text for i in kept),
        _removed(lines, used),
    )


def _lines(text: str) -> list[_Line]:
    raw = text.splitlines()
    blocks: list[Block] = []
    in_list: list[bool] = []
    for i, line in enumerate(raw):
        cleaned = normalize_space(line)
        if not cleaned or not any(ch.isalnum() for ch in cleaned):
            continue
        # Lines with no blank line around them came from one element (a menu, a list).
        neighbours = (i > 0 and raw[i - 1].strip()) or (i + 1 < len(raw) and raw[i + 1].strip())
        blocks.append(Block(cleaned, len(blocks), tag="li" if neighbours else "p"))
        in_list.append(bool(neighbours))
    return [
        _Line(block, shape_of(block.text), text_label(block.text), repeated, listed)
        for (block, repeated), listed in zip(first_occurrences(blocks), in_list)
    ]


def _uses_stopwords(lines: Sequence[_Line]) -> bool:
    """Whether the page is in a language whose function words we know."""
    words = sum(line.shape.words for line in lines)
    stops = sum(line.shape.stop_ratio * line.shape.words for line in lines)
    return words > 0 and stops / words >= 0.05


def _is_prose(line: _Line, uses_stops: bool) -> bool:
    shape = line.shape
    if shape.words < _MIN_PROSE_WORDS or shape.capital_ratio > _MAX_CAPITAL_RATIO:
        return False
    # A line of a dozen words without a full stop is a headline (of a teaser, most often).
    if not shape.sentence_end and shape.words < _MIN_UNENDED_PROSE_WORDS:
        return False
    return not uses_stops or shape.stop_ratio >= _MIN_STOP_RATIO


def _is_call(line: _Line, prose: bool) -> bool:
    """A call to action, a notice or a repeat: never article text."""
    if line.repeated:
        return True
    if not line.label:
        return False
    if not prose:
        return True
    return line.label in _CALL_LABELS and bool(_TO_READER.search(line.text))


def _value(line: _Line, prose: bool, call: bool) -> float:
    if call:
        return -max(float(line.shape.words), _SHORT_COST)
    if prose:
        # Teasers under a list of headlines are prose too, but short: a body needs paragraphs.
        return float(line.shape.words) - _PROSE_DISCOUNT
    if line.in_list:
        return -_LIST_COST
    return -_SHORT_COST


def _best_run(values: Sequence[float], first: int, last: int) -> tuple[int, int]:
    """The contiguous run with the largest sum that starts in ``[first, last)``; an empty run
    (start > end) when none scores above zero."""
    best, best_start, best_end = 0.0, first, first - 1
    total, start = 0.0, first
    for i in range(first, len(values)):
        if i < last and total <= 0:
            total, start = values[i], i
        else:
            total += values[i]
        if total > best:
            best, best_start, best_end = total, start, i
    return best_start, best_end


def _body(lines: Sequence[_Line], prose: Sequence[bool], call: Sequence[bool], start: int, end: int) -> list[int]:
    """The lines of the run that are article: no calls to action, and short lines only
    inside, never at the edges."""
    kept = [i for i in range(start, end + 1) if not call[i]]
    while kept and not prose[kept[0]]:
        kept.pop(0)
    while kept and not prose[kept[-1]]:
        kept.pop()
    return kept


def _headline_index(lines: Sequence[_Line], prose: Sequence[bool]) -> int | None:
    """The headline, when the page's first line (the document title, which sites pad with
    their name) repeats it: of the lines that do, the one followed by the most prose."""
    head = _words(_strip_site_name(lines[0].text))
    if len(head) < 2:
        return None
    best, best_words = None, -1
    for i in range(1, len(lines)):
        words = _words(lines[i].text)
        if len(words) < 2 or len(words & head) < 0.8 * len(words) or len(words) < 0.5 * len(head):
            continue
        following = sum(lines[j].shape.words for j in range(i + 1, min(len(lines), i + _TITLE_REACH)) if prose[j])
        if following > best_words:
            best, best_words = i, following
    return best


def _title_index(lines: Sequence[_Line], body_start: int) -> int | None:
    """Without a repeated document title, the headline is the first line, when the body does
    not start there."""
    return 0 if body_start > 0 else None


def _strip_site_name(title: str) -> str:
    for _ in range(2):
        title = _TITLE_SUFFIX.sub("", title)
    return title


def _dek_index(
    lines: Sequence[_Line], prose: Sequence[bool], call: Sequence[bool], title_at: int | None, kept: Sequence[int]
) -> int | None:
    """The standfirst: the first sentence-like line after the title, when it stands apart from
    the body (bylines, credits or calls to action come between them)."""
    if title_at is None:
        return None
    for i in range(title_at + 1, min(len(lines), title_at + 4)):
        line = lines[i]
        if call[i] or _is_credit(line):
            continue
        if not line.shape.sentence_end and not prose[i]:
            return None
        if line.shape.words > _MAX_DEK_WORDS or line.shape.words < 5:
            return None
        if kept and i >= kept[0]:
            after = kept[1] if i == kept[0] and len(kept) > 1 else None
            if after is None or after == i + 1:
                return None
        return i
    return None


def _is_credit(line: _Line) -> bool:
    return bool(_BYLINE.match(line.text) or _DATELINE.match(line.text)) and line.shape.words <= 15


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _fallback_title(lines: Sequence[_Line]) -> str:
    return lines[0].text if lines[0].shape.words <= 30 else ""


def _removed(lines: Sequence[_Line], used: set[int]) -> tuple[Removed, ...]:
    out = []
    for i, line in enumerate(lines):
        if i in used:
            continue
        if line.repeated:
            label = "duplicate"
        elif _BYLINE.match(line.text) and line.shape.words <= 15:
            label = "credit"
        else:
            label = label_for(line.text)
        out.append(Removed(label, line.text))
    return tuple(out)
