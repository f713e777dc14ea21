"""What cleaning hands to enrichment: the kept article, what was cut, and the page's metadata.

These types are the seam between ``copydesk.clean`` and ``copydesk.enrich``; both are pure and
neither knows about Kafka.

The types a record is made of (``Removed``, ``Entity``, ``Quote``, ``DateMention``,
``Fingerprints``) have no ``__slots__``: orjson writes a dataclass that has a ``__dict__`` about
7x faster, and a record holds a hundred of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: Why a block was removed. A small fixed vocabulary so users can audit the cut.
RemovedLabel = Literal[
    "navigation",
    "newsletter",
    "appeal",
    "subscription",
    "share",
    "related",
    "credit",
    "comments",
    "legal",
    "advertisement",
    "duplicate",
    "other",
]
REMOVED_LABELS: tuple[str, ...] = RemovedLabel.__args__  # type: ignore[attr-defined]


#: Which decision removed a block (``Removed.rule``), and where to read it up; ``label`` says
#: what the removed block is (a menu, an appeal), ``rule`` why it went.
REMOVAL_RULES: dict[str, str] = {
    "block_model": "HTML: the block model (copydesk/clean/model.py, trained by bench/train_blocks.py on "
    "block features from copydesk/clean/html.py's block_features and the page context of "
    "copydesk/clean/context.py, in two stages) left the block out of the blocks the page keeps: its likeliest "
    "blocks, as many as give the page the best expected word F1 (html.py, block_keeps), and every paragraph "
    "of a container whose paragraphs those mostly are (html.py, whole_holders; model.py, whole_groups)",
    "line_model": "text mode: the line model (copydesk/clean/model.py, trained by bench/train_blocks.py on "
    "line features from copydesk/clean/text.py's line_features) left the line out of the lines the page "
    "keeps: its likeliest lines, as many as give the page the best expected word F1 (text.py, line_keeps; where "
    "it keeps none, the lines that read as prose), and every line of a group (lines with no blank line between) whose lines those mostly are (model.py, whole_groups)",
    "edge": "a block (or line) the model kept that is not the body's text: before its first paragraph the "
    "headline, a byline or a dateline, after its last an offer, an appeal, the credits or a heading, anywhere a short "
    "line that only calls on the reader ('Advertisement', 'Related articles') (copydesk/clean/html.py, _cut_edges; copydesk/clean/text.py, _without_edges); "
    "in text mode also the readers' comments, from the first of two or more kept lines that sign one ('Jane Doe says:') "
    "to the page's end (copydesk/clean/text.py, _comment_thread)",
    "repeat": "a page where no block reads as the article keeps all its text but repeats of an earlier "
    "block (copydesk/clean/blocks.py, best_effort); in text mode also a kept line that prints other kept lines "
    "inside it, the article again as one run of text (copydesk/clean/text.py, _kept_restatements)",
}


@dataclass(frozen=True)
class Removed:
    label: str
    text: str
    #: One of ``REMOVAL_RULES``.
    rule: str


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """A date the page states, as it wrote it: enrichment parses every one and chooses the
    article's date among them."""

    value: str
    #: where it stands: ``ld_published``, ``meta_modified``, ``time``, ``printed``... (see
    #: ``copydesk.clean.metadata.date_candidates``)
    source: str
    #: what labels it: a declared date's key ("datePublished"), else the class of its element and
    #: of its parent and the short texts printed just before it ("Last updated:")
    label: str = ""


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What the page says about itself (JSON-LD, Open Graph, meta and time tags).

    Empty strings and tuples mean the page did not say. Dates are kept as the page wrote them;
    enrichment normalises them.
    """

    title: str = ""
    description: str = ""
    site_name: str = ""
    authors: tuple[str, ...] = ()
    #: short texts of the elements a byline is printed in, when no author is declared
    bylines: tuple[str, ...] = ()
    published: str = ""
    modified: str = ""
    canonical_url: str = ""
    section: str = ""
    image: str = ""
    language: str = ""
    #: True when the page's JSON-LD calls it a news article (NewsArticle and its kinds)
    news: bool = False
    #: What the page declares itself to be: its JSON-LD ``@type``s and ``og:type``, lower-cased.
    types: tuple[str, ...] = ()
    #: Every date the page states, in document order within each source.
    dates: tuple[DateCandidate, ...] = ()


@dataclass(frozen=True, slots=True)
class Extraction:
    """The cleaned article. ``paragraphs`` is the body only, without title or dek."""

    mode: Literal["html", "text"]
    title: str
    dek: str
    paragraphs: tuple[str, ...]
    removed: tuple[Removed, ...] = ()
    metadata: PageMetadata = field(default_factory=PageMetadata)
    #: One of ``copydesk.clean.page.PAGE_TYPES``; None where it is not worked out.
    page_type: str | None = None
    #: How likely the kept text is close to the page's real content, 0..1; None where not measured.
    confidence: float | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Entity:
    """A named thing, by its canonical (longest) name, with every alias it went by."""

    text: str
    type: Literal["person", "organization", "place", "other"]
    count: int
    offset: int
    aliases: tuple[str, ...] = ()
    country_code: str | None = None
    geonames_id: int | None = None


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str | None


@dataclass(frozen=True)
class DateMention:
    """A date the text mentions, resolved to a day, an ISO week or a month."""

    text: str
    date: str
    offset: int


@dataclass(frozen=True)
class Fingerprints:
    sha256: str = ""
    #: 64-bit SimHash as 16 hex digits (JSON numbers lose bits past 2**53).
    simhash: str = ""
    minhash: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Enrichment:
    """Everything enrichment adds to a record. Defaults are the empty values of the contract."""

    language: str = ""
    language_confidence: float = 0.0
    site_name: str = ""
    authors: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    published_at: str = ""
    modified_at: str = ""
    section: str = ""
    image: str = ""
    #: None: not worked out for the article's language (see copydesk.enrich.languages)
    entities: tuple[Entity, ...] | None = ()
    #: None: not worked out for the article's language (see copydesk.enrich.languages)
    keywords: tuple[str, ...] | None = ()
    topic: str = ""
    #: None where the lexicons have no rules for the language (all but English).
    sentiment: float | None = None
    title_sentiment: float | None = None
    quotes: tuple[Quote, ...] | None = ()
    dates: tuple[DateMention, ...] | None = ()
    summary: str = ""
    word_count: int = 0
    reading_time_s: int = 0
    readability_grade: float | None = None
    fingerprints: Fingerprints = field(default_factory=Fingerprints)
