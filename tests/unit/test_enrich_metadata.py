from copydesk.document import Extraction, PageMetadata, Removed
from copydesk.enrich.metadata import clean_authors, page_facts


def test_authors_are_names_only():
    assert clean_authors(["By Jane Doe and John Roe, Staff Writers"]) == ("Jane Doe", "John Roe")
    assert clean_authors(["Jane Doe, Senior Correspondent", "jane doe"]) == ("Jane Doe",)
    assert clean_authors(["https://www.facebook.com/janedoe", "BY MARIA GARCIA"]) == ("Maria Garcia",)
    assert clean_authors(["Troy L. Smith for Example News"]) == ("Troy L. Smith",)


def test_page_metadata_is_normalised():
    meta = PageMetadata(
        site_name=" Example  News ", authors=("By Jane Doe",), published="2019-11-19T10:02:00-0500",
        modified="Tue, 19 Nov 2019 16:00:00 GMT", section="World", image="https://example.org/a.jpg",
    )
    facts = page_facts(Extraction("html", "T", "", ("Body text of the article.",), metadata=meta))
    assert facts.site_name == "Example News"
    assert facts.authors == ("Jane Doe",)
    assert facts.published_at == "2019-11-19T10:02:00-05:00"
    assert facts.modified_at == "2019-11-19T16:00:00+00:00"
    assert (facts.section, facts.image) == ("World", "https://example.org/a.jpg")


def test_text_mode_reads_byline_and_dateline_from_what_cleaning_cut():
    extraction = Extraction(
        "text", "Title", "",
        ("The council met on Monday and approved the plan after a long debate.",),
        removed=(
            Removed("navigation", "Home | World | Sport"),
            Removed("other", "By Lisa Kaczke and Trevor J. Mitchell | Published 10:02 AM EST Nov 19, 2019"),
            Removed("other", "Updated Nov. 20, 2019"),
        ),
    )
    facts = page_facts(extraction)
    assert facts.authors == ("Lisa Kaczke", "Trevor J. Mitchell")
    assert facts.published_at == "2019-11-19"
    assert facts.modified_at == "2019-11-20"


def test_related_stories_do_not_lend_their_dates():
    extraction = Extraction(
        "text", "Title", "", ("The council met and approved the plan after a long debate.",),
        removed=(Removed("related", "Another story entirely - May 15, 2017"),),
    )
    assert page_facts(extraction).published_at == ""


def test_a_dateline_is_a_short_block_with_a_full_date():
    def published(*blocks: str) -> str:
        removed = tuple(Removed("other", b) for b in blocks)
        return page_facts(Extraction("text", "T", "", ("The council met.",), removed=removed)).published_at

    assert published("Published May 2, 2019 " + "x " * 21) == "2019-05-02"  # 25 words
    assert published("Published May 2, 2019 " + "x " * 22) == ""  # 26 words: a story, not a dateline
    assert published("Posted May 2", "Published 2/5/2019", "2019-05-03") == "2019-05-03"  # no year, ambiguous
