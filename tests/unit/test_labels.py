"""Every label of the vocabulary can be reached, from the words or from the HTML hints."""

from __future__ import annotations

import itertools

import pytest

from copydesk.clean.labels import about_author, call_words, is_caption, label_for, signs_a_comment, suggests_other_pages, text_label
from copydesk.document import REMOVED_LABELS

BY_TEXT = {
    "navigation": ("World News", ""),
    "newsletter": ("Sign up for our daily briefing in your inbox", ""),
    "appeal": ("Please support independent journalism with a tax-deductible donation", ""),
    "subscription": ("Already a subscriber? Log in to continue reading", ""),
    "share": ("Share this article", ""),
    "related": ("You might also like", ""),
    "credit": ("Photo: Jane Doe / Getty Images", ""),
    "comments": ("42 comments", ""),
    "legal": ("© 2024 Example Media. All rights reserved.", ""),
    "advertisement": ("Advertisement", ""),
    "other": ("The weather was fine and the match went ahead as planned on Sunday afternoon.", ""),
}
BY_HINTS = {
    "navigation": "div nav menu",
    "share": "div social-buttons share",
    "related": "aside related-posts",
    "comments": "section comments",
    "advertisement": "div ad-slot ads",
    "newsletter": "form newsletter",
    "subscription": "div paywall",
    "credit": "figcaption caption",
    "legal": "div cookie-banner",
}


@pytest.mark.parametrize("label", [label for label in REMOVED_LABELS if label != "duplicate"])
def test_each_label_is_reachable_from_the_words(label: str) -> None:
    text, hints = BY_TEXT[label]
    assert label_for(text, hints) == label


@pytest.mark.parametrize(("label", "hints"), sorted(BY_HINTS.items()))
def test_hints_name_blocks_whose_words_say_nothing(label: str, hints: str) -> None:
    assert label_for("Lorem ipsum dolor sit amet, consectetur.", hints) == label


def test_duplicate_is_the_cleaners_own_label_and_in_the_vocabulary() -> None:
    # Repeats are found by comparing blocks (blocks.first_occurrences), never from one block's words.
    assert "duplicate" in REMOVED_LABELS


def test_every_label_the_rules_can_give_is_in_the_vocabulary() -> None:
    for text, hints in BY_TEXT.values():
        assert label_for(text, hints) in REMOVED_LABELS


def test_unknown_text_is_other_and_short_unknown_text_is_navigation() -> None:
    assert label_for("An ordinary sentence about the harbour that names nothing in particular.") == "other"
    assert label_for("Harbour tours") == "navigation"


def test_text_label_is_empty_when_the_words_say_nothing() -> None:
    assert text_label("The bridge reopened on Monday.") == ""
    assert text_label("Subscribe now") == "subscription"


def test_appeals_win_over_the_newsletter_they_mention() -> None:
    assert label_for("Donate today and get our newsletter free") == "appeal"


def test_call_words_counts_the_phrases_of_a_pitch() -> None:
    assert call_words("Sign up for the free newsletter") == 2
    assert call_words("The council met on Tuesday.") == 0


def test_headings_over_suggestions_are_told_from_related_boxes() -> None:
    assert suggests_other_pages("You may also like")
    assert suggests_other_pages("Das könnte Sie auch interessieren")
    assert not suggests_other_pages("Related")


def test_the_authors_note_is_recognised() -> None:
    assert about_author("Jane Doe is a senior reporter for The Daily Example, covering transport.")
    assert not about_author("The bridge is a landmark of the harbour and a reporter's favourite.")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # The earlier rule wins wherever in the text its phrase stands.
        ("Sign up for our newsletter, or donate", "appeal"),
        ("Photo: Jane Doe. Subscribe for unlimited access", "subscription"),
        ("Advertisement - subscribe today", "subscription"),
        ("12 comments on this post. © 2024 Example Media", "legal"),
        ("Skip to content. Donate", "navigation"),
        ("Read more about our cookie policy", "legal"),
        ("Read more", "related"),
        ("Cookies? Privacy? Photo credit: AP", "legal"),
    ],
)
def test_the_first_rule_that_matches_anywhere_names_the_text(text: str, label: str) -> None:
    assert text_label(text) == label


def test_the_first_hint_rule_that_matches_names_the_block() -> None:
    assert label_for("Lorem ipsum dolor sit amet, consectetur.", "div comments-area share-bar") == "share"
    assert label_for("Lorem ipsum dolor sit amet, consectetur.", "div ads comments-widget") == "comments"
    assert label_for("Lorem ipsum dolor sit amet, consectetur.", "div sidebar-ads") == "advertisement"


def test_captions_are_told_from_news_that_names_an_agency() -> None:
    assert is_caption("Mayor Jane Doe (left) opens the bridge on Monday.")
    assert is_caption("An artist's illustration of the new harbour bridge.")
    assert is_caption("The bridge at dawn. Photo: Jane Doe / Example Agency")
    assert not is_caption("The minister told Reuters on Monday that the bridge would reopen in May.")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Jetzt abonnieren", "subscription"),
        ("Partager", "share"),
        ("Publicidad", "advertisement"),
        ("Kommentare", "comments"),
        ("Datenschutzerklärung", "legal"),
        ("Faites un don", "appeal"),
        ("Lees ook", "related"),
        ("Czytaj także: nowe linie autobusowe", "related"),
        ("Yorumlar (12)", "comments"),
        ("İLGİLİ HABERLER", "related"),  # "İ" lower-cases to "i" and a combining dot
        ("Chia sẻ", "share"),
        ("ये भी पढ़ें: बोर्ड परीक्षा की तारीखें", "related"),
        ("सर्वाधिकार सुरक्षित", "legal"),
        ("اقرأ أيضا", "related"),
        ("التعليقات", "comments"),
        ("相关阅读", "related"),
        ("评论（3）", "comments"),
        ("© 2024 本网 版权所有", "legal"),
        ("広告", "advertisement"),
        ("댓글 5", "comments"),
        ("関連記事", "related"),
        ("ⓒ 한국일보, 무단 전재 및 재배포 금지", "legal"),
        ("Iklan", "advertisement"),
        ("Читайте також", "related"),
        ("Läs också", "related"),
        ("Σχόλια", "comments"),
        ("תגובות", "comments"),
        ("ความคิดเห็น", "comments"),
        ("Distribuie", "share"),
        ("تبلیغات", "advertisement"),
    ],
)
def test_common_calls_in_other_languages(text: str, label: str) -> None:
    assert label_for(text) == label


@pytest.mark.parametrize(
    "text",
    [
        "评论区很热闹，网友纷纷留言支持这项新政策。",  # "comments" opens a sentence of Chinese
        "Delen van de stad stonden gisteren onder water.",  # Dutch "parts", not "share"
        "Reklamacje przyjmujemy do końca miesiąca.",
        "Komentar ini muncul setelah rapat dewan kota.",  # Indonesian: "this comment appeared after..."
        "Bình luận về dự án mới của thành phố được gửi tới hội đồng.",
        "Iklan rokok dilarang tampil di televisi sejak tahun lalu.",  # Indonesian: "cigarette ads are banned..."
    ],
)
def test_a_call_word_that_opens_a_sentence_is_no_call(text: str) -> None:
    assert text_label(text) == ""


def test_the_label_is_the_first_rule_any_of_whose_phrases_is_in_the_text() -> None:
    from copydesk.clean.labels import _COMPILED_TEXT_RULES

    snippets = [text for text, _ in BY_TEXT.values()] + ["Jetzt abonnieren", "Partager", "Kommentare", "(AP Photo/Jane Doe)"]
    for first, second, third in itertools.permutations(snippets, 3):
        text = f"{first} {second}. {third}"
        lowered = text.lower()
        expected = next((label for label, pattern in _COMPILED_TEXT_RULES if pattern.search(lowered)), "")
        assert text_label(text) == expected, text


def test_a_phrase_must_start_where_the_patterns_can_find_it() -> None:
    from copydesk.clean import labels

    assert labels._split_first(r"\bcookies?\b") == (r"\bcookie", r"s?\b")
    assert labels._split_first(r"[/|] ?ap$") == ("[/|]", " ?ap$")
    with pytest.raises(ValueError):
        labels._split_first(r"\w+ comments")


def test_phrases_lose_their_own_groups_but_nothing_else() -> None:
    from copydesk.clean import labels

    assert labels._without_captures(r"(skip|jump) to (?:the )?[(x]\(a\\(b)") == r"(?:skip|jump) to (?:the )?[(x]\(a\\(?:b)"


def test_a_line_that_signs_a_readers_comment() -> None:
    assert signs_a_comment("Jane Doe says:")
    assert signs_a_comment("thelastchargersfan says")
    # A sentence that reports what someone says is not a signature.
    assert not signs_a_comment("The mayor says the bridge will reopen in spring.")
    assert not signs_a_comment("says")
