"""Article extraction from a page flattened to text, one block per line.

The article is one contiguous run of prose. Each line gets a value from how much it reads like
prose (length, function words, sentence shape) and from what it says (calls to action,
captions, repeats); the run of lines with the highest total is the body. When the page's first
line (its document title) is repeated further down, that repeat is the headline and the body
must start just under it. The run takes in the short lines inside the article (subheads, short
quotes) and leaves out the chrome around it. Then, in order: the run ends where readers'
comments, suggestions of other pages or a note about the author begin; sections at its ends
that are mostly pleas (an appeal reads like prose between them) go; headlines boxed inside it
go; short lines at its edges go; a list its last line announces stays. Title and dek come
from the lines just above the body, and every line left out is named with a label.

These rules no longer decide alone: what they made of each line is one of the features of the
line model (``line_features``), which keeps or removes each line; title and dek stay theirs. The
model has two stages (``LineModel``): the first also reads what the line's words say, by weights
learned from labelled pages ("reserved", "sitemap" and the names of languages in a switcher lean
away from the article; ``names.TokenWeights``); the second judges each line again from what the
first made of the page around it, since a headline of another story reads the same as a
listing's item.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np

from copydesk.clean.blocks import BEST_EFFORT_WORDS, FULL_STOPS, UNSPACED, Shape, best_effort, normalize_space, repeat_key, repeats, restatements, shape_and_key
from copydesk.clean.labels import (
    BYLINE_OPENING,
    LABEL_GROUPS,
    MONTH,
    READER_CALLS,
    SHORT_CALL_CHARS,
    about_author,
    call_words,
    fallback_label,
    is_caption,
    signs_a_comment,
    suggests_other_pages,
    text_label,
)
from copydesk.clean.model import (
    BlockModel, after_comment_heading, expected_f1_keeps, feature_rows, following_shares, main_run, main_run_columns, neighbours, shipped, valley_columns, whole_groups, window_max, window_mean,
)
from copydesk.clean.names import TokenWeights
from copydesk.clean.page import ADDRESS_FEATURES, address_row, line_page_features, page_type_and_confidence
from copydesk.document import Extraction, Removed

#: Labels that mark a block as not article even when it is long prose, provided it speaks to
#: the reader: an appeal or a cookie notice is written in sentences too.
_CALL_LABELS = frozenset({"appeal", "subscription", "newsletter", "comments", "legal", "share"})
#: Words that speak to the reader or for the publisher; not "sie" or "su", which are as often
#: "she" and "his" in running prose.
_TO_READER = re.compile(
    r"\b(you|your|we|our|us|uns|unser\w*|vous|votre|vos|nous|usted|nuestr[oa]s?|voi|noi|você|nós)\b", re.I
)
#: "By Jane Doe", "By JANE DOE and John Roe", "Von Erika Muster | 3. März": a name, then the end
#: of the line, punctuation or a word that joins more names or a date.
_BYLINE = re.compile(
    rf"^(?i:{BYLINE_OPENING})\s+"
    r"(?:[A-ZÀ-ÞА-Я][\w.'’-]*\s?){1,4}(?:$|[,|•·—–-]|(?i:and|und|et|y|e|on|am|le|el|at|for)\s)"
)
_DATELINE = re.compile(
    rf"^(\w+\.?,? )?({MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}},? {MONTH},? \d{{4}}|\d{{4}}-\d\d-\d\d|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}})\b"
    r"|^(published|updated|posted|last updated|first published)( on)?:? [^\d]{0,30}\d",
    re.I,
)
#: A heading over a note about the author or the publisher, in several languages.
_ABOUT = re.compile(
    r"(?i:about|sobre|über|à propos d[eu]|acerca de|a proposito di|o autorze|об авторе|tentang)\b"
    r"(?! (?i:this|these|the (?!author)))"
)
#: Quotations: what people said to the reporter, not what the page says to the reader.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»|„[^“”]*[“”]")
#: Breadcrumbs and menus flattened to one line: "News » World » Europe".
_CRUMB = re.compile(r"\s[»›>|/]\s")
_MENU_MARK = re.compile(r"[»›|/]")
# Sites append their name to the page title: "Headline - Site", "Headline | Site".
_TITLE_SUFFIX = re.compile(r"\s+[-|–—:•»]\s+(?:(?!\s[-|–—:•»]\s).){1,40}$")

#: Prose: enough words, enough function words among them, not title-cased, and a full stop
#: at the end unless the line is long. Tuned on the benchmark's tune half.
_MIN_PROSE_WORDS = 7
_MIN_STOP_RATIO = 0.12
_MAX_CAPITAL_RATIO = 0.6
_MIN_UNENDED_PROSE_WORDS = 25
#: What a paragraph adds to a run is its words less this, so a run of one-line blurbs adds
#: little and an article's paragraphs add much.
_PROSE_DISCOUNT = 8.0
#: How much a line that is not prose costs the run that includes it.
_SHORT_COST = 4.0
#: A line in a block of lines with no blank line between them is a list item or menu entry.
_LIST_COST = 8.0
_MAX_DEK_WORDS = 60
_MAX_BYLINE_WORDS = 20
#: Prose words the body must have before a heading such as "Related stories" can end it.
_MIN_BODY_WORDS = 100
_MAX_HEADING_WORDS = 6
#: Words an item of a list the article announces has, on average, at the least.
_MIN_ITEM_WORDS = 4
#: A note after the article is short: at most this share of the article before it.
_MAX_NOTE_SHARE = 0.5
#: Share of an article's paragraphs that follow another paragraph, at the least.
_MIN_FOLLOWING_SHARE = 0.4
#: A repeat of the title is the headline when the prose under it is at least this share of
#: the most prose under any repeat.
_HEADLINE_SHARE = 0.5
_MIN_HEADLINE_WORDS = 3
#: How far below the headline the body may start.
_TITLE_REACH = 25
#: Menus, footers and pitches repeat on every page of a site (and some twice on one page):
#: the measures of this many distinct short lines are remembered. Paragraphs are not (they
#: rarely repeat, and would fill the memory).
_REMEMBERED_LINES = 8192
_REMEMBERED_CHARS = 300


# A tuple, not a frozen dataclass: a page makes hundreds and a tuple is several times cheaper
# to make.
class _Line(NamedTuple):
    text: str
    #: In a block of lines with no blank line between them: a list item or a menu entry.
    listed: bool
    shape: Shape
    #: Its words, lower-cased, as ``blocks.repeat_key`` gives them.
    key: str
    #: What the words call for ("" when they say nothing).
    label: str
    repeated: bool
    #: A byline or a date line.
    byline: bool
    #: Lines with no blank line between them share a group (one element of the page).
    group: int
    prose: bool
    #: A call to action, a notice or a repeat: never article text.
    call: bool
    #: What the line adds to a run of lines that includes it.
    value: float


class TextAnalysis(NamedTuple):
    """A flattened page as the line rules read it: its lines, the body they chose (``kept``,
    indexes of ``lines``), the run it came from, the title and dek lines and the labels of
    sections cut from inside the run."""

    lines: list[_Line]
    kept: list[int]
    run: tuple[int, int]
    title_at: int | None
    dek_at: int | None
    labels: dict[int, str]


def analyse_text(text: str) -> TextAnalysis:
    """Read the lines of ``text`` and run the line rules."""
    lines = _lines(text)
    if not lines:
        return TextAnalysis(lines, [], (0, -1), None, None, {})
    headline = _headline_index(lines)
    if headline is None:
        start, end = _best_run(lines, 0, len(lines))
    else:
        start, end = _best_run(lines, headline + 1, headline + 1 + _TITLE_REACH)
    if start > end:  # no article, so no headline either: everything is chrome
        return TextAnalysis(lines, [], (start, end), None, None, {})
    kept, labels = _body(lines, start, end)
    title_at = headline if headline is not None else _title_index(lines, kept[0] if kept else start)
    dek_at = _dek_index(lines, title_at, kept)
    if dek_at is not None and dek_at in kept:
        kept = [i for i in kept if i != dek_at]
    return TextAnalysis(lines, kept, (start, end), title_at, dek_at, labels)


def clean_text(text: str, url: str = "", *, model: LineModel | None = None) -> Extraction:
    """The article in ``text``, a page flattened to one block per line, from ``url``: the lines
    the line model keeps (``model``, else the shipped one)."""
    analysis = analyse_text(text)
    model = model or shipped_lines()
    lines, title_at, dek_at = analysis.lines, analysis.title_at, analysis.dek_at
    rows = line_features(analysis)
    probabilities = model.probabilities(rows, [line.key for line in lines], url)
    likely = line_keeps(probabilities, rows)
    keep = _whole_groups(lines, likely)
    restated, thread = _kept_restatements(lines, keep), _comment_thread(lines, keep)
    chosen = [i for i, k in enumerate(keep) if k and i not in (title_at, dek_at) and i not in restated and i not in thread]
    kept = _without_edges(lines, chosen)
    used = set(kept) | {i for i in (title_at, dek_at) if i is not None}
    title = lines[title_at].text if title_at is not None else ""
    if title_at == 0:
        title = _strip_site_name(title) or title
    dek = lines[dek_at].text if dek_at is not None else ""
    removed = _removed(lines, used, analysis.labels, max(kept, default=len(lines)), set(chosen) - set(kept), restated, thread)
    about = line_page_features(url, [line.text for line in lines], dict(zip(LINE_FEATURES, rows.T)), probabilities, likely)
    page_type, confidence = page_type_and_confidence(about, (), "text")
    if not kept:
        paragraphs, removed = best_effort(removed)
        return Extraction("text", title, dek, tuple(paragraphs), tuple(removed), page_type=page_type, confidence=confidence)
    return Extraction("text", title, dek, tuple(lines[i].text for i in kept), removed, page_type=page_type, confidence=confidence)


def _kept_restatements(lines: Sequence[_Line], keep: np.ndarray) -> set[int]:
    """The kept lines that print other kept lines inside them (``blocks.restatements``): the
    article again as one run of text, from a print view or a data attribute, adds nothing to
    the article kept. One kept without its parts is the page's one copy of it, and stays."""
    return {i for i in restatements([line.text for line in lines], among=np.flatnonzero(keep).tolist()) if keep[i]}


def _comment_thread(lines: Sequence[_Line], keep: np.ndarray) -> set[int]:
    """The kept lines from the first of two or more kept lines that sign a reader's comment
    ("Jane Doe says:", ``labels.signs_a_comment``) to the page's end: the readers' comments.
    The line model reads a comment as the prose it is; flattened, a blog's thread and its
    article read alike but for these lines."""
    signs = [i for i in np.flatnonzero(keep).tolist() if signs_a_comment(lines[i].text)]
    return {i for i in range(signs[0], len(lines)) if keep[i]} if len(signs) >= 2 else set()


def _whole_groups(lines: Sequence[_Line], keep: np.ndarray) -> np.ndarray:
    """``keep`` with the lines between the first and the last kept line of a group of lines (no
    blank line between them) whose lines there it mostly keeps (``model.whole_groups``), but
    repeats. Only between: where a page's paragraphs are split by line breaks alone, its
    menu, text and footer are one group."""
    n = len(lines)
    _, group = np.unique(np.fromiter((line.group for line in lines), np.intp, n), return_inverse=True)
    index = np.arange(n)
    first = np.full(n, n)
    last = np.full(n, -1)
    np.minimum.at(first, group[keep], index[keep])
    np.maximum.at(last, group[keep], index[keep])
    between = (index >= first[group]) & (index <= last[group])
    eligible = between & np.fromiter((not line.repeated for line in lines), bool, n)
    return whole_groups(group, np.fromiter((len(line.text) for line in lines), np.float64, n), eligible, keep)


def _lines(text: str) -> list[_Line]:
    cleaned = [normalize_space(line) for line in text.splitlines()]
    # Without a single blank line, a page says nothing about which lines go together.
    spaced = "" in cleaned
    # Lines without a word ("—", "|") say nothing at all.
    worded = [(i, line, measures) for i, line in enumerate(cleaned) if line and (measures := _measure(line))[0].words]
    uses_stops = _uses_stopwords([measures[0] for _, _, measures in worded])
    restated = restatements([line for _, line, _ in worded])
    repeated = list(repeats(measures[1] for _, _, measures in worded))
    lines: list[_Line] = []
    for n, (i, line, (shape, key, label, byline)) in enumerate(worded):
        is_repeat = repeated[n] or n in restated
        # Lines with no blank line around them came from one element: a menu, a list.
        listed = spaced and bool((i > 0 and cleaned[i - 1]) or (i + 1 < len(cleaned) and cleaned[i + 1]))
        # A blank line above a line starts a new group.
        group = lines[-1].group if spaced and lines and i > 0 and cleaned[i - 1] else i
        prose = _is_prose(shape, uses_stops) and not byline
        # Bylines and dates are never article text, wherever they stand.
        call = byline or _is_call(line, label, is_repeat, prose)
        value = _value(shape, label, prose, call, listed)
        lines.append(_Line(line, listed, shape, key, label, is_repeat, byline, group, prose, call, value))
    return _with_captions(lines)


def _measured(line: str) -> tuple[Shape, str, str, bool]:
    """What one line says by itself: its shape, its repeat key, its label and whether it is a
    byline or a date."""
    shape, key = shape_and_key(line)
    if not shape.words:
        return shape, key, "", False
    return shape, key, text_label(line), _is_byline_or_date(line, shape)


_remembered = lru_cache(maxsize=_REMEMBERED_LINES)(_measured)


def _measure(line: str) -> tuple[Shape, str, str, bool]:
    return _remembered(line) if len(line) <= _REMEMBERED_CHARS else _measured(line)


def _with_captions(lines: list[_Line]) -> list[_Line]:
    """A paragraph printed right on top of a photo credit, with no blank line between them, is
    the photo's caption."""
    for i in range(len(lines) - 1):
        line, below = lines[i], lines[i + 1]
        credit = below.label == "credit" and not below.prose and not below.text.endswith(":")  # not "More photos:"
        if line.prose and not line.call and credit and below.group == line.group:
            lines[i] = line._replace(label="credit", call=True, value=-_SHORT_COST)
    return lines


def _uses_stopwords(shapes: Sequence[Shape]) -> bool:
    """Whether the page is in a language whose function words we know."""
    words = sum(shape.words for shape in shapes)
    stops = sum(shape.stop_ratio * shape.words for shape in shapes)
    return words > 0 and stops / words >= 0.05


def _is_prose(shape: Shape, uses_stops: bool) -> bool:
    if shape.words < _MIN_PROSE_WORDS or shape.capital_ratio > _MAX_CAPITAL_RATIO:
        return False
    # A line of a dozen words without a full stop is a headline (of a teaser, most often).
    if not shape.sentence_end and shape.words < _MIN_UNENDED_PROSE_WORDS:
        return False
    return not uses_stops or shape.stop_ratio >= _MIN_STOP_RATIO


def _is_call(text: str, label: str, repeated: bool, prose: bool) -> bool:
    if repeated:
        return True
    if not label:
        return False
    if not prose:
        return True
    # A paragraph that names an agency is news; one that only a caption or an author's note
    # would say is not.
    if label == "credit":
        return is_caption(text) or about_author(text)
    # Prose that mentions a newsletter is news; prose that also says "sign up", or speaks to
    # the reader outside quotation marks, is a pitch.
    return label in _CALL_LABELS and (bool(_TO_READER.search(_QUOTED.sub("", text))) or call_words(text) >= 2)


def _value(shape: Shape, label: str, prose: bool, call: bool, listed: bool) -> float:
    # Pitches and repeats weigh against a run as much as they say; a caption is part of the
    # article's furniture and costs no more than any short line.
    if call and label != "credit":
        return -max(float(shape.words), _SHORT_COST)
    if prose and not call:
        # Teasers under a list of headlines are prose too, but short: a body needs paragraphs.
        return float(shape.words) - _PROSE_DISCOUNT
    if listed:
        return -_LIST_COST
    return -_SHORT_COST


def _best_run(lines: Sequence[_Line], first: int, last: int) -> tuple[int, int]:
    """The contiguous run with the largest sum that starts in ``[first, last)``; an empty run
    (start > end) when none scores above zero."""
    best, best_start, best_end = 0.0, first, first - 1
    total, start = 0.0, first
    for i in range(first, len(lines)):
        if i < last and total <= 0:
            total, start = lines[i].value, i
        else:
            total += lines[i].value
        if total > best:
            best, best_start, best_end = total, start, i
    return best_start, best_end


def _body(lines: Sequence[_Line], start: int, end: int) -> tuple[list[int], dict[int, str]]:
    """The lines of the run that are article, and the labels of sections cut as a whole.

    Calls to action go, and so does a section at either end that is mostly calls to action
    (an appeal reads like prose between its pleas); short lines stay inside the body, never
    at its edges.
    """
    end = _tail_start(lines, start, end) - 1
    sections = _sections(lines, start, end)
    labels: dict[int, str] = {}
    while len(sections) > 1 and _mostly_calls(lines, sections[-1]):
        labels.update(_section_labels(lines, sections.pop()))
    while len(sections) > 1 and _mostly_calls(lines, sections[0]):
        labels.update(_section_labels(lines, sections.pop(0)))
    body = range(sections[0].start, sections[-1].stop)
    labels.update(_link_boxes(lines, body))
    kept = [i for i in body if not lines[i].call and i not in labels]
    while kept and not lines[kept[0]].prose:
        kept.pop(0)
    while kept and not lines[kept[-1]].prose:
        kept.pop()
    if kept:
        kept += _introduced_list(lines, kept[-1])
    return kept, labels


def _link_boxes(lines: Sequence[_Line], body: range) -> dict[int, str]:
    """The headlines under a "Related:" or "More:" line inside the article: links to other
    stories, up to the next paragraph."""
    boxed: dict[int, str] = {}
    for i in body:
        if lines[i].label == "related" and not lines[i].prose:
            j = i + 1
            while j in body and not lines[j].prose and not lines[j].call:
                boxed[j] = "related"
                j += 1
    return boxed


def _introduced_list(lines: Sequence[_Line], last: int) -> list[int]:
    """The list the article's last lines announce ("The tour dates:"): short lines, but the
    article's all the same. Lists of one or two words an item are tags or links, not that."""
    intro = last if lines[last].text.endswith(":") else last + 1
    if intro + 1 >= len(lines) or not lines[intro].text.endswith(":") or lines[intro].call:
        return []
    group = lines[intro + 1].group
    items = []
    for i in range(intro + 1, len(lines)):
        if lines[i].group != group or lines[i].call:
            break
        items.append(i)
    if len(items) < 2 or sum(lines[i].shape.words for i in items) < _MIN_ITEM_WORDS * len(items):
        return []
    return ([intro] if intro > last else []) + items


def _tail_start(lines: Sequence[_Line], start: int, end: int) -> int:
    """Where the readers' comments, the list of other stories or the note about the author or
    the publisher begin, once the article has had its say: whatever follows is not the
    article's."""
    total = sum(line.shape.words for line in lines[start : end + 1] if line.prose)
    teasers = _teaser_tails(lines, start, end)
    words = 0
    for i in range(start, end + 1):
        line = lines[i]
        if line.prose:
            words += line.shape.words
        elif line.label == "comments" and words:
            return i
        elif words < _MIN_BODY_WORDS or not _is_heading(line):
            continue
        elif line.label == "related" and (suggests_other_pages(line.text) or teasers[i + 1 - start]):
            return i
        # "About the author", "About Example Corp": a short note, well after the article's bulk.
        elif _ABOUT.match(line.text) and total - words <= _MAX_NOTE_SHARE * words:
            return i
    return end + 1


def _teaser_tails(lines: Sequence[_Line], start: int, end: int) -> list[bool]:
    """For each line of the run (and one past its end), whether the prose from there to the
    end comes one paragraph at a time between headlines, bylines and dates, the way teasers of
    other stories do; an article's paragraphs mostly follow one another. Counted from the end
    in one pass, so a page of many headings stays linear."""
    tails = [False] * (end - start + 2)
    paragraphs = following = 0
    for i in range(end, start - 1, -1):
        if lines[i].prose:
            paragraphs += 1
            following += i > 0 and lines[i - 1].prose
        # One paragraph after a box of links tells nothing: it may well be the article's last.
        tails[i - start] = paragraphs > 1 and following < _MIN_FOLLOWING_SHARE * paragraphs
    return tails


def _is_heading(line: _Line) -> bool:
    """A short line that names what follows ("Related stories"), unlike an inline pointer
    ("Related: Bridge to close")."""
    return line.shape.words <= _MAX_HEADING_WORDS and ":" not in line.text[:-1]


def _sections(lines: Sequence[_Line], start: int, end: int) -> list[range]:
    """The run split at its headings (short lines that are not calls to action); a section
    starts at its heading."""
    sections, first = [], start
    for i in range(start + 1, end + 1):
        if not lines[i].prose and not lines[i].call:
            sections.append(range(first, i))
            first = i
    sections.append(range(first, end + 1))
    return sections


def _mostly_calls(lines: Sequence[_Line], section: range) -> bool:
    paragraphs = [i for i in section if lines[i].prose]
    calls = sum(1 for i in paragraphs if lines[i].call)
    return calls >= 2 and 3 * calls >= len(paragraphs)


def _section_labels(lines: Sequence[_Line], section: range) -> dict[int, str]:
    """A section cut as a whole is all of one kind: the one most of its calls name."""
    named = Counter(lines[i].label for i in section if lines[i].label)
    label = named.most_common(1)[0][0] if named else "other"
    return {i: label for i in section if not lines[i].repeated}


def _headline_index(lines: Sequence[_Line]) -> int | None:
    """The headline, when the page's first line (the document title, which sites pad with
    their name) repeats it. Galleries and link lists repeat it too: of the lines that do, the
    first one followed by a good share of the most prose any of them is followed by."""
    head = _words(repeat_key(_strip_site_name(lines[0].text)))
    if len(head) < 2:
        return None
    candidates: list[tuple[int, float]] = []
    shortest, longest = 0.5 * len(head), 2 * len(head)
    for i in range(1, len(lines)):
        if not shortest <= lines[i].shape.words <= longest:
            continue
        words = _words(lines[i].key)
        if len(words) < 2 or len(words & head) < 0.8 * len(words) or len(words) < 0.5 * len(head):
            continue
        if lines[i].label:  # "34 responses to <headline>" heads the comments
            continue
        candidates.append((i, sum(max(line.value, 0.0) for line in lines[i + 1 : i + _TITLE_REACH])))
    if not candidates:
        return None
    most = max(following for _, following in candidates)
    return next(i for i, following in candidates if following >= _HEADLINE_SHARE * most)


def _title_index(lines: Sequence[_Line], body_start: int) -> int | None:
    """Without a repeated document title, the headline is the first line when it reads like
    one (or like a document title, "Headline - Site"). Menus and crumbs come first on many
    pages, though: then it is the nearest line above the body, past bylines, credits, calls to
    action and one standfirst, that reads like a headline."""
    if body_start == 0:
        return None
    first = lines[0]
    if not first.call and (_reads_like_headline(first) or _strip_site_name(first.text) != first.text):
        return 0
    passed_dek = False
    for i in range(body_start - 1, max(-1, body_start - 1 - _TITLE_REACH), -1):
        line = lines[i]
        if line.call:
            continue
        if line.prose and not passed_dek:
            passed_dek = True
            continue
        return i if _reads_like_headline(line) else None
    return None


def _reads_like_headline(line: _Line) -> bool:
    """Several words with a function word among them ("Glaciers Lost a Tenth of Their Ice"),
    no full stop, no separators of a menu or a crumb."""
    shape = line.shape
    return (
        shape.words >= _MIN_HEADLINE_WORDS
        and shape.stop_ratio > 0
        and not shape.sentence_end
        and not _MENU_MARK.search(line.text)
    )


def _strip_site_name(title: str) -> str:
    for _ in range(2):
        title = _TITLE_SUFFIX.sub("", title)
    return title


def _dek_index(lines: Sequence[_Line], title_at: int | None, kept: Sequence[int]) -> int | None:
    """The standfirst: the first sentence-like line after the title (past bylines, dates and
    calls to action), before the body or set apart from it by a byline or a credit."""
    if title_at is None:
        return None
    for i in range(title_at + 1, min(len(lines), title_at + 4)):
        line = lines[i]
        if line.call:
            continue
        if (not line.shape.sentence_end and not line.prose) or _CRUMB.search(line.text):
            return None
        if line.shape.words > _MAX_DEK_WORDS or line.shape.words < 5:
            return None
        if kept and i >= kept[0]:
            # Inside the body, only a byline or a credit under it sets a line apart as a dek.
            after = kept[1] if i == kept[0] and len(kept) > 1 else None
            between = lines[i + 1 : after] if after is not None else []
            if not any(other.byline or other.label == "credit" for other in between):
                return None
        return i
    return None


def _is_byline_or_date(text: str, shape: Shape) -> bool:
    return _is_byline(text, shape) or bool(shape.words <= _MAX_BYLINE_WORDS and _DATELINE.match(text))


def _is_byline(text: str, shape: Shape) -> bool:
    return shape.words <= _MAX_BYLINE_WORDS and bool(_BYLINE.match(text))


def _words(key: str) -> set[str]:
    """The words of a ``repeat_key``."""
    return set(key.split(" "))


def _without_edges(lines: Sequence[_Line], kept: list[int]) -> list[int]:
    """``kept`` less the lines the model kept that are not the body's text: before its first
    paragraph a byline or a dateline, after its last a call or a heading over what was cut,
    and anywhere a short line that only calls on the reader and is no sentence (the rule
    ``edge`` of HTML)."""
    kept = [
        i
        for i in kept
        if not (len(lines[i].text) < SHORT_CALL_CHARS and lines[i].label in READER_CALLS and not lines[i].shape.sentence_end)
    ]
    paragraphs = [i for i in kept if lines[i].prose]
    if not paragraphs:
        return kept
    first, last = paragraphs[0], paragraphs[-1]
    return [
        i
        for i in kept
        if not (i < first and lines[i].byline) and not (i > last and (lines[i].call or _is_heading(lines[i])))
    ]


def _removed(
    lines: Sequence[_Line], used: set[int], labels: dict[int, str], body_end: int, edges: set[int] = frozenset(),
    restated: set[int] = frozenset(), thread: set[int] = frozenset(),
) -> tuple[Removed, ...]:
    removed = [i for i in range(len(lines)) if i not in used]
    named = {i: _own_label(lines[i], labels.get(i, "")) for i in removed}
    # A repeat is named a duplicate, but what it says still names its neighbours.
    says = {i: lines[i].label or named[i] for i in removed}
    out = []
    for k, i in enumerate(removed):
        label = named[i]
        if not label:
            # Unnamed lines take the name of what surrounds them: a heading over a pitch, or a
            # paragraph between two pleas of an appeal, belongs to the pitch or the appeal.
            after = says[removed[k + 1]] if k + 1 < len(removed) and removed[k + 1] == i + 1 else ""
            before = says[removed[k - 1]] if k > 0 and removed[k - 1] == i - 1 else ""
            heads_pitch = after and _is_heading(lines[i]) and lines[i + 1].shape.words >= _MIN_PROSE_WORDS
            if after in _CALL_LABELS and (before == after or heads_pitch):
                label = after
            elif i > body_end and _is_teaser_headline(lines[i]):
                label = "related"
            else:
                label = fallback_label(lines[i].text)
        rule = "edge" if i in edges or i in thread else "repeat" if i in restated else "line_model"
        out.append(Removed("comments" if i in thread else label, lines[i].text, rule))
    return tuple(out)


def _is_teaser_headline(line: _Line) -> bool:
    """A headline of another story, as the lists after an article print them."""
    return _MIN_PROSE_WORDS <= line.shape.words < _MIN_UNENDED_PROSE_WORDS and not line.shape.sentence_end


def _own_label(line: _Line, section_label: str) -> str:
    """The label a removed line earns by itself, or "" when only its context can name it."""
    if line.repeated:
        return "duplicate"
    if section_label:
        return section_label
    if line.byline:
        # A date: no label of the vocabulary fits it better, and it is no link of a menu.
        return "credit" if _is_byline(line.text, line.shape) else "other"
    return line.label


#: How far (in lines, either side) the wider neighbourhood columns reach.
_REACHES = (2, 5, 10)
#: The densest stretch of the page counts each line's words less this: a run of lines that
#: long reads as prose whatever the language.
_DENSE_WORDS = 12
#: A line of fewer words is a link, a label or a menu entry.
_SHORT_WORDS = 5
#: Full stops (``blocks.FULL_STOPS``) and pauses of many scripts.
_FULL_STOPS = re.compile(f"[{FULL_STOPS}]")
_PAUSES = re.compile(r"[,;،、，；]")

#: The line model's inputs, in the order of ``line_features``' columns.
LINE_FEATURES: tuple[str, ...] = (
    "log_chars", "log_words", "stop_ratio", "capital_ratio", "sentence_end", "listed", "repeated", "byline",
    "prose", "call", "value", "says_call", "says_links", "says_legal", "rule_kept", "rule_title", "rule_dek",
    "in_run", "run_cut", "position", "chars_before", "group_lines", "digits", "kept_before", "kept_after",
    "kept_near", "prose_before", "prose_after", "prose_near", "inside_kept_span", "kept_share", "page_lines",
    "page_chars", "after_title",
    # Flattened text has no DOM: context and the shape of the characters stand in for it.
    "dense_side", "dense_lines_away", "dense_chars_away", "dense_share", "dense_line_share",
    *(f"{name}_near{reach}" for reach in _REACHES for name in ("log_chars", "prose", "sentence_end")),
    "log_chars_before", "log_chars_after", "log_chars_before2", "log_chars_after2",
    "short_run", "short_near", "stops_per_char", "pauses_per_char", "unspaced_share", "log_stops",
    "chars_per_word", "copies",
    # Teasers come one paragraph at a time between their headlines (``model.following_shares``),
    # readers' comments after their section's heading.
    "paragraphs_follow_after", "paragraphs_follow_near", "after_comment_heading",
)
_DIGIT = re.compile(r"\d")
_LOG_WORDS = LINE_FEATURES.index("log_words")


def line_features(analysis: TextAnalysis) -> np.ndarray:
    """One row per line of ``LINE_FEATURES``: what the line is, what the rules made of it and
    what its neighbours are."""
    lines = analysis.lines
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(LINE_FEATURES)), np.float32)
    chars = np.fromiter((len(line.text) for line in lines), np.float64, n)
    total = chars.sum()
    shapes = np.array([line.shape for line in lines], np.float64)
    flags = np.array([(line.listed, line.repeated, line.byline, line.prose, line.call, line.value) for line in lines], np.float64)
    says = np.fromiter((LABEL_GROUPS.get(line.label, -1) for line in lines), np.intp, n)
    groups = np.fromiter((line.group for line in lines), np.intp, n)
    _, group = np.unique(groups, return_inverse=True)
    kept = np.zeros(n)
    kept[analysis.kept] = 1.0
    start, end = analysis.run
    in_run = np.zeros(n)
    in_run[max(start, 0) : end + 1] = 1.0
    span = np.zeros(n)
    if analysis.kept:
        span[analysis.kept[0] : analysis.kept[-1] + 1] = 1.0
    title_at, dek_at = analysis.title_at, analysis.dek_at
    index = np.arange(n)
    prose = flags[:, 3]
    columns = {
        "log_chars": np.log1p(chars), "log_words": np.log1p(shapes[:, 0]), "stop_ratio": shapes[:, 1],
        "capital_ratio": shapes[:, 2], "sentence_end": shapes[:, 3], "listed": flags[:, 0], "repeated": flags[:, 1],
        "byline": flags[:, 2], "prose": prose, "call": flags[:, 4], "value": flags[:, 5], "says_call": says == 0,
        "says_links": says == 1, "says_legal": says == 2, "rule_kept": kept, "rule_title": index == (title_at if title_at is not None else -1),
        "rule_dek": index == (dek_at if dek_at is not None else -1), "in_run": in_run, "run_cut": in_run * (1 - kept),
        "position": index / n, "chars_before": (np.cumsum(chars) - chars) / total,
        "group_lines": np.log1p(np.bincount(group)[group]),
        "digits": np.fromiter((len(_DIGIT.findall(line.text)) for line in lines), np.float64, n) / chars,
        "inside_kept_span": span, "kept_share": chars[kept > 0].sum() / total, "page_lines": np.log1p(n),
        "page_chars": np.log1p(total), "after_title": index > (title_at if title_at is not None else n),
    }
    for name, values in (("kept", kept), ("prose", prose)):
        columns[f"{name}_before"], columns[f"{name}_after"], columns[f"{name}_near"] = neighbours(values)
    log_chars = columns["log_chars"]
    for reach in _REACHES:
        for name, values in (("log_chars", log_chars), ("prose", prose), ("sentence_end", shapes[:, 3])):
            columns[f"{name}_near{reach}"] = window_mean(values, reach)
    for step, suffix in ((1, ""), (2, "2")):
        columns[f"log_chars_before{suffix}"] = np.concatenate((np.zeros(step), log_chars))[:n]
        columns[f"log_chars_after{suffix}"] = np.concatenate((log_chars, np.zeros(step)))[step:]
    columns |= _dense_columns(shapes[:, 0], chars)
    short = (shapes[:, 0] < _SHORT_WORDS).astype(np.float64)
    columns["short_run"], columns["short_near"] = np.log1p(run_lengths(short)), window_mean(short, 3)
    stops = np.fromiter((len(_FULL_STOPS.findall(line.text)) for line in lines), np.float64, n)
    pauses = np.fromiter((len(_PAUSES.findall(line.text)) for line in lines), np.float64, n)
    # The unspaced scripts are none of ASCII, and most lines are ASCII: they need no search.
    unspaced = np.fromiter((0 if line.text.isascii() else len(UNSPACED.findall(line.text)) for line in lines), np.float64, n)
    copies = Counter(line.key for line in lines)
    columns |= {
        "stops_per_char": 100 * stops / chars, "pauses_per_char": 100 * pauses / chars, "unspaced_share": unspaced / chars,
        "log_stops": np.log1p(stops), "chars_per_word": chars / np.maximum(shapes[:, 0], 1),
        "copies": np.log1p(np.fromiter((copies[line.key] - 1 for line in lines), np.float64, n)),
        "after_comment_heading": after_comment_heading([line.text for line in lines]),
    }
    columns["paragraphs_follow_after"], columns["paragraphs_follow_near"] = following_shares(prose)
    return feature_rows(columns, LINE_FEATURES, n)


#: Stage 2 of the line model reads these beside ``LINE_FEATURES``: what stage 1 made of the
#: lines around the line (its neighbours, its place against the main run of likely text, the
#: stretch of likely lines it is in, the unlikely lines between it and the likeliest heavy
#: one), of the page as a whole, and the page's address (a headline is the content of a
#: listing, a teaser on a news story's page).
CONTEXT_FEATURES: tuple[str, ...] = (
    "stage1", "stage1_before", "stage1_after", "stage1_near", *(f"stage1_near{reach}" for reach in _REACHES),
    "stage1_window_max", "stage1_above",
    "run_inside", "run_lines_before", "run_lines_after", "run_chars_before", "run_chars_after", "run_share",
    "valley_lowest", "valley_unlikely", "likely_stretch_share", "likely_stretch_lines",
    "page_stage1", "page_likely_share", "page_likely_lines", "page_likely_stretches", "page_prose_share",
    "page_listed_share", "page_short_share", *ADDRESS_FEATURES,
)
_LOG_CHARS, _PROSE, _LISTED, _REPEATED = (LINE_FEATURES.index(name) for name in ("log_chars", "prose", "listed", "repeated"))


def context_rows(rows: np.ndarray, probabilities: np.ndarray, url: str) -> np.ndarray:
    """Stage 2's rows: stage 1's ``rows`` (``LineModel.first_rows``) and the ``CONTEXT_FEATURES``
    that stage 1's ``probabilities`` of them give, on the page at ``url``."""
    n = len(rows)
    if n == 0:
        return np.zeros((0, rows.shape[1] + len(CONTEXT_FEATURES)), np.float32)
    p = probabilities.astype(np.float64)
    chars = np.expm1(rows[:, _LOG_CHARS].astype(np.float64))
    total = chars.sum()
    before, after, near = neighbours(p)
    order = np.argsort(-p, kind="stable")
    above = np.empty(n)
    above[order] = np.cumsum(chars[order]) - chars[order]
    likely = (p >= 0.5).astype(np.float64)
    columns = [
        p, before, after, near, *(window_mean(p, reach) for reach in _REACHES),
        window_max(p), above / total, *main_run_columns(chars, p, total), *valley_columns(chars, p),
        run_sums(likely, chars) / total, np.log1p(run_lengths(likely)),
        np.full(n, (chars * p).sum() / total), np.full(n, chars[likely > 0].sum() / total), np.full(n, likely.mean()),
        np.full(n, np.log1p(np.count_nonzero(np.diff(likely, prepend=0.0) > 0))),
        np.full(n, chars[rows[:, _PROSE] > 0].sum() / total), np.full(n, rows[:, _LISTED].mean()),
        np.full(n, (rows[:, _LOG_WORDS] < np.log1p(_SHORT_WORDS)).mean()),
        *(np.full(n, float(value)) for value in address_row(url)),
    ]
    return np.hstack([rows, np.column_stack(columns).astype(np.float32)])


@dataclass(frozen=True, eq=False)
class LineModel:
    """Stage 1 judges each line from its own features, its neighbourhood's and what its words
    say; stage 2 judges it again knowing what stage 1 made of the rest of the page."""

    first: BlockModel
    second: BlockModel
    #: The weights of words that stage 1 learned with (``WORD_FEATURES``).
    words: TokenWeights

    def probabilities(self, rows: np.ndarray, keys: Sequence[str], url: str) -> np.ndarray:
        """Each line's probability of being article text, from its row of ``line_features`` and
        its ``repeat_key``."""
        return self.of_rows(self.first_rows(rows, keys), url)

    def first_rows(self, rows: np.ndarray, keys: Sequence[str]) -> np.ndarray:
        """Stage 1's rows: ``line_features``' and the ``WORD_FEATURES`` of the lines' keys."""
        return np.hstack([rows, self.words.line_columns(keys)])

    def of_rows(self, rows: np.ndarray, url: str) -> np.ndarray:
        """``probabilities`` from stage 1's rows."""
        return self.second.probabilities(context_rows(rows, self.first.probabilities(rows), url))


@cache
def shipped_lines() -> LineModel:
    """The package's two stages, ``models/text.npz`` and ``models/text-context.npz``, and the
    word weights of ``models/text-words.json``."""
    words = resources.files("copydesk.clean").joinpath("models", "text-words.json").read_text(encoding="utf-8")
    return LineModel(shipped("text"), shipped("text-context"), TokenWeights.loads(words))


def line_keeps(probabilities: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Which lines (``rows`` of ``line_features``, article text with ``probabilities``) are
    kept: the likeliest, as many as make the page's expected word F1 the highest. A line is
    worth keeping when its probability reaches about half the F1 the page can expect, so a
    doubtful line among sure ones goes and one among doubtful ones (the article may well be
    in them) stays, where one threshold treats both alike. A page the model cannot read (no
    choice expected to score well, or more likely no article text at all) keeps its best
    effort: the lines that read as prose, but repeats, or every line but repeats where none
    does, or none on a page of so few words (``blocks.BEST_EFFORT_WORDS``). The model's few
    likeliest lines there are more often chrome than the article, and an article is prose:
    a short story at the foot of a long menu is all the page's prose."""
    words = np.maximum(np.rint(np.expm1(rows[:, _LOG_WORDS])), 1.0)
    keep = expected_f1_keeps(probabilities, words, or_none=True)
    shown = rows[:, _REPEATED] == 0
    if keep.any() or words[shown].sum() < BEST_EFFORT_WORDS:
        return keep
    prose = shown & (rows[:, _PROSE] > 0)
    return prose if prose.any() else shown


def _dense_columns(words: np.ndarray, chars: np.ndarray) -> dict[str, np.ndarray]:
    """Where each line stands against the page's densest stretch of long lines: before it (1),
    inside (0) or after (-1), how many lines and what share of the characters away, and how
    much of the page (characters, lines) the stretch is."""
    n = len(words)
    start, end = main_run(words - _DENSE_WORDS)
    if start > end:
        return {name: np.zeros(n) for name in ("dense_side", "dense_lines_away", "dense_chars_away", "dense_share", "dense_line_share")}
    index = np.arange(n)
    starts = np.cumsum(chars) - chars
    stretch_end = starts[end] + chars[end]
    before, after = index < start, index > end
    return {
        "dense_side": before.astype(np.float64) - after,
        "dense_lines_away": np.log1p(np.where(before, start - index, np.where(after, index - end, 0))),
        "dense_chars_away": np.where(before, starts[start] - starts, np.where(after, starts - stretch_end, 0)) / chars.sum(),
        "dense_share": np.full(n, (stretch_end - starts[start]) / chars.sum()),
        "dense_line_share": np.full(n, (end - start + 1) / n),
    }


def run_sums(flags: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each position whose flag is set, the sum of ``values`` over the run of set flags it
    is in, else 0."""
    if len(flags) == 0:
        return np.zeros(0)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(flags)) + 1))
    lengths = np.diff(np.concatenate((starts, [len(flags)])))
    return np.repeat(np.add.reduceat(values, starts), lengths) * (flags > 0)


def run_lengths(flags: np.ndarray) -> np.ndarray:
    """For each position, the length of the run of equal ``flags`` it is in when its flag is set, else 0."""
    return run_sums(flags, np.ones(len(flags)))
