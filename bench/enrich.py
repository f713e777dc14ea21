"""Enrichment speed and quality, one table. Run from the repository root::

    python bench/enrich.py              # all 181 shared pages
    python bench/enrich.py --pages 40   # a quicker look

Speed: every stage, and the whole of ``enrich``, timed per article on the ground-truth article
bodies (one core, warm, CPU time of the thread so other work on a shared machine counts less;
each article runs three times and the fastest run counts, as timeit does), with ready-made tools timed on the same texts in the same run where
they are installed (dateparser's ``search_dates``, vaderSentiment's analyser; both optional,
``pip install dateparser vaderSentiment``), reported as ratios.

Entities: typed F1 (exact span and type) of the tagger on the held-out documents of the
human-labelled NER corpora in ``bench/ner-data`` (``ner_data.py``), per language and corpus.

Quality: precision and recall per field against the hand-made labels in
``bench/labels/enrichment.json`` (the body is the ground truth; metadata, bylines and
datelines come from cleaning each page's HTML and, separately, its flattened text), split into
the tune and check halves of ``scoring.split_by_site``; then the shared sample's expectations.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import EVAL_DIR, load_truth, read_html, read_text, split_by_site  # noqa: E402

from copydesk.clean import clean_html, clean_text  # noqa: E402
from copydesk.document import Enrichment, Extraction, Removed  # noqa: E402
from copydesk.enrich import enrich  # noqa: E402
from copydesk.enrich.dates import find_dates, reference_day  # noqa: E402
from copydesk.enrich import languages  # noqa: E402
from copydesk.enrich.dates_languages import find_dates_in  # noqa: E402
from copydesk.enrich.entities import Entities, find_entities  # noqa: E402
from copydesk.enrich.fingerprints import fingerprint  # noqa: E402
from copydesk.enrich.keywords import find_keywords  # noqa: E402
from copydesk.enrich.language import detect  # noqa: E402
from copydesk.enrich.metadata import page_facts  # noqa: E402
from copydesk.enrich.quotes import find_quotes  # noqa: E402
from copydesk.enrich.readability import flesch_kincaid_grade, word_count  # noqa: E402
from copydesk.enrich.sentiment import body_sentiment  # noqa: E402
from copydesk.enrich.summary import lead_summary  # noqa: E402
from copydesk.enrich.tokens import tokenize  # noqa: E402

LABELS = Path(__file__).resolve().parent / "labels" / "enrichment.json"
SAMPLES = EVAL_DIR.parents[1] / "samples"
# The set was crawled around this day (the newest date its pages show); relative dates on pages
# without a publication date resolve against it, as they would against a real fetch time.
FETCHED_AT = "2019-11-20T12:00:00+00:00"
REPEATS = 3


def body_extraction(body: str, mode: str = "text") -> Extraction:
    return Extraction(mode, "", "", tuple(p.strip() for p in body.split("\n") if p.strip()))  # type: ignore[arg-type]


# ---------------------------------------------------------------- speed


def timed(fn: Callable[[], Any]) -> float:
    """CPU milliseconds of this thread: what one core spends, whatever else the machine runs."""
    started = time.thread_time()
    fn()
    return (time.thread_time() - started) * 1000


def stage_times(extraction: Extraction) -> dict[str, float]:
    text = extraction.text
    times: dict[str, float] = {}
    started = time.thread_time()
    tokens = tokenize(text)
    times["tokens"] = (time.thread_time() - started) * 1000
    times["language"] = timed(lambda: detect(text))
    times["metadata"] = timed(lambda: page_facts(extraction))
    entities: list[Any] = []
    times["entities"] = timed(lambda: entities.append(find_entities(tokens, "en")))
    times["keywords"] = timed(lambda: find_keywords(tokens, extraction.title))
    times["sentiment"] = timed(lambda: body_sentiment(tokens))
    times["quotes"] = timed(lambda: find_quotes(tokens, entities[0]))  # entities[0] is an Entities
    times["dates"] = timed(lambda: find_dates(text, reference_day(FETCHED_AT), tokens))
    times["summary+readability"] = timed(lambda: (lead_summary(tokens), word_count(tokens), flesch_kincaid_grade(tokens)))
    times["fingerprints"] = timed(lambda: fingerprint(tokens))
    times["enrich (total)"] = timed(lambda: enrich(extraction, url="", fetched_at=FETCHED_AT))
    return times


def peer_times(text: str) -> dict[str, float]:
    times: dict[str, float] = {}
    try:
        from dateparser.search import search_dates

        times["dateparser search_dates"] = timed(
            lambda: search_dates(text, languages=["en"], settings={"RELATIVE_BASE": reference_base()})
        )
    except ImportError:
        pass
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        analyzer = _vader()
        sentences = [s.text for s in tokenize(text).sentences]
        times["vaderSentiment (per sentence)"] = timed(lambda: [analyzer.polarity_scores(s) for s in sentences])
        del SentimentIntensityAnalyzer
    except ImportError:
        pass
    return times


def reference_base() -> Any:
    from datetime import datetime

    return datetime.fromisoformat(FETCHED_AT).replace(tzinfo=None)


_ANALYZER: list[Any] = []


def _vader() -> Any:
    if not _ANALYZER:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _ANALYZER.append(SentimentIntensityAnalyzer())
    return _ANALYZER[0]


def reference_loop_ms() -> float:
    """CPU ms of a fixed pure-Python loop: how fast this core runs Python right now, so runs on
    different (or differently busy) machines can be compared."""
    started = time.thread_time()
    total = 0
    for i in range(1_000_000):
        total += i
    return (time.thread_time() - started) * 1000


def _fastest(runs: Iterable[dict[str, float]]) -> dict[str, float]:
    fastest: dict[str, float] = {}
    for run in runs:
        for name, ms in run.items():
            fastest[name] = min(ms, fastest.get(name, ms))
    return fastest


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def speed_rows(truth: dict[str, dict[str, str]], ids: list[str], peers: bool) -> list[tuple[str, float, float, float, str]]:
    extractions = [body_extraction(truth[i]["articleBody"]) for i in ids]
    enrich(extractions[0], url="", fetched_at=FETCHED_AT)  # load models and gazetteers once
    ours: dict[str, list[float]] = {}
    theirs: dict[str, list[float]] = {}
    for extraction in extractions:
        # timeit's convention, for us and the peers alike: each article runs REPEATS times and
        # the fastest run counts, since the slower ones measure the machine's other work.
        for name, ms in _fastest(stage_times(extraction) for _ in range(REPEATS)).items():
            ours.setdefault(name, []).append(ms)
        if peers:
            for name, ms in _fastest(peer_times(extraction.text) for _ in range(REPEATS)).items():
                theirs.setdefault(name, []).append(ms)
    rows = [(name, statistics.fmean(v), statistics.median(v), percentile(v, 0.9), "") for name, v in ours.items()]
    total = statistics.median(ours["enrich (total)"])
    for name, v in theirs.items():
        ours_stage = statistics.median(ours["dates" if "date" in name else "sentiment"])
        ratio = statistics.median(v) / ours_stage
        rows.append((name, statistics.fmean(v), statistics.median(v), percentile(v, 0.9),
                     f"{ratio:.0f}x our stage; {statistics.median(v) / total:.1f}x all of enrich"))
    return rows


# ---------------------------------------------------------------- quality


def norm(name: str) -> str:
    name = name.lower().replace("’", "'")
    name = re.sub(r"^the\s+|'s$|[.,]", "", name.strip())
    return " ".join(name.split())


@dataclass
class Tally:
    right: int = 0  # predictions a label confirms
    predicted: int = 0
    found: int = 0  # labels a prediction matches
    expected: int = 0

    def add(self, right: int, predicted: int, found: int, expected: int) -> None:
        self.right += right
        self.predicted += predicted
        self.found += found
        self.expected += expected

    def row(self) -> tuple[str, str, str]:
        p = self.right / self.predicted if self.predicted else float("nan")
        r = self.found / self.expected if self.expected else float("nan")
        return f"{p:.3f}", f"{r:.3f}", f"{self.right}/{self.predicted} right, {self.found}/{self.expected} found"


def entity_match(predicted: Any, expected: str) -> bool:
    """A labelled name matches an entity by its canonical name or an alias; a labelled full name
    also matches an entity named by its last word (and the reverse), which is the same person."""
    target = norm(expected)
    names = {norm(predicted.text), *(norm(a) for a in predicted.aliases)}
    return target in names


def score_entities(found: Enrichment, labels: dict[str, list[str]], tallies: dict[str, Tally]) -> None:
    for type_ in ("person", "organization", "place"):
        expected = labels.get(type_, [])
        predicted = [e for e in found.entities if e.type == type_]
        found_labels = sum(1 for name in expected if any(entity_match(e, name) for e in predicted))
        right = sum(1 for e in predicted if any(entity_match(e, name) for name in expected))
        tallies[f"entities: {type_}"].add(right, len(predicted), found_labels, len(expected))


def quote_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def score_quotes(found: Enrichment, labels: list[dict[str, str]], quotes: Tally, speakers: Tally) -> None:
    def holds(quote: Any, label: dict[str, str]) -> bool:
        return quote_key(label["start"]) in quote_key(quote.text)

    def same_speaker(quote: Any, label: dict[str, str]) -> bool:
        want, got = norm(label["speaker"]), norm(quote.speaker or "")
        return bool(got) and (want in got or got in want or want.split()[-1] == got.split()[-1])

    right = [q for q in found.quotes if any(holds(q, label) for label in labels)]
    found_labels = [label for label in labels if any(holds(q, label) for q in found.quotes)]
    quotes.add(len(right), len(found.quotes), len(found_labels), len(labels))
    spoken = [q for q in found.quotes if q.speaker]
    speakers.add(
        sum(1 for q in spoken if any(holds(q, label) and same_speaker(q, label) for label in labels)),
        len(spoken),
        sum(1 for label in labels if any(holds(q, label) and same_speaker(q, label) for q in found.quotes)),
        len(labels),
    )


def score_dates(found: Enrichment, labels: list[dict[str, str]], mentions: Tally, resolved: Tally) -> None:
    predicted = {norm(d.text): d.date for d in found.dates}
    hits = [label for label in labels if norm(label["text"]) in predicted]
    wanted = {norm(label["text"]) for label in labels}
    mentions.add(sum(1 for d in found.dates if norm(d.text) in wanted), len(found.dates), len(hits), len(labels))
    right = sum(1 for label in hits if label["date"] and predicted[norm(label["text"])] == label["date"])
    resolved.add(right, sum(1 for d in found.dates if d.date), right, sum(1 for label in labels if label["date"]))


def score_authors(found: Enrichment, labels: list[str], tally: Tally) -> None:
    got = {norm(a) for a in found.authors}
    want = {norm(a) for a in labels}
    tally.add(len(got & want), len(got), len(got & want), len(want))


def score_published(found: Enrichment, label: str, tally: Tally) -> None:
    got = found.published_at[:10]
    right = 1 if got and got == label else 0
    tally.add(right, 1 if got else 0, right, 1 if label else 0)


def quality_rows(truth: dict[str, dict[str, str]], labels: dict[str, Any], ids: list[str]) -> list[tuple[str, ...]]:
    tallies: dict[str, Tally] = {k: Tally() for k in (
        "entities: person", "entities: organization", "entities: place", "quotes", "quote speakers", "date mentions", "dates resolved",
        "authors (html)", "published (html)", "authors (text)", "published (text)")}
    for page_id in ids:
        label = labels[page_id]
        body = body_extraction(truth[page_id]["articleBody"])
        html_page = _safe(lambda: clean_html(read_html(page_id), truth[page_id]["url"]))
        text_page = _safe(lambda: clean_text(read_text(page_id), truth[page_id]["url"]))
        # The body is the ground truth; what cleaning found besides it (metadata, cut bylines) is real.
        with_html = replace(body, mode="html", title=html_page.title, removed=html_page.removed, metadata=html_page.metadata)
        with_text = replace(body, title=text_page.title, removed=_cut_lines(text_page, body))
        found = enrich(with_html, url=truth[page_id]["url"], fetched_at=FETCHED_AT)
        found_text = enrich(with_text, url=truth[page_id]["url"], fetched_at=FETCHED_AT)
        score_entities(found, label["entities"], tallies)
        score_quotes(found, label["quotes"], tallies["quotes"], tallies["quote speakers"])
        score_dates(found, label["dates"], tallies["date mentions"], tallies["dates resolved"])
        score_authors(found, label["authors"], tallies["authors (html)"])
        score_published(found, label["published"], tallies["published (html)"])
        score_authors(found_text, label["authors"], tallies["authors (text)"])
        score_published(found_text, label["published"], tallies["published (text)"])
    return [(name, *tally.row()) for name, tally in tallies.items()]


def _cut_lines(page: Extraction, body: Extraction) -> tuple[Removed, ...]:
    """What text-mode cleaning cut plus the lines it kept that the true body does not hold (the
    byline a cleaner kept by mistake is still a byline)."""
    kept = set(body.paragraphs)
    extra = tuple(Removed("other", p, "line_model") for p in page.paragraphs if p not in kept)
    return tuple(page.removed) + extra


def _safe(fn: Callable[[], Extraction]) -> Extraction:
    try:
        return fn()
    except Exception:  # a page cleaning fails on still gets scored, with nothing found besides the body
        return Extraction("html", "", "", ())


# ---------------------------------------------------------------- entities on held-out NER corpora


def ner_rows() -> str:
    """The tagger's typed F1 (exact span and type) on the held-out documents of every NER corpus
    (``ner_data``), by language and corpus, against the issue's targets."""
    import ner_data

    _, held_out = ner_data.split()
    table = ner_data.score_table(held_out)
    lines = [table, "", "targets (typed F1 on held-out news): en >= 0.85, de/fr/es/it/pt/nl >= 0.75"]
    for (language, corpus), (_, hits, predicted, gold) in sorted(ner_data.scores(held_out).items()):
        if corpus == "all":
            f = ner_data.f1(hits, predicted, gold)[2]
            target = 0.85 if language == "en" else 0.75
            verdict = "met" if f >= target else f"missed by {target - f:.3f}"
            lines.append(f"  {language}: {f:.3f} ({verdict})")
    missing = sorted(languages.ENTITIES - {language for language, corpus in ner_data.scores(held_out) if corpus == "all"})
    lines.append(f"  no held-out human-labelled data with a usable licence: {', '.join(missing)}")
    silver = [
        f"{language} {ner_data.f1(*row[1:])[2]:.3f}" for (language, corpus), row in sorted(ner_data.scores(held_out).items()) if corpus in ner_data.SILVER
    ]
    lines.append(f"  silver (modern news and Wikipedia, labels projected from the en/de/pt PUD translations; not the headline): {', '.join(silver)}")
    return "\n".join(lines)


# ---------------------------------------------------------------- every stage by language


def language_stage_rows() -> list[tuple[str, str, float, float]]:
    """(language, stage, median, p90) CPU ms per article of every stage that runs for the
    language, on articles of 400+ words made of the language set's texts (``language.py``)."""
    import language as language_set

    rows: list[tuple[str, str, float, float]] = []
    for language, articles in language_set.articles().items():
        times: dict[str, list[float]] = {}
        for paragraphs in articles:
            extraction = Extraction("text", "", "", paragraphs)
            for name, ms in _fastest(language_stage_times(extraction, language) for _ in range(REPEATS)).items():
                times.setdefault(name, []).append(ms)
        rows += [(f"{language} ({len(articles)})", name, statistics.median(v), percentile(v, 0.9)) for name, v in times.items()]
    return rows


def language_stage_times(extraction: Extraction, language: str) -> dict[str, float]:
    text = extraction.text
    tokens = tokenize(text)
    times = {"tokens": timed(lambda: tokenize(text)), "language": timed(lambda: detect(text))}
    entities = [find_entities(tokens, language) if language in languages.ENTITIES else Entities((), ())]
    if language in languages.ENTITIES:
        times["entities"] = timed(lambda: find_entities(tokens, language))
    if language in languages.KEYWORDS:
        times["keywords"] = timed(lambda: find_keywords(tokens, extraction.title, language=language))
    if language in languages.SENTIMENT:
        times["sentiment"] = timed(lambda: body_sentiment(tokens))
    if language in languages.QUOTES:
        times["quotes"] = timed(lambda: find_quotes(tokens, entities[0]))
    if language in languages.DATES:
        reference = reference_day(FETCHED_AT)
        times["dates"] = timed(
            lambda: find_dates(text, reference, tokens) if language == "en" else find_dates_in(text, language, reference)
        )
    times["fingerprints"] = timed(lambda: fingerprint(tokens))
    times["enrich (total)"] = timed(lambda: enrich(extraction, url="", fetched_at=FETCHED_AT))
    return times


# ---------------------------------------------------------------- the shared sample


def sample_rows() -> list[tuple[str, str]]:
    expected = orjson.loads((SAMPLES / "motherjones-coalition-pause.expected.json").read_text(encoding="utf-8"))
    extraction = Extraction("text", expected["title"], expected["dek"], tuple(expected["body_paragraphs"]))
    found = enrich(extraction, url="https://www.motherjones.com/", fetched_at="")
    wanted = [(t, n) for t, names in expected["expected_entities"].items() for n in names]
    hit = [n for t, n in wanted if any(e.type == t and entity_match(e, n) for e in found.entities)]
    quotes = sum(
        1 for q in expected["expected_quotes"]
        if any(quote_key(q["text"]) == quote_key(f.text) and f.speaker and norm(f.speaker) in norm(q["speaker"]) for f in found.quotes)
    )
    dates = sum(1 for d in expected["expected_dates_mentioned"] if any(f.text == d for f in found.dates))
    return [
        ("sample: expected entities found", f"{len(hit)}/{len(wanted)} ({len(hit) / len(wanted):.0%})"),
        ("sample: quotes with their speakers", f"{quotes}/{len(expected['expected_quotes'])}"),
        ("sample: dates mentioned found", f"{dates}/{len(expected['expected_dates_mentioned'])}"),
        ("sample: language", found.language),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=0, help="time only the first N pages (0: all)")
    parser.add_argument("--no-peers", action="store_true", help="skip the ready-made tools")
    parser.add_argument("--no-metadata", action="store_true", help="skip the page metadata table (bench/metadata.py, minutes)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    truth = load_truth()
    ids = sorted(truth)[: args.pages or None]
    print(f"enrichment, {len(ids)} shared pages (ground-truth bodies), one core; CPU ms per article")
    print(f"(speed reference: a 1,000,000-step Python loop took {min(reference_loop_ms() for _ in range(3)):.0f} ms CPU in this run)")
    print(f"{'stage':38} {'mean':>8} {'median':>8} {'p90':>8}  ratio")
    for name, mean, median, p90, note in speed_rows(truth, ids, not args.no_peers):
        print(f"{name:38} {mean:8.3f} {median:8.3f} {p90:8.3f}  {note}")
    labels = orjson.loads(LABELS.read_text(encoding="utf-8"))["pages"]
    tune, check = split_by_site(truth)
    for half, half_ids in (("tune", tune), ("check", check)):
        labelled = [i for i in half_ids if i in labels]
        print(f"\nlabelled set, {half} half: {len(labelled)} articles, {len({truth[i]['url'].split('/')[2] for i in labelled})} sites")
        print(f"{'field':38} {'P':>8} {'R':>8}  counts")
        for name, p, r, counts in quality_rows(truth, labels, labelled):
            print(f"{name:38} {p:>8} {r:>8}  {counts}")
    print()
    for name, value in sample_rows():
        print(f"{name:38} {value}")
    print("\nentities on held-out human-labelled NER corpora (documents the tagger was not trained on)")
    print(ner_rows())
    import language as language_set
    import metadata

    print("\n" + language_set.table())
    print("\nevery stage by language, articles of 400+ words from the language set (count); CPU ms per article")
    print(f"{'language':10} {'stage':16} {'median':>8} {'p90':>8}")
    for language, stage, median, p90 in language_stage_rows():
        print(f"{language:10} {stage:16} {median:8.3f} {p90:8.3f}")
    if not args.no_metadata:
        print()
        metadata.report(peers=not args.no_peers)


if __name__ == "__main__":
    main()
