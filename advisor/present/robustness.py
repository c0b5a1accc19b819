"""Wording of the robustness parts (advisor.scenarios.robust) shared by the CLI text, the TUI
and the reports: what the confidence is, flip points, each option's probability."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from advisor.load.values import format_quantity
from advisor.model.decision import Decision
from advisor.present.labels import in_option_order, option_label
from advisor.present.numbers import currency_of
from advisor.scenarios.montecarlo import GRID
from advisor.scenarios.probe import SCALE_LABELS
from advisor.scenarios.robust import probability

__all__ = [
    "band_words",
    "confidence_meaning",
    "confidence_note",
    "confidence_short",
    "confidence_text",
    "drawn_over",
    "fact_label",
    "flip_lines",
    "percentile_rows",
    "probability_lines",
    "stated_ranges",
    "tornado_rows",
    "value_text",
]

FACT_LABELS = {
    "catalog.hosted_price": "hosted price level (x catalog)",
    "catalog.managed_price": "managed API price level (x catalog)",
    "catalog.gpu_price": "GPU price level (x catalog)",
    "catalog.throughput": "self-hosted throughput (x catalog)",
}


def stated_ranges(d: Decision) -> list[str]:
    """The answers stated as ranges that the Monte Carlo drew (empty without one)."""
    p = d.probabilities
    if p is None:
        return []
    return [k for k in p["inputs"] if not k.startswith("catalog.")]


def drawn_over(d: Decision) -> str:
    """What the samples were drawn over: 'the range of X and the catalog's default bands'."""
    ranged = stated_ranges(d)
    if not ranged:
        return "the catalog's default bands"
    noun = "range" if len(ranged) == 1 else "ranges"
    return f"the stated {noun} of {_and(ranged)} and the catalog's default bands"


def tie_sentence(d: Decision) -> str | None:
    """The recommendation's tie, in words, right after the recommendation wherever it is
    shown (CLI text, reports, TUI); None without one. Scores that tie are decided by the fixed
    order of the options, not by the answers: the reader should know."""
    if not d.tie or d.recommendation is None:
        return None
    others = [option_label(o) for o in d.tie["options"] if o != d.recommendation]
    if not others:
        return None
    score = d.scores.get(d.recommendation, 0.0)
    return (
        f"It ties with {' and '.join(others)} at {score:g} points; the tie goes to "
        f"{d.tie['broken_by']}."
    )


def confidence_text(d: Decision) -> str:
    """What the confidence figure is, in words, wherever it is shown (CLI text, reports, the
    TUI): a probability with its samples, seed and what was drawn, or a margin that says it is
    not one. Never '100 %' unless every sample agrees (then "all N samples agree")."""
    p = d.probabilities
    if d.recommendation is None or d.confidence_basis != "probability" or p is None:
        return probability(d)
    n, seed = p["samples"], p["seed"]
    if p["unanimous"]:
        return f"all {n:,} samples agree (seed {seed}; drawn over {drawn_over(d)})"
    return (
        f"probability {_percent(d.confidence)} over {n:,} samples (seed {seed}; drawn over "
        f"{drawn_over(d)})"
    )


def confidence_meaning(d: Decision) -> str:
    """One paragraph on what the confidence means, for the reports and the TUI's 'What would
    change' tab (docs/engine.md, "Confidence")."""
    p = d.probabilities
    if d.recommendation is None:
        return "Every option is vetoed, so there is no recommendation to be sure of."
    if d.confidence_basis != "probability" or p is None:
        return (
            "No samples were drawn, so the confidence is not a probability: it is the point "
            "decision's completeness times its score margin (docs/engine.md, Confidence)."
        )
    label = option_label(d.recommendation)
    n = p["samples"]
    # a ranged answer is drawn on levels (advisor.scenarios.montecarlo.on_grid): say how fine
    none = (
        f" (each stated range on {GRID + 1} evenly spaced levels)"
        if stated_ranges(d)
        else " (no answer is stated as a range)"
    )
    agree = (
        f"all {n:,} recommend it"
        if p["unanimous"]
        else f"{p['agree']:,} of {n:,} recommend it ({_percent(d.confidence)})"
    )
    return (
        f"Confidence is the probability that {label} is recommended under the stated "
        f"uncertainty. {n:,} samples (seed {p['seed']}, same seed same figures) each draw, by "
        f"{p['distribution']}, {drawn_over(d)}{none}: {band_words(d)}; {agree}. It says how "
        "far the answer survives these uncertainties, not how good the option is, and "
        "nothing about uncertainty the ranges and bands leave out."
    )


def band_words(d: Decision) -> str:
    """Each drawn input with its band: 'hosted price level x0.50..x1.10, ...'."""
    p = d.probabilities
    if p is None:
        return ""
    parts = []
    for name, band in p["inputs"].items():
        low, high = value_text(name, band["low"]), value_text(name, band["high"])
        parts.append(f"{fact_label(name)} {low}..{high}")
    return ", ".join(parts)


def confidence_note(d: Decision) -> str:
    """A short line under the live panel's 'p 87 %': what it is a share of."""
    p = d.probabilities
    if d.confidence_basis != "probability" or p is None:
        return ""
    over = "your ranges and the catalog's bands" if stated_ranges(d) else "the catalog's bands"
    return f"of {p['samples']:,} samples, seed {p['seed']}, over {over}"


def _percent(x: float) -> str:
    return f"{x * 100:.1f} %"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def confidence_short(d: Decision) -> str:
    """The confidence in a few words, for a narrow panel: 'p 87 %', 'all agree' or
    'margin 0.62' (a point decision's score margin, not a probability)."""
    p = d.probabilities
    if d.confidence_basis == "probability" and p is not None:
        return "all samples agree" if p["unanimous"] else f"p {d.confidence * 100:.0f} %"
    return f"margin {d.confidence:.2f}"


def fact_label(fact: str) -> str:
    return FACT_LABELS.get(fact, fact)


def value_text(fact: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return value
    if fact.startswith("catalog."):
        return f"x{value:.2f}"
    if isinstance(value, int | float):
        if abs(value) >= 1000:
            return format_quantity(float(value))
        # a bisected flip point is found to 1 %: three significant digits say all it knows
        return f"{value:.3g}" if isinstance(value, float) else f"{value:g}"
    return str(value)


def flip_lines(d: Decision, limit: int = 10) -> list[str]:
    """'What would change this' lines, closest flip first."""
    out: list[str] = []
    for e in (d.sensitivity or ())[:limit]:
        to = e["to"] or "no allowed option"
        out.append(
            f"  - {fact_label(e['fact'])}: {value_text(e['fact'], e['current'])} -> "
            f"{value_text(e['fact'], e['flips_at'])} makes it {to}"
        )
    return out


def tornado_rows(d: Decision) -> list[dict[str, str]]:
    """The tornado chart's data as table rows (input, its low and high end, the cost ratio of
    the two leading options at each), widest swing first, as the chart draws them."""
    t = d.tornado
    if not t:
        return []
    return [
        {
            "fact": str(b["fact"]),
            "input": fact_label(str(b["fact"])),
            "low": value_text(b["fact"], b["low"]),
            "high": value_text(b["fact"], b["high"]),
            "ratio_low": f"{float(b['ratio_low']):.2f}",
            "ratio_high": f"{float(b['ratio_high']):.2f}",
        }
        for b in t["bars"]
    ]


def percentile_rows(d: Decision) -> list[dict[str, Any]]:
    """Each option's horizon cost P10 / P50 / P90 over the samples, in the options' order."""
    pct = d.cost_percentiles or {}
    share = d.probabilities["options"] if d.probabilities else {}
    out: list[dict[str, Any]] = []
    for option in in_option_order(pct):
        band = pct[option]
        out.append(
            {
                "option": option,
                "label": option_label(option),
                "p10": band["p10"],
                "p50": band["p50"],
                "p90": band["p90"],
                "share": share.get(option),
                "share_text": _share_text(share.get(option), d),
                "recommended": option == d.recommendation,
            }
        )
    return out


def _share_text(share: float | None, d: Decision) -> str:
    """An option's share of the samples: '100 %' only if every sample recommends it."""
    if share is None:
        return "n/a"
    p = d.probabilities
    if share >= 1.0 and p is not None and p["unanimous"]:
        return f"all {p['samples']:,}"
    return _percent(shown_share(share))


def shown_share(share: float) -> float:
    """An option's share of the samples as the confidence shows its own (3 decimals,
    :func:`advisor.scenarios.montecarlo.shown`), so the recommended option's row and the
    confidence beside it read the same figure (the JSON keeps 4 decimals: 0.9435 is shown as
    94.4 %, as a confidence of 1,887 / 2,000 is); a share short of every sample stays at most
    99.9 %."""
    # the JSON's share is the fraction to 4 decimals: its shortest decimal form, rounded half
    # up as shown() rounds the counts (0.5455 -> 0.546, where round() of the float gave 0.545)
    return min(float(Decimal(repr(share)).quantize(Decimal("0.001"), ROUND_HALF_UP)), 0.999)


def probability_lines(d: Decision) -> list[str]:
    """Each option's share of the samples and its horizon cost P10 / P50 / P90."""
    p = d.probabilities
    if p is None:
        return []
    pct = d.cost_percentiles or {}
    cur = currency_of(d.costs)
    out = []
    for option, share in p["options"].items():
        band = pct.get(option)
        cost = (
            f"  horizon cost P10 {cur.amount(band['p10']):,.0f} / "
            f"P50 {cur.amount(band['p50']):,.0f} / P90 {cur.amount(band['p90']):,.0f} {cur.code}"
            if band
            else ""
        )
        unanimous = share >= 1.0 and p["unanimous"]
        text = "   all" if unanimous else f"{shown_share(share) * 100:>5.1f} %"
        out.append(f"  {option:<12} {text}{cost}")
    return out


SCALE_TEXT = SCALE_LABELS
