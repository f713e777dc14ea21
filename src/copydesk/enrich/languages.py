"""Which of the language-dependent fields are worked out in which language. Elsewhere the record
holds null for them ("not worked out for this language"), never an empty list that would read as
"nothing found". README.md lists the same sets.
"""

from __future__ import annotations

from copydesk.enrich.dates_languages import SUPPORTED as _DATE_LANGUAGES

#: Keywords need a list of stopwords (stopwordsiso's, English's own) and words split by spaces.
KEYWORDS = frozenset(
    "en de fr es it pt nl sv da no fi pl cs sk sl hr ro hu tr id ms ru uk bg el ca et lv lt".split()
)
#: The VADER lexicon is English.
SENTIMENT = frozenset({"en"})
#: Flesch-Kincaid's weights are English's.
READABILITY = frozenset({"en"})
#: Month and weekday names, relative phrases.
DATES = frozenset({"en", *_DATE_LANGUAGES})
#: The entity tagger's languages (data/NER-MODEL.md): trained on en, de, fr, pt, nl; es and it by
#: transfer from them.
ENTITIES = frozenset({"en", "de", "fr", "es", "it", "pt", "nl"})
#: Quotation marks and speech verbs.
QUOTES = frozenset({"en", "de", "fr", "es", "it", "pt", "nl"})
