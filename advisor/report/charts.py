"""Charts as inline SVG, drawn by matplotlib's SVG backend (imported only when a report is drawn).

Two charts: monthly cost against monthly token volume (hosted line, self-hosted steps, hybrid,
today's volume and the break-even marked) and the scores of the three options.

Why it is built this way:
- ``matplotlib.figure.Figure`` is used directly, never pyplot: no GUI backend is loaded and no
  global figure registry is touched (the TUI may export a report from inside its process).
- rcParams are applied with ``rc_context`` from one dict, so nothing leaks into the caller.
- Output is deterministic: ``svg.hashsalt`` fixes the ids matplotlib derives from hashes, and
  the ``Date`` metadata is dropped.
- ``svg.fonttype: none`` writes text as ``<text>`` (small, selectable, readable by screen
  readers) instead of glyph outlines.
- The SVG is post-processed for inline use: no XML prolog or DOCTYPE, ids prefixed per chart
  (two charts in one page must not share ``id="axes_1"``), ``role="img"`` with ``<title>`` and
  ``<desc>`` for assistive technology, and a fluid width.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from advisor.present.text import SHORT_LABELS, compact_money, money, tokens

RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "advisor-report",
    "font.family": ["DejaVu Sans", "sans-serif"],
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": "#222222",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "path.simplify": False,
}

# Colour-blind safe (Okabe-Ito); lines also differ by style so print in grey still reads.
COLOURS = {
    "stay_hosted": "#0072B2",
    "managed_open": "#CC79A7",
    "hybrid": "#009E73",
    "self_host": "#D55E00",
}
NEUTRAL = "#777777"


@dataclass(frozen=True)
class Svg:
    """An inline SVG and the texts that stand in for it."""

    markup: str
    title: str
    description: str


def cost_chart(curve: dict[str, Any], chart_id: str = "cost-chart") -> Svg | None:
    """Monthly cost against monthly tokens, log-log; None when there is nothing to draw."""
    points = curve.get("points") or []
    xs = [p["tokens"] for p in points]
    if len(xs) < 2:
        return None
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, NullLocator

    with rc_context(RC):
        fig = Figure(figsize=(7.2, 3.9))
        ax = fig.add_subplot()
        drawn: list[str] = []
        for key, style, draw in (
            ("stay_hosted", "-", "default"),
            ("managed_open", ":", "default"),
            ("hybrid", "--", "default"),
            ("self_host", "-", "steps-post"),
        ):
            series = [(x, p.get(key)) for x, p in zip(xs, points, strict=True)]
            series = [(x, y) for x, y in series if isinstance(y, int | float) and y > 0]
            if len(series) < 2:
                continue
            ax.plot(
                [x for x, _ in series],
                [y for _, y in series],
                linestyle=style,
                drawstyle=draw,
                color=COLOURS[key],
                linewidth=2.0 if key != "hybrid" else 1.5,
                label=SHORT_LABELS[key],
            )
            drawn.append(key)
        if not drawn:
            return None
        today = curve.get("today_tokens")
        if isinstance(today, int | float) and today > 0:
            ax.axvline(today, color="#222222", linestyle=":", linewidth=1.2)
            ax.annotate(
                f"today: {tokens(today)}",
                xy=(today, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(3, -10),
                textcoords="offset points",
                fontsize=8,
            )
        breakeven = curve.get("breakeven_tokens")
        if isinstance(breakeven, int | float) and xs[0] <= breakeven <= xs[-1]:
            ax.axvline(breakeven, color=NEUTRAL, linestyle="-.", linewidth=1.0)
            # Label on the side away from today's line so the two never overlap.
            left = isinstance(today, int | float) and breakeven < today
            ax.annotate(
                f"break-even: {tokens(breakeven)}",
                xy=(breakeven, 0.0),
                xycoords=("data", "axes fraction"),
                xytext=(-3 if left else 3, 4),
                textcoords="offset points",
                ha="right" if left else "left",
                fontsize=8,
                color="#333333",
            )
            at = next((p for p in points if p.get("breakeven")), None)
            if at and isinstance(at.get("stay_hosted"), int | float) and at["stay_hosted"] > 0:
                ax.plot(
                    [breakeven],
                    [at["stay_hosted"]],
                    marker="o",
                    markersize=6,
                    color="#222222",
                    linestyle="none",
                )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(xs[0], xs[-1])
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: tokens(v)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: compact_money(v)))
        # Minor ticks on log axes cost a third of the drawing time and add little.
        ax.xaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("Tokens a month (input + output)")
        ax.set_ylabel("USD a month")
        ax.grid(True, which="major")
        ax.legend(loc="upper left")
        # Fixed margins instead of tight_layout, which draws the figure once more.
        fig.subplots_adjust(left=0.1, right=0.98, top=0.97, bottom=0.13)
        markup = _to_svg(fig)
    title = "Monthly cost against monthly token volume"
    parts = [
        f"{SHORT_LABELS[k]} from {money(_first(points, k))} to {money(_last(points, k))}"
        for k in drawn
    ]
    desc = (
        f"Log-log chart over {tokens(xs[0])} to {tokens(xs[-1])} tokens a month. "
        + "; ".join(parts)
        + "."
    )
    if isinstance(today, int | float):
        desc += f" Today's volume: {tokens(today)} tokens a month."
    if isinstance(breakeven, int | float):
        desc += f" Break-even: {tokens(breakeven)} tokens a month."
    desc += " The table below gives the same figures."
    return Svg(_inline(markup, chart_id, title, desc), title, desc)


def scores_chart(rows: list[dict[str, Any]], chart_id: str = "scores-chart") -> Svg | None:
    """Horizontal bars, one per option; vetoed options hatched and labelled."""
    if not rows:
        return None
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    labels = [SHORT_LABELS.get(r["option"], r["option"]) for r in rows]
    values = [float(r["score"]) for r in rows]
    with rc_context(RC):
        fig = Figure(figsize=(5.6, 0.55 * len(rows) + 0.9))
        ax = fig.add_subplot()
        positions = list(range(len(rows)))[::-1]
        for pos, row, value in zip(positions, rows, values, strict=True):
            vetoed = bool(row.get("vetoed"))
            ax.barh(
                pos,
                value,
                height=0.6,
                color="white" if vetoed else COLOURS.get(row["option"], NEUTRAL),
                edgecolor=COLOURS.get(row["option"], NEUTRAL),
                hatch="///" if vetoed else None,
                linewidth=1.2,
            )
            note = f"{round(value, 2):g}" + ("  (vetoed)" if vetoed else "")
            if row.get("recommended"):
                note += "  recommended"
            ax.annotate(
                note,
                xy=(max(value, 0.0), pos),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        ax.set_yticks(positions, labels)
        low = min([0.0, *values])
        high = max([0.0, *values])
        span = (high - low) or 1.0
        ax.set_xlim(low - 0.05 * span if low < 0 else 0.0, high + 0.35 * span)
        ax.axvline(0, color="#555555", linewidth=0.8)
        ax.set_xlabel("Weighted score")
        ax.grid(True, axis="x")
        ax.set_axisbelow(True)
        fig.subplots_adjust(left=0.17, right=0.98, top=0.95, bottom=0.8 / (0.55 * len(rows) + 0.9))
        markup = _to_svg(fig)
    title = "Weighted score of each option"
    desc = (
        "Bar chart: "
        + "; ".join(
            f"{SHORT_LABELS.get(r['option'], r['option'])} {float(r['score']):g}"
            + (" (vetoed)" if r.get("vetoed") else "")
            for r in rows
        )
        + ". The table beside it gives the same figures."
    )
    return Svg(_inline(markup, chart_id, title, desc), title, desc)


# --- helpers --------------------------------------------------------------------------------


def _first(points: list[dict[str, Any]], key: str) -> Any:
    return next((p[key] for p in points if isinstance(p.get(key), int | float)), None)


def _last(points: list[dict[str, Any]], key: str) -> Any:
    return next((p[key] for p in reversed(points) if isinstance(p.get(key), int | float)), None)


def _to_svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_SIZE = re.compile(r'\s(width|height)="[^"]*"')
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _inline(svg: str, prefix: str, title: str, desc: str) -> str:
    """matplotlib's standalone SVG made fit to sit inside an HTML page (see module doc)."""
    from html import escape

    svg = _PROLOG.sub("", svg, count=1)
    svg = _COMMENT.sub("", svg)
    ids = set(_ID.findall(svg))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"')
        svg = svg.replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    head_end = svg.index(">") + 1
    head = _SIZE.sub("", svg[:head_end], count=2)
    head = head.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{prefix}-title {prefix}-desc" class="chart"',
        1,
    )
    alt = (
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>'
    )
    return head + alt + svg[head_end:].strip() + "\n"
