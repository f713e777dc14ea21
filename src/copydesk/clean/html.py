"""Article extraction from HTML (placeholder until the cleaning engine lands)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from copydesk.clean.text import clean_text
from copydesk.document import Extraction


def clean_html(html: str | bytes, url: str = "") -> Extraction:
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, noscript, nav, header, footer, aside, form"):
        node.decompose()
    body = tree.body
    text = body.text(separator="\n") if body is not None else ""
    result = clean_text(text, url)
    return Extraction("html", result.title, result.dek, result.paragraphs, result.removed, result.metadata)
