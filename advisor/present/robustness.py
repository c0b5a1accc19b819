"""Wording of the robustness parts (advisor.scenarios.robust) shared by the CLI text, the TUI
and the reports: what the confidence is, flip points, each option's probability."""

from __future__ import annotations

from typing import Any

from advisor.load.values import format_quantity
from advisor.model.decision import Decision
from advisor.present.numbers import currency_of
from advisor.scenarios.probe import SCALE_LABELS
from advisor.scenarios.robust import probability

__all__ = [
    "confidence_short",
    "confidence_text",
    "fact_label",
    "flip_lines",
    "probability_lines",
    "value_text",
]

FACT_LABELS = {
    "catalog.hosted_price": "hosted price level (x catalog)",
    "catalog.managed_price": "managed API price level (x catalog)",
    "catalog.gpu_price": "GPU price level (x catalog)",
    "catalog.throughput": "self-hosted throughput (x catalog)",
}


def confidence_text(d: Decision) -> str:
    """What the confidence figure is, in words: never '100 %' unless every sample agrees."""
    return probability(d)


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
        return format_quantity(float(value)) if abs(value) >= 1000 else f"{value:g}"
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
        # a share shown as 100 % must mean every sample: otherwise at most 99.9 %
        unanimous = share >= 1.0 and p["unanimous"]
        text = "   all" if unanimous else f"{min(share, 0.999) * 100:>5.1f} %"
        out.append(f"  {option:<12} {text}{cost}")
    return out


SCALE_TEXT = SCALE_LABELS
