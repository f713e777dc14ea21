"""What kind of page it is, and how far to trust what was kept: two page-level models.

Both read one row per page (HTML: ``PAGE_FEATURES``, its address, what it declares itself to
be, how its blocks read and how sure the block model was of them; text mode:
``LINE_PAGE_FEATURES``, the same of its lines but what flattened text cannot say) and are the
same oblivious trees as the block model, trained by ``bench/train_blocks.py`` on WCXB-dev's
labelled pages, one set a mode.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

import numpy as np

from copydesk.clean.model import BlockModel, probabilities_of, shipped

#: The page types WCXB labels, each with a one-against-the-rest model. ``live_blog`` is what a
#: page declares (schema.org's LiveBlogPosting), ``other`` a page no model is sure of.
LEARNED_TYPES = ("article", "forum", "product", "collection", "listing", "documentation", "service")
PAGE_TYPES = (*LEARNED_TYPES, "live_blog", "other")
#: Below this probability of its likeliest type, a page is "other".
_MIN_TYPE_PROBABILITY = 0.3

#: Words in a page's address that hint at its kind; the models weigh them.
_URL_WORDS = {
    "forum": r"forums?|threads?|topics?|community|discuss\w*|board|t",
    "product": r"products?|shop|store|item|dp|p|buy|cart",
    "collection": r"category|categories|collections?|tags?|archive|search|page|brands?",
    "documentation": r"docs?|documentation|api|reference|guides?|manual|wiki|learn|tutorials?",
    "article": r"blog|news|articles?|story|stories|posts?|\d{4}",
    "service": r"about|contact|services?|pricing|support|help|faq|solutions?|company",
}
_URL_PATTERNS = {kind: re.compile(rf"(?:^|[/_.-])(?:{words})(?=$|[/_.-])") for kind, words in _URL_WORDS.items()}
#: What a page may declare itself, grouped as the models read it.
_DECLARED = {
    "article": ("article", "newsarticle", "blogposting", "reportagenewsarticle", "opinionnewsarticle", "techarticle", "liveblogposting"),
    "product": ("product", "offer", "aggregateoffer", "og:product", "product.item"),
    "forum": ("discussionforumposting", "qapage", "question", "comment"),
    "collection": ("itemlist", "collectionpage", "searchresultspage", "offercatalog"),
    "service": ("organization", "localbusiness", "service", "contactpage", "aboutpage", "faqpage"),
    "website": ("website", "webpage"),
}
#: A price: a currency sign before a number ("$ 5") or a currency after one ("5 EUR"). A match
#: starts at the sign or the digit, so one character class opens the pattern and a look back
#: tells the two apart: the regex engine then tries one class at each character, not two
#: alternatives (the same matches, in 60% of the time on a page of text).
_PRICE = re.compile(r"[$€£¥₹\d](?:(?<=[$€£¥₹])\s?\d|(?<=\d)\s?(?i:€|eur|usd|gbp)\b)")
#: What every price holds, lower-cased: a sign, or a currency's letters ("ſ" is an "s" to the
#: regex's ignored case, and no other letter of these has another form).
_PRICE_MARKS = ("$", "€", "£", "¥", "₹", "eur", "usd", "uſd", "gbp")

#: What the page's address says (``address_row``); text mode's line model reads them too.
ADDRESS_FEATURES: tuple[str, ...] = ("url_depth", "url_digits", "url_query", *(f"url_{kind}" for kind in _URL_WORDS))
PAGE_FEATURES: tuple[str, ...] = (
    *ADDRESS_FEATURES,
    *(f"declares_{kind}" for kind in _DECLARED), "og_article",
    "blocks", "chars", "prose_share", "link_share", "list_share", "cell_share", "code_share", "headings",
    "kept_share", "kept_blocks", "mean_probability", "kept_probability", "uncertain_share", "kept_holders",
    "prices", "short_share",
)
#: Text mode's page models read these: flattened text declares nothing and has no tags, links
#: or containers, but its lines read as prose or not, come as lists and hold figures.
LINE_PAGE_FEATURES: tuple[str, ...] = (
    *ADDRESS_FEATURES,
    "blocks", "chars", "prose_share", "list_share", "digit_share",
    "kept_share", "kept_blocks", "mean_probability", "kept_probability", "uncertain_share", "prices", "short_share",
)


def page_features(
    url: str, types: tuple[str, ...], texts: list[str], columns: dict[str, np.ndarray], probabilities: np.ndarray, kept: np.ndarray
) -> np.ndarray:
    """One row of ``PAGE_FEATURES``. ``columns`` are the block features the page's blocks had
    (``copydesk.clean.html.block_features``, by name), ``probabilities`` the block model's and
    ``kept`` the blocks kept."""
    declared = set(types)
    chars = np.expm1(columns["log_chars"])
    total = chars.sum() or 1.0
    values = _reading(url, texts, chars, probabilities, kept) | {
        **{f"declares_{kind}": bool(declared.intersection(kinds)) for kind, kinds in _DECLARED.items()},
        "og_article": "article" in declared,
        "prose_share": _share(chars, columns["prose"]),
        "link_share": float((columns["link_density"] * chars).sum() / total),
        "list_share": _share(chars, columns["tag_list"]),
        "cell_share": _share(chars, columns["tag_cell"]),
        "code_share": _share(chars, columns["tag_code"]),
        "headings": float((columns["heading_level"] > 0).sum()),
        "kept_holders": len(np.unique(columns["holder_chars_share"][kept])),
    }
    return np.array([[values[name] for name in PAGE_FEATURES]], np.float32)


def line_page_features(
    url: str, texts: list[str], columns: dict[str, np.ndarray], probabilities: np.ndarray, kept: np.ndarray
) -> np.ndarray:
    """One row of ``LINE_PAGE_FEATURES`` for a page in text mode: ``columns`` are its lines'
    features (``copydesk.clean.text.line_features``, by name), ``probabilities`` the line
    model's and ``kept`` the lines kept."""
    chars = np.expm1(columns["log_chars"])
    values = _reading(url, texts, chars, probabilities, kept) | {
        "prose_share": _share(chars, columns["prose"]),
        "list_share": _share(chars, columns["listed"]),
        "digit_share": float((columns["digits"] * chars).sum() / (chars.sum() or 1.0)),
    }
    return np.array([[values[name] for name in LINE_PAGE_FEATURES]], np.float32)


def _reading(url: str, texts: list[str], chars: np.ndarray, probabilities: np.ndarray, kept: np.ndarray) -> dict[str, float]:
    """What both modes' page models read alike: the address, how many blocks of how many
    characters, what was kept and how sure the block model was."""
    total = chars.sum() or 1.0
    kept_chars = chars[kept].sum()
    kept_text = " ".join(t for t, k in zip(texts, kept, strict=True) if k)
    return dict(zip(ADDRESS_FEATURES, address_row(url), strict=True)) | {
        "blocks": np.log1p(len(texts)), "chars": np.log1p(total), "kept_share": kept_chars / total,
        "kept_blocks": np.log1p(kept.sum()), "mean_probability": float(probabilities.mean()) if len(texts) else 0.0,
        "kept_probability": float((probabilities * chars)[kept].sum() / kept_chars) if kept_chars else 0.0,
        "uncertain_share": _share(chars, (probabilities > 0.2) & (probabilities < 0.8)),
        "prices": _prices(kept_text), "short_share": float((chars < 40).mean()) if len(texts) else 0.0,
    }


def _share(chars: np.ndarray, mask: np.ndarray) -> float:
    """The share of the page's characters in the blocks ``mask`` marks (0 on a page of none)."""
    return float(chars[mask > 0].sum() / (chars.sum() or 1.0))


def _prices(text: str) -> int:
    """How many prices ``text`` states. Most texts hold no sign or currency at all, which str's
    own search finds several times faster than the regex reads the text."""
    lowered = text.lower()
    if not any(mark in lowered for mark in _PRICE_MARKS):
        return 0
    return len(_PRICE.findall(text))


def address_row(url: str) -> list[float]:
    """The row of ``ADDRESS_FEATURES``: how deep the page's path is, its long numbers, whether
    it has a query, and the words in it that hint at the page's kind."""
    parts = urlsplit(url)
    path = parts.path.lower()
    return [
        path.count("/"), len(re.findall(r"\d{3,}", path)), bool(parts.query),
        *(bool(pattern.search(path)) for pattern in _URL_PATTERNS.values()),
    ]


def page_type_and_confidence(features: np.ndarray, types: tuple[str, ...], mode: str = "html") -> tuple[str, float]:
    """The page's type, and how likely the kept text is close to the page's real content (word
    F1 of 0.8 or more, from 0 to 1), by ``mode``'s page models from its row of features
    (``page_features``, ``line_page_features``). The type is what the page declares when that
    is a live blog, else the likeliest learned type when a model is sure enough of it."""
    *by_type, confidence = probabilities_of(_page_models(mode), features)[0]
    best = int(np.argmax(by_type))
    if "liveblogposting" in types:
        kind = "live_blog"
    else:
        kind = LEARNED_TYPES[best] if by_type[best] >= _MIN_TYPE_PROBABILITY else "other"
    return kind, round(float(confidence), 3)


@cache
def _page_models(mode: str) -> tuple[BlockModel, ...]:
    """``mode``'s page-type models, in ``LEARNED_TYPES`` order, then its confidence model."""
    return (*(shipped(page_model_name(mode, f"page-{kind}")) for kind in LEARNED_TYPES), shipped(page_model_name(mode, "confidence")))


def page_model_name(mode: str, name: str) -> str:
    """The file name (without ``.npz``) of ``mode``'s page model ``name``: HTML's came first
    and keep their names, text mode's have its prefix."""
    return name if mode == "html" else f"{mode}-{name}"
