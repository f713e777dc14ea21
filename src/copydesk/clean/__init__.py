"""Cleaning: keep the article, drop everything else, and say what was dropped and why.

``clean_html`` and ``clean_text`` are the two entry points; both return an ``Extraction``.
"""

from copydesk.clean.html import clean_html
from copydesk.clean.text import clean_text

__all__ = ["clean_html", "clean_text"]
