"""Cost figures of a Decision arranged for the results screen (no Textual here).

``decision.costs`` comes from the catalog's cost model (advisor/catalog/derivation.py); every
key is read with ``.get`` so a figure the model could not compute (an unanswered question) shows
as a dash instead of failing. Rows are keyed by option (``stay_hosted``, not the cost model's
``hosted``), so the recommended option's row can be found by its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.load.values import format_quantity
from advisor.present.curve import CostCurve, cost_entry
from advisor.present.labels import OPTIONS, short_label
from advisor.present.numbers import money

SWITCH_HOSTED = "switch_hosted"
"""The "switch hosted model" row: the cheapest hosted model of the same or a higher tier. It
is not an option of its own (staying hosted on another model), so its entry lives inside
``costs.stay_hosted``."""

ROW_KEYS = ("stay_hosted", SWITCH_HOSTED, *(o for o in OPTIONS if o != "stay_hosted"))


def _entry(costs: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    if key == SWITCH_HOSTED:
        switch = cost_entry(costs, "stay_hosted").get(SWITCH_HOSTED)
        return switch if isinstance(switch, Mapping) else {}
    return cost_entry(costs, key)


def _label(key: str) -> str:
    return "Switch hosted model" if key == SWITCH_HOSTED else short_label(key)


@dataclass(frozen=True)
class CostRow:
    key: str
    """The option."""
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


def cost_rows(costs: Mapping[str, Any]) -> list[CostRow]:
    out: list[CostRow] = []
    for key in ROW_KEYS:
        entry = _entry(costs, key)
        detail = ""
        if entry:
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
            CostRow(
                key,
                _label(key),
                _num(entry, "monthly_usd"),
                _num(entry, "horizon_usd"),
                detail,
            )
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


def curve_series(curve: CostCurve) -> dict[str, list[tuple[float, float]]]:
    """Option -> (tokens a month, USD a month) for each point where the option has a cost.

    What the TUI's chart plots; the report's chart plots the same points of the same curve.
    """
    out: dict[str, list[tuple[float, float]]] = {}
    for option in OPTIONS:
        line = [(p.tokens, v) for p in curve.points if (v := p.monthly.get(option)) is not None]
        if line:
            out[option] = line
    return out


__all__ = ["CostRow", "breakdown_text", "breakeven_text", "cost_rows", "curve_series"]
