"""What a page's HTML says about itself: authors in every JSON-LD shape, bylines, titles."""

from selectolax.lexbor import LexborHTMLParser

from copydesk.clean.metadata import read_metadata, strip_site_name


def metadata(head: str, body: str = "<p>Text.</p>"):
    return read_metadata(LexborHTMLParser(f"<html><head>{head}</head><body>{body}</body></html>"))[0]


def ld(article: str) -> str:
    return f'<script type="application/ld+json">{article}</script>'


def test_json_ld_person_in_all_its_shapes():
    shapes = {
        '{"@type": "NewsArticle", "author": "Jane Roe"}': ("Jane Roe",),
        '{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Roe"}}': ("Jane Roe",),
        '{"@type": "NewsArticle", "author": {"@type": "Person", "givenName": "Jane", "familyName": "Roe"}}': ("Jane Roe",),
        '{"@type": "NewsArticle", "author": [{"name": "Jane Roe"}, {"name": "John Doe"}]}': ("Jane Roe", "John Doe"),
        '{"@type": "NewsArticle", "author": {"@type": "Person", "name": {"@value": "x", "name": "Jane Roe"}}}': ("Jane Roe",),
        '{"@type": "NewsArticle", "author": {"author": {"name": "Jane Roe"}}}': ("Jane Roe",),
        '{"@type": "NewsArticle", "author": ["Jane Roe", "https://example.org/jane"]}': ("Jane Roe",),
        '{"@graph": [{"@type": "Article", "author": {"@id": "https://x.org/#/person/1"}},'
        ' {"@type": "Person", "@id": "https://x.org/#/person/1", "name": "Jane Roe"}]}': ("Jane Roe",),
    }
    for json_ld, expected in shapes.items():
        assert metadata(ld(json_ld)).authors == expected, json_ld


def test_meta_bylines():
    assert metadata('<meta name="parsely-author" content="Jane Roe">').authors == ("Jane Roe",)
    assert metadata('<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Jane Roe">').authors == ("Jane Roe",)
    assert metadata('<meta name="author" content="https://example.org/jane">').authors == ()


def test_printed_bylines_are_read_only_when_no_author_is_declared():
    body = '<h1>Bridge closes</h1><div class="byline">By <a rel="author" href="/jane">Jane Roe</a></div><p>Text.</p>'
    article = '<meta property="og:type" content="article">'
    assert "By Jane Roe" in metadata(article, body).bylines
    assert "By Jane Roe" in metadata("", body).bylines
    assert metadata(article + '<meta name="author" content="John Doe">', body).bylines == ()


def test_titles_lose_site_names_and_section_labels():
    assert metadata("<title>Opinion | Bridge closes for eight months</title>").title == "Bridge closes for eight months"
    assert metadata('<meta property="og:site_name" content="TheHill"><title>Bridge closes | TheHill</title>').title == "Bridge closes"
    assert strip_site_name("Senate passes the spending bill | TheHill") == "Senate passes the spending bill"


def test_the_printed_headline_wins_over_a_decorated_declared_one():
    head = '<meta property="og:title" content="Bridge closes for eight months - Harbour Times &amp; More">'
    assert metadata(head, "<h1>Bridge closes for eight months</h1><p>Text.</p>").title == "Bridge closes for eight months"
    assert metadata(ld('{"@type": "NewsArticle", "headline": "Caf&eacute; &amp; bar"}')).title == "Café & bar"


def test_every_stated_date_is_a_candidate_with_its_label():
    head = (
        '<meta property="article:published_time" content="2024-03-01T09:00:00Z">'
        '<meta property="article:modified_time" content="2024-05-02">'
    )
    body = (
        '<h1>Bridge closes</h1><span class="post-date">March 3, 2024</span>'
        '<div class="meta"><span>Last updated:</span> <time datetime="2024-06-07">June 7, 2024</time></div><p>Text.</p>'
    )
    found = {(c.source, c.value) for c in metadata(head, body).dates}
    assert {("meta_published", "2024-03-01T09:00:00Z"), ("meta_modified", "2024-05-02")} <= found
    assert {("printed", "March 3, 2024"), ("time", "2024-06-07")} <= found
    time = next(c for c in metadata(head, body).dates if c.source == "time")
    assert "Last updated:" in time.label and "June 7" not in time.label
    assert metadata('<meta name="dc.date" content="2024-03-03">', body).published == "2024-03-03"


def test_json_ld_dates_of_the_article_and_of_other_objects():
    graph = ld('{"@graph": [{"@type": "WebPage", "dateModified": "2024-02-02"}, {"@type": "Article", "headline": "Hi there", "datePublished": "2024-01-01"}]}')
    found = {(c.source, c.value) for c in metadata(graph).dates}
    assert found == {("ld_published", "2024-01-01"), ("ld_other_modified", "2024-02-02")}


def test_a_forum_threads_opening_post_and_a_questions_author():
    thread = ld('{"@type": "DiscussionForumPosting", "headline": "New tank thoughts", "author": {"name": "bagabaga"}}')
    assert metadata(thread).authors == ("bagabaga",)
    qa = ld('{"@type": "QAPage", "mainEntity": {"@type": "Question", "name": "Why?", "author": {"name": "jldugger"}}}')
    assert metadata(qa).authors == ("jldugger",)
