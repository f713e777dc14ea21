"""Hostile pages: how long one message takes, for copydesk's whole pipeline and for trafilatura's
extraction, on inputs built to be slow (HTML bombs, run-on text, floods of tiny blocks).

Run from the repository root::

    python bench/hostile.py                 # every case at about 1 MB, 120 s limit each
    python bench/hostile.py --scale 4       # about 4 MB each
    python bench/hostile.py --cases json-ld-list json-ld-deep

Each case runs in a child process of its own with a time limit, so a hang or a crash is
reported as such instead of stopping the table; each system has done its first-call set-up
(copydesk's ``warm_up``, one small page for trafilatura) before the clock starts. copydesk gets the page as a raw message through
``copydesk.routing.route`` (what a worker does with it); trafilatura gets the same HTML.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tables import markdown_table  # noqa: E402

PARAGRAPH = "<p>The harbour authority said on Tuesday that the old swing bridge will close for repairs next spring.</p>"
UNIT_BYTES = 1_000_000


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: "<html><body>" + unit * max(1, size // len(unit)) + PARAGRAPH + "</body></html>"


_DEEP_HEADLINE = '{"@type":"NewsArticle","headline":' + '{"name":' * 1_000 + '"Deep"' + "}" * 1_001


def _json_ld(script: str, *, repeat: int = 1) -> str:
    tag = f'<script type="application/ld+json">{script}</script>'
    return f"<html><head>{tag * repeat}</head><body>{PARAGRAPH * 3}</body></html>"


def _declared(size: int) -> str:
    shown = PARAGRAPH * (size // 3 // len(PARAGRAPH))
    declared = orjson.dumps({"@type": "NewsArticle", "articleBody": "Another sentence of another text. " * (2 * size // 3 // 34)}).decode()
    return f'<html><head><script type="application/ld+json">{declared}</script></head><body>{shown}</body></html>'


#: Each case: what it is, and the page it makes at about ``size`` bytes.
CASES: dict[str, tuple[str, Callable[[int], str]]] = {
    "deep-divs": ("<div> nested without end", _repeat("<div>")),
    "stray-closers": ("<div></x>: parsers nest each div in the last", _repeat("<div></x>")),
    "nested-lists": ("<ul><li>x nested: a block at every level", _repeat("<ul><li>x")),
    "nested-definitions": ("<dl><dt>x<dd>y nested", _repeat("<dl><dt>x<dd>y")),
    "misnested-formatting": ("<b><i>x</b></i> repeated", _repeat("<b><i>x</b></i>")),
    "attributes": ("one tag with attributes without end", lambda size: '<html><body><div class="story" ' + " ".join(f"a{i}" for i in range(size // 7)) + ">" + PARAGRAPH + "</div></body></html>"),
    "unclosed-tags": ("<a<a<a... with no '>'", lambda size: "<a" * (size // 2)),
    "tiny-blocks": ("<p>x</p> repeated", _repeat("<p>x</p>")),
    "run-on-dates": ("dates in one sentence without a full stop", _repeat("On 12 March 2020 and March 13, 2021, last Monday, next week; ")),
    "quotes": ("quotations and speakers repeated", _repeat("“We will rebuild the bridge,” said Mayor John Smith. ")),
    "one-word": ("one word, a million times", _repeat("word ")),
    "json-ld-list": ("a JSON-LD list of zeros", lambda size: _json_ld("[" + "0," * (size // 2) + "0]")),
    "json-ld-graph": ("a JSON-LD @graph of tiny objects", lambda size: _json_ld('{"@graph":[' + '{"@type":"Thing"},' * (size // 18) + "{}]}")),
    "json-ld-deep": ("JSON-LD headlines nested 1,000 deep, script after script", lambda size: _json_ld(_DEEP_HEADLINE, repeat=max(1, size // len(_DEEP_HEADLINE)))),
    "declared-body": ("paragraphs, and an articleBody twice as long", lambda size: _declared(size)),
    "hidden-article": ("an article only in a hidden element: read twice", lambda size: "<html><body><div hidden>" + PARAGRAPH * (size // len(PARAGRAPH)) + "</div></body></html>"),
    "shadow-roots": ("declarative shadow roots nested without end", _repeat("<x-a><template shadowrootmode=open>")),
}


def run_one(case: str, system: str, size: int) -> dict[str, object]:
    """Time one case in this process; the parent reads the JSON this prints."""
    html = CASES[case][1](size)
    warm = f"<html><body>{PARAGRAPH * 5}</body></html>"
    if system == "copydesk":
        from copydesk.enrich import warm_up
        from copydesk.routing import Origin, route
        from copydesk.settings import Settings

        warm_up()  # as a worker does before it takes messages
        message = orjson.dumps({"url": "https://example.org/hostile", "html": html})
        started = time.process_time()
        outcome = route(message, None, Origin(file="hostile", line=0), Settings())
        seconds = time.process_time() - started
        result = outcome.reason or "record"
    else:
        import trafilatura

        trafilatura.extract(warm)  # its first call sets itself up
        started = time.process_time()
        text = trafilatura.extract(html, url="https://example.org/hostile")
        seconds = time.process_time() - started
        result = "text" if text else "nothing"
    return {"bytes": len(html.encode()), "seconds": seconds, "result": result}


def measure(case: str, system: str, size: int, limit: float) -> tuple[str, str, int]:
    """(seconds, outcome, bytes) of one case in a child process, or the timeout or crash."""
    command = [sys.executable, __file__, "--one", case, "--system", system, "--scale", str(size / UNIT_BYTES)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return f"> {limit:.0f}", "timed out", 0
    if done.returncode != 0:
        return "-", f"crashed ({done.returncode})", 0
    found = orjson.loads(done.stdout.splitlines()[-1])
    return f"{found['seconds']:.2f}", str(found["result"]), int(found["bytes"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="page size in MB")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds each case may take")
    parser.add_argument("--cases", nargs="+", choices=sorted(CASES), default=list(CASES), help="only these cases")
    parser.add_argument("--one", choices=sorted(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--system", choices=["copydesk", "trafilatura"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    size = int(args.scale * UNIT_BYTES)
    if args.one:
        print(orjson.dumps(run_one(args.one, args.system, size)).decode())
        return 0

    header = ("case", "what", "MB", "copydesk CPU s", "copydesk result", "trafilatura CPU s", "trafilatura result")
    rows = [header]
    for case in args.cases:
        what = CASES[case][0]
        ours, our_result, size_bytes = measure(case, "copydesk", size, args.limit)
        theirs, their_result, _ = measure(case, "trafilatura", size, args.limit)
        rows.append((case, what, f"{size_bytes / 1e6:.2f}" if size_bytes else "-", ours, our_result, theirs, their_result))
        print(f"{case}: copydesk {ours} s, trafilatura {theirs} s", file=sys.stderr, flush=True)
    print(f"hostile pages at about {args.scale:g} MB each; one child process per case and system, {args.limit:.0f} s limit; CPU seconds")
    print(markdown_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
