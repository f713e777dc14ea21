from copydesk.document import Extraction, PageMetadata, Removed
from copydesk.enrich.metadata import clean_authors, page_facts, site_name, split_byline


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
            Removed("navigation", "Home | World | Sport", "line_model"),
            Removed("other", "By Lisa Kaczke and Trevor J. Mitchell | Published 10:02 AM EST Nov 19, 2019", "line_model"),
            Removed("other", "Updated Nov. 20, 2019", "line_model"),
        ),
    )
    facts = page_facts(extraction)
    assert facts.authors == ("Lisa Kaczke", "Trevor J. Mitchell")
    assert facts.published_at == "2019-11-19"
    assert facts.modified_at == "2019-11-20"


def test_related_stories_do_not_lend_their_dates():
    extraction = Extraction(
        "text", "Title", "", ("The council met and approved the plan after a long debate.",),
        removed=(Removed("related", "Another story entirely - May 15, 2017", "line_model"),),
    )
    assert page_facts(extraction).published_at == ""


def test_a_dateline_is_a_short_block_with_a_full_date():
    def published(*blocks: str) -> str:
        removed = tuple(Removed("other", b, "line_model") for b in blocks)
        return page_facts(Extraction("text", "T", "", ("The council met.",), removed=removed)).published_at

    assert published("Published May 2, 2019 " + "x " * 21) == "2019-05-02"  # 25 words
    assert published("Published May 2, 2019 " + "x " * 22) == ""  # 26 words: a story, not a dateline
    assert published("Posted May 2", "Published 2/5/2019", "2019-05-03") == "2019-05-03"  # no year, ambiguous


def test_people_and_agencies_are_apart():
    assert split_byline(["By Jane Doe, AP"]) == (("Jane Doe",), ("AP",))
    assert split_byline(["Reuters"]) == ((), ("Reuters",))
    assert split_byline(["John Smith (AFP)"]) == (("John Smith",), ("AFP",))
    assert split_byline(["The Associated Press"]) == ((), ("AP",))


def test_an_outlet_after_a_full_stop_is_no_part_of_the_name():
    assert clean_authors(["Finian Cunningham. Sputnik International"]) == ("Finian Cunningham",)
    assert clean_authors(["Troy L. Smith"]) == ("Troy L. Smith",)


def test_e_mail_bylines():
    assert clean_authors(["maria.lopez@example.org"]) == ("Maria Lopez",)
    assert clean_authors(["desk@example.org (Peter Brandt)"]) == ("Peter Brandt",)
    assert clean_authors(["desk@example.org"]) == ()


def test_bylines_in_the_supported_languages():
    cases = {
        "Von Anna Schneider und Jonas Weber, dpa": (("Anna Schneider", "Jonas Weber"), ("dpa",)),
        "Par Claire Moreau, AFP": (("Claire Moreau",), ("AFP",)),
        "Por Lucía Fernández": (("Lucía Fernández",), ()),
        "Di Marco Bianchi, ANSA": (("Marco Bianchi",), ("ANSA",)),
        "Por Joana Ribeiro, Lusa": (("Joana Ribeiro",), ("Lusa",)),
        "Door Pieter de Vries": (("Pieter de Vries",), ()),
        "Sabine Krüger, Korrespondentin": (("Sabine Krüger",), ()),
        "Julien Petit, journaliste": (("Julien Petit",), ()),
    }
    for line, expected in cases.items():
        assert split_byline([line]) == expected, line


def test_bylines_printed_in_text_lines_in_other_languages():
    def facts(line: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        found = page_facts(Extraction("text", "T", "", ("Der Rat tagte am Montag.",), removed=(Removed("other", line, "line_model"),)))
        return found.authors, found.agencies

    assert facts("Von Anna Schneider | 12.03.2024") == (("Anna Schneider",), ())
    assert facts("Autor: Jonas Weber") == (("Jonas Weber",), ())
    assert facts("Par Claire Moreau le 3 mars 2024") == (("Claire Moreau",), ())


def test_a_declared_author_may_be_one_word_a_printed_one_not():
    meta = PageMetadata(authors=("Susan",))
    assert page_facts(Extraction("html", "T", "", ("Body.",), metadata=meta)).authors == ("Susan",)
    meta = PageMetadata(bylines=("Susan",))
    assert page_facts(Extraction("html", "T", "", ("Body.",), metadata=meta)).authors == ()


def test_printed_bylines_of_many_people_are_a_listing():
    meta = PageMetadata(bylines=("By Jane Doe", "By John Roe", "By Ann Lee", "By Tom Ray"))
    assert page_facts(Extraction("html", "T", "", ("Body.",), metadata=meta)).authors == ()
    meta = PageMetadata(bylines=("Share", "By Jane Doe"))
    assert page_facts(Extraction("html", "T", "", ("Body.",), metadata=meta)).authors == ("Jane Doe",)
    # The article's byline at its head and in its author box, then the people it quotes.
    meta = PageMetadata(bylines=("Jane Doe", "Jane Doe", "John Roe Roe Cleaning", "Ann Lee Lee Gardens", "Tom Ray"))
    assert page_facts(Extraction("html", "T", "", ("Body.",), metadata=meta)).authors == ("Jane Doe",)


def test_a_listing_a_shop_or_a_service_pages_printed_bylines_are_other_pages():
    meta = PageMetadata(bylines=("By Jane Doe",))
    for page_type in ("listing", "collection", "product", "service"):
        extraction = Extraction("html", "T", "", ("Body.",), metadata=meta, page_type=page_type)
        assert page_facts(extraction).authors == ()
    assert page_facts(Extraction("html", "T", "", ("Body.",), metadata=meta, page_type="article")).authors == ("Jane Doe",)


def test_a_forum_threads_author_is_its_first_posters_user_name():
    def author(*bylines: str) -> tuple[str, ...]:
        meta = PageMetadata(bylines=bylines)
        return page_facts(Extraction("html", "T", "", ("Body.",), metadata=meta, page_type="forum")).authors

    assert author("Post by jdoe42 » Sat Feb 24, 2024 12:41 pm", "Post by other » Sun Feb 25, 2024") == ("jdoe42",)
    assert author("Topic Author", "Post by changing_times » Sat Feb 24, 2024") == ("changing_times",)
    assert author("sanmartin 1,109 posts · Joined 2022", "KainX 181 posts · Joined 2017") == ("sanmartin",)
    assert author("Mary Smith Discussion starter 410 posts") == ("Mary Smith",)
    assert author("pelex ,", "pelex") == ("pelex",)
    for byline in ("Beitrag von hans_m", "Publié par hans_m", "Publicado por hans_m", "Pubblicato da hans_m", "Geplaatst door hans_m"):
        assert author(byline, "x") == ("hans_m",), byline
    assert author("12,000 posts") == ()


def test_an_agency_dateline_credits_the_agency():
    extraction = Extraction("text", "T", "", ("LONDON (Reuters) - The central bank held rates on Thursday.",))
    assert page_facts(extraction).agencies == ("Reuters",)


def test_a_site_name_is_never_a_url():
    assert site_name("https://www.example.com") == ""
    assert site_name("example.com") == ""
    assert site_name(" The  Hill ") == "The Hill"


def test_a_declared_byline_that_is_no_person_stays_unless_the_outlet_signs_it():
    def authors(*declared: str, site: str = "", url: str = "") -> tuple[str, ...]:
        meta = PageMetadata(authors=declared, site_name=site, canonical_url=url)
        return page_facts(Extraction("html", "T", "", ("Body.",), metadata=meta)).authors

    assert authors("Our Editors") == ("Our Editors",)
    assert authors("bagabaga") == ("bagabaga",)
    assert authors("CBS News", site="CBS News", url="https://www.cbsnews.com/news/a") == ()
    assert authors("Jill Disis", "CNN Business", url="https://www.cnn.com/2019/a") == ("Jill Disis",)
    assert authors("AP National Security Writer") == ()


def test_printed_dates_in_capitals_and_forum_dates():
    def published(*blocks: str) -> str:
        removed = tuple(Removed("other", b, "line_model") for b in blocks)
        return page_facts(Extraction("text", "T", "", ("The council met.",), removed=removed)).published_at

    assert published("OCTOBER 13, 2025") == "2025-10-13"
    meta = PageMetadata(published="11-29-2024, 09:03 AM")
    assert page_facts(Extraction("html", "T", "", ("Body.",), metadata=meta)).published_at == "2024-11-29"


def test_on_a_news_article_the_outlet_is_no_author_but_a_person_who_is_the_site_is():
    def authors(name: str, url: str, news: bool = True) -> tuple[str, ...]:
        meta = PageMetadata(authors=(name,), canonical_url=url, news=news)
        return page_facts(Extraction("html", "T", "", ("Body.",), metadata=meta)).authors

    assert authors("Al Jazeera", "https://www.aljazeera.com/news/a") == ()
    assert authors("Gary Marcus", "https://garymarcus.substack.com/p/a") == ("Gary Marcus",)
    assert authors("Kaspersky", "https://www.kaspersky.com/blog/a", news=False) == ("Kaspersky",)


def test_text_mode_byline_forms():
    def authors(*blocks: str) -> tuple[str, ...]:
        removed = tuple(Removed("other", b, "line_model") for b in blocks)
        return page_facts(Extraction("text", "T", "", ("The council met.",), removed=removed)).authors

    assert authors("Monday November 18, 2019 7:45 am PST by Jane Roe") == ("Jane Roe",)
    assert authors("By", "John Doe", "Updated Nov. 19, 2019") == ("John Doe",)
    assert authors("Jane Roe @janeroe / 2 days") == ("Jane Roe",)
    assert authors("By Jane Roe @janeroe Nov 19, 2019, 7:53pm EST") == ("Jane Roe",)
    assert authors("By Jonathan Doe FOXBusiness") == ("Jonathan Doe",)
    assert authors("Robert Roe, Staff Writer") == ("Robert Roe",)
    assert authors("Image copyright, Photo Editor") == ()
