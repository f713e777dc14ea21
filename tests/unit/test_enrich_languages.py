"""Fields a language is not supported for are null; supported ones are worked out."""

from copydesk.document import Extraction
from copydesk.enrich import enrich

GERMAN = (
    "Der Stadtrat hat am Dienstag den Bau neuer Radwege beschlossen. Die Radwege sollen bis Ende "
    "März fertig sein, sagte die Bürgermeisterin.",
    "„Die Radwege machen die Stadt sicherer“, sagte Bürgermeisterin Anna Schneider. Die Radwege "
    "kosten drei Millionen Euro, die Radwege im Norden zusätzlich eine Million.",
)
JAPANESE = ("市議会は火曜日、新しい自転車道の建設を決定した。自転車道は三月末までに完成する予定だと市長は述べた。",)


def test_a_german_article_gets_keywords_dates_and_quotes_but_no_sentiment():
    found = enrich(Extraction("text", "Neue Radwege", "", GERMAN), url="", fetched_at="2019-11-20T12:00:00Z")
    assert found.language == "de"
    assert found.keywords and "radwege" in found.keywords
    assert found.dates is not None and any(d.text == "Dienstag" and d.date == "2019-11-19" for d in found.dates)
    assert found.quotes is not None and found.quotes[0].speaker == "Anna Schneider"
    assert found.sentiment is None and found.readability_grade is None


def test_an_unsupported_language_says_null_not_an_empty_list():
    found = enrich(Extraction("text", "自転車道", "", JAPANESE), url="")
    assert found.language == "ja"
    assert found.keywords is None and found.dates is None and found.quotes is None and found.sentiment is None
