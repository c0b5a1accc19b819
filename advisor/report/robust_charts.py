"""The robustness charts of the HTML report, as hand-written inline SVG (the style of
:mod:`advisor.report.charts`: ``role="img"`` with ``<title>`` and ``<desc>``, ``<text>`` labels,
the option colours of :mod:`advisor.present.labels`, coordinates rounded to one decimal, so the
same decision gives the same bytes).

Two charts, both drawn from :func:`advisor.scenarios.robust.assess`'s parts of the decision:

- :func:`tornado_chart`: for every input, the horizon-cost ratio of the two leading options at
  the low and the high end of that input's band (``decision.tornado``), one horizontal bar per
  input around today's ratio, widest first; a line marks a ratio of 1 (the two cost the same).
- :func:`cost_distribution_chart`: each option's horizon cost over the Monte Carlo samples,
  a bar from P10 to P90 with a mark at P50 (``decision.cost_percentiles``).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from advisor.present.labels import in_option_order, option_colour, short_label
from advisor.present.numbers import USD, Currency, compact_money, money
from advisor.present.robustness import fact_label, value_text
from advisor.report.charts import GRID, INK, NEUTRAL, Svg, _f, _open, _text

MAX_BARS = 10
"""The tornado shows the inputs that move the ratio most; the table lists every flip point."""


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round values (1, 2, 2.5 or 5 times a power of ten) within [low, high]."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / count
    power = 10.0 ** _floor_log10(raw)
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw)
    first = -(-low // step) * step
    out: list[float] = []
    value = first
    while value <= high + step * 1e-9:
        out.append(round(value, 10))
        value += step
    return out


def _floor_log10(x: float) -> int:
    n = 0
    while x >= 10:
        x /= 10
        n += 1
    while x < 1:
        x *= 10
        n -= 1
    return n


def tornado_chart(tornado: Mapping[str, Any] | None, chart_id: str = "tornado-chart") -> Svg | None:
    """Horizontal bars of the cost ratio at each end of each input's band; None without bars."""
    if not tornado or not tornado.get("bars"):
        return None
    bars = list(tornado["bars"])[:MAX_BARS]
    num, den = str(tornado["numerator"]), str(tornado["denominator"])
    base = float(tornado["ratio"])
    values = [base, 1.0] + [float(b[k]) for b in bars for k in ("ratio_low", "ratio_high")]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or 0.1
    lo, hi = max(0.0, lo - pad), hi + pad
    bar, gap = 16, 10
    width = 720
    left, right, top, bottom = 230, 20, 26, 40
    height = top + len(bars) * (bar + gap) + bottom
    pw = width - left - right

    def px(v: float) -> float:
        return left + (v - lo) / (hi - lo) * pw

    title = f"What moves the cost ratio of {short_label(num)} to {short_label(den)}"
    desc = (
        f"Tornado chart: today {short_label(num)} costs {base:.2f} times {short_label(den)} "
        "over the horizon. "
        + "; ".join(
            f"{fact_label(b['fact'])} from {value_text(b['fact'], b['low'])} to "
            f"{value_text(b['fact'], b['high'])}: ratio {float(b['ratio_low']):.2f} to "
            f"{float(b['ratio_high']):.2f}"
            for b in bars
        )
        + ". Below 1 the first option is the cheaper."
    )
    out = _open(chart_id, width, height, title, desc)
    axis_y = top + len(bars) * (bar + gap)
    out.append(f'<g stroke="{GRID}" stroke-width="0.6">')
    ticks = _ticks(lo, hi)
    for t in ticks:
        out.append(f'<line x1="{_f(px(t))}" y1="{top}" x2="{_f(px(t))}" y2="{axis_y}"/>')
    out.append("</g>")
    out.append('<g fill="#333333" font-size="10">')
    for t in ticks:
        out.append(_text(px(t), axis_y + 14, f"{t:g}", "middle"))
    out.append("</g>")
    colour_low, colour_high = option_colour(num), option_colour(den)
    for i, b in enumerate(bars):
        y = top + i * (bar + gap) + gap / 2
        r_low, r_high = float(b["ratio_low"]), float(b["ratio_high"])
        for r, colour, end in ((r_low, colour_low, "low"), (r_high, colour_high, "high")):
            x0, x1 = sorted((px(base), px(r)))
            out.append(
                f'<rect x="{_f(x0)}" y="{_f(y)}" width="{_f(max(x1 - x0, 0.5))}" '
                f'height="{bar}" fill="{colour}" fill-opacity="0.75">'
                f"<title>{escape(fact_label(str(b['fact'])))} at its {end} end "
                f"({escape(value_text(b['fact'], b[end]))}): ratio {r:.2f}</title></rect>"
            )
        out.append(_text(left - 6, y + bar / 2 + 4, fact_label(str(b["fact"])), "end"))
    out.append(
        f'<line x1="{_f(px(base))}" y1="{top - 4}" x2="{_f(px(base))}" y2="{axis_y}" '
        f'stroke="{INK}" stroke-width="1.2"/>'
    )
    out.append(_text(px(base), top - 8, f"today {base:.2f}", "middle", ' font-size="10"'))
    if lo <= 1.0 <= hi and abs(px(1.0) - px(base)) > 1:
        out.append(
            f'<line x1="{_f(px(1.0))}" y1="{top}" x2="{_f(px(1.0))}" y2="{axis_y}" '
            f'stroke="{NEUTRAL}" stroke-dasharray="4 3"/>'
        )
    out.append(
        _text(
            left + pw / 2,
            height - 8,
            f"Horizon cost of {short_label(num)} / {short_label(den)} "
            "(left bar: the input's low end; right: its high end; dashed: equal cost)",
            "middle",
            ' font-size="10"',
        )
    )
    out.append("</svg>")
    return Svg("\n".join(out) + "\n", title, desc)


def cost_distribution_chart(
    percentiles: Mapping[Any, Any] | None,
    recommendation: str | None = None,
    chart_id: str = "cost-distribution-chart",
    currency: Currency = USD,
) -> Svg | None:
    """One bar per option from P10 to P90 of its horizon cost, a mark at P50; None without.
    The percentiles are USD; the chart shows them in ``currency``."""
    if not percentiles:
        return None
    percentiles = {
        o: {k: currency.amount(float(p[k])) for k in ("p10", "p50", "p90")}
        for o, p in percentiles.items()
    }
    rows = [(o, percentiles[o]) for o in in_option_order(percentiles)]
    high = max(float(p["p90"]) for _, p in rows) * 1.08 or 1.0
    bar, gap = 18, 12
    width = 720
    left, right, top, bottom = 100, 150, 8, 36
    height = top + len(rows) * (bar + gap) + bottom
    pw = width - left - right

    def px(v: float) -> float:
        return left + v / high * pw

    title = "Horizon cost of each option over the Monte Carlo samples"
    desc = (
        "Bars from P10 to P90, a mark at P50: "
        + "; ".join(
            f"{short_label(o)} P10 {money(p['p10'], currency.code)}, "
            f"P50 {money(p['p50'], currency.code)}, P90 {money(p['p90'], currency.code)}"
            for o, p in rows
        )
        + "."
    )
    out = _open(chart_id, width, height, title, desc)
    axis_y = top + len(rows) * (bar + gap)
    ticks = _ticks(0.0, high)
    out.append(f'<g stroke="{GRID}" stroke-width="0.6">')
    for t in ticks:
        out.append(f'<line x1="{_f(px(t))}" y1="{top}" x2="{_f(px(t))}" y2="{axis_y}"/>')
    out.append("</g>")
    out.append('<g fill="#333333" font-size="10">')
    for t in ticks:
        out.append(_text(px(t), axis_y + 14, compact_money(t) if t else "0", "middle"))
    out.append("</g>")
    for i, (option, p) in enumerate(rows):
        y = top + i * (bar + gap) + gap / 2
        colour = option_colour(option)
        x0, x1 = px(float(p["p10"])), px(float(p["p90"]))
        out.append(
            f'<rect x="{_f(x0)}" y="{_f(y)}" width="{_f(max(x1 - x0, 0.5))}" height="{bar}" '
            f'fill="{colour}" fill-opacity="0.55" stroke="{colour}"/>'
        )
        mid = px(float(p["p50"]))
        out.append(
            f'<line x1="{_f(mid)}" y1="{_f(y - 2)}" x2="{_f(mid)}" y2="{_f(y + bar + 2)}" '
            f'stroke="{INK}" stroke-width="2"/>'
        )
        label = short_label(option)
        out.append(_text(left - 6, y + bar / 2 + 4, label, "end"))
        note = f"P50 {compact_money(float(p['p50']))}"
        if option == recommendation:
            note += "  recommended"
        out.append(_text(x1 + 5, y + bar / 2 + 4, note, extra=' font-size="10"'))
    out.append(
        _text(left + pw / 2, height - 8, f"{currency.code} over the horizon (P10 to P90)", "middle")
    )
    out.append("</svg>")
    return Svg("\n".join(out) + "\n", title, desc)


__all__ = ["cost_distribution_chart", "tornado_chart"]
