"""Cost figures of a Decision arranged for the results screen (no Textual here).

``decision.costs`` comes from the catalog's cost model (advisor/catalog/derive.py); every key is
read with ``.get`` so a figure the model could not compute (an unanswered question) shows as a
dash instead of failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from advisor.load.values import format_quantity
from advisor.present.words import money

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet
    from advisor.model.decision import Decision

INPUT_TOKENS = "usage.monthly_input_tokens"
OUTPUT_TOKENS = "usage.monthly_output_tokens"
CURVE_MULTIPLES = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
"""Token volumes of the cost curve, as multiples of today's volume."""

ROWS = (
    ("stay_hosted", "Hosted API"),
    ("switch_hosted", "Switch hosted model"),
    ("managed_open", "Managed open"),
    ("hybrid", "Hybrid"),
    ("self_host", "Self-hosted"),
)


@dataclass(frozen=True)
class CostRow:
    key: str
    label: str
    monthly: float | None
    horizon: float | None
    detail: str


def _num(mapping: Mapping[str, Any] | None, key: str) -> float | None:
    if not isinstance(mapping, Mapping):
        return None
    value = mapping.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _entry(costs: Mapping[str, Any], key: str) -> Any:
    """The cost entry of a row; the switch row lives inside costs.stay_hosted."""
    if key == "switch_hosted":
        hosted = costs.get("stay_hosted")
        return hosted.get("switch_hosted") if isinstance(hosted, Mapping) else None
    return costs.get(key)


def cost_rows(costs: Mapping[str, Any]) -> list[CostRow]:
    out: list[CostRow] = []
    for key, label in ROWS:
        entry = _entry(costs, key)
        detail = ""
        if isinstance(entry, Mapping):
            if key == "stay_hosted":
                detail = str(entry.get("current_model") or entry.get("model") or "")
                if entry.get("successor") and entry.get("switch_month"):
                    detail += f", {entry['successor']} from month {entry['switch_month']}"
            elif key == "switch_hosted":
                detail = f"{entry.get('model')} ({entry.get('tier')} tier)"
            elif key == "managed_open":
                detail = f"{entry.get('model')} via {entry.get('provider')}"
            else:
                dep = entry.get("deployment")
                if isinstance(dep, Mapping) and dep.get("model"):
                    detail = f"{dep.get('model')} on {dep.get('gpus_total', '?')}x {dep.get('gpu')}"
                if key == "hybrid" and entry.get("frontier_share_percent") is not None:
                    share = float(entry["frontier_share_percent"])
                    detail = f"{share:g} % hosted" + (f", {detail}" if detail else "")
                    if entry.get("open_via") == "managed_open":
                        detail += f", open share via {entry.get('managed_endpoint')}"
        out.append(
            CostRow(key, label, _num(entry, "monthly_usd"), _num(entry, "horizon_usd"), detail)
        )
    return out


def breakeven_text(costs: Mapping[str, Any]) -> str:
    entry = costs.get("breakeven")
    if not isinstance(entry, Mapping):
        return "Break-even: not computed yet (answer the volume and cost questions)."
    if not entry.get("reachable"):
        return "Break-even: self-hosting never gets cheaper than the API at any volume."
    tokens = _num(entry, "monthly_tokens")
    multiple = _num(entry, "multiple_of_current")
    text = f"Break-even: {format_quantity(tokens)} tokens a month" if tokens else "Break-even: -"
    if multiple is not None:
        text += f", {multiple:.2g}x today's volume"
    return text + "."


def breakdown_text(costs: Mapping[str, Any]) -> str:
    entry = costs.get("self_host")
    if not isinstance(entry, Mapping):
        return ""
    parts = entry.get("breakdown")
    if not isinstance(parts, Mapping):
        return ""
    names = {"gpu": "GPUs", "power_overhead": "power", "people": "people", "migration": "migration"}
    items = [f"{names.get(k, k)} {money(v)}" for k, v in parts.items()]
    return "Self-hosted a month: " + ", ".join(items) + "."


@dataclass(frozen=True)
class Curve:
    tokens: list[float]
    series: dict[str, list[float | None]]
    today: float


def cost_curve(ruleset: RuleSet, decision: Decision) -> Curve | None:
    """Monthly cost of each option when today's token volume is scaled (0.1x to 10x).

    Re-evaluates the rule set (well under a millisecond each) rather than modelling costs here,
    so the chart shows exactly what the cost model computes.
    """
    answers = decision.answers
    inp, out = answers.get(INPUT_TOKENS), answers.get(OUTPUT_TOKENS)
    if not isinstance(inp, int | float) or not isinstance(out, int | float) or inp + out <= 0:
        return None
    base = {k: v for k, v in answers.items()}
    tokens: list[float] = []
    series: dict[str, list[float | None]] = {key: [] for key, _ in ROWS}
    for k in CURVE_MULTIPLES:
        scaled = {**base, INPUT_TOKENS: inp * k, OUTPUT_TOKENS: out * k}
        costs = decision.costs if k == 1.0 else ruleset.evaluate(scaled).costs
        tokens.append((inp + out) * k)
        for key, _ in ROWS:
            entry = _entry(costs, key)
            series[key].append(_num(entry if isinstance(entry, Mapping) else None, "monthly_usd"))
    if all(v is None for values in series.values() for v in values):
        return None
    return Curve(tokens, series, float(inp + out))


__all__ = ["CostRow", "Curve", "breakdown_text", "breakeven_text", "cost_curve", "cost_rows"]
