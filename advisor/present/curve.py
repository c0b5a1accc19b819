"""The cost-against-volume curve: what each option would cost a month at other token volumes.

One function, :func:`cost_curve`, gives the points; the TUI's Costs tab and the reports' chart
and JSON both draw them, so the two cannot disagree.

It re-runs the cost model itself, :func:`advisor.catalog.derive`, at :data:`CURVE_POINTS`
log-spaced monthly volumes (plus today's volume and the break-even), scaling input and output
tokens together so their ratio stays today's, with every other answer and every model
exclusion of the fired rules unchanged. Each call costs well under a millisecond, so the curve
adds a few milliseconds to a report or to opening the results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from advisor.present.labels import OPTIONS
from advisor.present.numbers import is_number

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet
    from advisor.model.decision import Decision

CURVE_POINTS = 16
"""Log-spaced volumes the curve samples; today's volume and the break-even are added."""

CURVE_SPAN = 10.0
"""The curve runs from 1/SPAN of the smaller of today's volume and the break-even to SPAN
times the larger."""

INPUT = "usage.monthly_input_tokens"
OUTPUT = "usage.monthly_output_tokens"

LEGACY_COST_KEYS = {"stay_hosted": "hosted"}
"""Options whose cost entry has another name in ``decision.costs`` (the hosted entry)."""


def _num(value: Any) -> float | None:
    return float(value) if is_number(value) else None


def cost_entry(costs: Mapping[str, Any] | None, option: str) -> Mapping[str, Any]:
    """The cost entry of an option (``{}`` when there is none), whatever its key."""
    if not isinstance(costs, Mapping):
        return {}
    entry = costs.get(option)
    if not isinstance(entry, Mapping) and option in LEGACY_COST_KEYS:
        entry = costs.get(LEGACY_COST_KEYS[option])
    return entry if isinstance(entry, Mapping) else {}


@dataclass(frozen=True)
class CurvePoint:
    tokens: float
    """Input plus output tokens a month."""
    monthly: dict[str, float | None]
    """Option -> monthly cost at that volume (None: not computable)."""
    deployment: Mapping[str, Any]
    """The self-hosted deployment the cost model picked at that volume."""
    today: bool
    breakeven: bool


@dataclass(frozen=True)
class CostCurve:
    points: list[CurvePoint]
    today_tokens: float
    breakeven_tokens: float | None
    input_share: float


def breakeven_tokens(costs: Mapping[str, Any] | None) -> float | None:
    entry = cost_entry(costs, "breakeven")
    return _num(entry.get("monthly_tokens")) if entry.get("reachable") else None


def cost_curve(decision: Decision, ruleset: RuleSet) -> CostCurve | None:
    """Monthly cost of each option at volumes around today's (see module doc), or None when
    today's volume or the hosted cost is unknown or fewer than two points could be computed."""
    from advisor.catalog import derive

    inp = _num(decision.answers.get(INPUT))
    out = _num(decision.answers.get(OUTPUT))
    costs = decision.costs
    if (
        inp is None
        or out is None
        or inp + out <= 0
        or _num(cost_entry(costs, "stay_hosted").get("monthly_usd")) is None
    ):
        return None
    today = inp + out
    breakeven = breakeven_tokens(costs)
    low = min(today, breakeven) if breakeven is not None else today
    high = max(today, breakeven) if breakeven is not None else today
    start, stop = math.log10(low / CURVE_SPAN), math.log10(high * CURVE_SPAN)
    volumes = {
        float(f"{10 ** (start + (stop - start) * i / (CURVE_POINTS - 1)):.6g}")
        for i in range(CURVE_POINTS)
    }
    volumes.add(today)
    if breakeven is not None:
        volumes.add(breakeven)
    excluded: dict[str, list[str]] = {}
    for rule in decision.fired:
        for mid in rule.effects.get("exclude_models") or ():
            excluded.setdefault(mid, []).append(rule.because)
    base = dict(decision.answers)
    points: list[CurvePoint] = []
    for volume in sorted(volumes):
        scale = volume / today
        values = {**base, INPUT: inp * scale, OUTPUT: out * scale}
        try:
            derived = derive(ruleset.catalog, values, excluded)
        except Exception:  # a point the model cannot compute is left out, never the caller
            continue
        c = derived.costs
        deployment = cost_entry(c, "self_host").get("deployment")
        points.append(
            CurvePoint(
                tokens=volume,
                monthly={o: _num(cost_entry(c, o).get("monthly_usd")) for o in OPTIONS},
                deployment=deployment if isinstance(deployment, Mapping) else {},
                today=volume == today,
                breakeven=breakeven is not None and volume == breakeven,
            )
        )
    if len(points) < 2:
        return None
    return CostCurve(points, today, breakeven, inp / today)


__all__ = [
    "CURVE_POINTS",
    "CURVE_SPAN",
    "CostCurve",
    "CurvePoint",
    "breakeven_tokens",
    "cost_curve",
    "cost_entry",
]
