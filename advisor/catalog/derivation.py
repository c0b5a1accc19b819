"""``derive(catalog, values, excluded)``: the facts, costs and model list of one evaluation.

Which models the self-hosted figures rest on (``cost.self_host_basis``):

1. ``viable``: eligible (licence and policy) and capable (quality tier, modalities); the
   cheapest such deployment.
2. ``not_eligible``: no viable model, but capable ones exist that a licence or policy bars;
   the cheapest of those, so the board sees what the bar costs. ``cost.self_host_viable`` is
   false.
3. ``below_need``: no open model meets the need (``frontier`` always lands here): the eligible
   models of the highest tier present, preferring multimodal ones when images are needed.
   ``cost.self_host_viable`` is false.
4. No eligible model at all: the self-hosted facts are absent.

The hybrid keeps ``usage.frontier_share`` % of the tokens on the hosted model; the rest needs at
most ``hybrid_remainder_max_level`` (reasoning): when the need is frontier, the traffic that does
not need the frontier is assumed to need strong reasoning. It is served the same way (steps 1-3).

Facts whose inputs are unanswered are left out (the engine reports rules reading them as
pending); the ``costs`` object still shows what can be computed, with ``pending`` naming the
missing answers, and ``models`` marks eligibility that waits for an answer as provisional.

Speed (benchmarks/bench_catalog.py, budget 200 µs): per-catalog tables are built once by
:func:`~advisor.catalog.prepare.prepare` (cached by catalog identity); the licence view and the
throughput per input/output ratio are memoised per catalog; what remains per evaluation is
arithmetic over the deployment candidates and building the JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from advisor.catalog.costs import (
    Breakdown,
    Table,
    Terms,
    Workload,
    breakdown,
    breakeven_output_tokens,
    hosted_monthly,
    hosted_per_output_token,
    workload,
)
from advisor.catalog.facts import ALL_INPUTS, FACT_SPECS, NEEDS, SELF
from advisor.catalog.licensing import LEVEL_NAMES
from advisor.catalog.models import ModelView, model_view
from advisor.catalog.prepare import Prepared, prepare
from advisor.catalog.schema import TIER_LEVEL, Catalog, HostedModel
from advisor.model.parts import (
    Basis,
    Breakeven,
    Costs,
    Deployment,
    HostedCost,
    HybridCost,
    ModelEntry,
    SelfHostCost,
)

_SELF_INPUTS = frozenset(SELF)
__all__ = ["FACT_SPECS", "Derived", "derive"]


@dataclass(frozen=True)
class Derived:
    """What one evaluation adds: ``facts`` (names of :data:`FACT_SPECS`), the ``costs`` object
    and the ``models`` list of the decision's JSON. Treat all three as read-only: to stay fast,
    nested parts that do not change between evaluations (the assumptions list, reasons,
    deployment summaries) are shared by the results of one catalog."""

    facts: dict[str, Any]
    costs: Costs
    models: list[ModelEntry]


Best = tuple[float, int] | None  # (monthly cost, candidate index) of a model, if deployable


def _plan_cost(entry: Best) -> float:
    return entry[0] if entry is not None else math.inf


def _money(x: float) -> float:
    return round(x, 2)


def _div(a: float, b: float) -> float | None:
    """a / b, or None when b is not positive or the quotient overflows (tiny volumes)."""
    if b <= 0:
        return None
    q = a / b
    return q if math.isfinite(q) else None


def _maybe_round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def _maybe_money(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def _put(facts: dict[str, Any], name: str, value: float | None) -> None:
    if value is not None:
        facts[name] = value


def _pick(
    p: Prepared,
    view: ModelView,
    level_needed: int,
    multimodal_needed: bool,
) -> tuple[Basis, list[int]] | None:
    """The basis and the models the self-hosted figures may rest on (module doc, steps 1-3).
    Depends only on the licence view and the need, so it is kept with the view."""
    key = (level_needed, multimodal_needed)
    if key in view.picks:
        return view.picks[key]
    eligible = view.eligible
    deployable = [i for i in range(len(p.models)) if p.by_model[i]]
    capable = [
        i
        for i in deployable
        if p.levels[i] >= level_needed and (not multimodal_needed or p.multimodal[i])
    ]
    viable = [i for i in capable if eligible[i]]
    out: tuple[Basis, list[int]] | None
    if viable:
        out = ("viable", viable)
    elif capable:
        out = ("not_eligible", capable)
    else:
        pool = [i for i in deployable if eligible[i]]
        if multimodal_needed:
            pool = [i for i in pool if p.multimodal[i]] or pool
        if pool:
            top = max(p.levels[i] for i in pool)
            out = ("below_need", [i for i in pool if p.levels[i] == top])
        else:
            out = None
    view.picks[key] = out
    return out


def _deployment(p: Prepared, w: Workload, t: Terms, detail: Breakdown) -> Deployment:
    c = t.candidate
    gpu = p.gpus[c.gpu]
    if w.hourly_override is not None:
        price_basis = "ops.gpu_hourly_usd (your negotiated price)"
        hourly: float | None = w.hourly_override
    elif w.rented:
        price_basis = "catalog rental price"
        hourly = gpu.rent_usd_per_hour
    else:
        price_basis = "purchase price, amortised, with power and facility"
        hourly = None
    return {
        "model": p.model_ids[c.model],
        "gpu": gpu.id,
        "gpus_per_replica": c.gpus,
        "replicas": detail.replicas,
        "gpus_total": detail.gpus_total,
        "utilisation": round(detail.utilisation, 4),
        "throughput_source": "estimated" if t.estimated else "measured",
        "estimated": t.estimated,
        "throughput_tokens_per_s": round(t.tokens_per_s, 1),
        "usable_tokens_per_s": round(t.usable_per_s, 1),
        "throughput_basis": _basis(t),
        "measured_point": t.points[0].entry if len(t.points) == 1 else None,
        "measured_points": [pt.entry for pt in t.points],
        "shape": _shape(w, t),
        "gpu_source": w.gpu_source,
        "price_basis": price_basis,
        "gpu_hourly_usd": hourly,
        "rent_as_of": p.gpu_dates[c.gpu][0] if w.rented else None,
        "purchase_usd": None if w.rented else gpu.purchase_usd,
        "purchase_as_of": None if w.rented else p.gpu_dates[c.gpu][1],
        "engineers_fte": round(detail.engineers_fte, 3),
    }


def _basis(t: Terms) -> Literal["measured", "interpolated", "estimated"]:
    """measured (one point), interpolated (between two measured points) or estimated."""
    bases: tuple[Literal["estimated", "measured", "interpolated"], ...] = (
        "estimated",
        "measured",
        "interpolated",
    )
    return bases[min(len(t.points), 2)]


def _shape(w: Workload, t: Terms) -> str:
    """The request shape the throughput figure stands for."""
    if len(t.points) == 1:
        return t.points[0].shape
    if len(t.points) == 2:
        return f"{w.shape}, between {t.points[0].shape} and {t.points[1].shape}"
    return w.shape


def _note_for(p: Prepared, w: Workload, t: Terms, what: str) -> str:
    c = t.candidate
    name = p.models[c.model].name
    gpu = p.gpus[c.gpu].name
    if t.estimated:
        return (
            f"{what}: the throughput of {name} on {c.gpus}x {gpu} is a roofline ESTIMATE "
            f"({t.tokens_per_s:,.0f} output tokens/s a replica at {w.shape}, calibrated at "
            f"{w.calibration}), not a measurement; treat the figure as indicative."
        )
    if len(t.points) == 2:
        a, b = t.points
        basis = (
            f"interpolated to {t.tokens_per_s:,.0f} output tokens/s between the measured "
            f"{a.tokens_per_s:,.0f} at {a.shape} and {b.tokens_per_s:,.0f} at {b.shape}"
        )
    else:
        basis = f"the measured {t.tokens_per_s:,.0f} output tokens/s at {t.points[0].shape}"
    return (
        f"{what}: {name} on {c.gpus}x {gpu} uses {basis}, derated to {w.derating:.0%} "
        f"({w.derating_basis})."
    )


def derive(
    catalog: Catalog, values: Mapping[str, Any], excluded: Mapping[str, Sequence[str]]
) -> Derived:
    """Compute every ``cost.*`` and ``models.*`` fact the answers allow (see module doc).

    ``values``: question id -> typed answer (absent when unanswered); ``excluded``: model id ->
    reasons given by rules' ``exclude_models``.
    """
    p = prepare(catalog)
    missing = frozenset(q for q in ALL_INPUTS if q not in values)
    view = model_view(p, values, excluded)
    need, mm = view.need, view.multimodal
    n_models = len(p.models)

    facts: dict[str, Any] = {}
    notes: list[str] = []
    costs: Costs = {
        "currency": "USD",
        "pending": sorted(missing & _SELF_INPUTS),
        "workload": None,
        "stay_hosted": None,
        "hosted": None,
        "self_host": None,
        "hybrid": None,
        "breakeven": None,
        "ratios": None,
        "horizon_months": values.get("strategy.horizon_months"),
        "estimated": False,
        "notes": notes,
        "assumptions": p.assumptions_json,
    }

    inp_answer = values.get("usage.monthly_input_tokens")
    out_answer = values.get("usage.monthly_output_tokens")
    have_tokens = inp_answer is not None and out_answer is not None
    inp = float(inp_answer) if inp_answer is not None else 0.0
    out = float(out_answer) if out_answer is not None else 0.0
    horizon_answer = values.get("strategy.horizon_months")
    horizon: float | None = float(horizon_answer) if horizon_answer is not None else None
    current = values.get("usage.current_model")
    hosted_model = p.hosted.get(str(current))
    if current is not None and hosted_model is None:
        notes.append(
            f"usage.current_model is {current!r}, which has no hosted_models entry in the "
            "catalog; add its prices to compare against it."
        )
    hosted_cost: float | None = None
    if have_tokens:
        total_tokens = inp + out
        facts["cost.monthly_tokens"] = total_tokens
        if hosted_model is not None:
            hosted_cost = hosted_monthly(hosted_model, inp, out)
            facts["cost.hosted_monthly_usd"] = hosted_cost
            _put(facts, "cost.hosted_usd_per_1m_tokens", _div(hosted_cost * 1e6, total_tokens))
            if horizon is not None:
                facts["cost.hosted_horizon_usd"] = hosted_cost * horizon
            hosted_entry: HostedCost = {
                "model": hosted_model.id,
                "input_usd_per_1m": hosted_model.input_usd_per_1m,
                "output_usd_per_1m": hosted_model.output_usd_per_1m,
                "monthly_usd": _money(hosted_cost),
                "horizon_usd": _money(hosted_cost * horizon) if horizon is not None else None,
                "as_of": hosted_model.as_of.isoformat(),
                "source": hosted_model.source,
            }
            costs["stay_hosted"] = costs["hosted"] = hosted_entry
            _cheaper_hosted(p, hosted_model, hosted_cost, inp, out, values, facts)

    per_model: list[Best] = [None] * n_models
    table: Table | None = None
    if (
        have_tokens
        and horizon is not None
        and values.get("ops.engineer_annual_cost_usd") is not None
    ):
        w = workload(p, values)
        table = Table(p, w)
        r0 = w.min_replicas
        vol = w.output_tokens
        per_model = table.per_model(p, table.costs_at(vol))
        costs["workload"] = {
            "monthly_input_tokens": w.input_tokens,
            "monthly_output_tokens": w.output_tokens,
            "input_output_ratio": round(w.ratio, 4),
            "shape": w.shape,
            "traffic_pattern": w.pattern,
            "active_hours_per_month": w.active_hours,
            "peak_factor": w.peak_factor,
            "peak_output_tokens_per_s": round(
                w.output_tokens / (w.active_hours * 3600.0) * w.peak_factor, 3
            ),
            "derating": w.derating,
            "derating_basis": w.derating_basis,
            "target_utilisation": w.target_utilisation,
            "min_replicas": r0,
        }
        asked = values.get("usage.traffic_pattern")
        if asked is not None and asked != w.pattern:
            notes.append(
                f"The traffic pattern {asked!r} has no pattern_{asked}_* assumptions in the "
                "catalog; it is costed as steady traffic."
            )
        if w.gpu_source == "none":
            notes.append(
                "The organisation has no GPUs today (ops.gpu_source: none): self-hosting is "
                "priced as rented cloud GPUs."
            )
        level = need if need is not None else TIER_LEVEL["simple"]
        picked = _pick(p, view, level, bool(mm))
        if picked is not None:
            basis, pool = picked
            entry = min((per_model[i] for i in pool), key=_plan_cost)
            assert entry is not None
            self_cost, chosen_index = entry
            chosen = table.terms(p, chosen_index)
            detail = breakdown(chosen, w, vol)
            self_json = _self_host_json(p, w, chosen, detail, basis, horizon)
            costs["self_host"] = self_json
            costs["estimated"] = chosen.estimated
            notes.append(_note_for(p, w, chosen, "Self-hosting"))
            if basis != "viable":
                notes.append(self_json["basis_note"])
            facts.update(
                {
                    "cost.self_host_monthly_usd": self_cost,
                    "cost.self_host_horizon_usd": self_cost * horizon,
                    "cost.self_host_gpu_monthly_usd": detail.gpu,
                    "cost.self_host_power_overhead_monthly_usd": detail.power_overhead,
                    "cost.self_host_people_monthly_usd": detail.people,
                    "cost.migration_monthly_usd": detail.migration,
                    "cost.engineers_needed": detail.engineers_fte,
                    "cost.gpus_total": detail.gpus_total,
                    "cost.replicas": detail.replicas,
                    "cost.gpus_per_replica": chosen.candidate.gpus,
                    "cost.utilisation": detail.utilisation,
                    "cost.self_host_model": p.model_ids[chosen.candidate.model],
                    "cost.self_host_gpu": p.gpus[chosen.candidate.gpu].id,
                    "cost.self_host_basis": basis,
                    "cost.self_host_viable": basis == "viable",
                    "cost.throughput_estimated": chosen.estimated,
                }
            )
            _put(
                facts,
                "cost.self_host_usd_per_1m_tokens",
                _div(self_cost * 1e6, w.input_tokens + w.output_tokens),
            )
            if hosted_model is not None and hosted_cost is not None:
                _versus(p, table, pool, hosted_model, hosted_cost, self_cost, facts, costs)
                _hybrid(
                    p,
                    table,
                    view,
                    level,
                    bool(mm),
                    hosted_cost,
                    values,
                    facts,
                    costs,
                    notes,
                )

    _model_facts(p, view, per_model, facts)
    models_json = _models_json(p, view, per_model, table)
    if missing:
        facts = {k: v for k, v in facts.items() if NEEDS[k].isdisjoint(missing)}
    return Derived(facts, costs, models_json)


def _cheaper_hosted(
    p: Prepared,
    current: HostedModel,
    current_cost: float,
    inp: float,
    out: float,
    values: Mapping[str, Any],
    facts: dict[str, Any],
) -> None:
    """Same-provider hosted models at most half the price that may meet the need, so the rules
    name them from the catalog rather than from a list that ages (cost.hosted_cheaper_*)."""
    need = values.get("usage.capability_need")
    if need is None:
        return
    found: list[tuple[float, str]] = []
    if need == "simple" or (need in ("general", "reasoning") and current.reasoning):
        for m in p.hosted.values():
            if m.id == current.id or m.provider != current.provider:
                continue
            if need != "simple" and not m.reasoning:
                continue
            cost = hosted_monthly(m, inp, out)
            if cost <= 0.5 * current_cost:
                found.append((cost, m.id))
    found.sort()
    facts["cost.hosted_cheaper_models"] = [mid for _c, mid in found]
    facts["cost.hosted_cheaper_count"] = len(found)
    facts["cost.hosted_cheaper_monthly_usd"] = found[0][0] if found else current_cost


def _self_host_json(
    p: Prepared,
    w: Workload,
    t: Terms,
    detail: Breakdown,
    basis: Basis,
    horizon: float,
) -> SelfHostCost:
    name = p.models[t.candidate.model].name
    basis_note = {
        "viable": f"{name} is eligible and meets the capability need.",
        "not_eligible": (
            f"No eligible open model meets the need; these figures use {name}, which meets it "
            "but which a licence or policy bars (see models)."
        ),
        "below_need": (
            f"No eligible open model meets the capability need; these figures use {name}, the "
            "strongest eligible one, which falls short of it."
        ),
    }[basis]
    total = w.input_tokens + w.output_tokens
    return {
        "monthly_usd": _money(detail.total),
        "horizon_usd": _money(detail.total * horizon),
        "usd_per_1m_tokens": _maybe_money(_div(detail.total * 1e6, total)),
        "basis": basis,
        "basis_note": basis_note,
        "viable": basis == "viable",
        "breakdown": detail.parts_json(),
        "deployment": _deployment(p, w, t, detail),
    }


def _versus(
    p: Prepared,
    table: Table,
    pool: Sequence[int],
    hosted_model: HostedModel,
    hosted_cost: float,
    self_cost: float,
    facts: dict[str, Any],
    costs: Costs,
) -> None:
    w = table.w
    facts["cost.savings_monthly_usd"] = hosted_cost - self_cost
    if hosted_cost > 0:
        _put(facts, "cost.self_host_to_hosted_ratio", _div(self_cost, hosted_cost))
    h = hosted_per_output_token(hosted_model, w.ratio)
    best_v = math.inf
    best_t: Terms | None = None
    if w.output_tokens > 0:
        best_ci = -1
        fixed, per, qs, r0 = table.fixed, table.per_replica, table.q, w.min_replicas
        for i in pool:
            for ci in p.by_model[i]:
                if (fixed[ci] + per[ci] * r0) / h >= best_v:
                    continue  # cannot beat the best: its minimum deployment costs more
                v = breakeven_output_tokens(fixed[ci], per[ci], qs[ci], r0, h)
                if v < best_v:
                    best_v, best_ci = v, ci
        if best_ci >= 0:
            best_t = table.terms(p, best_ci)
    reachable = best_t is not None and math.isfinite(best_v * (1.0 + w.ratio))
    facts["cost.breakeven_reachable"] = reachable
    current = w.input_tokens + w.output_tokens
    entry: Breakeven = {"reachable": reachable, "current_monthly_tokens": current}
    if reachable and best_t is not None:
        tokens = best_v * (1.0 + w.ratio)
        facts["cost.breakeven_monthly_tokens"] = tokens
        if current > 0:
            _put(facts, "cost.breakeven_to_current_ratio", _div(tokens, current))
        entry.update(
            {
                "monthly_tokens": round(tokens),
                "monthly_output_tokens": round(best_v),
                "multiple_of_current": _maybe_round(_div(tokens, current), 4),
                "model": p.model_ids[best_t.candidate.model],
                "gpu": p.gpus[best_t.candidate.gpu].id,
                "gpus_per_replica": best_t.candidate.gpus,
                "estimated": best_t.estimated,
            }
        )
    costs["breakeven"] = entry
    costs["ratios"] = {
        "self_host_to_hosted": _maybe_round(_div(self_cost, hosted_cost), 4),
    }


def _hybrid(
    p: Prepared,
    table: Table,
    view: ModelView,
    level: int,
    mm: bool,
    hosted_cost: float,
    values: Mapping[str, Any],
    facts: dict[str, Any],
    costs: Costs,
    notes: list[str],
) -> None:
    w = table.w
    share = min(max(float(values.get("usage.frontier_share", 0.0)), 0.0), 100.0) / 100.0
    hosted_part = hosted_cost * share
    rest = w.output_tokens * (1.0 - share)
    entry: HybridCost = {"frontier_share_percent": share * 100.0}  # type: ignore[typeddict-item]
    if share >= 1.0:
        monthly = hosted_cost
        entry.update({"hosted_part_usd": _money(hosted_part), "self_hosted_part_usd": 0.0})
        entry["note"] = "All traffic needs frontier quality, so the hybrid is the hosted option."
        model_id: str | None = None
    else:
        rem_level = min(level, int(p.a["hybrid_remainder_max_level"]))
        picked = _pick(p, view, rem_level, mm)
        if picked is None:
            return
        basis, pool = picked
        found = table.cheapest(p, pool, rest)
        assert found is not None
        part, t = found[0], table.terms(p, found[1])
        part += w.routing_monthly
        monthly = hosted_part + part
        detail = breakdown(t, w, rest, w.routing_monthly)
        model_id = p.model_ids[t.candidate.model]
        entry.update(
            {
                "hosted_part_usd": _money(hosted_part),
                "self_hosted_part_usd": _money(part),
                "remainder_need": LEVEL_NAMES[rem_level],
                "basis": basis,
                "viable": basis == "viable",
                "breakdown": detail.parts_json(),
                "deployment": _deployment(p, w, t, detail),
            }
        )
        if t.estimated:
            notes.append(_note_for(p, w, t, "Hybrid"))
            costs["estimated"] = True
        facts["cost.hybrid_self_host_model"] = model_id
    horizon = float(values["strategy.horizon_months"])
    entry["monthly_usd"] = _money(monthly)
    entry["horizon_usd"] = _money(monthly * horizon)
    facts["cost.hybrid_monthly_usd"] = monthly
    facts["cost.hybrid_horizon_usd"] = monthly * horizon
    if hosted_cost > 0:
        ratio = _div(monthly, hosted_cost)
        _put(facts, "cost.hybrid_to_hosted_ratio", ratio)
        ratios = costs["ratios"] if costs["ratios"] is not None else {}
        ratios["hybrid_to_hosted"] = _maybe_round(ratio, 4)
        costs["ratios"] = ratios
    costs["hybrid"] = entry


def _model_facts(
    p: Prepared, view: ModelView, per_model: Sequence[Best], facts: dict[str, Any]
) -> None:
    facts.update(view.facts)
    for name in ("models.eligible", "models.capable", "models.viable"):
        facts[name] = list(facts[name])
    viable = [i for i in range(len(p.models)) if view.eligible[i] and view.meets[i] is True]
    if viable:
        best = min(viable, key=lambda i: (-p.levels[i], _plan_cost(per_model[i]), i))
        facts["models.best_viable"] = p.model_ids[best]


def _models_json(
    p: Prepared, view: ModelView, per_model: Sequence[Best], table: Table | None
) -> list[ModelEntry]:
    # The entries are assembled from per-catalog and per-answers parts shared across
    # evaluations (speed), so mypy cannot follow the keys: the casts promise ModelEntry, and
    # tests/test_ci_schemas.py holds every entry to the decision schema.
    out: list[ModelEntry] = []
    no_cost = {"estimated_monthly_usd": None, "estimated": False, "deployment": None}
    for i, part in enumerate(view.parts):
        entry = per_model[i]
        if entry is None or table is None:
            out.append(cast(ModelEntry, {**part, **no_cost}))
            continue
        estimated = not table.points[entry[1]]
        d = {**part}  # a plain copy of one dict is CPython's fastest way to build one
        d["estimated_monthly_usd"] = round(entry[0], 2)
        d["estimated"] = estimated
        d["deployment"] = p.deployment_summary[entry[1]][estimated]
        out.append(cast(ModelEntry, d))
    return out
