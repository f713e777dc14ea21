"""The NER corpora's reading, alignment to copydesk's words and split (``bench/ner_data.py``), on
sentences written here; and that the committed data splits every corpus by document."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from ner_data import SILVER, _bio, _crossner, _document, _gum, _projected, corpora, held_out, load, split  # noqa: E402

from copydesk.enrich.tagger import TAGS  # noqa: E402


def test_iob1_and_other_types_become_bio_over_three_types() -> None:
    assert _bio(["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "B-OTH", "I-PERS", "B-LOCderiv"]) == [
        "B-PER", "I-PER", "O", "B-LOC", "B-LOC", "O", "B-PER", "O",
    ]


def test_a_document_is_written_as_the_press_writes_and_tagged_word_by_word() -> None:
    sentences = [
        ("d1", "en", ["Obama", "'s", "aide", ",", "Kori", "Schulman", ",", "flew", "to", "Paris", "."], ["B-PER", "O", "O", "O", "B-PER", "I-PER", "O", "O", "O", "B-LOC", "O"]),
        ("d1", "en", ["(", "Reuters", ")"], ["O", "B-ORG", "O"]),
    ]
    doc = _document("test", "d1", sentences)
    text = doc.tokens.text
    assert text.startswith("Obama's aide, Kori Schulman, flew to Paris.")
    assert "(Reuters)" in text
    names = {(text[a:b], kind) for a, b, kind in doc.names}
    assert names == {("Obama", "PER"), ("Kori Schulman", "PER"), ("Paris", "LOC"), ("Reuters", "ORG")}
    tagged = {w: TAGS[t] for w, t in zip(doc.tokens.words, doc.gold)}
    assert tagged["Kori"] == "B-PER" and tagged["Schulman"] == "I-PER" and tagged["aide"] == "O"
    assert doc.tokens.sentence_words[1] == doc.tokens.words.index("Reuters")  # a blank line between sentences


def test_every_corpus_has_documents_on_both_sides_and_none_on_both() -> None:
    for corpus in corpora():
        documents = {sentence[0] for sentence in load(corpus)}
        kept = {d for d in documents if held_out(d)}
        assert kept and documents - kept, corpus


def test_a_translation_gets_the_names_its_originals_write_the_same_way(tmp_path: Path) -> None:
    conllu = tmp_path / "es_pud-ud-test.conllu"
    conllu.write_text(
        "# sent_id = n01001011\n# text_en = Obama met Kori Schulman in the United States.\n"
        + "".join(
            f"{i}\t{w}\t_\n"
            for i, w in (("1", "Obama"), ("2", "conoció"), ("3", "a"), ("4", "Kori"), ("5", "Schulman"), ("6-7", "del"), ("6", "de"), ("7", "el"), ("8", "Reino"), ("9", "."))
        )
        + "\n",
        encoding="utf-8",
    )
    english = [("n01001", "en", ["Obama", "met", "Kori", "Schulman", "in", "the", "United", "States", "."], ["B-PER", "O", "B-PER", "I-PER", "O", "O", "B-LOC", "I-LOC", "O"])]
    german = [("n01001", "de", ["Obama", "traf", "Schulman", "."], ["B-PER", "O", "B-PER", "O"])]
    (sentence,) = _projected(conllu, "es", [english, german])
    assert sentence == ("n01001", "es", ["Obama", "conoció", "a", "Kori", "Schulman", "del", "Reino", "."], ["B-PER", "O", "O", "B-PER", "I-PER", "O", "O", "O"])


def test_silver_corpora_are_only_scored() -> None:
    train, test = split(sorted(SILVER))
    assert not train and test


def test_crossner_types_become_people_organisations_and_places_or_nothing(tmp_path: Path) -> None:
    lines = [
        ("Ada", "B-scientist"), ("Lovelace", "I-scientist"), ("won", "O"), ("the", "O"), ("Nobel", "B-award"), ("Prize", "I-award"),
        ("for", "O"), ("Acme", "B-organisation"), ("in", "O"), ("France", "B-country"), (".", "O"),
    ]
    data = tmp_path / "train.txt"
    data.write_text("".join(f"{w}\t{t}\n" for w, t in lines) + "\nHi\tO\n\n", encoding="utf-8")
    first, second = _crossner(data, "crossner-test", 10)
    assert first == (
        "crossner-test:0", "en", [w for w, _ in lines], ["B-PER", "I-PER", "O", "O", "O", "O", "O", "B-ORG", "O", "B-LOC", "O"],
    )
    assert second == ("crossner-test:0", "en", ["Hi"], ["O"])


def test_gum_mentions_become_names_only_where_they_are_names(tmp_path: Path) -> None:
    # (word, part of speech, GUM's mentions over it, their identities)
    first = [
        ("US", "NP", "person[1]|place", "_"), ("President", "NP", "person[1]", "_"), ("Barack", "NP", "person[1]", "_"),
        ("Obama", "NP", "person[1]", "_"), ("met", "VVD", "_", "_"), ("the", "DT", "organization[2]", "_"),
        ("Indonesian", "NP", "organization[2]", "_"), ("Navy", "NP", "organization[2]", "_"), ("and", "CC", "_", "_"),
        ("Rohingya", "NP", "person[3]", "Rohingya_people[3]"), ("in", "IN", "_", "_"), ("Mountain", "NP", "place[4]", "_"),
        ("View", "NP", "place[4]", "_"), (",", ",", "place[4]", "_"), ("California", "NP", "place[4]|place", "_"), (".", "SENT", "_", "_"),
    ]
    second = [("The", "DT", "person[5]", "_"), ("Man", "NN", "person[5]", "_"), ("left", "VVD", "_", "_"), (".", "SENT", "_", "_")]
    tsv = tmp_path / "GUM_news_test.tsv"
    xml = tmp_path / "GUM_news_test.xml"
    tsv.write_text(
        "#FORMAT=WebAnno TSV 3.2\n\n"
        + "".join(
            f"#Text={' '.join(w for w, *_ in rows)}\n"
            + "".join(f"{n}-{i}\t0-1\t{w}\t{mention}\t_\t_\t{identity}\t_\t_\t\n" for i, (w, _, mention, identity) in enumerate(rows, 1))
            + "\n"
            for n, rows in enumerate((first, second), 1)
        ),
        encoding="utf-8",
    )
    xml.write_text('<text id="GUM_news_test">\n<s>\n' + "".join(f"{w}\t{pos}\t{w}\n" for w, pos, *_ in first + second) + "</s>\n</text>\n", encoding="utf-8")
    one, two = _gum(tsv, xml)
    assert one[:3] == ("gum:GUM_news_test", "en", [w for w, *_ in first])
    assert one[3] == [
        "B-LOC", "O", "B-PER", "I-PER", "O", "O", "B-ORG", "I-ORG", "O", "O", "O", "B-LOC", "I-LOC", "O", "B-LOC", "O",
    ]
    assert two[3] == ["O"] * 4
