"""``copydesk report``: one self-contained HTML page of charts from the sink's Parquet folder.

Every chart is matplotlib drawn to SVG (text as paths, so no font is fetched) and inlined: the
page needs no network and no file beside it. A chart whose data is absent (no dead letters yet,
or records from before a field existed) is still there, saying so.
"""

from __future__ import annotations

import html
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from copydesk import __version__
from copydesk.analytics.query import connect, run

#: The charts of a report, in page order: element id and title.
CHARTS: dict[str, str] = {
    "articles-by-source": "Articles per hour by source",
    "articles-by-language": "Articles per hour by language",
    "top-entities": "Top entities over time",
    "top-keywords": "Top keywords over time",
    "removed": "What cleaning removed, by label and rule",
    "dead-letters": "Dead letters by reason",
    "page-types": "Page types",
    "extraction-confidence": "Extraction confidence",
}
_SERIES = 8  # lines or stack layers a chart shows before the rest become "other"
_SVG_RC = {"svg.fonttype": "path", "svg.hashsalt": "copydesk", "font.size": 9}
_WHEN = "coalesce(fetched_at, published_at)"


@dataclass(frozen=True, slots=True)
class Chart:
    id: str
    title: str
    svg: str
    note: str = ""


def build_report(root: Path) -> str:
    """The report's HTML for the folder ``copydesk sink parquet`` writes."""
    db = connect(root)
    columns = _columns(db)
    bucket = _bucket(db)
    drawers: dict[str, Callable[[], Chart]] = {
        "articles-by-source": lambda: _per_time(db, "articles-by-source", "coalesce(source, '(none)')", bucket),
        "articles-by-language": lambda: _per_time(db, "articles-by-language", "coalesce(language, '(unknown)')", bucket),
        "top-entities": lambda: _top_over_time(db, "top-entities", "unnest(entities) as m(e)", "e.text || ' (' || e.type || ')'", "e.count", bucket),
        "top-keywords": lambda: _top_over_time(db, "top-keywords", "unnest(keywords) as k(keyword)", "keyword", "1", bucket),
        "removed": lambda: _removed(db, columns),
        "dead-letters": lambda: _counts(db, "dead-letters", "select reason, count(*) from dead_letters group by 1 order by 2 desc, 1", "no dead letters"),
        "page-types": lambda: _optional_counts(db, columns, "page-types", "page_type"),
        "extraction-confidence": lambda: _confidence(db, columns),
    }
    charts = [drawers[chart_id]() for chart_id in CHARTS]
    return _page(_summary(db), charts)


def write_report(root: Path, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(root), encoding="utf-8")
    return out


def _columns(db: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict((name, kind) for name, kind, *_ in run(db, "describe records")[1])


def _bucket(db: duckdb.DuckDBPyConnection) -> str:
    """Hours when the records span three days or less, else days."""
    [(first, last)] = run(db, f"select min({_WHEN}), max({_WHEN}) from records")[1]
    return "hour" if first is None or (last - first).total_seconds() <= 3 * 86400 else "day"


def _summary(db: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    [(records, rows, sources, first, last)] = run(
        db, f"select count(*), (select count(*) from records_all), count(distinct source), min({_WHEN}), max({_WHEN}) from records"
    )[1]
    [(dead,)] = run(db, "select count(*) from dead_letters")[1]
    span = f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC" if first else "no records yet"
    return [
        ("articles", f"{records:,}"),
        ("rows written", f"{rows:,} ({rows - records:,} repeats removed)"),
        ("sources", f"{sources:,}"),
        ("dead letters", f"{dead:,}"),
        ("fetched", span),
    ]


def _per_time(db: duckdb.DuckDBPyConnection, chart_id: str, group: str, bucket: str) -> Chart:
    rows = run(db, f"select date_trunc('{bucket}', {_WHEN}) as t, {group} as g, count(*) from records where t is not null group by all order by t")[1]
    return _stacked(chart_id, rows, bucket, f"articles per {bucket}")


def _top_over_time(db: duckdb.DuckDBPyConnection, chart_id: str, unnest: str, name: str, weight: str, bucket: str) -> Chart:
    rows = run(
        db,
        f"with m as (select date_trunc('{bucket}', {_WHEN}) as t, {name} as g, {weight} as n from records, {unnest} where t is not null), "
        f"leaders as (select g from m group by g order by sum(n) desc, g limit {_SERIES}) "
        "select t, g, sum(n) from m where g in (select g from leaders) group by all order by t",
    )[1]
    if not rows:
        return _empty(chart_id, "no mentions in these records")
    series: dict[str, dict[datetime, int]] = defaultdict(dict)
    for t, g, n in rows:
        series[g][t] = n
    leaders = sorted(series, key=lambda g: (-sum(series[g].values()), g))
    if len({t for t, _, _ in rows}) < 3:
        # Lines through one or two points say less than the totals do.
        totals = [(g, sum(series[g].values())) for g in leaders]
        return _bars(chart_id, totals, f"all within {len({t for t, _, _ in rows})} {bucket}(s): totals")
    figure, ax = _figure()
    for g in leaders:
        points = sorted(series[g].items())
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", markersize=3, label=g)
    ax.set_ylabel(f"mentions per {bucket}")
    _time_axis(ax, figure)
    return Chart(chart_id, CHARTS[chart_id], _svg(figure))


def _stacked(chart_id: str, rows: list[tuple[Any, ...]], bucket: str, ylabel: str) -> Chart:
    if not rows:
        return _empty(chart_id, "no records yet")
    totals: dict[str, int] = defaultdict(int)
    for _, g, n in rows:
        totals[g] += n
    shown = sorted(totals, key=lambda g: (-totals[g], g))[:_SERIES]
    times = sorted({t for t, _, _ in rows})
    layers: dict[str, dict[datetime, int]] = defaultdict(lambda: defaultdict(int))
    for t, g, n in rows:
        layers[g if g in shown else "other"][t] += n
    figure, ax = _figure()
    width = (1 / 24 if bucket == "hour" else 1.0) * 0.9
    bottom = [0] * len(times)
    for g in [*shown, *(["other"] if "other" in layers else [])]:
        heights = [layers[g][t] for t in times]
        ax.bar(times, heights, width=width, bottom=bottom, label=g, align="edge")
        bottom = [b + h for b, h in zip(bottom, heights)]
    ax.set_ylabel(ylabel)
    _time_axis(ax, figure)
    return Chart(chart_id, CHARTS[chart_id], _svg(figure))


def _removed(db: duckdb.DuckDBPyConnection, columns: dict[str, str]) -> Chart:
    # removed[].rule arrived after removed[].label; records without it count under "(no rule)".
    rule = "coalesce(r.rule, '(no rule)')" if "rule" in columns.get("removed", "") else "'(no rule)'"
    sql = f"select r.label || ' · ' || {rule}, count(*) from records, unnest(removed) as u(r) group by 1 order by 2 desc, 1 limit 20"
    return _counts(db, "removed", sql, "cleaning removed nothing from these records")


def _optional_counts(db: duckdb.DuckDBPyConnection, columns: dict[str, str], chart_id: str, column: str) -> Chart:
    if column not in columns:
        return _empty(chart_id, f"these records have no {column} (written by an older copydesk)")
    sql = f"select coalesce({column}, '(unknown)'), count(*) from records group by 1 order by 2 desc, 1 limit 20"
    return _counts(db, chart_id, sql, "no records yet")


def _confidence(db: duckdb.DuckDBPyConnection, columns: dict[str, str]) -> Chart:
    chart_id = "extraction-confidence"
    if "extraction_confidence" not in columns:
        return _empty(chart_id, "these records have no extraction_confidence (written by an older copydesk)")
    values = [v for (v,) in run(db, "select extraction_confidence from records where extraction_confidence is not null")[1]]
    if not values:
        return _empty(chart_id, "no record has an extraction confidence")
    figure, ax = _figure()
    ax.hist(values, bins=20, range=(0.0, 1.0), color="#4c72b0", edgecolor="white")
    ax.set_xlabel("extraction confidence")
    ax.set_ylabel("articles")
    return Chart(chart_id, CHARTS[chart_id], _svg(figure), f"{len(values):,} articles; median {sorted(values)[len(values) // 2]:.2f}")


def _counts(db: duckdb.DuckDBPyConnection, chart_id: str, sql: str, empty: str) -> Chart:
    rows = run(db, sql)[1]
    return _bars(chart_id, rows) if rows else _empty(chart_id, empty)


def _bars(chart_id: str, rows: list[tuple[Any, ...]], note: str = "") -> Chart:
    """Horizontal bars, the largest on top, each with its count."""
    figure, ax = _figure(height=max(2.0, 0.3 * len(rows) + 0.9), grid="x")
    labels = [str(label) for label, _ in rows][::-1]
    counts = [n for _, n in rows][::-1]
    ax.barh(labels, counts, color="#4c72b0")
    for y, n in enumerate(counts):
        ax.annotate(f"{n:,}", (n, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("count")
    return Chart(chart_id, CHARTS[chart_id], _svg(figure), note)


def _empty(chart_id: str, message: str) -> Chart:
    figure, ax = _figure(height=1.6)
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", color="#666666", transform=ax.transAxes)
    return Chart(chart_id, CHARTS[chart_id], _svg(figure), message)


def _figure(height: float = 3.2, grid: str = "y") -> tuple[Figure, Any]:
    figure = Figure(figsize=(8.0, height), layout="constrained")
    ax = figure.subplots()
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis=grid, color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    return figure, ax


def _time_axis(ax: Any, figure: Figure) -> None:
    """Dates on x, whole counts on y, and the legend beside the plot (inside the figure)."""
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("UTC")
    figure.legend(loc="outside right upper", fontsize=8, frameon=False)


def _svg(figure: Figure) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(_SVG_RC):
        figure.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # the XML prolog and doctype do not belong inside HTML


_STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
header { padding: 20px 32px; background: #1f3a5f; color: white; }
header h1 { margin: 0 0 4px; font-size: 22px; }
dl { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 10px 0 0; }
dt { font-size: 11px; text-transform: uppercase; opacity: .75; }
dd { margin: 0; font-size: 16px; font-weight: 600; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 20px; padding: 20px 32px; }
figure { margin: 0; background: white; border: 1px solid #e3e3e3; border-radius: 6px; padding: 12px 16px; }
figure h2 { margin: 0 0 6px; font-size: 15px; }
figure svg { width: 100%; height: auto; }
figcaption { color: #666; font-size: 12px; }
footer { padding: 0 32px 24px; color: #777; font-size: 12px; }
"""


def _page(summary: list[tuple[str, str]], charts: list[Chart]) -> str:
    facts = "".join(f"<div><dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd></div>" for k, v in summary)
    figures = "\n".join(
        f'<figure id="{c.id}" class="chart"><h2>{html.escape(c.title)}</h2>{c.svg}'
        f"{f'<figcaption>{html.escape(c.note)}</figcaption>' if c.note else ''}</figure>"
        for c in charts
    )
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>copydesk report</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>copydesk report</h1><dl>{facts}</dl></header>"
        f"<main>\n{figures}\n</main>"
        f"<footer>Made by copydesk {html.escape(__version__)} at {made} from the Parquet tables of copydesk sink. "
        "Articles are the latest row per id; times are when copydesk fetched them, else when they were published.</footer>"
        "</body></html>\n"
    )
