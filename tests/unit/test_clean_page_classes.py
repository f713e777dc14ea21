"""Classes of page that must work by principle, not by site: each page in tests/unit/pages is
written for this suite, and each test says what the article text must hold and must not.

A test the cleaner does not pass yet is marked ``xfail(strict=True)`` with what it needs: when a
change makes it pass, the mark must go."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copydesk.clean.html import _reads_as_prose, clean_html
from copydesk.clean.text import clean_text
from copydesk.document import Extraction
from copydesk.pipeline import process_value
from copydesk.settings import Settings
from tests.unit.timing import cpu_seconds

PAGES = Path(__file__).parent / "pages"


class Expected(NamedTuple):
    page: str
    holds: tuple[str, ...]
    lacks: tuple[str, ...]


def cleaned(name: str) -> Extraction:
    return clean_html((PAGES / f"{name}.html").read_bytes(), f"https://example.org/{name}")


def assert_text(extraction: Extraction, *, holds: tuple[str, ...], lacks: tuple[str, ...]) -> None:
    text = extraction.text
    missing = [part for part in holds if part not in text]
    kept = [part for part in lacks if part in text]
    assert not missing and not kept, {"missing": missing, "kept": kept, "paragraphs": extraction.paragraphs}


def check(case: str) -> None:
    expected = EXPECTED[case]
    assert_text(cleaned(expected.page), holds=expected.holds, lacks=expected.lacks)


#: What each page's article text must hold and must not, by case (a page may serve several).
EXPECTED: dict[str, Expected] = {
    "chinese": Expected(
        "chinese",
        holds=("首班列车在六点整驶出南站", "共设十八座车站", "票价与现有线路保持一致", "单程时间缩短了将近一半", "计划于三年后完工"),
        lacks=("编辑：王明", "凡本网注明", "分享到", "相关阅读", "地铁票价调整方案公布", "热点排行", "版权所有"),
    ),
    "japanese": Expected(
        "japanese",
        holds=("総工費はおよそ三百億円", "十二の停留所が設けられる", "渋滞を心配する住民も少なくない", "街の将来を左右する事業だ"),
        lacks=("クッキー", "この記事をシェアする", "関連記事", "バス路線、四月から再編", "アクセスランキング", "Copyright"),
    ),
    "thai": Expected(
        "thai",
        holds=("ปริมาณน้ำฝนจะสูงกว่าค่าเฉลี่ย", "เปิดศูนย์พักพิงชั่วคราวสามแห่ง", "เหตุการณ์น้ำท่วมครั้งใหญ่", "ประชุมติดตามสถานการณ์ทุกวัน"),
        lacks=("cookies", "ข่าวที่เกี่ยวข้อง", "ข่าวยอดนิยม", "สงวนลิขสิทธิ์", "หน้าแรก"),
    ),
    "hindi": Expected(
        "hindi",
        holds=("बीस लाख बच्चों को लाभ मिलेगा।", "दाल और सब्जी शामिल होगी।", "उपस्थिति बढ़ेगी।", "आठ सौ करोड़ रुपये"),
        lacks=("डाउनलोड करें", "ये भी पढ़ें", "बोर्ड परीक्षा", "सबसे ज्यादा पढ़ी गई", "सर्वाधिकार सुरक्षित"),
    ),
    "turkish": Expected(
        "turkish",
        holds=("araç trafiğine kapatılmasına karar verdi.", "ciddi korozyon tespit edilmişti.", "ek feribot seferi", "kira desteği istedi.", "ihalenin önümüzdeki ay"),
        lacks=("Ana Sayfa", "İlgili Haberler", "yeni otobüs hattı", "Yorumlar", "çok geç alındı", "iskele çok kalabalık", "Tüm hakları saklıdır"),
    ),
    "arabic": Expected(
        "arabic",
        holds=("حملة وطنية للتطعيم", "ستستمر ستة أسابيع", "مليوني شخص", "هذا العام؟"),
        lacks=("ملفات تعريف الارتباط", "اقرأ أيضا", "الأكثر قراءة", "جميع الحقوق محفوظة", "الرئيسية"),
    ),
    "br_paragraphs": Expected(
        "br_paragraphs",
        holds=("With the hull finally sanded", "The lower edge had soaked up water", "The knees that join the transom", "Next weekend I hope to start"),
        lacks=("Posted on", "Part two", "Part four", "guestbook", "Archive", "Copyright"),
    ),
    "refrain": Expected(
        "refrain",
        holds=("every shift change at the north quay", "outlives the last of the manual cranes"),
        lacks=("Advertisement", "Sign up for our weekly culture newsletter", "Subscribe", "© 2026"),
    ),
    "split_body": Expected(
        "split_body",
        holds=("plant 40,000 street trees", "six degrees hotter", "new online form", "drought tolerance", "£12 million", "first 3,000 trees"),
        lacks=("Parks budget cut", "Advertisement", "Read more", "Volunteers pull two tonnes", "New bus lanes", "By Anna Green", "Courier Media"),
    ),
    "split_teasers": Expected(
        "split_teasers",
        holds=("opened in March 1926", "queue for ice cream", "more than 4,000 people signed", "a quieter pianist", "at the box office only"),
        lacks=("Theatre reopens", "The Playhouse will stage", "Bridge toll", "Drivers will pay 20p", "All rights reserved"),
    ),
    "liveblog_articles": Expected(
        "liveblog_articles",
        holds=("harbour wall at Seabridge", "closed the coast line", "Replacement buses are running", "12,000 homes", "sent pupils home", "welcome to our live coverage"),
        lacks=("Share this update", "Copy link", "North Star Media"),
    ),
    "liveblog": Expected(
        "liveblog",
        holds=(
                "Turnout across the region reached 71 percent", "Recounts have been called", "thanked volunteers", "market town of Elmsford",
                "ballot boxes are arriving faster", "An exit poll suggests", "Queues were still forming", "counting begins now",
            ),
        lacks=("Key events", "Show 3 new updates", "Load earlier updates", "Most read", "Markets brace", "All rights reserved"),
    ),
    "forum_profiles": Expected(
        "forum",
        holds=("shots run slower", "about 20 grams to a litre", "void the warranty", "citric acid it is", "I would do three"),
        lacks=("Joined:", "Posts: 412", "Post Reply", "Who is online", "Board index", "Powered by phpBB", "Quote Report"),
    ),
    "forum": Expected(
        "forum",
        holds=("shots run slower", "about 20 grams to a litre", "void the warranty", "citric acid it is", "I would do three"),
        lacks=("Post Reply", "Who is online", "Board index", "Powered by phpBB"),
    ),
    "qa_thread": Expected(
        "qa_thread",
        holds=("spread out and flatten", "75 percent hydration", "very likely over-proofing", "the poke test", "Also check your shaping"),
        lacks=("Improve this", "Follow", "Related", "How do I know when bulk", "CC BY-SA", "Log in"),
    ),
    "paywall_json_ld": Expected(
        "paywall_json_ld",
        holds=("about two hundred old apple trees", "borrowed polytunnel", "forty-one varieties", "community orchard"),
        lacks=("Subscribe", "£1 a week", "Log in", "Terms"),
    ),
    "hidden_body": Expected(
        "hidden_body",
        holds=("two-year refit that added a children's floor", "queue for new library cards", "£6.4 million"),
        lacks=("Loading", "What's on", "Registered in England"),
    ),
    "forum_noscript": Expected(
        "forum_noscript",
        holds=("purple undersides on their leaves", "need feeding already", "below about twelve degrees", "new leaves already look greener"),
        lacks=("Categories", "Terms of Service", "best viewed with JavaScript", "greenfingers"),
    ),
    "blog_template": Expected(
        "blog_template",
        holds=("one flood away from useless", "within a metre of both racks", "test a full restore each month", "sleeping through storms"),
        lacks=("Labels", "Archive", "networking", "Give us feedback"),
    ),
    "shadow_dom": Expected(
        "shadow_dom",
        holds=("Sleeper services between the capital", "cabins for one or two people", "waking up at the seaside", "Fares start at 45 pounds"),
        lacks=("Timetables", "only a pattern for scripts", "All rights reserved"),
    ),
    "tutorial": Expected(
        "tutorial",
        holds=(
                "fill the disk", "Create a file in /etc/logrotate.d", "Test the configuration with a dry run", "rotate 14", "copytruncate",
                "Keep fourteen old files", "Copy the log and empty it in place", "logrotate --debug /etc/logrotate.d/app",
            ),
        lacks=("Tags:", "Recent posts", "Finding what fills a disk", "CC BY 4.0", "Networking"),
    ),
    "class_words": Expected(
        "class_words",
        holds=("revenue of £412 million", "final dividend of 8.2 pence", "Operating margins widened", "adventure travel division", "reportable incidents", "electric vans"),
        lacks=("Share on LinkedIn", "Careers", "Registered office"),
    ),
}


# Scripts without spaces between words, and sentence punctuation other than ". ! ?"


def test_chinese_full_stops() -> None:
    check("chinese")


def test_japanese_full_stops_and_short_paragraphs() -> None:
    check("japanese")


def test_thai_without_sentence_punctuation() -> None:
    check("thai")


def test_hindi_danda() -> None:
    check("hindi")


def test_arabic_commas_and_question_mark() -> None:
    check("arabic")


def test_turkish_related_links_comments_and_rights_notice_under_plain_class_names() -> None:
    # The class names say nothing ("x1", "y2"): the headings' words, in Turkish, do.
    check("turkish")
    removed = {r.text: r.label for r in cleaned("turkish").removed}
    assert (removed["İlgili Haberler"], removed["Yorumlar (2)"]) == ("related", "comments")


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("昨天下午，一场暴雨袭击了本市，机场共有四十多个航班延误。", True),
        ("首页 新闻 财经 体育 娱乐 科技 汽车 房产", False),
        ("市長は記者会見で「街の将来を左右する事業だ」と述べた。", True),
        ("ผู้ว่าราชการจังหวัดระบุว่าจะมีการประชุมติดตามสถานการณ์ทุกวันจนกว่าฝนจะหยุดตก", True),
        ("หน้าแรก ข่าว กีฬา บันเทิง", False),
        ("शिक्षा मंत्री ने बताया कि भोजन में हर दिन दाल और सब्जी शामिल होगी।", True),
        ("وقال المتحدث باسم الوزارة إن الحملة ستستمر ستة أسابيع؟ وإن اللقاحات ستكون متاحة مجانا", True),
        ("Home News Sport Business Culture Opinion Travel Weather Podcasts", False),
        ("The council voted on Tuesday to extend the night bus network.", True),
    ],
)
def test_prose_is_told_by_length_and_punctuation_in_every_script(text: str, prose: bool) -> None:
    assert _reads_as_prose(text) is prose


# Layouts of the body


def test_paragraphs_separated_by_line_breaks() -> None:
    check("br_paragraphs")
    # Each run of line breaks ends a paragraph: no two of them come out as one.
    paragraphs = EXPECTED["br_paragraphs"].holds
    assert all(sum(p in kept for p in paragraphs) <= 1 for kept in cleaned("br_paragraphs").paragraphs)


def test_a_chorus_that_repeats_is_kept_each_time() -> None:
    extraction = cleaned("refrain")
    chorus = "Haul away, haul away, the tide won't wait for you"
    assert_text(extraction, holds=("every shift change at the north quay", "the winter the harbour froze", "Nobody forgets the chorus", "outlives the last of the manual cranes"), lacks=())
    assert extraction.text.count(chorus) == 2


#: A paragraph each page says twice on purpose.
REPEATS = {
    "refrain": "Haul away, haul away, the tide won't wait for you",
    "transcript": "I cannot recall who made that decision",
}


@pytest.mark.parametrize(
    ("page", "mode"),
    [("transcript", "html"), ("transcript", "text"), ("refrain", "text")],
)
def test_a_paragraph_said_twice_in_the_body_is_kept_twice(page: str, mode: str) -> None:
    if mode == "html":
        extraction = cleaned(page)
    else:
        extraction = clean_text((PAGES / f"{page}.txt").read_text(encoding="utf-8"))
    assert extraction.text.count(REPEATS[page]) == 2, extraction.paragraphs


def test_boilerplate_that_repeats_inside_the_body_is_cut() -> None:
    check("refrain")


@pytest.mark.xfail(strict=True, reason="the block model with word weights keeps two teaser headlines between the body's parts")
def test_a_body_split_across_sibling_containers_with_ads_and_teasers_between() -> None:
    check("split_body")


@pytest.mark.xfail(strict=True, reason="teaser cards between the body's parts (a heading and an excerpt cut short, all one link) are kept when fewer than three")
def test_teaser_cards_with_excerpts_between_the_body_parts_are_cut() -> None:
    check("split_teasers")


def test_a_live_blog_of_article_elements_keeps_every_entry_and_no_share_bar() -> None:
    check("liveblog_articles")


def test_a_live_blog_keeps_every_post() -> None:
    check("liveblog")


@pytest.mark.xfail(strict=True, reason="each poster's profile (post count, join date) between the posts is kept as text")
def test_a_forum_thread_keeps_every_post_and_no_profile() -> None:
    check("forum_profiles")


def test_a_forum_thread_keeps_every_post() -> None:
    assert_text(cleaned("forum"), holds=EXPECTED["forum"].holds, lacks=())


def test_a_forum_thread_keeps_every_post_and_none_of_the_board() -> None:
    check("forum")


def test_a_question_and_its_answers_are_the_content() -> None:
    check("qa_thread")


# Text the page holds out of sight


def test_a_paywalled_teaser_takes_its_text_from_the_declared_article_body() -> None:
    check("paywall_json_ld")


def test_an_article_rendered_hidden_for_scripts_to_show_is_still_text() -> None:
    check("hidden_body")


def test_a_thread_served_to_readers_without_scripts_is_read_from_noscript() -> None:
    assert_text(cleaned("forum_noscript"), holds=EXPECTED["forum_noscript"].holds, lacks=())


def test_a_thread_served_to_readers_without_scripts_is_read_from_noscript_without_names() -> None:
    check("forum_noscript")


def test_a_post_that_scripts_render_from_a_template_is_read_from_noscript() -> None:
    # The page shows its title, date and sidebar, which read as no article: the post itself is
    # served to readers without scripts.
    check("blog_template")


def test_an_article_in_declarative_shadow_roots_is_text_and_an_inert_template_is_not() -> None:
    check("shadow_dom")


def test_ruby_readings_are_not_text_of_their_own() -> None:
    # Furigana over kanji (and pinyin over hanzi) annotate the text; read inline, every annotated
    # word would be split by its reading.
    page = (PAGES / "japanese.html").read_text(encoding="utf-8")
    page = page.replace("総工費", "<ruby>総工費<rp>(</rp><rt>そうこうひ</rt><rp>)</rp></ruby>").replace("停留所", "<ruby>停<rt>てい</rt>留<rt>りゅう</rt>所<rt>じょ</rt></ruby>")
    text = clean_html(page).text
    assert "総工費はおよそ三百億円" in text and "十二の停留所が設けられる" in text
    assert not any(reading in text for reading in ("そうこうひ", "りゅう", "("))


def test_a_script_only_shell_has_no_article_and_noscript_is_no_text_beside_one() -> None:
    shell = '<html><body><div id="root"></div><noscript>You need to enable JavaScript to run this app.</noscript></body></html>'
    assert clean_html(shell).paragraphs == ()
    page = (PAGES / "split_body.html").read_text(encoding="utf-8").replace("</body>", "<noscript><p>Please enable JavaScript for the best experience on our website.</p></noscript></body>")
    assert "JavaScript" not in clean_html(page).text


ORCHARD = (
    "The last commercial orchard in the valley closed in 2019, but about two hundred old apple trees still stand in gardens and hedges.",
    "A group of retired growers has spent three winters finding them, taking cuttings and grafting them onto young rootstock.",
    "So far they have saved forty-one varieties, including a russet that a local nursery last sold in the 1950s.",
    "The young trees will be planted next spring in a community orchard on land lent by the parish council.",
)


def teaser_page(article_body: str, shown: tuple[str, ...] = ORCHARD[:1]) -> str:
    declared = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Saving the orchards", "articleBody": article_body})
    paragraphs = "".join(f"<p>{p}</p>" for p in shown)
    return f"""<html><head><title>Saving the orchards</title><script type="application/ld+json">{declared}</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>Saving the orchards</h1>{paragraphs}
<div class="gate"><p>Subscribe to keep reading: unlimited access for £1 a week.</p></div></article></body></html>"""


def test_a_teaser_that_opens_the_declared_body_gives_way_to_all_of_it() -> None:
    assert clean_html(teaser_page("\n".join(ORCHARD))).paragraphs == ORCHARD


def test_a_declared_body_in_markup_or_escaped_markup_is_split_into_its_blocks() -> None:
    markup = "".join(f"<p>{p.replace('russet', '<em>russet</em>')}</p>" for p in ORCHARD)
    assert clean_html(teaser_page(markup)).paragraphs == ORCHARD
    escaped = markup.replace("<", "&lt;").replace(">", "&gt;")
    assert clean_html(teaser_page(escaped)).paragraphs == ORCHARD


def test_a_declared_summary_or_another_text_does_not_replace_the_visible_article() -> None:
    assert clean_html(teaser_page(ORCHARD[0], shown=ORCHARD)).paragraphs == ORCHARD
    other = " ".join(PROSE_ELSEWHERE * 4)
    assert clean_html(teaser_page(other, shown=ORCHARD[:2])).paragraphs == ORCHARD[:2]


PROSE_ELSEWHERE = ("The council's budget for next year includes a rise in parking charges and a new fund for road repairs.",)


def test_a_long_page_with_a_longer_declared_body_costs_linear_time() -> None:
    def seconds(paragraphs: int) -> float:
        shown = [f"Paragraph {i} says something about the harbour and its ferries today." for i in range(paragraphs)]
        declared = " ".join(f"Declared sentence {i} about another subject, with a few more words." for i in range(4 * paragraphs))
        page = teaser_page(declared, shown=tuple(shown))
        return cpu_seconds(lambda: clean_html(page))

    # 10x the page: linear work takes ~10x as long; looking for every paragraph in the whole
    # declared text took ~100x (11 s at 10,000 paragraphs).
    assert seconds(10_000) < 30 * seconds(1000) + 0.2


def test_a_hidden_element_is_no_text_when_the_page_shows_an_article() -> None:
    page = teaser_page("", shown=ORCHARD).replace("</article>", '<div style="display:none"><p>Thanks for signing up! Check your inbox to confirm your address and start reading.</p></div></article>')
    extraction = clean_html(page)
    assert extraction.paragraphs == ORCHARD


# What an article may be made of


def test_lists_tables_and_code_in_the_body_are_text() -> None:
    check("tutorial")


def test_a_furniture_word_inside_a_longer_class_name_is_no_verdict() -> None:
    check("class_words")


# Best effort: a page with 50 or more words to read always gives a record

CIDER = (
    "The valley's cider makers gathered on Saturday for the first pressing of the season, with twelve farms bringing fruit to the old mill.",
    "The mill's new owners, a cooperative of growers, plan to open a shop and a small museum on the ground floor next summer.",
    "Visitors can book a tour of the presses on weekends until the end of November, when the last apples are usually picked.",
)


def boxes_page(paragraphs: tuple[str, ...]) -> str:
    """A page whose every paragraph sits alone in a box named like related stories: no block
    reads as the article's."""
    boxes = "".join(f"<div class='related-stories'><p>{p}</p></div>" for p in paragraphs)
    return f"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>{boxes}</body></html>"


@pytest.mark.xfail(strict=True, reason="the block model keeps one block of a page without an article, so best effort never starts")
def test_a_page_with_fifty_words_but_no_article_keeps_its_blocks_but_repeats() -> None:
    assert len(" ".join(CIDER).split()) >= 50
    extraction = clean_html(boxes_page((*CIDER, CIDER[0])))
    assert extraction.paragraphs == CIDER
    assert [removed.label for removed in extraction.removed] == ["navigation", "duplicate"]
    record = process_value(json.dumps({"url": "https://example.org/cider", "html": boxes_page(CIDER)}).encode(), Settings())
    assert record.text == "\n\n".join(CIDER)


@pytest.mark.xfail(strict=True, reason="the block model keeps the blocks of a page of under fifty words")
def test_a_page_with_fewer_words_and_no_article_has_no_text() -> None:
    short = tuple(" ".join(paragraph.split()[:12]) + "." for paragraph in CIDER)
    assert len(" ".join(short).split()) < 50
    assert clean_html(boxes_page(short)).paragraphs == ()


CLASS_NAMES = ("", "content", "article-body", "sidebar", "related", "share-bar", "comments", "footer-links", "promo", "menu", "post", "widget", "byline")
TAGS = ("div", "section", "p", "span", "li", "ul", "article", "main", "h2", "a", "em", "td", "blockquote")


@st.composite
def pages_of_any_layout(draw: st.DrawFn) -> tuple[str, int]:
    """A page of text blocks nested in elements of any tag and class (named like furniture or
    not), with no word twice (repeats may go), and how many words it shows."""
    words = iter(range(1_000_000))

    def text(letters: list[str]) -> str:
        return " ".join(f"{letter}{next(words)}" for letter in letters).capitalize() + draw(st.sampled_from(("", ".", "!", ",")))

    leaves = st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=30).map(text)
    element = st.tuples(st.sampled_from(TAGS), st.sampled_from(CLASS_NAMES))
    tree = st.recursive(leaves, lambda inner: st.builds(lambda e, kids: f"<{e[0]} class='{e[1]}'>{''.join(kids)}</{e[0]}>", element, st.lists(inner, max_size=5)), max_leaves=40)
    body = "".join(draw(st.lists(tree, min_size=1, max_size=6)))
    return f"<html><body>{body}</body></html>", next(words)


@pytest.mark.xfail(strict=False, reason="hypothesis finds pages of fifty words (by the test's count) where the block model keeps nothing and best effort counts fewer words; failing on main before the block model too")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages_of_any_layout())
def test_any_layout_with_fifty_words_to_read_gives_a_record(page: tuple[str, int]) -> None:
    html, words = page
    if words >= 50:
        assert clean_html(html).paragraphs


SHOP = (
    "Oak dining table, seats six - £499", "Walnut sideboard with three drawers - £639", "Linen armchair in sage green - £379",
    "Brass floor lamp, adjustable - £129", "Wool rug, hand-knotted, two by three metres - £289", "Pine bookcase with five shelves - £199",
    "Velvet sofa, three seats - £899", "Rattan bedside table - £89", "Ceramic table lamp with linen shade - £59", "Teak garden bench for two - £349",
)


@pytest.mark.xfail(strict=True, reason="the line model keeps some lines of a shop page without an article, so best effort never starts")
def test_text_mode_keeps_the_lines_of_a_page_with_fifty_words_but_no_article_but_repeats() -> None:
    delivery = "Free delivery on every order over £50"
    extraction = clean_text("\n".join((delivery, *SHOP, delivery)))
    assert extraction.paragraphs == (delivery, *SHOP)
    assert [removed.label for removed in extraction.removed] == ["duplicate"]
    assert clean_text("\n".join(SHOP[:5])).paragraphs == ()


# Text mode: the same pages flattened as scrapers send them (each page's .txt beside it, made by
# html-text 0.7.1 with guess_layout=True, runs of blank lines collapsed, as the benchmark's text)

#: Cases that need HTML: structured data, <noscript>, templates.
HTML_ONLY = frozenset({"paywall_json_ld", "forum_noscript", "blog_template", "shadow_dom"})
#: What text mode misses today, by case.
TEXT_MISSES = {
    "chinese": "the site's copyright statement after the body is kept",
    "hindi": "the related links and the app promo after the body are kept",
    "split_body": "a teaser's headline between the body's parts is kept",
    "split_teasers": "teaser cards (a headline and an excerpt) between the body's parts are kept",
    "qa_thread": "the second answer is dropped; the post menus, 'asked' lines and vote counts are kept",
    "forum_profiles": "posters' 'Joined:' lines are kept",
    "refrain": "the newsletter pitch after the poem is kept",
    "liveblog": "the 'Key events' heading and the 'Show 3 new updates' button are kept",
    "forum": "the 'Board index' line above the posts is kept",
}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=pytest.mark.xfail(strict=True, reason=TEXT_MISSES[case])) if case in TEXT_MISSES else case
        for case in EXPECTED
        if case not in HTML_ONLY
    ],
)
def test_text_mode(case: str) -> None:
    expected = EXPECTED[case]
    text = (PAGES / f"{expected.page}.txt").read_text(encoding="utf-8")
    assert_text(clean_text(text, f"https://example.org/{expected.page}"), holds=expected.holds, lacks=expected.lacks)
