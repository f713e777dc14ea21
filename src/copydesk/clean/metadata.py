"""What a page says about itself: JSON-LD, Open Graph and other meta tags, <title>, <h1>, <time>.

Structured data is preferred over markup because publishers fill it for search engines and it is
rarely decorated; every field falls back to the next source that has it.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from typing import Any

import orjson
from selectolax.lexbor import LexborHTMLParser, LexborNode

from copydesk.clean.blocks import normalize_space
from copydesk.document import PageMetadata

_ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
        "techarticle", "liveblogposting", "socialmediaposting", "posting", "report", "webpage",
    }
)
#: Separators between a headline and the site name in <title> and og:title.
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—•·»/]{1,2}\s+|:\s+")
_MAX_SITE_SUFFIX_WORDS = 5
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
    articles = [o for o in objects if _types(o) & _ARTICLE_TYPES]
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


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def _language(tree: LexborHTMLParser, meta: dict[str, str]) -> str:
    html = tree.root
    lang = (html.attributes.get("lang") or html.attributes.get("xml:lang") or "") if html is not None else ""
    lang = lang or meta.get("og:locale", "") or meta.get("content-language", "") or meta.get("language", "")
    primary = re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""


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
    title = (
        _text(article.get("headline"))
        or strip_site_name(meta.get("og:title", ""), site_name)
        or strip_site_name(meta.get("twitter:title", ""), site_name)
        or _first_text(tree, "h1")
        or strip_site_name(_first_text(tree, "title"), site_name)
    )
    authors = _names(article.get("author")) or [
        name for name in (meta.get("author", ""), meta.get("article:author", ""), meta.get("byl", "")) if name and not _is_url(name)
    ]
    published = (
        _text(article.get("datePublished"))
        or meta.get("article:published_time")
        or meta.get("datepublished")
        or meta.get("pubdate")
        or meta.get("publish-date")
        or meta.get("date")
        or _first_attr(tree, "time[datetime]", "datetime")
    )
    metadata = PageMetadata(
        title=title,
        description=meta.get("og:description") or meta.get("description") or _text(article.get("description")),
        site_name=site_name,
        authors=_unique([re.sub(r"^by\s+", "", a, flags=re.I) for a in authors]),
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
    )
    body = article.get("articleBody", "")
    return metadata, body if isinstance(body, str) else ""
