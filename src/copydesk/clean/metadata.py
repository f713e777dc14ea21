"""What a page says about itself: JSON-LD, Open Graph and other meta tags, <title>, <h1>, <time>.

Structured data is preferred over markup because publishers fill it for search engines and it is
rarely decorated; every field falls back to the next source that has it.
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Iterator
from typing import Any

import orjson
from selectolax.lexbor import LexborHTMLParser, LexborNode

from copydesk.clean.blocks import normalize_space
from copydesk.document import DateCandidate, PageMetadata

_ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
        "techarticle", "liveblogposting", "socialmediaposting", "posting", "report", "webpage",
        # a forum thread's opening post and a Q&A page's question: their author is the page's
        "discussionforumposting", "question",
    }
)
#: Separators between a headline and the site name in <title> and og:title.
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—•·»/]{1,2}\s+|:\s+")
_MAX_SITE_SUFFIX_WORDS = 5
# A page's author list is short; a longer one is a list of contributors or a broken graph.
_MAX_AUTHOR_ITEMS = 20
# Meta tags that carry a byline, in the order they are trusted: the standard ones, then those of
# the analytics and mailing tools publishers fill from their CMS's author field.
_AUTHOR_META = (
    "author", "article:author", "byl", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author",
    "cxenseparse:author", "citation_author", "og:article:author",
)
# Meta tags that carry the publication date, standard ones first, then those of search, analytics
# and mailing tools.
_PUBLISHED_META = (
    "article:published_time", "datepublished", "pubdate", "publish-date", "date", "og:published_time",
    "article.published", "published", "publication_date", "publish_date", "date-published", "dc.date",
    "dc.date.issued", "dcterms.date", "dcterms.created", "dc.date.created", "citation_publication_date",
    "citation_date", "parsely-pub-date", "sailthru.date", "cludo:date", "cxenseparse:recs:publishtime",
    "cxenseparse:publishtime",
)
# Meta tags that carry the last modification's date.
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "modified", "updated",
    "last-modified", "dc.date.modified", "dcterms.modified", "revised", "lastmod",
)
# The JSON-LD keys of an object's dates, by what they date.
_LD_DATES = {"datePublished": "published", "dateCreated": "published", "uploadDate": "published", "dateModified": "modified"}
# Objects of a JSON-LD graph past this many are looked at for dates no more.
_MAX_LD_DATED = 40
# Elements a date is printed or marked up in: every one of them is a candidate for the article's date.
_PRINTED_DATES = 'time, [itemprop^="date"], [class*="date" i], [class*="publish"], [class*="posted"]'
_MAX_PRINTED_DATES = 30
# A printed date's label is read from the few short elements before it (a "Last updated:" span
# beside a <time>, with the whitespace between them).
_SIBLINGS_READ = 3
_MAX_LABEL_CHARS = 120
# A printed text longer than this that holds a date is a sentence or a teaser, not a dateline.
_MAX_DATELINE_CHARS = 80
# Elements a byline is printed in, when neither JSON-LD nor meta tags name the author.
_BYLINE_NODES = (
    'a[rel="author"], [itemprop="author"], [class*="author"], [class*="Author"], [class*="byline"], '
    '[class*="Byline"], [class*="writer"], [id*="author"], [id*="byline"]'
)
_NOT_BYLINE = re.compile(r"authoriz|comment|avatar|image|img|photo|bio|desc|about|more|box|follow|social|share|date|time", re.I)
_MAX_BYLINE_CHARS = 80
_MAX_BYLINE_NODES = 40
# Headings past the first few are the page's other stories.
_MAX_HEADINGS = 3
_MIN_HEADING_CHARS = 8
_SENTENCE_WORDS = 4
# The anchor marks documentation generators print after a heading.
_PERMALINK = re.compile(r"\s*[¶\uf0c1#]+\s*$")
# A section's label before a headline: "Opinion | Title".
_SECTION_PREFIX = re.compile(
    r"^(?:opinion|analysis|commentary|editorial|review|exclusive|explainer|live|watch|video|podcast|"
    r"meinung|kommentar|analyse|opinión|opinião|opinione|tribune|éditorial|column)\s*\|\s+",
    re.I,
)
_SOURCES = 'meta, link[rel="canonical"], script[type="application/ld+json"]'
#: Most items of one JSON-LD script looked at: pages declare a few dozen objects; a script of
#: hundreds of thousands of items is an attack on the worker, and its first items are kept.
_MAX_JSON_LD_ITEMS = 10_000
#: Deepest a JSON-LD value (a headline, an author) is followed; real pages nest two or three levels.
_MAX_JSON_LD_DEPTH = 16


def _json_ld(script: LexborNode) -> list[dict[str, Any]]:
    """The objects of one JSON-LD script, flattened out of lists and ``@graph``; a broken one
    gives none (pages often ship JSON-LD with stray commas or HTML in it)."""
    raw = script.text(deep=True).strip()
    if not raw:
        return []
    try:
        return list(_flatten(orjson.loads(raw)))
    except orjson.JSONDecodeError:
        return []


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    """The objects in ``data``, in document order by level: one pass, and no more than
    ``_MAX_JSON_LD_ITEMS`` items looked at, however the page nests its lists."""
    pending = deque([data])
    for _ in range(_MAX_JSON_LD_ITEMS):
        if not pending:
            return
        item = pending.popleft()
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            yield item
            if isinstance(item.get("@graph"), list):
                pending.extend(item["@graph"])


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def main_article(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON-LD object describing the article: the first of an article type, preferring one
    with a headline."""
    nested = [o["mainEntity"] for o in objects if isinstance(o.get("mainEntity"), dict)]  # QAPage's Question
    articles = [o for o in (*objects, *nested) if _types(o) & _ARTICLE_TYPES]
    articles.sort(key=lambda o: ("webpage" in _types(o), not o.get("headline"), not o.get("articleBody")))
    return articles[0] if articles else {}


def _add_meta(found: dict[str, str], attrs: dict[str, str | None]) -> None:
    """A meta tag's content under its lower-cased property/name/itemprop; the first wins."""
    content = attrs.get("content")
    if not content:
        return
    for key in ("property", "name", "itemprop", "http-equiv"):
        name = attrs.get(key)
        if name:
            found.setdefault(name.strip().lower(), normalize_space(content))


def _text(value: Any) -> str:
    """A JSON-LD value as text: strings as they are, objects by name, lists by first item; a value
    nested deeper than ``_MAX_JSON_LD_DEPTH`` says nothing."""
    for _ in range(_MAX_JSON_LD_DEPTH):
        if isinstance(value, str):
            return normalize_space(value)
        if isinstance(value, dict):
            value = value.get("name") or value.get("url") or value.get("@id") or ""
        elif isinstance(value, list) and value:
            value = value[0]
        else:
            return ""
    return ""


def _names(value: Any) -> list[str]:
    items = value[:_MAX_JSON_LD_ITEMS] if isinstance(value, list) else [value]
    return [name for name in (_text(item) for item in items) if name and not _is_url(name)]


def _people(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """The names a JSON-LD ``author`` gives, in every shape publishers write it: a string, a
    list, a Person with ``name`` or ``givenName``/``familyName``, a nested ``author``, or an
    ``@id`` pointing at a Person elsewhere in the graph (Yoast's way)."""
    names: list[str] = []
    pending = list(value) if isinstance(value, list) else [value]
    for _ in range(_MAX_AUTHOR_ITEMS):
        if not pending:
            break
        item = pending.pop(0)
        if isinstance(item, str):
            names.extend(n for n in (normalize_space(item),) if n and not _is_url(n))
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            ref = item.get("@id")
            if len(item) == 1 and isinstance(ref, str) and ref in by_id:
                item = by_id[ref]
            name = item.get("name")
            if isinstance(name, dict | list):
                pending.append(name)
                continue
            given, family = _text(item.get("givenName")), _text(item.get("familyName"))
            name = _text(name) or " ".join(p for p in (given, family) if p)
            if name and not _is_url(name):
                names.append(name)
            elif "author" in item:
                pending.append(item["author"])
    return names


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "//", "/"))


def _unique(names: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.lower(), name)
    return tuple(seen.values())


def strip_site_name(title: str, site_name: str = "") -> str:
    """The headline without a site name the page put before or after it ("Headline | Site",
    "Site: Headline"). Without a known site name only a short last part after a separator
    such as "|" or " - " goes, and never after a colon, which often belongs to the headline."""
    separators = list(_TITLE_SEPARATORS.finditer(title))
    if not separators:
        return title
    first, last = separators[0], separators[-1]
    head, tail = title[: last.start()].strip(), title[last.end() :].strip()
    lead, rest = title[: first.start()].strip(), title[first.end() :].strip()
    site = _squash(site_name)
    if site:
        if _squash(tail) == site or (site in _squash(tail) and len(tail.split()) <= _MAX_SITE_SUFFIX_WORDS):
            return head
        return rest if _squash(lead) == site else title
    if ":" not in last.group() and len(tail.split()) <= _MAX_SITE_SUFFIX_WORDS and len(head) >= 2 * len(tail):
        return head
    return title


def _title(tree: LexborHTMLParser, headline: str, meta: dict[str, str], site_name: str) -> str:
    """The headline as the page prints it: its <h1> when the page's declared titles hold it
    (they often add the site's name, a section or a longer SEO phrasing) or when it is the
    page's only, sentence-long <h1>; else the first declared title, without the site's name."""
    headings = [normalize_space(n.text(deep=True, separator=" ")) for n in tree.css("h1")[:_MAX_HEADINGS]]
    site = _squash(site_name)
    headings = [h for h in (_PERMALINK.sub("", h) for h in headings) if h and _squash(h) != site]
    page_title = html.unescape(_first_text(tree, "title"))
    declared = [html.unescape(t) for t in (headline, meta.get("og:title", ""), meta.get("twitter:title", "")) if t]
    squashed = [_squash(t) for t in (*declared, page_title)]
    for heading in headings:
        key = _squash(heading)
        if len(key) >= _MIN_HEADING_CHARS and any(key in t for t in squashed):
            return heading
    if len(headings) == 1 and len(headings[0].split()) >= _SENTENCE_WORDS:
        return headings[0]
    if not declared and headings:
        return headings[0]  # a page's <title> is the least telling: it is there for the browser's tab
    title = strip_site_name(declared[0] if declared else page_title, site_name)
    if title.endswith(("...", "…")) and headings and _squash(headings[0]).startswith(_squash(title)):
        return headings[0]  # a declared title cut short
    return _SECTION_PREFIX.sub("", title) or (headings[0] if headings else "")


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def _language(tree: LexborHTMLParser, meta: dict[str, str]) -> str:
    html = tree.root
    lang = (html.attributes.get("lang") or html.attributes.get("xml:lang") or "") if html is not None else ""
    lang = lang or meta.get("og:locale", "") or meta.get("content-language", "") or meta.get("language", "")
    primary = re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""


def _labelled_author(meta: dict[str, str]) -> list[str]:
    """Slack's unfurl labels ("Written by" on ``twitter:label1``, the name on ``twitter:data1``)."""
    for n in "12":
        if re.search(r"\b(?:written|author|by)\b", meta.get(f"twitter:label{n}", ""), re.I):
            return [meta.get(f"twitter:data{n}", "")]
    return []


def _bylines(tree: LexborHTMLParser) -> list[str]:
    """The short texts of the first elements a byline is printed in (a rel="author" link, an
    element whose class says author or byline); enrichment decides which of them are names."""
    found: list[str] = []
    for node in tree.css(_BYLINE_NODES)[:_MAX_BYLINE_NODES]:
        marks = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _NOT_BYLINE.search(marks) and node.attributes.get("rel") != "author":
            continue
        text = normalize_space(node.text(deep=True, separator=" "))
        if 3 <= len(text) <= _MAX_BYLINE_CHARS:
            found.append(text)
    return found


def date_candidates(tree: LexborHTMLParser, meta: dict[str, str], article: dict[str, Any], objects: list[dict[str, Any]]) -> tuple[DateCandidate, ...]:
    """Every date the page states: its article's JSON-LD dates, other JSON-LD objects' dates,
    the date meta tags, and the dates printed or marked up in its elements (``<time>``,
    ``itemprop``, elements whose class says date), each with the words printed around it."""
    found = [DateCandidate(_text(article[key]), f"ld_{kind}", key) for key, kind in _LD_DATES.items() if article.get(key)]
    for obj in objects[:_MAX_LD_DATED]:
        if obj is not article:
            found.extend(DateCandidate(_text(obj[key]), f"ld_other_{kind}", key) for key, kind in _LD_DATES.items() if obj.get(key))
    found.extend(DateCandidate(meta[key], "meta_published", key) for key in _PUBLISHED_META if meta.get(key))
    found.extend(DateCandidate(meta[key], "meta_modified", key) for key in _MODIFIED_META if meta.get(key))
    for node in tree.css(_PRINTED_DATES)[:_MAX_PRINTED_DATES]:
        attrs = node.attributes
        parent = node.parent
        marks = f"{attrs.get('class') or ''} {attrs.get('id') or ''} {attrs.get('itemprop') or ''}"
        label = f"{parent.attributes.get('class') or '' if parent is not None else ''} {marks} {_words_before(node)}"
        value = attrs.get("datetime") or attrs.get("content") or ""
        if value:
            source = "time" if node.tag == "time" or "datetime" in attrs else "itemprop"
            found.append(DateCandidate(normalize_space(value), source, label))
            continue
        text = normalize_space(node.text(deep=True, separator=" "))
        if 6 <= len(text) <= _MAX_DATELINE_CHARS and any(c.isdigit() for c in text):
            found.append(DateCandidate(text, "printed", label))
    return tuple(found)


def _words_before(node: LexborNode) -> str:
    """The short texts just before an element in its parent ("Last updated:" before a <time>)."""
    words: list[str] = []
    sibling = node.prev
    for _ in range(_SIBLINGS_READ):
        if sibling is None:
            break
        text = normalize_space(sibling.text(deep=True, separator=" "))
        if len(text) > _MAX_LABEL_CHARS:
            break
        words.insert(0, text)
        sibling = sibling.prev
    return " ".join(w for w in words if w)


def _first_text(tree: LexborHTMLParser, selector: str) -> str:
    node = tree.css_first(selector)
    return normalize_space(node.text(deep=True)) if node is not None else ""


def _first_attr(tree: LexborHTMLParser, selector: str, attr: str) -> str:
    node = tree.css_first(selector)
    return normalize_space(node.attributes.get(attr) or "") if node is not None else ""


def read_metadata(tree: LexborHTMLParser) -> tuple[PageMetadata, str]:
    """The page's metadata, from its parsed tree before scripts are removed, and the article
    text its JSON-LD declares ("" when it declares none).

    Each field takes the first source that has it; one search of the tree gathers the meta
    tags, the canonical link and the JSON-LD, and the tree is searched again only when those
    are silent.
    """
    meta: dict[str, str] = {}
    canonical = ""
    objects: list[dict[str, Any]] = []
    for node in tree.css(_SOURCES):
        if node.tag == "meta":
            _add_meta(meta, node.attributes)
        elif node.tag == "link":
            canonical = canonical or normalize_space(node.attributes.get("href") or "")
        else:
            objects.extend(_json_ld(node))
    article = main_article(objects)
    publisher = _names(article.get("publisher"))
    site_name = meta.get("og:site_name") or (publisher[0] if publisher else "") or meta.get("application-name", "")
    title = _title(tree, _text(article.get("headline")), meta, site_name)
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    authors = (
        _people(article.get("author"), by_id)
        or [name for name in map(meta.get, _AUTHOR_META) if name and not _is_url(name)][:1]
        or _labelled_author(meta)
    )
    published = (
        _text(article.get("datePublished"))
        or next(filter(None, map(meta.get, _PUBLISHED_META)), "")
        or _first_attr(tree, "article time[datetime]", "datetime")  # a sidebar's <time> is another story's
        or _first_attr(tree, "time[datetime]", "datetime")
        or _first_attr(tree, '[itemprop="datePublished"]', "content")
        or _first_text(tree, '[itemprop="datePublished"]')
    )
    declared_types = {kind for obj in objects for kind in _types(obj)} | ({meta["og:type"].lower()} if meta.get("og:type") else set())
    metadata = PageMetadata(
        types=tuple(sorted(declared_types)),
        title=title,
        description=meta.get("og:description") or meta.get("description") or _text(article.get("description")),
        site_name=site_name,
        authors=_unique([re.sub(r"^by\s+", "", a, flags=re.I) for a in authors]),
        # Enrichment reads them on the page types that have a byline of their own.
        bylines=() if authors else tuple(_bylines(tree)),
        published=published,
        modified=(
            _text(article.get("dateModified"))
            or meta.get("article:modified_time")
            or meta.get("og:updated_time")
            or meta.get("datemodified", "")
        ),
        canonical_url=canonical or meta.get("og:url", ""),
        section=_text(article.get("articleSection")) or meta.get("article:section", ""),
        image=meta.get("og:image") or meta.get("twitter:image") or _text(article.get("image")),
        language=_language(tree, meta),
        news=any("newsarticle" in kind for kind in _types(article)),
        dates=date_candidates(tree, meta, article, objects),
    )
    body = article.get("articleBody", "")
    return metadata, body if isinstance(body, str) else ""
