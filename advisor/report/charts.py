"""Charts as inline SVG, written by hand: no chart library, so they need nothing beyond the core.

Two charts: monthly cost against monthly token volume (hosted line, self-hosted steps, hybrid,
today's volume and the break-even marked) and the weighted scores of the options.

Why it is built this way:
- Two small charts do not need a plotting library: matplotlib cost about 165 MB installed and
  0.45 s of import for them (benchmarks/README.md). Drawing is a few dozen lines of arithmetic.
- Text is ``<text>`` (selectable, small, read by screen readers), never glyph outlines; the
  chart has ``role="img"`` with ``<title>`` and ``<desc>``, and the report gives the same
  figures in a table beside it.
- Output is deterministic: coordinates are rounded to one decimal, nothing depends on a clock,
  a font file or a hash seed, so the same decision gives byte-identical SVG.
- Ids are prefixed per chart, so two charts in one page never share an id.
- Lines differ by dash pattern as well as colour, so a grey print still reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any

from advisor.present.labels import NEUTRAL_COLOUR, option_colour, short_label
from advisor.present.numbers import USD, Currency, compact_money, money, tokens

# Colours and labels come from advisor.present.labels, the one palette (Okabe-Ito, colour-blind
# safe) that the TUI's chart uses too.

NEUTRAL = NEUTRAL_COLOUR
INK = "#222222"
GRID = "#dddddd"
FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"'

# Dash pattern per option: the curve must read in black and white too.
DASHES = {"stay_hosted": "", "managed_open": "2 3", "hybrid": "6 4", "self_host": ""}


@dataclass(frozen=True)
class Svg:
    """An inline SVG and the texts that stand in for it."""

    markup: str
    title: str
    description: str


def _f(value: float) -> str:
    """A coordinate with one decimal at most: short and identical on every platform."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" id="{chart_id}" '
        f'{FONT} font-size="11">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _text(x: float, y: float, body: str, anchor: str = "start", extra: str = "") -> str:
    attrs = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return f'<text x="{_f(x)}" y="{_f(y)}"{attrs}{extra}>{escape(body)}</text>'


def _log_ticks(low: float, high: float) -> list[float]:
    """Round values (1, 2, 5 times a power of ten) inside [low, high], at most about eight."""
    start, stop = math.floor(math.log10(low)), math.ceil(math.log10(high))
    for steps in ((1.0, 2.0, 5.0), (1.0, 3.0), (1.0,)):
        ticks = [
            m * 10.0**e
            for e in range(start, stop + 1)
            for m in steps
            if low <= m * 10.0**e <= high * (1 + 1e-9)
        ]
        if len(ticks) <= 8 and len(ticks) >= 2:
            return ticks
    decades = [10.0**e for e in range(start, stop + 1) if low <= 10.0**e <= high]
    if len(decades) > 8:
        step = math.ceil(len(decades) / 8)
        decades = decades[::step]
    return decades or [low, high]


def cost_chart(
    curve: dict[str, Any], chart_id: str = "cost-chart", currency: Currency = USD
) -> Svg | None:
    """Monthly cost against monthly tokens, log-log; None when there is nothing to draw.
    The curve's amounts are USD; the chart shows them in ``currency``."""
    points = curve.get("points") or []
    xs = [float(p["tokens"]) for p in points]
    if len(xs) < 2 or xs[0] <= 0 or xs[-1] <= xs[0]:
        return None
    series: dict[str, list[tuple[float, float]]] = {}
    for key in ("stay_hosted", "hybrid", "self_host"):
        pts = [
            (x, float(currency.amount(p[key])))
            for x, p in zip(xs, points, strict=True)
            if isinstance(p.get(key), int | float)
            and not isinstance(p.get(key), bool)
            and p[key] > 0
        ]
        if len(pts) >= 2:
            series[key] = pts
    if not series:
        return None
    ys = [y for pts in series.values() for _, y in pts]
    y_low, y_high = min(ys) / 1.3, max(ys) * 1.3
    width, height = 720, 380
    left, right, top, bottom = 78, 14, 14, 48
    pw, ph = width - left - right, height - top - bottom
    lx0, lx1 = math.log10(xs[0]), math.log10(xs[-1])
    ly0, ly1 = math.log10(y_low), math.log10(y_high)

    def px(x: float) -> float:
        return left + (math.log10(x) - lx0) / (lx1 - lx0) * pw

    def py(y: float) -> float:
        return top + ph - (math.log10(y) - ly0) / (ly1 - ly0) * ph

    title = "Monthly cost against monthly token volume"
    parts = [
        f"{short_label(k)} from {money(pts[0][1], currency.code)} to "
        f"{money(pts[-1][1], currency.code)}"
        for k, pts in series.items()
    ]
    desc = (
        f"Log-log chart over {tokens(xs[0])} to {tokens(xs[-1])} tokens a month. "
        + "; ".join(parts)
        + "."
    )
    today = curve.get("today_tokens")
    breakeven = curve.get("breakeven_tokens")
    if isinstance(today, int | float) and today > 0:
        desc += f" Today's volume: {tokens(today)} tokens a month."
    if isinstance(breakeven, int | float):
        desc += f" Break-even: {tokens(breakeven)} tokens a month."
    if currency.converted:
        desc += f" Amounts in {currency.rate_text}."
    desc += " The table below gives the same figures."

    out = _open(chart_id, width, height, title, desc)
    # Grid and axes.
    out.append(f'<g stroke="{GRID}" stroke-width="0.6">')
    xticks = _log_ticks(xs[0], xs[-1])
    yticks = _log_ticks(y_low, y_high)
    for t in xticks:
        out.append(f'<line x1="{_f(px(t))}" y1="{top}" x2="{_f(px(t))}" y2="{top + ph}"/>')
    for t in yticks:
        out.append(f'<line x1="{left}" y1="{_f(py(t))}" x2="{left + pw}" y2="{_f(py(t))}"/>')
    out.append("</g>")
    out.append(f'<path d="M{left} {top}V{top + ph}H{left + pw}" fill="none" stroke="#555555"/>')
    out.append('<g fill="#333333" font-size="10">')
    for t in xticks:
        out.append(_text(px(t), top + ph + 15, tokens(t), "middle"))
    for t in yticks:
        out.append(_text(left - 6, py(t) + 3.5, compact_money(t), "end"))
    out.append("</g>")
    out.append(_text(left + pw / 2, height - 8, "Tokens a month (input + output)", "middle"))
    out.append(
        f'<text transform="translate(14 {_f(top + ph / 2)}) rotate(-90)" '
        f'text-anchor="middle">{currency.code} a month</text>'
    )
    # The series: the self-hosted cost moves in steps (a GPU more or less), the others smoothly.
    for key, pts in series.items():
        d = f"M{_f(px(pts[0][0]))} {_f(py(pts[0][1]))}"
        for x1, y1 in pts[1:]:
            if key == "self_host":
                d += f"H{_f(px(x1))}V{_f(py(y1))}"
            else:
                d += f"L{_f(px(x1))} {_f(py(y1))}"
        dash = DASHES.get(key, "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<path d="{d}" fill="none" stroke="{option_colour(key)}" '
            f'stroke-width="{2 if key != "hybrid" else 1.6}"{dash_attr}>'
            f"<title>{escape(short_label(key))}</title></path>"
        )
    # Today and the break-even, labelled on opposite sides so they never overlap.
    if isinstance(today, int | float) and xs[0] <= today <= xs[-1]:
        x = px(today)
        out.append(
            f'<line x1="{_f(x)}" y1="{top}" x2="{_f(x)}" y2="{top + ph}" stroke="{INK}" '
            'stroke-dasharray="2 3" stroke-width="1.2"/>'
        )
        out.append(_text(x + 4, top + 12, f"today: {tokens(today)}", extra=' font-size="10"'))
    if isinstance(breakeven, int | float) and xs[0] <= breakeven <= xs[-1]:
        x = px(breakeven)
        left_side = isinstance(today, int | float) and breakeven < today
        out.append(
            f'<line x1="{_f(x)}" y1="{top}" x2="{_f(x)}" y2="{top + ph}" stroke="{NEUTRAL}" '
            'stroke-dasharray="8 3 2 3"/>'
        )
        out.append(
            _text(
                x - 4 if left_side else x + 4,
                top + ph - 6,
                f"break-even: {tokens(breakeven)}",
                "end" if left_side else "start",
                ' font-size="10" fill="#333333"',
            )
        )
        at = next((p for p in points if p.get("breakeven")), None)
        if at and isinstance(at.get("stay_hosted"), int | float) and at["stay_hosted"] > 0:
            out.append(
                f'<circle cx="{_f(x)}" cy="{_f(py(float(at["stay_hosted"])))}" r="4" fill="{INK}"/>'
            )
    # Legend, top left inside the plot.
    for i, key in enumerate(series):
        y = top + 14 + 16 * i
        dash = DASHES.get(key, "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{left + 10}" y1="{y - 4}" x2="{left + 34}" y2="{y - 4}" '
            f'stroke="{option_colour(key)}" stroke-width="2"{dash_attr}/>'
        )
        out.append(_text(left + 40, y, short_label(key), extra=' font-size="10"'))
    out.append("</svg>")
    return Svg("\n".join(out) + "\n", title, desc)


def scores_chart(rows: list[dict[str, Any]], chart_id: str = "scores-chart") -> Svg | None:
    """Horizontal bars, one per option; vetoed options hatched and labelled."""
    if not rows:
        return None
    values = [float(r["score"]) for r in rows]
    title = "Weighted score of each option"
    desc = (
        "Bar chart: "
        + "; ".join(
            f"{short_label(r['option'])} {float(r['score']):g}"
            + (" (vetoed)" if r.get("vetoed") else "")
            for r in rows
        )
        + ". The table beside it gives the same figures."
    )
    bar, gap = 22, 12
    width = 560
    left, right, top, bottom = 100, 16, 8, 34
    height = top + len(rows) * (bar + gap) + bottom
    pw = width - left - right
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    # Room on the right for the value and its status.
    lo, hi = low - (0.05 * span if low < 0 else 0.0), high + 0.45 * span

    def px(v: float) -> float:
        return left + (v - lo) / (hi - lo) * pw

    out = _open(chart_id, width, height, title, desc)
    out.append(
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{NEUTRAL}" stroke-width="1.5"/>'
        "</pattern></defs>"
    )
    zero = px(0.0)
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = top + i * (bar + gap) + gap / 2
        colour = option_colour(row["option"])
        vetoed = bool(row.get("vetoed"))
        x0, x1 = sorted((zero, px(value)))
        fill = f"url(#{chart_id}-hatch)" if vetoed else colour
        out.append(
            f'<rect x="{_f(x0)}" y="{_f(y)}" width="{_f(max(x1 - x0, 0.5))}" height="{bar}" '
            f'fill="{fill}" stroke="{colour}" stroke-width="1.2"/>'
        )
        label = short_label(row["option"])
        out.append(_text(left - 6, y + bar / 2 + 4, label, "end"))
        note = f"{round(value, 2):g}" + ("  (vetoed)" if vetoed else "")
        if row.get("recommended"):
            note += "  recommended"
        out.append(_text(max(x1, zero) + 5, y + bar / 2 + 4, note, extra=' font-size="10"'))
    axis_y = top + len(rows) * (bar + gap)
    out.append(f'<line x1="{_f(zero)}" y1="{top}" x2="{_f(zero)}" y2="{axis_y}" stroke="#555555"/>')
    out.append(_text(left + pw / 2, height - 10, "Weighted score", "middle"))
    out.append("</svg>")
    return Svg("\n".join(out) + "\n", title, desc)


__all__ = ["Svg", "cost_chart", "scores_chart"]
