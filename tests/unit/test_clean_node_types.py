"""Every kind of node lexbor can build, in any order around an article: cleaning never raises, a
page with 50 or more words of visible prose keeps some of it, and the pipeline never answers
with a ``processing_error``."""

from __future__ import annotations

import codecs
import encodings.aliases
import json

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copydesk.clean.encoding import _LABELS_BY_CODEC, decode_html
from copydesk.clean.html import clean_html
from copydesk.contracts import _lone_surrogates_replaced
from copydesk.routing import Origin, route
from copydesk.settings import Settings

SETTINGS = Settings()
ORIGIN = Origin(file="pages.jsonl", line=1)
NODES = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PROSE = (
    "The river ferry resumed its crossings on Monday after a week of repairs to the landing stage, "
    "which a storm had torn loose from its moorings.",
    "Commuters who had driven the long way round through the valley said the detour added almost an "
    "hour to each trip, and several shops near the pier had closed for the week.",
    "The operator said the new stage is anchored more deeply, and that the timetable will return to a "
    "crossing every quarter of an hour from Wednesday.",
)

#: Nodes that close themselves or are closed: processing instructions, CDATA, comments of every
#: shape, a doctype out of place, unknown and namespaced tags, foreign content, templates, frames,
#: forms in forms, the legacy raw-text elements, NUL bytes and broken character references.
CLOSED_NODES = (
    "<?php echo $title; ?>",
    "<?xml version='1.0' encoding='utf-8'?>",
    "<?xml-stylesheet href='a.xsl'?>",
    "<?>",
    "<![CDATA[ if (a < b) { go(); } ]]>",
    "<!---->",
    "<!-->",
    "<!--->",
    "<!-- a comment -- with dashes --!>",
    "<!-- <p>commented out</p> -->",
    "<!doctype html>",
    "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0 Strict//EN' 'http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd'>",
    "<!ELEMENT note (#PCDATA)>",
    "<my-widget data-x='1'>a widget</my-widget>",
    "<x:y xmlns:x='urn:x'>namespaced</x:y>",
    "<fb:like href='x'></fb:like>",
    "<svg viewBox='0 0 10 10'><title>an icon</title><![CDATA[ raw ]]><foreignObject><p>in svg</p></foreignObject></svg>",
    "<math><mi>x</mi><annotation-xml encoding='text/html'><div>in math</div></annotation-xml></math>",
    "<template><p>a template</p></template>",
    "<x-card><template shadowrootmode='open'><p>shadow</p><template shadowroot='closed'><b>inner</b></template><slot></slot></template>light</x-card>",
    "<frame src='b.html'>",
    "<noframes>no frames</noframes>",
    "<iframe src='c.html'><p>iframe text</p></iframe>",
    "<form action='/a'><form action='/b'><input name='q'></form></form>",
    "<xmp><b>shown as text</b></xmp>",
    "<listing>a listing</listing>",
    "<noembed>no embed</noembed>",
    "<image src='d.png'>",
    "<isindex>",
    "<marquee>scrolling</marquee>",
    "<object data='e.swf'><param name='a' value='b'></object>",
    "<table><tr><td>a cell</td></tr>stray text in a table</table>",
    "<select><option>one</option><optgroup><option>two</option></optgroup></select>",
    "<ruby>漢<rt>kan</rt></ruby>",
    "<bdo dir='rtl'>backwards</bdo>",
    "</p></div></span></body></html>",
    "<p><p><p>",
    "<body class='second-body'>",
    "<html lang='fr'>",
    "<head><title>late head</title></head>",
    "\x00",
    "a\x00b",
    "<\x00p>",
    "&#0;&#xD800;&#xDFFF;&#x110000;&#128512;&nbsp;&amp",
    "<a href='x'><a href='y'>nested links</a></a>",
    "<script>document.write('<p>written</p>')</script>",
    "<style>p { color: red }</style>",
    "<noscript><p>enable scripts</p></noscript>",
)
#: Nodes that swallow the rest of the page (an unterminated comment, raw text left open) or hide
#: it: they may only come after the prose.
OPEN_NODES = (
    "<!-- never closed",
    "<!--",
    "<?php",
    "<![CDATA[ never closed",
    "<plaintext><p>plain</p>",
    "<xmp>open xmp",
    "<noembed>open",
    "<template><div>open",
    "<template shadowrootmode='open'><div>open",
    "<script>var a = '",
    "<style>.a {",
    "<title>open title",
    "<textarea>open",
    "<iframe>open",
    "<svg><text>open",
    "<math><mtext>open",
    "<select><option>open",
    "<!doctype",
    # A frameset before any text replaces the body: browsers show the frames, not the text.
    "<frameset><frame src='a.html'></frameset>",
    "<",
    "</",
    "<a href='",
    "<div class=\"open",
)
#: Visible elements the prose may sit in.
WRAPPERS = ("{}", "<div>{}</div>", "<my-widget>{}</my-widget>", "<x:y>{}</x:y>", "<form>{}</form>", "<section>{}</section>",
            "<center>{}</center>", "<font size='2'>{}</font>", "<article>{}</article>")

closed_nodes = st.lists(st.sampled_from(CLOSED_NODES), max_size=6).map("".join)


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, bool]:
    """A page made of nodes of every kind, and whether it has 50 or more words of visible prose."""
    with_prose = draw(st.booleans())
    parts = [draw(st.sampled_from(["", "<!doctype html>", "<?xml version='1.0'?>", "\ufeff", "<!-- top -->"])), draw(closed_nodes)]
    if with_prose:
        for paragraph in PROSE:
            wrapper = draw(st.sampled_from(WRAPPERS))
            parts += [wrapper.format(f"<p>{paragraph}</p>"), draw(closed_nodes)]
    parts += [draw(st.sampled_from(("", *OPEN_NODES)))]
    return "".join(parts), with_prose


def test_the_prose_has_fifty_words() -> None:
    assert len(" ".join(PROSE).split()) >= 50


@NODES
@given(pages(), st.booleans())
def test_any_node_type_is_cleaned_without_error(page: tuple[str, bool], as_bytes: bool) -> None:
    html, with_prose = page
    extraction = clean_html(html.encode("utf-8") if as_bytes else html)
    if with_prose:
        assert any(PROSE[1][:60] in paragraph for paragraph in extraction.paragraphs), extraction


@NODES
@given(pages(), st.sampled_from(["\ud800", "\udfff", "\udc00\ud800"]), st.integers(0, 10_000))
def test_lone_surrogates_anywhere_are_dropped(page: tuple[str, bool], surrogate: str, at: int) -> None:
    html, with_prose = page
    at %= len(html) + 1
    extraction = clean_html(html[:at] + surrogate + html[at:])
    assert "\ud800" not in extraction.text and "\udfff" not in extraction.text
    # The bytes of a surrogate are not UTF-8: they are decoded as another encoding, never raised on.
    clean_html((html[:at] + surrogate + html[at:]).encode("utf-8", "surrogatepass"))


@NODES
@given(pages())
def test_the_pipeline_never_fails_on_any_node_type(page: tuple[str, bool]) -> None:
    html, with_prose = page
    outcome = route(orjson.dumps({"url": "https://news.example.org/ferry", "html": html}), None, ORIGIN, SETTINGS)
    if with_prose:
        assert outcome.ok, orjson.loads(outcome.value)
    else:
        assert outcome.ok or outcome.reason != "processing_error", orjson.loads(outcome.value)


@NODES
@given(pages(), st.integers(0, 10_000))
def test_a_message_with_a_lone_surrogate_is_read_as_with_a_replacement_character(page: tuple[str, bool], at: int) -> None:
    html, _ = page
    at %= len(html) + 1
    # orjson writes no lone surrogate; a producer that cuts a string between a pair writes this.
    value = json.dumps({"url": "https://news.example.org/ferry", "html": html[:at] + "\ud800" + html[at:]}).encode("ascii")
    replaced = json.dumps({"url": "https://news.example.org/ferry", "html": html[:at] + "\ufffd" + html[at:]}).encode("ascii")
    outcome, expected = route(value, None, ORIGIN, SETTINGS), route(replaced, None, ORIGIN, SETTINGS)
    assert (outcome.ok, outcome.reason) == (expected.ok, expected.reason), orjson.loads(outcome.value)


@given(st.lists(st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00", "😀", "\\", "\\u", "\\ud800", "u", "a"])).map("".join) | st.text())
def test_escaped_lone_surrogates_read_as_replacement_characters_and_pairs_as_characters(text: str) -> None:
    # UTF-16 pairs what can be paired and replaces the rest, as the JSON reader must.
    expected = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    assert orjson.loads(_lone_surrogates_replaced(json.dumps({"a": text}))) == {"a": expected}


@NODES
@given(pages(), st.text(max_size=400) | pages().map(lambda page: page[0]))
def test_any_declared_article_body_is_cleaned_without_error(page: tuple[str, bool], body: str) -> None:
    declared = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "articleBody": body})
    extraction = clean_html(f'<script type="application/ld+json">{declared}</script>{page[0]}')
    assert all(paragraph.strip() for paragraph in extraction.paragraphs)


def test_a_declared_body_whose_frameset_displaces_its_body_is_no_text() -> None:
    # Found by the test above: a frameset after content takes the body out of the parsed body's tree.
    declared = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "articleBody": "<A><FRAMESET>"})
    extraction = clean_html(f'<script type="application/ld+json">{declared}</script>')
    assert extraction.paragraphs == ()


#: Every codec name and alias Python knows, and some it does not: a page may declare any of them.
CHARSETS = sorted({*encodings.aliases.aliases, *encodings.aliases.aliases.values(), "rot13", "base64", "utf-7", "x-user-defined", "no-such"})


@pytest.mark.parametrize("charset", CHARSETS)
def test_any_declared_charset_is_decoded_or_ignored(charset: str) -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    for declaration in (f'<meta charset="{charset}">', f"<?xml version='1.0' encoding='{charset}'?>"):
        page = f"{declaration}<html><head><title>Ferry</title></head><body>{body}</body></html>".encode()
        assert clean_html(page).paragraphs == PROSE, charset


def test_every_label_browsers_honour_names_a_codec_and_no_label_names_two() -> None:
    labels = [label for names in _LABELS_BY_CODEC.values() for label in names.split()]
    assert len(labels) == len(set(labels)) == 222  # the Encoding Standard's, but its "replacement" ones
    assert all(codecs.lookup(codec) for codec in _LABELS_BY_CODEC)


@pytest.mark.parametrize(
    ("label", "text", "codec"),
    [("euc-kr", "똠방각하", "cp949"), ("shift_jis", "①髙橋", "cp932"), ("big5", "香港の", "big5hkscs"), ("gb2312", "𠀀中文", "gb18030"), ("iso-8859-1", "€ café", "cp1252")],
)
def test_labels_decode_as_browsers_decode_them(label: str, text: str, codec: str) -> None:
    """Each label means the superset browsers use: characters only the superset has survive."""
    assert decode_html(f"<meta charset={label}><p>{text}</p>".encode(codec)) == f"<meta charset={label}><p>{text}</p>"


def test_a_processing_instruction_in_the_body_is_not_an_element() -> None:
    page = "<html><body><?php echo $title; ?>" + "".join(f"<p>{p}</p>" for p in PROSE) + "</body></html>"
    assert clean_html(page).paragraphs == PROSE
