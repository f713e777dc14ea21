"""Extraction quality and speed of copydesk and its peers on scrapinghub and WCXB-dev, one table.

Run from the repository root::

    python bench/quality.py                                  # both sets, both modes, the default systems
    python bench/quality.py --sets wcxb --mode html --pages 300 --systems copydesk,trafilatura
    python bench/quality.py --systems copydesk,trafilatura,rs-trafilatura,readability,resiliparse
    python bench/quality.py --dump pages.jsonl               # every page's scores, for failure analysis

Each set is scored with its own metric (``scoring.py``): scrapinghub with 4-token shingles, WCXB
with bags of words (mean of per-page F1, per page type, with the shares of ``with`` snippets found
and ``without`` snippets leaked). In text mode the input is the page flattened to its visible text;
the peers, which only read HTML, get each of its lines wrapped in a ``<p>``.

Out of fold: a mode's pool of pages (``train_blocks.POOLS``: both sets in HTML, WCXB alone in
text mode) is split by domain into ``folds.FOLDS`` folds, jointly (a site's pages sit in one fold
whichever set holds them). When ``bench/train_blocks.py`` provides the block models, copydesk
scores each fold with the model fitted on the pool without that fold (the "out-of-fold" rows:
WCXB's headline, and scrapinghub's where the pool has it); and, as issue 10's protocol asks,
scrapinghub with the model fitted on all of WCXB alone (the row the scrapinghub targets read) and
WCXB with the model fitted on scrapinghub alone. Without them (or
with ``--in-fold``) copydesk runs with its shipped model, and the table says so: those numbers
were not measured out of fold.

Speed: every system runs in this process on the same pages, one group of pages (a fold of a
set) at a time, after warming up on a few pages of the other groups' sites; speed is pages per
second of this process's CPU time, so ratios to trafilatura hold on a busy shared machine. With ``--rounds`` each system's fastest round counts. A page a system fails
on counts as an empty prediction.
"""

from __future__ import annotations

import argparse
import html as html_lib
import itertools
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

import orjson

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from folds import FOLDS, fold_of  # noqa: E402
from scoring import (  # noqa: E402
    EVAL_DIR,
    PAGE_TYPES,
    WCXB_DIR,
    WORD,
    PageScore,
    WordScore,
    f1_of,
    load_truth,
    load_wcxb_truth,
    read_html,
    read_text,
    read_wcxb_html,
    read_wcxb_text,
    score_page,
    site_of,
    snippet_share,
    summarise,
    summarise_words,
    word_score,
)
from tables import markdown_table  # noqa: E402



class Extracted(NamedTuple):
    """What a system made of a page: its body text, and where the system says so, the page type
    it saw and how sure it is of the extraction (0..1)."""

    text: str
    page_type: str | None = None
    confidence: float | None = None


#: (page html or text, url) -> what the system extracted
Extractor = Callable[[str, str], Extracted]
SETS = ("scrapinghub", "wcxb")
PEERS = ("trafilatura", "rs-trafilatura", "readability", "resiliparse")
DEFAULT_SYSTEMS = ("copydesk", "trafilatura", "rs-trafilatura")
#: Pages of other groups each system reads untimed before a group is timed.
WARM_UP_PAGES = 20
#: A page with at least this many words of visible text must give paragraphs (issue 10).
CONTENT_WORDS = 50
# The targets of issue 10, out of fold.
PEER_MARGIN = 0.01
SCRAPINGHUB_HTML_F1 = 0.970
TEXT_OVER_KEEP_EVERYTHING = 0.15
SCRAPINGHUB_TEXT_F1 = 0.95
SPEED_RATIO = 5.0
#: An extraction its system rates below this should be one of the bad ones (issue 10).
LOW_CONFIDENCE = 0.5
#: copydesk's page types that WCXB files under another name
WCXB_TYPE = {"live_blog": "article"}


# ---------------------------------------------------------------- systems


def trafilatura_html(page: str, url: str) -> Extracted:
    import trafilatura

    return Extracted(trafilatura.extract(page, url=url, include_comments=False) or "")


def rs_trafilatura_html(page: str, url: str) -> Extracted:
    import rs_trafilatura

    result = rs_trafilatura.extract(page, url=url or None)
    return Extracted(result.main_content or "", result.page_type, result.extraction_quality)


def readability_html(page: str, url: str) -> Extracted:
    import lxml.html
    from readability import Document

    summary = Document(page, url=url).summary(html_partial=True)
    return Extracted(lxml.html.fromstring(summary).text_content() if summary.strip() else "")


def resiliparse_html(page: str, url: str) -> Extracted:
    from resiliparse.extract.html2text import extract_plain_text

    return Extracted(extract_plain_text(page, main_content=True))


def keep_everything(page: str, url: str) -> Extracted:
    return Extracted(page)


PEER_EXTRACTORS: dict[str, Extractor] = {
    "trafilatura": trafilatura_html,
    "rs-trafilatura": rs_trafilatura_html,
    "readability": readability_html,
    "resiliparse": resiliparse_html,
}


def copydesk(mode: str, model: Any = None) -> Extractor:
    """copydesk's cleaner in ``mode``, with ``model`` (a ``copydesk.clean.model.BlockModel``) or,
    when None, the model it ships with."""
    from copydesk.clean import clean_html, clean_text

    clean = clean_html if mode == "html" else clean_text
    def extract(page: str, url: str) -> Extracted:
        found = clean(page, url, model=model)
        return Extracted(found.text, found.page_type, found.confidence)

    return extract


def without_words(model: Any) -> Any:
    """A model of either mode (``StagedModel``, ``LineModel``) that knows no word's weight."""
    from copydesk.clean.names import TokenWeights

    return replace(model, words=TokenWeights({}))


def fold_models(mode: str) -> dict[str, Any] | None:
    """The block models of ``bench/train_blocks.py`` ("fold0".."fold4" each fitted on the mode's
    pool without that fold, "wcxb" on all of WCXB alone, "scrapinghub" on that set alone), or
    None while there is no such script."""
    if not (BENCH / "train_blocks.py").is_file():
        return None
    import train_blocks

    return train_blocks.fold_models(mode) or None


@dataclass(frozen=True, slots=True)
class System:
    """One row of the table: a name, the extractor it uses on each group of pages, and whether it
    reads the input as given (copydesk, keep everything) or only HTML (the peers)."""

    name: str
    extractor_for: Callable[[int], Extractor]
    native: bool
    timed: bool = True
    note: str = ""
    #: the row whose score the targets read (copydesk, out of fold when the models exist)
    primary: bool = False
    #: scored by a model that may have seen these pages
    in_fold: bool = False


def copydesk_systems(set_name: str, mode: str, models: dict[str, Any] | None) -> list[System]:
    if models is None:
        extract = copydesk(mode)
        return [System("copydesk", lambda g: extract, True, note="in-fold: shipped model", primary=True, in_fold=True)]
    by_fold = {k: copydesk(mode, models[f"fold{k}"]) for k in range(FOLDS)}
    pooled = learns_news(mode)
    out_of_fold = System(
        "copydesk (out-of-fold)", by_fold.__getitem__, True, note="pool of both sets" if pooled else "", primary=set_name == "wcxb"
    )
    if set_name == "wcxb":
        reverse = copydesk(mode, models["scrapinghub"])
        return [out_of_fold, System("copydesk (fitted on scrapinghub)", lambda g: reverse, True)]
    on_wcxb = copydesk(mode, models["wcxb"])
    return [System("copydesk (fitted on WCXB)", lambda g: on_wcxb, True, primary=True), *([out_of_fold] if pooled else [])]


def learns_news(mode: str) -> bool:
    """Whether the mode's fold models learn scrapinghub's pages too (``train_blocks.POOLS``)."""
    import train_blocks

    return "scrapinghub" in train_blocks.POOLS[mode]


def systems_for(set_name: str, mode: str, names: list[str], models: dict[str, Any] | None) -> list[System]:
    systems: list[System] = []
    for name in names:
        if name == "copydesk":
            systems += copydesk_systems(set_name, mode, models)
        else:
            extract = PEER_EXTRACTORS[name]
            systems.append(System(name, lambda g, e=extract: e, False, note="" if mode == "html" else "lines as <p>"))
    if mode == "text":
        systems.append(System("keep everything", lambda g: keep_everything, True, timed=False))
    return systems


# ---------------------------------------------------------------- sets


@dataclass(frozen=True)
class PageSet:
    """A set's pages with what scoring them needs; ``groups`` are timed one after another (the
    folds of the pages' sites), and a group's number picks its out-of-fold model."""

    name: str
    truth: dict[str, dict[str, Any]]
    groups: dict[int, list[str]]
    read_html: Callable[[str], bytes]
    read_text: Callable[[str], str]
    page_type: dict[str, str] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return sorted(pid for group in self.groups.values() for pid in group)

    def inputs(self, mode: str, page_ids: list[str]) -> dict[str, str]:
        if mode == "html":
            return {pid: self.read_html(pid).decode("utf-8", errors="replace") for pid in page_ids}
        return {pid: self.read_text(pid) for pid in page_ids}


def fold_groups(domains: dict[str, str]) -> dict[int, list[str]]:
    """Page ids (keys of ``domains``, each page's site) grouped by their site's fold."""
    groups: dict[int, list[str]] = {}
    for pid, domain in sorted(domains.items()):
        groups.setdefault(fold_of(domain), []).append(pid)
    return dict(sorted(groups.items()))


def scrapinghub_set(pages: int) -> PageSet:
    truth = load_truth()
    kept = dict(sorted(truth.items())[:pages] if pages else sorted(truth.items()))
    return PageSet("scrapinghub", kept, fold_groups({pid: site_of(p["url"]) for pid, p in kept.items()}), read_html, read_text)


def wcxb_set(pages: int) -> PageSet:
    truth = load_wcxb_truth()
    kept = dict(sorted(truth.items())[:pages] if pages else sorted(truth.items()))
    groups = fold_groups({pid: p["domain"] for pid, p in kept.items()})
    return PageSet("wcxb", kept, groups, read_wcxb_html, read_wcxb_text, {pid: p["page_type"] for pid, p in kept.items()})


def lines_as_html(text: str) -> str:
    """The flattened page as the simplest HTML a peer can read: one ``<p>`` per line."""
    paragraphs = "\n".join(f"<p>{html_lib.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<html><body>\n{paragraphs}\n</body></html>"


# ---------------------------------------------------------------- running


@dataclass
class Run:
    outputs: dict[str, Extracted] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    seconds: dict[int, float] = field(default_factory=dict)  # per group and round: the fastest counts

    @property
    def speed(self) -> float:
        total = sum(self.seconds.values())
        return len(self.outputs) / total if total else 0.0

    def text(self, page_id: str) -> str:
        return self.outputs[page_id].text if page_id in self.outputs else ""


def _extract(extract: Extractor, page: str, url: str) -> tuple[Extracted, bool]:
    """What the system made of the page and whether it got through it (a failure is an empty text)."""
    try:
        return extract(page, url), True
    except Exception:
        return Extracted(""), False


def measure(pages: PageSet, mode: str, systems: list[System], rounds: int) -> dict[str, Run]:
    """Every system on every page, one group at a time. Before a group is timed each system reads
    a few pages of the other groups untimed (never the timed sites' pages, which would flatter
    anything that remembers what it saw); the systems take turns within a group, so a burst of
    other people's load on the machine spreads over all of them. Time is CPU time of this process."""
    runs = {s.name: Run() for s in systems}
    urls = {pid: page["url"] for pid, page in pages.truth.items()}
    for group, timed in pages.groups.items():
        others = [pid for g, ids in pages.groups.items() if g != group for pid in ids][:WARM_UP_PAGES]
        native = pages.inputs(mode, timed + others)
        as_html = native if mode == "html" else {pid: lines_as_html(t) for pid, t in native.items()}
        for round_ in range(max(rounds, 1)):
            for system in systems:
                inputs = native if system.native else as_html
                extract = system.extractor_for(group)
                for pid in others:
                    _extract(extract, inputs[pid], urls[pid])
                run = runs[system.name]
                outputs: dict[str, Extracted] = {}
                started = time.process_time()
                for pid in timed:
                    outputs[pid], ok = _extract(extract, inputs[pid], urls[pid])
                    if not ok:
                        run.failed.add(pid)
                seconds = time.process_time() - started
                run.seconds[group] = min(seconds, run.seconds.get(group, seconds))
                if round_ == 0:
                    run.outputs.update(outputs)
        print(f"  {pages.name} {mode}: group {group} done ({len(timed)} pages)", file=sys.stderr, flush=True)
    return runs


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class Row:
    set: str
    mode: str
    system: str
    pages: int
    f1: float
    f1_std: float
    precision: float
    recall: float
    by_type: dict[str, float]
    found: float | None
    leaked: float | None
    speed: float | None
    note: str
    primary: bool
    in_fold: bool
    keep_everything: bool


def page_records(pages: PageSet, mode: str, system: System, run: Run) -> Iterator[dict[str, Any]]:
    """One scored record per page: what the per-type columns, the summaries and ``--dump`` read."""
    for pid in pages.ids:
        output = run.outputs.get(pid, Extracted(""))
        text = output.text
        page = pages.truth[pid]
        record: dict[str, Any] = {"set": pages.name, "mode": mode, "system": system.name, "id": pid, "url": page["url"]}
        if pages.name == "wcxb":
            s = word_score(page["main_content"], text)
            record |= {
                "page_type": page["page_type"],
                "fold": fold_of(page["domain"]),
                "f1": s.f1,
                "precision": s.precision,
                "recall": s.recall,
                "with": snippet_share(text, page["with"]),
                "without": snippet_share(text, page["without"]),
            }
        else:
            shingled = score_page(page["articleBody"], text)
            record |= {"f1": f1_of(shingled.precision, shingled.recall), "precision": shingled.precision, "recall": shingled.recall}
        record |= {"words": len(WORD.findall(text)), "failed": pid in run.failed, "text": text}
        record |= {"page_type_guess": output.page_type, "confidence": output.confidence}
        yield record


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def row_of(pages: PageSet, mode: str, system: System, run: Run, records: list[dict[str, Any]]) -> Row:
    note = system.note
    if run.failed:
        note = f"{note}; {len(run.failed)} failed".lstrip("; ")
    speed = run.speed if system.timed else None
    common = {"set": pages.name, "mode": mode, "system": system.name, "speed": speed, "note": note}
    common |= {"primary": system.primary, "in_fold": system.in_fold, "keep_everything": system.name == "keep everything"}
    if pages.name == "wcxb":
        s = summarise_words([WordScore(r["precision"], r["recall"], r["f1"]) for r in records])
        by_type = {t: _mean([r["f1"] for r in records if r["page_type"] == t]) for t in PAGE_TYPES}
        found, leaked = _mean([r["with"] for r in records]), _mean([r["without"] for r in records])
        return Row(pages=s.pages, f1=s.f1, f1_std=s.f1_std, precision=s.precision, recall=s.recall, **common,
                   by_type={t: v for t, v in by_type.items() if v is not None}, found=found, leaked=leaked)  # fmt: skip
    s = summarise([PageScore(r["precision"], r["recall"]) for r in records])
    return Row(pages=s.pages, f1=s.f1, f1_std=s.f1_std, precision=s.precision, recall=s.recall, **common,
               by_type={}, found=None, leaked=None)  # fmt: skip


def self_assessment(set_: str, mode: str, system: str, records: list[dict[str, Any]]) -> list[str]:
    """How well a system's own page type and confidence track the truth, where it states them
    (copydesk's come from its shipped page models, fitted on all of WCXB: in-fold here;
    ``bench/train_blocks.py --report`` gives them out of fold):
    the share of WCXB pages whose type it names right (a live blog counts as an article, the type
    WCXB gives one), and the mean F1 of the pages it is unsure of (confidence below 0.5) against
    the rest, with the correlation of confidence and F1."""
    where = f"{set_} {mode}, {system}"
    lines = []
    typed = [r for r in records if r.get("page_type") and r["page_type_guess"]]
    if typed:
        right = [r for r in typed if WCXB_TYPE.get(r["page_type_guess"], r["page_type_guess"]) == r["page_type"]]
        per_type = " ".join(
            f"{t} {sum(r['page_type'] == t for r in right) / n:.2f}"
            for t in PAGE_TYPES
            if (n := sum(r["page_type"] == t for r in typed))
        )
        lines.append(f"- page type ({where}): {len(right) / len(typed):.3f} right over {len(typed)} pages; by true type: {per_type}")
    rated = [(r["confidence"], r["f1"]) for r in records if r["confidence"] is not None]
    if len(rated) > 1:
        low = [f1 for c, f1 in rated if c < LOW_CONFIDENCE]
        high = [f1 for c, f1 in rated if c >= LOW_CONFIDENCE]
        lines.append(
            f"- confidence ({where}): below {LOW_CONFIDENCE}: {len(low)} pages, mean F1 {_num(_mean(low)) or '-'}; "
            f"the rest: {len(high)} pages, mean F1 {_num(_mean(high)) or '-'}; correlation with F1 {_num(_pearson(rated))}"
        )
    return lines


def _pearson(pairs: list[tuple[float, float]]) -> float | None:
    n = len(pairs)
    mx = sum(x for x, _ in pairs) / n
    my = sum(y for _, y in pairs) / n
    sxy = sum((x - mx) * (y - my) for x, y in pairs)
    sxx = sum((x - mx) ** 2 for x, _ in pairs)
    syy = sum((y - my) ** 2 for _, y in pairs)
    return sxy / (sxx * syy) ** 0.5 if sxx and syy else None


def empty_pages(pages: PageSet, run: Run, visible_words: dict[str, int]) -> list[str]:
    """Pages with ``CONTENT_WORDS`` or more words of visible text for which the cleaner gave no
    paragraphs: the pipeline would dead-letter each as ``no_content``."""
    return [pid for pid in pages.ids if visible_words[pid] >= CONTENT_WORDS and not run.text(pid).strip()]


# ---------------------------------------------------------------- printing


def _num(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def table(rows: list[Row]) -> str:
    base = {(r.set, r.mode): r.speed for r in rows if r.system == "trafilatura"}
    header = ["set", "mode", "system", "pages", "F1 ±", "P", "R", *PAGE_TYPES, "with", "without", "pages/s (CPU)", "vs trafilatura", "note"]  # fmt: skip
    lines = [header]
    for r in rows:
        b = base.get((r.set, r.mode))
        ratio = f"{r.speed / b:.2f}x" if r.speed and b else ""
        lines.append([
            r.set, r.mode, r.system, str(r.pages), f"{r.f1:.3f} ± {r.f1_std:.3f}", _num(r.precision), _num(r.recall),
            *(_num(r.by_type.get(t)) for t in PAGE_TYPES), _num(r.found), _num(r.leaked),
            "" if r.speed is None else f"{r.speed:.1f}", ratio, r.note,
        ])  # fmt: skip
    return markdown_table(lines)


def _verdict(name: str, value: float | None, goal: float | None, *, unit: str = "", digits: int = 3, in_fold: bool = False) -> str:
    if value is None or goal is None:
        return f"- {name}: not measured in this run"
    shown = f"{value:.{digits}f}{unit}"
    wanted = f"{goal:.{digits}f}{unit}"
    caveat = " - IN-FOLD, not the protocol's number" if in_fold else ""
    if value >= goal:
        return f"- {name}: met ({shown} >= {wanted}){caveat}"
    return f"- {name}: MISSED by {goal - value:.{digits}f}{unit} ({shown} < {wanted}){caveat}"


def targets(rows: list[Row], empties: dict[tuple[str, str], list[str]], errors: dict[tuple[str, str], list[str]]) -> list[str]:
    """Issue 10's targets, each met or missed by how much, read off the table's rows."""

    def find(set_: str, mode: str, pick: Callable[[Row], bool]) -> Row | None:
        return next((r for r in rows if r.set == set_ and r.mode == mode and pick(r)), None)

    def quality(name: str, set_: str, mode: str, column: Callable[[Row], float | None], goal: float | None) -> str:
        row = find(set_, mode, lambda r: r.primary)
        return _verdict(name, None if row is None else column(row), goal, in_fold=row is not None and row.in_fold)

    def better_peer(column: Callable[[Row], float | None]) -> float | None:
        values = [column(r) for r in rows if r.set == "wcxb" and r.mode == "html" and r.system in ("trafilatura", "rs-trafilatura")]
        present = [v for v in values if v is not None]
        return max(present) + PEER_MARGIN if len(present) == 2 else None

    def f1(row: Row) -> float | None:
        return row.f1

    def articles(row: Row) -> float | None:
        return row.by_type.get("article")

    def pooled(mode: str) -> str:
        """scrapinghub out of fold in the pool, beside the protocol's row (fitted on WCXB alone)."""
        row = find("scrapinghub", mode, lambda r: r.system == "copydesk (out-of-fold)")
        return "" if row is None else f"; out of fold in the pool: {row.f1:.3f}"

    keep = find("wcxb", "text", lambda r: r.keep_everything)
    # In text mode trafilatura reads a trivial page of <p>s, so only HTML compares like with like.
    ratios = {
        r.set: r.speed / base.speed
        for r in rows
        if r.primary and r.mode == "html" and r.speed and (base := find(r.set, r.mode, lambda x: x.system == "trafilatura")) and base.speed
    }
    slowest = min(ratios.values()) if ratios else None
    each = f" ({', '.join(f'{ratio:.2f}x {set_}' for set_, ratio in ratios.items())})" if ratios else ""
    lines = [
        "Targets (issue 10, copydesk out of fold):",
        quality("HTML, WCXB all pages >= better of trafilatura/rs-trafilatura + 0.01", "wcxb", "html", f1, better_peer(f1)),
        quality("HTML, WCXB articles >= better peer + 0.01", "wcxb", "html", articles, better_peer(articles)),
        quality(f"HTML, scrapinghub (fitted on WCXB alone) >= {SCRAPINGHUB_HTML_F1:.3f}", "scrapinghub", "html", f1, SCRAPINGHUB_HTML_F1) + pooled("html"),
        quality(
            "text, WCXB >= keep everything + 0.15", "wcxb", "text", f1, None if keep is None else keep.f1 + TEXT_OVER_KEEP_EVERYTHING
        ),
        quality(f"text, scrapinghub (fitted on WCXB alone) >= {SCRAPINGHUB_TEXT_F1:.2f}", "scrapinghub", "text", f1, SCRAPINGHUB_TEXT_F1) + pooled("text"),
        _verdict(f"cleaning speed >= {SPEED_RATIO:.0f}x trafilatura, HTML{each}", slowest, SPEED_RATIO, unit="x", digits=2),
    ]
    missing = sum(len(ids) for ids in empties.values())
    verdict = "not measured in this run" if not empties else "met" if not missing else f"MISSED: {missing} pages"
    lines.append(f"- no_content: pages with >= {CONTENT_WORDS} visible words and no paragraphs == 0: {verdict}")
    lines += [f"  {set_} {mode}: {len(ids)}: {' '.join(ids)}" for (set_, mode), ids in empties.items() if ids]
    failed = {key: ids for key, ids in errors.items() if ids}
    if failed:
        lines.append("- pages copydesk failed on (each a processing_error, a bug):")
        lines += [f"  {set_} {mode}: {len(ids)}: {' '.join(ids)}" for (set_, mode), ids in failed.items()]
    return lines


def memory_line(pages: PageSet, mode: str, count: int) -> str:
    import gc

    import psutil

    process = psutil.Process()
    page_ids = pages.ids[:300]  # enough distinct pages to cycle, few enough to hold in memory
    inputs = pages.inputs(mode, page_ids)
    extract = copydesk(mode)
    cycle = itertools.cycle(page_ids)
    extract(inputs[page_ids[0]], pages.truth[page_ids[0]]["url"])
    gc.collect()
    start = process.memory_info().rss
    peak = start
    for i in range(count):
        pid = next(cycle)
        _extract(extract, inputs[pid], pages.truth[pid]["url"])
        if i % 500 == 499:
            peak = max(peak, process.memory_info().rss)
    gc.collect()
    end = process.memory_info().rss
    mb = 1024 * 1024
    return (
        f"memory ({pages.name}, {mode}, copydesk): RSS {start / mb:.1f} MB at start, {end / mb:.1f} MB after {count:,} pages "
        f"(peak sampled {max(peak, end) / mb:.1f} MB; {len(page_ids)} pages cycled)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, of {', '.join(SETS)}")
    parser.add_argument("--mode", choices=("html", "text", "both"), default="both")
    parser.add_argument(
        "--systems", default=",".join(DEFAULT_SYSTEMS), help=f"comma-separated, of copydesk, {', '.join(PEERS)}"
    )
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages (by id) of each set; 0 for all")
    parser.add_argument("--in-fold", action="store_true", help="copydesk with its shipped model even where fold models exist")
    parser.add_argument("--rounds", type=int, default=1, help="time each system this many times, the fastest counts")
    parser.add_argument("--memory-pages", type=int, default=0, help="also report RSS over this many pages")
    parser.add_argument("--dump", type=Path, help="write every page's scores here, one JSON object a line")
    parser.add_argument("--dump-text", action="store_true", help="with --dump, include each extracted text")
    parser.add_argument(
        "--unknown-language", action="store_true",
        help="copydesk without its function-word lists, as on a page in a language it has none for",
    )
    args = parser.parse_args(argv)
    if args.unknown_language:
        # Cleaning reads words of a known language in two places, the function-word lists and the
        # models' learned word weights; emptying both shows what a page in any other language
        # loses (the shared sets are nearly all English).
        from copydesk.clean import blocks, html, text

        blocks.STOPWORDS = frozenset()
        shipped_html, shipped_text = without_words(html.shipped_staged()), without_words(text.shipped_lines())
        html.shipped_staged, text.shipped_lines = (lambda: shipped_html), (lambda: shipped_text)
        print("copydesk without its function-word lists and word weights (--unknown-language)\n")
    names = [s.strip() for s in args.systems.split(",") if s.strip()]
    set_names = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = sorted(set(names) - {"copydesk", *PEERS}) + sorted(set(set_names) - set(SETS))
    if unknown:
        parser.error(f"unknown systems or sets: {', '.join(unknown)}")
    modes = ("html", "text") if args.mode == "both" else (args.mode,)
    loaders = {"scrapinghub": scrapinghub_set, "wcxb": wcxb_set}
    missing = [str(folder) for name, folder in (("scrapinghub", EVAL_DIR), ("wcxb", WCXB_DIR)) if name in set_names and not folder.is_dir()]
    if missing:
        parser.error(f"the evaluation data is missing: expected {', '.join(missing)} beside the repository")
    sets = [loaders[name](args.pages) for name in SETS if name in set_names]
    rows: list[Row] = []
    empties: dict[tuple[str, str], list[str]] = {}
    errors: dict[tuple[str, str], list[str]] = {}
    assessments: list[str] = []
    models = {mode: None if args.in_fold or "copydesk" not in names else fold_models(mode) for mode in modes}
    if args.unknown_language:
        models = {mode: found and {name: without_words(model) for name, model in found.items()} for mode, found in models.items()}
    dump = args.dump.open("wb") if args.dump else None
    for pages in sets:
        visible = {pid: len(WORD.findall(pages.read_text(pid))) for pid in pages.ids}
        for mode in modes:
            systems = systems_for(pages.name, mode, names, models[mode])
            runs = measure(pages, mode, systems, args.rounds)
            for system in systems:
                run = runs[system.name]
                records = list(page_records(pages, mode, system, run))
                rows.append(row_of(pages, mode, system, run, records))
                assessments += self_assessment(pages.name, mode, system.name, records)
                if system.primary:
                    empties[(pages.name, mode)] = empty_pages(pages, run, visible)
                    errors[(pages.name, mode)] = sorted(run.failed)
                if dump:
                    for record in records:
                        if not args.dump_text:
                            del record["text"]
                        dump.write(orjson.dumps(record) + b"\n")
    if dump:
        dump.close()
    speed = "pages/s (CPU)" if args.rounds <= 1 else f"pages/s (CPU, best of {args.rounds})"
    print(table(rows).replace("pages/s (CPU)", speed, 1))
    print()
    print("\n".join(targets(rows, empties, errors)))
    if assessments:
        print(
            "\nPage type and extraction confidence, as each system states them (copydesk's from its"
            " shipped page models, fitted on all of WCXB-dev, so in fold on WCXB; out of fold in"
            " src/copydesk/clean/models/html.md and text.md):"
        )
        print("\n".join(assessments))
    if args.memory_pages:
        for pages in sets:
            for mode in modes:
                print(memory_line(pages, mode, args.memory_pages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
