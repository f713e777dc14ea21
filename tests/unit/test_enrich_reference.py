import time

from copydesk.document import Extraction, Removed
from copydesk.enrich import enrich, warm_up


def test_a_text_page_byline_and_update_line_anchor_relative_dates():
    page = Extraction(
        "text",
        "Glaciers lost a tenth of their ice",
        "",
        ("Glaciers in the Alps lost ice, according to a study published on Monday by a team of researchers.",),
        removed=(Removed("credit", "By Tomas Becker", "line_model"), Removed("other", "Updated June 3, 2024", "line_model")),
    )
    found = enrich(page, url="https://example.org/a", fetched_at="2026-11-25T12:00:00+00:00")
    assert found.authors == ("Tomas Becker",)
    assert found.modified_at == "2024-06-03"
    assert {d.text: d.date for d in found.dates}["Monday"] == "2024-06-03"  # a Monday; not the fetch week


def test_warm_up_makes_the_first_article_cheap():
    warm_up()
    started = time.process_time()
    enrich(Extraction("text", "T", "", ("Mayor Jane Roe said on Tuesday that the plan in Berlin works.",)), url="")
    assert time.process_time() - started < 0.2
