"""The report's view of the cost model: the comparison table, breakdown, assumptions and curve.

Reads ``decision.costs`` (written by :func:`advisor.catalog.derive`; see
advisor/catalog/derivation.py for its keys) defensively: a key that is missing, ``None`` or of
another type shows as "n/a" rather than failing the report, because incomplete answers leave
parts of the cost model uncomputed.

The cost-against-volume curve is :func:`advisor.present.curve.cost_curve`, the same points
the TUI's Costs tab draws; :func:`cost_curve` here only turns them into the report's data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from advisor.present.costs_view import (
    breakeven_month_text,
    breakeven_subject,
    modifier_lines,
    row_detail,
    row_label,
    switch_entry,
    throughput_text,
)
from advisor.present.curve import cost_curve as points_of
from advisor.present.labels import OPTIONS, option_label
from advisor.present.numbers import Currency, currency_of, is_number, money, number, percent, tokens
from advisor.present.numbers import money as _money

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet
    from advisor.model.decision import Decision

INPUT = "usage.monthly_input_tokens"
OUTPUT = "usage.monthly_output_tokens"

BREAKDOWN_ITEMS: tuple[tuple[str, str], ...] = (
    ("gpu", "GPUs"),
    ("power_overhead", "Power, facility and cloud overhead"),
    ("people", "People to run it"),
    ("migration", "Migration effort, spread over the horizon"),
)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _num(value: Any) -> float | None:
    return float(value) if is_number(value) else None


def cost_summary(decision: Decision, ruleset: RuleSet) -> dict[str, Any]:
    """The cost section's content (see module doc); ``available`` is False without figures."""
    costs = _dict(decision.costs)
    hosted = _dict(costs.get("stay_hosted"))
    self_host = _dict(costs.get("self_host"))
    hybrid = _dict(costs.get("hybrid"))
    managed = _dict(costs.get("managed_open"))
    switch = _dict(switch_entry(costs))
    breakeven = _dict(costs.get("breakeven"))
    who = breakeven_subject(costs)
    horizon = _num(costs.get("horizon_months"))
    catalog = getattr(ruleset, "catalog", None)
    cur = currency_of(costs)

    hosted_monthly = _num(hosted.get("monthly_usd"))
    options: dict[str, dict[str, Any]] = {}
    for option, entry in (
        ("stay_hosted", hosted),
        ("switch_hosted", switch),
        ("managed_open", managed),
        ("hybrid", hybrid),
        ("self_host", self_host),
    ):
        monthly = _num(entry.get("monthly_usd"))
        horizon_total = _num(entry.get("horizon_usd"))
        if horizon_total is None and monthly is not None and horizon is not None:
            horizon_total = monthly * horizon
        ratio = (
            monthly / hosted_monthly
            if monthly is not None and hosted_monthly and hosted_monthly > 0
            else None
        )
        options[option] = {
            "option": option,
            "label": option_label(option) if option in OPTIONS else row_label(option),
            "monthly": monthly,
            "horizon": horizon_total,
            "ratio": ratio,
            "note": _option_note(option, entry, catalog, cur),
        }

    breakdown_rows = []
    sb = _dict(self_host.get("breakdown"))
    hb = _dict(hybrid.get("breakdown"))
    for key, label in BREAKDOWN_ITEMS:
        if key in sb or key in hb:
            breakdown_rows.append(
                {
                    "item": key,
                    "label": label,
                    "self_host": _num(sb.get(key)),
                    "hybrid": _num(hb.get(key)),
                }
            )
    if breakdown_rows:
        hosted_part = _num(hybrid.get("hosted_part_usd"))
        if hosted_part is not None:
            breakdown_rows.append(
                {
                    "item": "hosted_share",
                    "label": "Hosted API for the frontier share",
                    "self_host": None,
                    "hybrid": hosted_part,
                }
            )
        breakdown_rows.append(
            {
                "item": "total",
                "label": "Total a month",
                "self_host": _num(self_host.get("monthly_usd")),
                "hybrid": _num(hybrid.get("monthly_usd")),
            }
        )

    deployment = _deployment(_dict(self_host.get("deployment")), catalog)
    hybrid_deployment = _deployment(_dict(hybrid.get("deployment")), catalog)
    today = _num(breakeven.get("current_monthly_tokens"))
    if today is None:
        inp, out = _num(decision.answers.get(INPUT)), _num(decision.answers.get(OUTPUT))
        today = inp + out if inp is not None and out is not None else None
    be_tokens = _num(breakeven.get("monthly_tokens")) if breakeven.get("reachable") else None
    return {
        "available": hosted_monthly is not None or bool(self_host),
        # the amounts below are USD; the report shows them in ``currency`` at ``rate``
        "currency": cur.code,
        "rate": cur.rate_text,
        "horizon_months": horizon,
        "options": options,
        "rows": [
            options[o]
            for o in ("stay_hosted", "switch_hosted", "managed_open", "hybrid", "self_host")
            if o not in ("switch_hosted", "managed_open") or options[o]["monthly"] is not None
        ],
        "hosted": {
            "model": hosted.get("model"),
            "input_usd_per_1m": _num(hosted.get("input_usd_per_1m")),
            "output_usd_per_1m": _num(hosted.get("output_usd_per_1m")),
            "as_of": hosted.get("as_of"),
            "source": hosted.get("source"),
        }
        if hosted
        else None,
        "breakdown": breakdown_rows,
        "deployment": deployment,
        "hybrid": {
            "frontier_share_percent": _num(hybrid.get("frontier_share_percent")),
            "hosted_part": _num(hybrid.get("hosted_part_usd")),
            "self_hosted_part": _num(hybrid.get("self_hosted_part_usd")),
            "remainder_need": hybrid.get("remainder_need"),
            "deployment": hybrid_deployment,
            "note": hybrid.get("note"),
        }
        if hybrid
        else None,
        "basis_note": self_host.get("basis_note"),
        "viable": self_host.get("viable"),
        "today_tokens": today,
        "breakeven_tokens": be_tokens,
        "breakeven": _breakeven(breakeven, today, catalog, who),
        "breakeven_subject": who,
        "breakeven_subject_inline": breakeven_subject(costs, start=False),
        # follows the break-even sentence, which names what is compared when that is long
        "breakeven_month": breakeven_month_text(costs, follows=True),
        "modifiers": modifier_lines(costs),
        "throughput": throughput_text(_dict(self_host.get("deployment"))),
        "key_assumptions": _key_assumptions(costs, hosted, self_host, decision, catalog),
        "assumptions": _assumptions(costs, catalog),
        "notes": [str(n) for n in costs.get("notes") or [] if n],
        "pending": [str(q) for q in costs.get("pending") or []],
        "estimated": bool(costs.get("estimated")),
    }


def _option_note(option: str, entry: dict[str, Any], catalog: Any, cur: Currency) -> str:
    if not entry:
        return "not computed (answers missing or no eligible model)"
    if option in ("stay_hosted", "switch_hosted", "managed_open", "hybrid"):
        # the same words as the TUI's and the CLI's rows (advisor.present.costs_view)
        text = row_detail(option, entry, catalog, cur)
        mods = [m for m in entry.get("modifiers") or [] if isinstance(m, dict)]
        if option != "hybrid" and mods:
            text += "; " + ", ".join(
                f"{m['name']} {'+' if m['monthly_usd'] >= 0 else '-'}"
                f"{money(abs(m['monthly_usd']), cur)}"
                for m in mods
            )
        return text
    dep = _deployment(_dict(entry.get("deployment")), catalog)
    text = dep["text"] if dep else ""
    if entry.get("viable") is False:
        text += "; rests on a model that does not qualify (see models)"
    return text


def _name(catalog: Any, section: str, entry_id: Any) -> str:
    for entry in getattr(catalog, section, ()) or ():
        if entry.id == entry_id:
            return str(getattr(entry, "name", entry_id))
    return str(entry_id or "")


def _entry(catalog: Any, section: str, entry_id: Any) -> Any:
    for entry in getattr(catalog, section, ()) or ():
        if entry.id == entry_id:
            return entry
    return None


def replicas_in_words(replicas: Any, per: Any, gpu: str) -> str:
    """``2, 4, 'H100'`` -> "2 replicas of 4 H100 GPUs each" (never "2 x 4 h100")."""
    text = f"{replicas} replica{'s' if replicas != 1 else ''} of {per} {gpu} GPU"
    text += "s" if per != 1 else ""
    return text + (" each" if replicas != 1 and per != 1 else "")


def _deployment(dep: dict[str, Any], catalog: Any) -> dict[str, Any] | None:
    if not dep:
        return None
    out = dict(dep)
    out["model_name"] = _name(catalog, "open_models", dep.get("model"))
    out["gpu_name"] = _name(catalog, "gpus", dep.get("gpu"))
    replicas, per = dep.get("replicas"), dep.get("gpus_per_replica")
    if replicas and per:
        out["text"] = f"{out['model_name']} on {replicas_in_words(replicas, per, out['gpu_name'])}"
    else:
        out["text"] = f"{out['model_name']} on {out['gpu_name']}"
    return out


def _breakeven(
    entry: dict[str, Any], today: float | None, catalog: Any, who: str
) -> dict[str, Any]:
    if not entry:
        return {"text": "Not computed: the volumes or the self-hosted deployment are unknown."}
    if not entry.get("reachable"):
        return {
            "reachable": False,
            "text": f"{who} never breaks even at these prices: each added replica costs "
            "more than the API tokens it would serve.",
        }
    tokens_total = _num(entry.get("monthly_tokens"))
    multiple = _num(entry.get("multiple_of_current"))
    model = _name(catalog, "open_models", entry.get("model"))
    gpu = _name(catalog, "gpus", entry.get("gpu"))
    text = f"{who} breaks even at {tokens(tokens_total)} tokens a month"
    if multiple is not None and today:
        text += f", {number(round(multiple, 2))}x today's {tokens(today)}"
    if model:
        per = entry.get("gpus_per_replica")
        text += f" (with {model} on {per} {gpu} GPU{'s' if per != 1 else ''} a replica"
        text += ", throughput estimated)" if entry.get("estimated") else ")"
    return {
        "reachable": True,
        "monthly_tokens": tokens_total,
        "multiple_of_current": multiple,
        "text": text + ".",
    }


def _key_assumptions(
    costs: dict[str, Any],
    hosted: dict[str, Any],
    self_host: dict[str, Any],
    decision: Decision,
    catalog: Any,
) -> list[dict[str, Any]]:
    """The handful of figures the comparison rests on, each with its date and source. Prices
    and answers are shown as their sources give them (USD) and, in a report in another
    currency, converted beside them."""
    cur = currency_of(costs)

    def money(value: Any) -> str:
        text = _money(value)
        return f"{text} ({_money(value, cur)})" if cur.converted and is_number(value) else text

    out: list[dict[str, Any]] = []
    if hosted:
        out.append(
            {
                "name": "Hosted prices",
                "value": f"{hosted.get('model')}: {money(hosted.get('input_usd_per_1m'))} input, "
                f"{money(hosted.get('output_usd_per_1m'))} output per 1M tokens",
                "as_of": str(hosted.get("as_of") or ""),
                "source": str(hosted.get("source") or ""),
            }
        )
    dep = _dict(self_host.get("deployment"))
    gpu = _entry(catalog, "gpus", dep.get("gpu"))
    if dep:
        hourly = _num(dep.get("gpu_hourly_usd"))
        if dep.get("purchase_usd") is not None:
            value = (
                f"{_name(catalog, 'gpus', dep.get('gpu'))}: bought at "
                f"{money(dep.get('purchase_usd'))} a GPU, amortised, with power and facility"
            )
            as_of = dep.get("purchase_as_of")
            source = getattr(gpu, "purchase_source", "") if gpu else ""
            if hourly is not None:
                value = f"{money(hourly)} per GPU-hour ({dep.get('price_basis')})"
        else:
            value = (
                f"{_name(catalog, 'gpus', dep.get('gpu'))}: {money(hourly)} per GPU-hour "
                f"({dep.get('price_basis', 'rented')})"
            )
            as_of = dep.get("rent_as_of")
            source = getattr(gpu, "rent_source", "") if gpu else ""
            if "ops.gpu_hourly_usd" in str(dep.get("price_basis", "")):
                source, as_of = "your answer (ops.gpu_hourly_usd)", "answers"
        out.append(
            {
                "name": "GPU price",
                "value": value,
                "as_of": str(as_of or ""),
                "source": str(source or ""),
            }
        )
        point = _entry(catalog, "throughput", dep.get("measured_point"))
        tps = dep.get("throughput_tokens_per_s")
        if dep.get("throughput_basis", "estimated" if point is None else "measured") == (
            "estimated"
        ):
            out.append(
                {
                    "name": "Throughput",
                    "value": f"{number(tps)} output tokens/s a replica, roofline estimate at "
                    f"shape {dep.get('shape')} (not measured){_band(dep)}",
                    "as_of": _assumption_date(catalog, "roofline_compute_efficiency"),
                    "source": "sizing formulas calibrated on the measured table",
                }
            )
        elif point is None:  # interpolated between measured points of the same deployment
            ids = [str(i) for i in dep.get("measured_points") or []]
            first = _entry(catalog, "throughput", ids[0]) if ids else None
            out.append(
                {
                    "name": "Throughput",
                    "value": f"{number(tps)} output tokens/s a replica, interpolated at "
                    f"{dep.get('shape')} between measurements ({', '.join(ids)})",
                    "as_of": first.as_of.isoformat() if first else "",
                    "source": str(first.source) if first else "",
                }
            )
        else:
            out.append(
                {
                    "name": "Throughput",
                    "value": f"{number(tps)} output tokens/s a replica, measured at "
                    f"{dep.get('shape')} ({point.id})",
                    "as_of": point.as_of.isoformat(),
                    "source": str(point.source),
                }
            )
    workload = _dict(costs.get("workload"))
    if workload:
        out.append(
            {
                "name": "Load",
                "value": f"{workload.get('traffic_pattern')} traffic: "
                f"{number(workload.get('active_hours_per_month'))} active hours a month, peak "
                f"{number(workload.get('peak_factor'))}x the mean; usable throughput "
                f"{percent(workload.get('derating'))} of the offline maximum "
                f"({workload.get('derating_basis')}); target utilisation "
                f"{percent(workload.get('target_utilisation'))}",
                "as_of": _assumption_date(catalog, "target_utilisation"),
                "source": "modelling assumptions (appendix)",
            }
        )
    engineer = decision.answers.get("ops.engineer_annual_cost_usd")
    if is_number(engineer):
        fte = dep.get("engineers_fte") if dep else None
        value = f"{money(engineer)} a year per engineer"
        if is_number(fte):
            value += f"; {number(round(float(fte), 2))} engineers to run the deployment"
        out.append(
            {
                "name": "People",
                "value": value,
                "as_of": "answers",
                "source": "ops.engineer_annual_cost_usd",
            }
        )
    return out


def _band(dep: dict[str, Any]) -> str:
    band = _dict(dep.get("throughput_band"))
    low, high = _num(band.get("low")), _num(band.get("high"))
    if low is None or high is None or low == high:
        return ""
    return f", band {number(round(low))} (low) to {number(round(high))} (high)"


def _assumption_date(catalog: Any, aid: str) -> str:
    entry = _entry(catalog, "assumptions", aid)
    return entry.as_of.isoformat() if entry is not None else ""


def _assumptions(costs: dict[str, Any], catalog: Any) -> list[dict[str, Any]]:
    notes = {a.id: a.note for a in getattr(catalog, "assumptions", ()) or ()}
    out = []
    for a in costs.get("assumptions") or []:
        if not isinstance(a, dict):
            continue
        out.append(
            {
                "id": str(a.get("id", "")),
                "value": a.get("value"),
                "unit": str(a.get("unit") or ""),
                "as_of": str(a.get("as_of") or ""),
                "source": str(a.get("source") or ""),
                "note": " ".join(str(notes.get(a.get("id")) or "").split()),
            }
        )
    return out


# --- the curve ------------------------------------------------------------------------------


def cost_curve(
    decision: Decision, ruleset: RuleSet, summary: dict[str, Any]
) -> dict[str, Any] | None:
    """The points of :func:`advisor.present.curve.cost_curve` as the report's plain data.

    ``summary`` (from :func:`cost_summary`) is kept in the signature for the callers; the
    curve reads the same figures from the decision.
    """
    curve = points_of(decision, ruleset)
    if curve is None:
        return None
    points = []
    for p in curve.points:
        dep = _deployment(dict(p.deployment), ruleset.catalog)
        points.append(
            {
                "tokens": p.tokens,
                **{option: p.monthly.get(option) for option in OPTIONS},
                "deployment": dep["text"] if dep else "",
                "today": p.today,
                "breakeven": p.breakeven,
            }
        )
    return {
        "points": points,
        "today_tokens": curve.today_tokens,
        "breakeven_tokens": curve.breakeven_tokens,
        "input_share": curve.input_share,
        "method": (
            f"advisor.catalog.derive at {len(points)} monthly volumes from "
            f"{tokens(points[0]['tokens'])} to {tokens(points[-1]['tokens'])}, input and output "
            "scaled together, other answers unchanged; each self-hosted point is the cheapest "
            "deployment at that volume."
        ),
    }
