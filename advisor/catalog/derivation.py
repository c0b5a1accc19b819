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
throughput per input/output ratio are memoised per catalog, and so are the hosted plan, the
switch search, the frontier split, the cost table and whole decisions' derivations, each keyed
by everything it reads and bounded in a memo of its own (:func:`~advisor.catalog.prepare.memo_of`);
what remains per evaluation is arithmetic over the deployment candidates and building the JSON.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from advisor.catalog.costs import (
    EPS,
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
from advisor.catalog.hosted import (
    Bills,
    BillTerms,
    FrontierSplit,
    Horizon,
    Plan,
    bill,
    changes,
    cheapest_switch,
    frontier_split,
    plan,
    start_date,
)
from advisor.catalog.licensing import LEVEL_NAMES
from advisor.catalog.managed import (
    ENGINEER_COST,
    MIGRATION,
    Choice,
    choose,
    managed_json,
    migration_usd,
    residency_of,
)
from advisor.catalog.models import ModelView, model_view
from advisor.catalog.prepare import MEMO_SIZE, Prepared, keep, memo_of, prepare
from advisor.catalog.schema import TIER_LEVEL, Catalog, HostedModel
from advisor.model.parts import (
    Basis,
    Breakeven,
    Costs,
    Deployment,
    ExchangeRate,
    HostedCost,
    HybridCost,
    ModelEntry,
    PathMonth,
    SelfHostCost,
    SwitchHosted,
    ThroughputBand,
)

# answers under which the hybrid's open share may not go to a managed endpoint: no data leaves
# an air-gapped site, and a model shipped to devices or customers must be open weights (the
# redistribution rule vetoes the managed API for the same reason; the share would otherwise be
# the vetoed option under another name)
MANAGED_BLOCKING = ("data.air_gapped", "licensing.redistributes_model")

_SELF_INPUTS = frozenset(SELF)
__all__ = ["FACT_SPECS", "SECTIONS", "Derived", "Scales", "derive"]

# Facts that only one costly part of the cost model computes: ``derive(..., need=...)`` runs a
# part only when ``need`` asks for one of its facts. The what-if path (flip points, Monte
# Carlo) asks only for what the scoring rules read, and none of them reads these today.
SECTIONS: dict[str, frozenset[str]] = {
    # the cheapest other hosted model over the horizon (14 plans searched)
    "switch": frozenset(
        {
            "cost.switch_hosted_model",
            "cost.switch_hosted_monthly_usd",
            "cost.switch_hosted_horizon_usd",
            "cost.switch_hosted_to_hosted_ratio",
        }
    ),
    # same-provider hosted models at half the price or less
    "cheaper": frozenset(
        {
            "cost.hosted_cheaper_models",
            "cost.hosted_cheaper_count",
            "cost.hosted_cheaper_monthly_usd",
        }
    ),
    # self-hosting against the API: savings, ratio and the break-even volume and month
    "versus": frozenset(
        {
            "cost.savings_monthly_usd",
            "cost.self_host_to_hosted_ratio",
            "cost.breakeven_reachable",
            "cost.breakeven_monthly_tokens",
            "cost.breakeven_to_current_ratio",
            "cost.breakeven_month",
        }
    ),
}


@dataclass(frozen=True, slots=True)
class Scales:
    """What-if factors on the catalog's key assumptions (1 = the catalog's figure), for the
    robustness layer (advisor.scenarios.robust): every hosted model's list prices, every managed
    endpoint's, every GPU's price (rent, or purchase and running costs) and every deployment's
    throughput (measured or estimated). The cost model applies them where it reads those figures,
    so a scaled derivation is the same computation as the catalog's, on other figures."""

    hosted_price: float = 1.0
    managed_price: float = 1.0
    gpu_price: float = 1.0
    throughput: float = 1.0

    @property
    def neutral(self) -> bool:
        return (self.hosted_price, self.managed_price, self.gpu_price, self.throughput) == (
            1.0,
            1.0,
            1.0,
            1.0,
        )


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


def _self_host_level(view: ModelView, hosted: HostedModel | None) -> tuple[int, str]:
    """The quality level a self-hosted replacement must reach, and why: the capability need,
    or the current hosted model's (sourced) tier when that is higher."""
    level = view.need if view.need is not None else TIER_LEVEL["simple"]
    tier = hosted.tier if hosted is not None else None
    if hosted is not None and tier is not None and TIER_LEVEL[tier] > level:
        # replacing a hosted model: open models of at least its tier
        return TIER_LEVEL[tier], f"tier of {hosted.id}"
    return level, "usage.capability_need"


def _within_context(p: Prepared, w: Workload, per_model: list[Best]) -> list[Best]:
    """``per_model`` without the models whose context is shorter than the longest prompt plus
    answer: they are not priced anywhere (the models list included), not only left out of the
    choice."""
    if w.longest_context <= 0:
        return per_model
    return [
        None if p.models[i].context_tokens < w.longest_context else e
        for i, e in enumerate(per_model)
    ]


def _priced_for_choice(
    p: Prepared,
    table: Table,
    picked: tuple[Basis, list[int]] | None,
    values: Mapping[str, Any],
    vol: float,
) -> list[Best]:
    """Per model, the cheapest deployment at ``vol`` of only the models the self-hosted choice
    reads (the picked pool and a pinned ``selfhost.model``; the others None): the figures
    :func:`derive` prices for every model, without pricing the rest (the what-if path)."""
    wanted = list(picked[1]) if picked is not None else []
    pinned = values.get("selfhost.model")
    if pinned is not None and str(pinned) in p.model_ids:
        wanted.append(p.model_ids.index(str(pinned)))
    return _within_context(p, table.w, table.per_model_at(p, wanted, vol))


def _frontier_share(values: Mapping[str, Any]) -> float:
    """``usage.frontier_share`` as a fraction, clamped to 0..1 (0 when unanswered)."""
    return min(max(float(values.get("usage.frontier_share", 0.0)), 0.0), 100.0) / 100.0


def _hosted_frontier(p: Prepared, values: Mapping[str, Any]) -> tuple[float, HostedModel | None]:
    """The frontier share staying hosted keeps on a frontier model, and that model:
    ``usage.frontier_share`` from ``frontier_share_split_percent`` on, else (0, None) (a
    smaller share rides along on the serving model, as it does when the rules weigh moving
    everything to open weights). The hosted plan and the switch search read the same."""
    # compared as the rules compare the answer (in percent), not as a fraction
    percent = float(values.get("usage.frontier_share", 0.0))
    if percent < p.a["frontier_share_split_percent"]:
        return 0.0, None
    share = _frontier_share(values)
    return share, _frontier_model(p, values) if share > 0 else None


def _remainder_level(p: Prepared, level: int) -> int:
    """The level the hybrid's open share must reach: the need, at most
    ``hybrid_remainder_max_level`` (module doc)."""
    return min(level, int(p.a["hybrid_remainder_max_level"]))


def _managed_fixed(p: Prepared, w: Workload) -> float:
    """What an open share on a managed endpoint adds a month whatever its volume: the routing,
    and its migration spread over the horizon, as self-hosting carries its own
    (advisor.catalog.managed.migration_usd)."""
    return w.routing_monthly + p.a[MIGRATION] * w.engineer_month / w.horizon_months


def _narrow(
    p: Prepared,
    picked: tuple[Basis, list[int]],
    per_model: Sequence[Best],
    values: Mapping[str, Any],
    w: Workload,
    notes: list[str],
) -> tuple[Basis, list[int]] | None:
    """The pool without models that cannot serve the answers: a context shorter than the
    longest prompt plus answer, no deployment whose KV cache holds the contexts (or on the
    pinned GPU), or not the pinned model (``selfhost.model``)."""
    basis, pool = picked
    if w.longest_context > 0:
        short = [i for i in pool if p.models[i].context_tokens < w.longest_context]
        if short:
            notes.append(
                "Not eligible for self-hosting because their context is shorter than the longest "
                f"prompt plus answer ({w.longest_context:,.0f} tokens): "
                + ", ".join(
                    f"{p.models[i].name} ({p.models[i].context_tokens:,} tokens)" for i in short
                )
                + "."
            )
        pool = [i for i in pool if i not in short]
    pool = [i for i in pool if per_model[i] is not None]
    pinned = values.get("selfhost.model")
    if pinned is not None:
        if str(pinned) in p.model_ids and per_model[p.model_ids.index(str(pinned))] is not None:
            pool = [p.model_ids.index(str(pinned))]
        else:
            notes.append(
                f"selfhost.model is {pinned!r}, which the catalog cannot deploy for these answers "
                "(unknown id, no GPU that holds it, or context too short); it is ignored."
            )
    return (basis, pool) if pool else None


def _choose(
    p: Prepared, table: Table, pool: Sequence[int], per_model: Sequence[Best], vol: float
) -> tuple[int, int | None]:
    """The chosen model and the runner-up. The cheapest wins, except that a model whose
    throughput is only estimated does not beat a measured one unless it stays cheaper at the
    pessimistic end of its throughput band (the winner's curse: of many estimates, the most
    over-estimated looks cheapest)."""

    def pessimistic(i: int) -> float:
        entry = per_model[i]
        assert entry is not None
        ci = entry[1]
        if table.points[ci]:
            return entry[0]
        low = _band_factor(p, ci)[0]
        r = max(table.w.min_replicas, math.ceil(vol * table.q[ci] / low - 1e-9))
        return table.fixed[ci] + table.per_replica[ci] * r

    # one pass for what ranking the pool by (cost, index) would give: the first, the second
    # and the first measured (a Monte Carlo sample runs this twice)
    points = table.points
    first: tuple[float, int] | None = None
    second: tuple[float, int] | None = None
    measured: tuple[float, int] | None = None
    for i in pool:
        e = per_model[i]
        key = (e[0] if e is not None else math.inf, i)
        if first is None or key < first:
            first, second = key, first
        elif second is None or key < second:
            second = key
        if e is not None and points[e[1]] and (measured is None or key < measured):
            measured = key
    assert first is not None, "the pool is never empty"
    best = first[1]
    entry = per_model[best]
    if (
        entry is not None
        and not points[entry[1]]
        and measured is not None
        and pessimistic(best) > measured[0]
    ):
        best = measured[1]
    if best == first[1]:
        return best, (second[1] if second is not None else None)
    return best, first[1]


def _band_factor(p: Prepared, ci: int) -> tuple[float, float]:
    """(low, high) multipliers of an estimated throughput: 1 / (1 + e) and 1 + e, where e is
    the leave-one-out median error of the estimate for the model's family
    (``roofline_loo_error_<family>``, else ``roofline_loo_error_all``)."""
    family = p.models[p.candidates[ci].model].family
    err = p.a.get(f"roofline_loo_error_{family}", p.a.get("roofline_loo_error_all", 0.5))
    return 1.0 / (1.0 + err), 1.0 + err


def _growth_factor(p: Prepared, values: Mapping[str, Any]) -> float:
    growth = values.get("usage.volume_growth")
    return p.a.get(f"growth_factor_{growth}", 1.0) if growth is not None else 1.0


def _months(horizon: float) -> int:
    """Months on the volume path: a part month counts as a month (as hosted billing does)."""
    return max(1, math.ceil(horizon - 1e-9))


def _factors(growth: float, months: int) -> list[float]:
    """Volume over today's, month by month: a geometric path from 1 in the first month to
    ``growth`` in the last."""
    if months <= 1:
        return [1.0]
    return [growth ** (m / (months - 1)) for m in range(months)]


def _along(
    t: Terms, w: Workload, vol: float, factors: Sequence[float], extra_fixed: float = 0.0
) -> list[tuple[int, int, float]]:
    """(replicas, GPUs, monthly cost) of a deployment at each month's volume (``vol`` times
    the month's factor). The cost depends on the volume only through the replica count, so
    :func:`breakdown` runs once per count rather than once per month."""
    out: list[tuple[int, int, float]] = []
    by_count: dict[int, tuple[int, int, float]] = {}
    r0 = w.min_replicas
    q, ceil = t.q, math.ceil
    for f in factors:
        v = vol * f
        r = ceil(v * q - EPS)  # Terms.replicas, inline: 36 months, twice a sample
        if r < r0:
            r = r0
        hit = by_count.get(r)
        if hit is None:
            d = breakdown(t, w, v, extra_fixed)
            hit = by_count[r] = (d.replicas, d.gpus_total, d.total)
        out.append(hit)
    return out


def _path(
    w: Workload,
    factors: Sequence[float],
    along: Sequence[tuple[int, int, float]],
    usd: Sequence[float],
) -> list[PathMonth]:
    """The chosen deployment month by month along the volume path (:func:`_along`; ``usd``:
    each month's cost rounded to cents): replicas (GPUs added as volume grows) and cost."""
    total = w.input_tokens + w.output_tokens
    return [
        {
            "month": m + 1,
            "monthly_tokens": round(total * f),
            "replicas": replicas,
            "gpus_total": gpus,
            "monthly_usd": cents,
        }
        for m, (f, (replicas, gpus, _), cents) in enumerate(zip(factors, along, usd, strict=True))
    ]


def _breakeven_month(self_path: Sequence[float], hosted_path: Sequence[float]) -> int | None:
    """The month from which self-hosting has cost no more than staying hosted, cumulatively,
    and stays so to the end of the horizon; None when it never gets there.

    "Stays so" matters because the hosted path is not flat: a shutdown moves the traffic to a
    successor that often costs a fraction, so self-hosting can be ahead in month 1 and behind
    for the rest of the horizon; that is no break-even."""
    a = b = 0.0
    month: int | None = None
    for m, (x, y) in enumerate(zip(self_path, hosted_path, strict=True)):
        a += x
        b += y
        if a <= b + 1e-9:
            if month is None:
                month = m + 1
        else:
            month = None
    return month


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
        "throughput_band": _band(p, t),
    }


def _band(p: Prepared, t: Terms) -> ThroughputBand:
    """low / likely / high output tokens/s of a replica: equal when measured or interpolated;
    for an estimate, the likely value less and plus the family's median error."""
    likely = t.tokens_per_s
    if not t.estimated:
        return {"low": round(likely, 1), "likely": round(likely, 1), "high": round(likely, 1)}
    lo, hi = _band_factor(p, t.ci)
    return {"low": round(likely * lo, 1), "likely": round(likely, 1), "high": round(likely * hi, 1)}


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
        lo, _ = _band_factor(p, t.ci)
        family = p.models[c.model].family
        rows = (
            f"the measured rows of the {family} family"
            if f"roofline_loo_error_{family}" in p.a
            else f"the measured rows (none of the {family} family)"
        )
        return (
            f"{what}: the throughput of {name} on {c.gpus}x {gpu} is a roofline ESTIMATE "
            f"({t.tokens_per_s:,.0f} output tokens/s a replica at {w.shape}, calibrated at "
            f"{w.calibration}), not a measurement. Left out of the fit, {rows} "
            f"miss by {1.0 / lo - 1.0:.0%} (median), so plan for as little as "
            f"{t.tokens_per_s * lo:,.0f}."
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
    catalog: Catalog,
    values: Mapping[str, Any],
    excluded: Mapping[str, Sequence[str]],
    scales: Scales | None = None,
    *,
    models: bool = True,
    detail: bool = True,
    need: frozenset[str] | None = None,
    reuse: bool = False,
) -> Derived:
    """Compute every ``cost.*`` and ``models.*`` fact the answers allow (see module doc).

    ``values``: question id -> typed answer (absent when unanswered); ``excluded``: model id ->
    reasons given by rules' ``exclude_models``; ``scales``: what-if factors on the catalog's
    prices and throughput (:class:`Scales`; None = the catalog's figures); ``models=False``
    leaves the ``models`` list empty (its facts are still computed), and ``detail=False``
    leaves out the month-by-month rows, deployments and bills of the ``costs`` object (its
    figures that facts rest on, and the facts, are the same), for callers that read only the
    facts many times over (flip points, Monte Carlo). ``need``: the facts the caller reads
    (None: all); a part of :data:`SECTIONS` none of whose facts is needed is skipped, and the
    facts it would give are absent (the others are the same). ``reuse``: ``values`` is the
    same mapping, unchanged, as in earlier calls with ``reuse`` (a what-if that scales the
    catalog and changes no answer): what depends on the answers alone is kept for it.
    """
    p = prepare(catalog)
    # whole results are kept for decisions (detail), which the TUI and the tests evaluate
    # over the same answers again; the facts-only what-if path rarely repeats an input, so
    # there the key would cost without paying
    key = _derive_key(values, excluded, scales, models, detail, need) if detail else None
    kept: dict[tuple[Any, ...], Derived] | None = None
    if key is not None:
        kept = memo_of(p, "derived")
        hit = kept.get(key)
        if hit is not None:
            # fresh top-level containers, so a caller that adds to its facts or costs adds to
            # its own; the nested parts are shared read-only, as they are between evaluations
            return Derived(hit.facts.copy(), hit.costs.copy(), hit.models.copy())
    found = _derive(p, values, excluded, scales, models, detail, need, reuse)
    if kept is not None and key is not None:
        keep(kept, key, found, _DERIVED_KEPT)
        return Derived(found.facts.copy(), found.costs.copy(), found.models.copy())
    return found


_DERIVED_KEPT = 64
# answer types a derivation's key may hold: compared by value and type (1, 1.0 and True are
# equal keys but print differently), floats also by sign (0.0 and -0.0)
_PLAIN_KEYS = (str, int, bool, type(None), _dt.date)


def _derive_key(
    values: Mapping[str, Any],
    excluded: Mapping[str, Sequence[str]],
    scales: Scales | None,
    models: bool,
    detail: bool,
    need: frozenset[str] | None,
) -> tuple[Any, ...] | None:
    """Everything a derivation reads besides the catalog, as a key: the answers (each with
    its type, and a float with its sign), the exclusions, the scales and the flags. None when
    an answer is of a type not listed here (not kept, rather than compared loosely), or the
    answers are not a plain dict.

    Why keep whole derivations: a rule set's tests and the TUI evaluate the same answers over
    and over (the fuzzing's 2,000 rule sets share 20 answer sets; a TUI tab switch evaluates
    again), and the key costs a few microseconds against a derivation's hundreds."""
    if type(values) is not dict:
        # another mapping may watch what the cost model reads (the what-if engine's
        # recording view learns which answers reach it): reading every answer for a key
        # would tell it the cost model reads them all
        return None
    parts: list[Any] = []
    add = parts.append
    for k, v in values.items():
        t = type(v)
        if t is float:
            add((k, v, math.copysign(1.0, v)))
        elif t in _PLAIN_KEYS:
            add((k, v, t))
        elif t is list or t is tuple:
            if not all(type(x) is str for x in v):
                return None
            add((k, tuple(v), t))
        else:
            return None
    for k, reasons in excluded.items():
        if type(k) is not str or not all(type(x) is str for x in reasons):
            return None
        add((k, tuple(reasons)))
    if scales is not None and not all(
        type(x) is float and x > 0
        for x in (scales.hosted_price, scales.managed_price, scales.gpu_price, scales.throughput)
    ):
        return None
    return (tuple(parts), len(values), scales, models, detail, need)


def _derive(
    p: Prepared,
    values: Mapping[str, Any],
    excluded: Mapping[str, Sequence[str]],
    scales: Scales | None,
    models: bool,
    detail: bool,
    need: frozenset[str] | None,
    reuse: bool,
) -> Derived:
    """:func:`derive` itself (``derive`` keeps its results)."""
    run = _sections(need)
    # facts only, and not the best viable model (which prices every model): price only what
    # the self-hosted choice reads
    lean = need is not None and not models and not detail and "models.best_viable" not in need
    sc = scales if scales is not None and not scales.neutral else None
    st = _stage(p, values, reuse)
    missing = st.missing
    view = model_view(p, values, excluded)
    mm = view.multimodal
    n_models = len(p.models)

    facts: dict[str, Any] = {}
    notes: list[str] = []
    costs: Costs = {
        "currency": "USD",
        "pending": sorted(missing & _SELF_INPUTS),
        "workload": None,
        "stay_hosted": None,
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
    hosted_plan: Plan | None = None
    start = _start(p)
    terms = st.terms
    if sc is not None:
        terms = terms.scaled(sc.hosted_price, sc.managed_price)
    # every option is costed month by month along one volume path (today's volume growing to
    # the growth factor over the horizon), so horizon totals compare like with like
    hz = _horizon(p, start, horizon if horizon is not None else 1.0, st.growth)
    factors = hz.factors
    bills = _bills(p, inp, out, terms)  # the hosted bills of these tokens and terms
    if have_tokens:
        total_tokens = inp + out
        facts["cost.monthly_tokens"] = total_tokens
        if hosted_model is not None:
            stay = _stay(p, hosted_model, inp, out, horizon, start, terms, hz, st.growth, values)
            hosted_plan = stay.plan
            hosted_cost = hosted_plan.first_total
            _hosted(
                p,
                stay,
                horizon,
                start,
                terms,
                hz,
                bills,
                values,
                facts,
                costs,
                notes,
                detail,
                "switch" in run,
            )
            if "cheaper" in run:
                # the current model's bill of all the tokens: the cheaper models are priced
                # for all of them too (the frontier share aside, like for like); without a
                # split in month 1 that bill is month 1's, already at hand
                on = stay.current  # the current model's bill, whichever plan is priced
                whole = (
                    on.first_total
                    if on.frontier is None
                    else _bill_at(on.first.model, inp, out, terms)
                )
                _cheaper_hosted(p, hosted_model, whole, inp, out, values, facts, terms.price_scale)
        _managed(
            p,
            view,
            values,
            inp,
            out,
            horizon,
            terms,
            factors,
            hosted_cost,
            facts,
            costs,
            notes,
            detail,
        )
    _exchange(p, values, costs)

    per_model: list[Best] = [None] * n_models
    table: Table | None = None
    if (
        have_tokens
        and horizon is not None
        and values.get("ops.engineer_annual_cost_usd") is not None
    ):
        w = st.work if st.work is not None else workload(p, values)
        if sc is not None and sc.gpu_price != 1.0:
            w = w.at_gpu_price(sc.gpu_price)
        table = Table(p, w, sc.throughput if sc is not None else 1.0)
        r0 = w.min_replicas
        vol = w.output_tokens
        level, needed_basis = _self_host_level(view, hosted_model)
        picked = _pick(p, view, level, bool(mm))
        pinned_gpu = values.get("selfhost.gpu")
        if lean and pinned_gpu is None:
            per_model = _priced_for_choice(p, table, picked, values, vol)
        else:
            all_costs = table.costs_at(vol)
            if pinned_gpu is not None:
                # a pinned GPU: only its deployments are priced
                for ci, (_, g) in enumerate(p.cand_pairs):
                    if p.gpus[g].id != pinned_gpu:
                        all_costs[ci] = math.inf
            per_model = _within_context(
                p,
                w,
                [
                    e if e is not None and math.isfinite(e[0]) else None
                    for e in table.per_model(p, all_costs)
                ],
            )
        if detail:
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
        if picked is not None:
            picked = _narrow(p, picked, per_model, values, w, notes)
        # False when no deployment in the catalog can serve these answers (e.g. no open model
        # holds the longest prompt plus answer): the rules then veto self-hosting instead of
        # comparing costs with its figures missing (tests/test_soundness_properties.py)
        facts["cost.self_host_available"] = picked is not None
        if picked is not None:
            basis, pool = picked
            chosen_model, runner = _choose(p, table, pool, per_model, vol)
            entry = per_model[chosen_model]
            assert entry is not None
            self_cost, chosen_index = entry
            chosen = table.terms(p, chosen_index)
            parts = breakdown(chosen, w, vol)
            along = _along(chosen, w, vol, factors)
            self_usd = [round(usd, 2) for _, _, usd in along]  # _money, inline
            self_total = sum(self_usd)
            growth = _growth_factor(p, values)
            costs["estimated"] = chosen.estimated
            if detail:
                _self_host(
                    p,
                    w,
                    chosen,
                    parts,
                    basis,
                    horizon,
                    level,
                    needed_basis,
                    chosen_model,
                    runner,
                    per_model,
                    along,
                    self_usd,
                    factors,
                    costs,
                    notes,
                )
            facts.update(
                {
                    "cost.self_host_monthly_usd": self_cost,
                    "cost.self_host_horizon_usd": self_total,
                    "cost.gpus_total_at_horizon": along[-1][1],
                    "cost.self_host_gpu_monthly_usd": parts.gpu,
                    "cost.self_host_power_overhead_monthly_usd": parts.power_overhead,
                    "cost.self_host_people_monthly_usd": parts.people,
                    "cost.migration_monthly_usd": parts.migration,
                    "cost.engineers_needed": parts.engineers_fte,
                    "cost.gpus_total": parts.gpus_total,
                    "cost.replicas": parts.replicas,
                    "cost.gpus_per_replica": chosen.candidate.gpus,
                    "cost.utilisation": parts.utilisation,
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
            if hosted_plan is not None and hosted_cost is not None:
                hosted_path = list(hosted_plan.usd)
                if "versus" in run:
                    _versus(
                        p,
                        table,
                        pool,
                        hosted_plan,
                        hosted_cost,
                        self_cost,
                        facts,
                        costs,
                        terms.price_scale,
                    )
                    month = _breakeven_month(self_usd, hosted_path)
                    be = costs["breakeven"]
                    if be is not None:
                        be["month"] = month
                        be["growth_factor"] = growth
                        be["frontier_share_percent"] = _hosted_frontier(p, values)[0] * 100.0
                    if month is not None:
                        facts["cost.breakeven_month"] = month
                _hybrid(
                    p,
                    table,
                    view,
                    level,
                    bool(mm),
                    hosted_cost,
                    hosted_path,
                    factors,
                    terms,
                    values,
                    facts,
                    costs,
                    notes,
                    detail,
                )

    facts["cost.oncall_rota_size"] = p.a["ops_oncall_rota_size"]
    facts["cost.frontier_split_percent"] = p.a["frontier_share_split_percent"]
    facts["cost.oncall_fte"] = p.a["ops_oncall_rota_size"] * p.a["ops_oncall_fte_per_member"]
    if values.get("usage.volume_growth") is not None:
        facts["cost.growth_factor"] = _growth_factor(p, values)
    _model_facts(p, view, per_model, facts, best=not lean)
    models_json = _models_json(p, view, per_model, table) if models else []
    if missing:
        facts = {k: v for k, v in facts.items() if NEEDS[k].isdisjoint(missing)}
    return Derived(facts, costs, models_json)


def _sections(need: frozenset[str] | None) -> frozenset[str]:
    """The parts of :data:`SECTIONS` to run for the facts in ``need`` (None: every part)."""
    if need is None:
        return frozenset(SECTIONS)
    return frozenset(name for name, made in SECTIONS.items() if not made.isdisjoint(need))


def _cheaper_hosted(
    p: Prepared,
    current: HostedModel,
    current_cost: float,
    inp: float,
    out: float,
    values: Mapping[str, Any],
    facts: dict[str, Any],
    price_scale: float = 1.0,
) -> None:
    """Same-provider hosted models still served, of at least the needed tier, at most half the
    price, so the rules name them from the catalog rather than from a list that ages
    (cost.hosted_cheaper_*)."""
    need = values.get("usage.capability_need")
    if need is None or need not in TIER_LEVEL:
        return
    key = ("cheaper", current.id, need)
    same: list[HostedModel] | None = p.memo.get(key)
    if same is None:
        start = _start(p)
        same = [
            m
            for m in p.hosted.values()
            if m.id != current.id
            and m.provider == current.provider
            # shut down already: no model to move to
            and (m.shutdown is None or m.shutdown > start)
            and TIER_LEVEL[m.tier] >= TIER_LEVEL[need]
        ]
        _remember(p, key, same)
    found: list[tuple[float, str]] = []
    for m in same:
        cost = hosted_monthly(m, inp, out) * price_scale
        if cost <= 0.5 * current_cost:
            found.append((cost, m.id))
    found.sort()
    facts["cost.hosted_cheaper_models"] = [mid for _c, mid in found]
    facts["cost.hosted_cheaper_count"] = len(found)
    facts["cost.hosted_cheaper_monthly_usd"] = found[0][0] if found else current_cost


def _self_host(
    p: Prepared,
    w: Workload,
    chosen: Terms,
    parts: Breakdown,
    basis: Basis,
    horizon: float,
    level: int,
    needed_basis: str,
    chosen_model: int,
    runner: int | None,
    per_model: Sequence[Best],
    along: Sequence[tuple[int, int, float]],
    usd: Sequence[float],
    factors: Sequence[float],
    costs: Costs,
    notes: list[str],
) -> None:
    """costs.self_host: the chosen deployment, its tier, its path, and its notes."""
    self_json = _self_host_json(p, w, chosen, parts, basis, horizon)
    e = per_model[runner] if runner is not None else None
    self_json["tier"] = {
        "needed": LEVEL_NAMES[level],
        "needed_basis": needed_basis,
        "model": p.model_ids[chosen_model],
        "model_tier": p.models[chosen_model].quality_tier,
        "runner_up": p.model_ids[runner] if runner is not None else None,
        "runner_up_gpu": p.gpus[p.candidates[e[1]].gpu].id if e is not None else None,
        "runner_up_monthly_usd": _money(e[0]) if e is not None else None,
    }
    path = _path(w, factors, along, usd)
    self_json["path"] = path
    self_json["horizon_usd"] = _money(sum(m["monthly_usd"] for m in path))
    costs["self_host"] = self_json
    notes.append(_note_for(p, w, chosen, "Self-hosting"))
    if basis != "viable":
        notes.append(self_json["basis_note"])


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


_BREAKEVEN_TRIES = 12  # candidate break-evens checked against the choice, lowest first


def _versus(
    p: Prepared,
    table: Table,
    pool: Sequence[int],
    hosted_plan: Plan,
    hosted_cost: float,
    self_cost: float,
    facts: dict[str, Any],
    costs: Costs,
    price_scale: float = 1.0,
) -> None:
    w = table.w
    facts["cost.savings_monthly_usd"] = hosted_cost - self_cost
    if hosted_cost > 0:
        _put(facts, "cost.self_host_to_hosted_ratio", _div(self_cost, hosted_cost))
    h = hosted_per_output_token(hosted_plan.first.model, w.ratio) * price_scale
    split = hosted_plan.split
    if hosted_plan.frontier is not None and split is not None:
        # month 1 keeps the frontier share on the frontier model: the API's price per token
        # is the two models' blend, as its bill is
        front = hosted_per_output_token(split.model, w.ratio) * price_scale
        h = (1.0 - split.share) * h + split.share * front
    best_v = math.inf
    best_t: Terms | None = None
    if w.output_tokens > 0:
        fixed, per, qs, r0 = table.fixed, table.per_replica, table.q, w.min_replicas
        options: list[tuple[float, int]] = []
        for i in pool:
            for ci in p.by_model[i]:
                v = breakeven_output_tokens(fixed[ci], per[ci], qs[ci], r0, h)
                if math.isfinite(v):
                    options.append((v, ci))
        options.sort()
        # the lowest break-even of a deployment the tool would choose at that volume (an
        # estimate loses to a measurement unless it stays cheaper at the low end of its band)
        for v, ci in options[:_BREAKEVEN_TRIES]:
            at = table.per_model_at(p, pool, v)
            live = [i for i in pool if at[i] is not None]
            pick = at[_choose(p, table, live, at, v)[0]] if live else None
            if pick is not None and pick[1] == ci:
                best_v, best_t = v, table.terms(p, ci)
                break
        else:
            if options:
                best_v, best_t = options[0][0], table.terms(p, options[0][1])
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
    hosted_path: Sequence[float],
    factors: Sequence[float],
    terms: BillTerms,
    values: Mapping[str, Any],
    facts: dict[str, Any],
    costs: Costs,
    notes: list[str],
    detail: bool = True,
) -> None:
    w = table.w
    share = _frontier_share(values)
    frontier = _frontier_model(p, values)
    if frontier is not None:
        # the same bill as staying hosted (cache, batch, region, discount), on the frontier model
        hosted_part = _bill_at(frontier, w.input_tokens * share, w.output_tokens * share, terms)
        facts["cost.frontier_model"] = frontier.id
    else:
        hosted_part = hosted_cost * share
    rest = w.output_tokens * (1.0 - share)
    entry: HybridCost = {"frontier_share_percent": share * 100.0}  # type: ignore[typeddict-item]
    if frontier is not None:
        entry["frontier_model"] = frontier.id
    if share >= 1.0:
        monthly = hosted_cost
        entry.update(
            {
                "hosted_part_usd": _money(hosted_part),
                "self_hosted_part_usd": 0.0,
                "open_part_usd": 0.0,
            }
        )
        entry["note"] = "All traffic needs frontier quality, so the hybrid is the hosted option."
        model_id: str | None = None
    else:
        rem_level = _remainder_level(p, level)
        picked = _pick(p, view, rem_level, mm)
        if picked is None:
            return
        basis, pool = picked
        # the same choice as self-hosting's (an estimate is preferred over a measurement only if
        # it stays cheaper at the low end of its band), at the remainder's volume
        rest_costs = table.per_model_at(p, pool, rest)
        pool = [i for i in pool if rest_costs[i] is not None]
        if not pool:
            return
        chosen_rest = rest_costs[_choose(p, table, pool, rest_costs, rest)[0]]
        assert chosen_rest is not None
        part, t = chosen_rest[0], table.terms(p, chosen_rest[1])
        routing = w.routing_monthly
        part += routing
        managed = _managed_remainder(p, view, rem_level, mm, values, share, terms)
        fixed_m = _managed_fixed(p, w)
        if managed is not None and managed.monthly_usd + fixed_m < part:
            # the open share through a managed endpoint costs less than a deployment of its own
            part = managed.monthly_usd + fixed_m
            monthly = hosted_part + part
            model_id = managed.endpoint.model
            entry.update(
                {
                    "hosted_part_usd": _money(hosted_part),
                    "self_hosted_part_usd": 0.0,
                    "open_part_usd": _money(part),
                    "open_via": "managed_open",
                    "managed_endpoint": managed.endpoint.id,
                    "remainder_need": LEVEL_NAMES[rem_level],
                    "basis": "viable",
                    "viable": True,
                }
            )
            facts["cost.hybrid_open_via"] = "managed_open"
        else:
            monthly = hosted_part + part
            model_id = p.model_ids[t.candidate.model]
            entry.update(
                {
                    "hosted_part_usd": _money(hosted_part),
                    "self_hosted_part_usd": _money(part),
                    "open_part_usd": _money(part),
                    "open_via": "self_host",
                    "remainder_need": LEVEL_NAMES[rem_level],
                    "basis": basis,
                    "viable": basis == "viable",
                }
            )
            if detail:
                parts = breakdown(t, w, rest, routing)
                entry["breakdown"] = parts.parts_json()
                entry["deployment"] = _deployment(p, w, t, parts)
            facts["cost.hybrid_open_via"] = "self_host"
            if t.estimated:
                if detail:
                    notes.append(_note_for(p, w, t, "Hybrid"))
                costs["estimated"] = True
        facts["cost.hybrid_self_host_model"] = model_id
    # Month by month along the same volume path as the other options: the frontier share grows
    # with the volume (and, on the current model, follows its lifecycle); the open remainder
    # adds replicas as it grows, or pays per token through a managed endpoint.
    if share >= 1.0:
        path = list(hosted_path)
    else:
        via_managed = entry.get("open_via") == "managed_open"
        path = []
        along = None if via_managed else _along(t, w, rest, factors, routing)
        for m, f in enumerate(factors):
            front = hosted_part * f if frontier is not None else hosted_path[m] * share
            if along is None:
                rest_m = (monthly - hosted_part - fixed_m) * f + fixed_m
            else:
                rest_m = along[m][2]
            path.append(front + rest_m)
    total = sum(path)
    entry["monthly_usd"] = _money(monthly)
    if detail:
        entry["monthly_path_usd"] = [_money(x) for x in path]
    entry["horizon_usd"] = _money(total)
    facts["cost.hybrid_monthly_usd"] = monthly
    facts["cost.hybrid_horizon_usd"] = total
    if hosted_cost > 0:
        ratio = _div(monthly, hosted_cost)
        _put(facts, "cost.hybrid_to_hosted_ratio", ratio)
        ratios = costs["ratios"] if costs["ratios"] is not None else {}
        ratios["hybrid_to_hosted"] = _maybe_round(ratio, 4)
        costs["ratios"] = ratios
    costs["hybrid"] = entry


def _bill_at(h: HostedModel, inp: float, out: float, terms: BillTerms) -> float:
    """The month's bill total of ``h``: at a scaled price level, the catalog-price bill times
    the level (the same computation as a scaled plan's, and as the Monte Carlo's batch)."""
    scale = terms.price_scale
    if scale == 1.0:
        return bill(h, inp, out, terms).total
    return bill(h, inp, out, terms.scaled(1.0)).scaled(scale).total


def _frontier_model(p: Prepared, values: Mapping[str, Any]) -> HostedModel | None:
    """The hosted model serving the hybrid's frontier share: ``usage.frontier_model`` if it is
    in the catalog; else the cheapest hosted model of the highest tier the catalog rates (list
    price per 1M output tokens); else, without tier data, the current model. Kept per catalog
    by the two answers it reads."""
    named = values.get("usage.frontier_model")
    current = values.get("usage.current_model")
    key = ("frontier", named, current)
    if key in p.memo:
        hit: HostedModel | None = p.memo[key]
        return hit
    found = _find_frontier(p, named, current)
    _remember(p, key, found)
    return found


def _remember(p: Prepared, key: tuple[Any, ...], value: Any) -> None:
    """Keep ``value`` in the catalog's memo (emptied when full), for the few entries every
    evaluation reads; memos that take an entry per new set of answers have their own
    (:func:`~advisor.catalog.prepare.memo_of`)."""
    keep(p.memo, key, value, MEMO_SIZE)


def _find_frontier(p: Prepared, named: Any, current: Any) -> HostedModel | None:
    if named is not None and str(named) in p.hosted:
        return p.hosted[str(named)]
    start = _start(p)
    # models still served: a shut-down model is no choice for new traffic
    rated = [h for h in p.hosted.values() if h.shutdown is None or h.shutdown > start]
    if rated:
        top = max(TIER_LEVEL[h.tier] for h in rated)
        best = [h for h in rated if TIER_LEVEL[h.tier] == top]
        return min(best, key=lambda h: (h.input_usd_per_1m + h.output_usd_per_1m, h.id))
    return p.hosted.get(str(current))


def _model_facts(
    p: Prepared,
    view: ModelView,
    per_model: Sequence[Best],
    facts: dict[str, Any],
    best: bool = True,
) -> None:
    facts.update(view.facts)
    for name in ("models.eligible", "models.capable", "models.viable"):
        facts[name] = list(facts[name])
    if not best:
        return
    viable = [i for i in range(len(p.models)) if view.eligible[i] and view.meets[i] is True]
    if viable:
        top = min(viable, key=lambda i: (-p.levels[i], _plan_cost(per_model[i]), i))
        facts["models.best_viable"] = p.model_ids[top]


_NO_COST = {"estimated_monthly_usd": None, "estimated": False, "deployment": None}


def _models_json(
    p: Prepared, view: ModelView, per_model: Sequence[Best], table: Table | None
) -> list[ModelEntry]:
    # The entries are assembled from per-catalog and per-answers parts shared across
    # evaluations (speed), so mypy cannot follow the keys: the list's type promises ModelEntry
    # (rather than a typing.cast, a function call per model on every evaluation), and
    # tests/test_ci_schemas.py holds every entry to the decision schema.
    out: list[Any] = []
    for i, part in enumerate(view.parts):
        entry = per_model[i]
        if entry is None or table is None:
            out.append({**part, **_NO_COST})
            continue
        estimated = not table.points[entry[1]]
        d = {**part}  # a plain copy of one dict is CPython's fastest way to build one
        d["estimated_monthly_usd"] = round(entry[0], 2)
        d["estimated"] = estimated
        d["deployment"] = p.deployment_summary[entry[1]][estimated]
        out.append(d)
    return out


def _horizon(p: Prepared, start: _dt.date, horizon: float, growth: float) -> Horizon:
    """The months of the horizon along the volume path, kept per catalog (few distinct
    horizons and growth answers occur)."""
    key = ("horizon", horizon, growth)
    hit = p.memo.get(key)
    if hit is None:
        hit = Horizon(p.hosted, start, horizon, _factors(growth, _months(horizon)))
        _remember(p, key, hit)
    assert isinstance(hit, Horizon)
    return hit


_BILLS_KEPT = 8
_ABSENT = object()  # a memo's miss, where None is a kept result


def _bills(p: Prepared, inp: float, out: float, terms: BillTerms) -> Bills:
    """The hosted bills of these tokens and terms, each model billed once and kept for the
    last few (tokens, terms): the TUI re-evaluates on every answer while the volumes and the
    bill's answers mostly stay put. A bill is a pure function of the catalog's model, the
    tokens and the terms, so a kept bill is the bill."""
    if inp == 0 or out == 0:
        return {}  # 0.0 and -0.0 are equal keys but may print differently: not kept
    kept: dict[tuple[float, float, BillTerms], Bills] = memo_of(p, "bills")
    key = (inp, out, terms)
    hit = kept.get(key)
    if hit is None:
        hit = {}
        keep(kept, key, hit, _BILLS_KEPT)
    return hit


@dataclass(frozen=True, slots=True)
class _Stage:
    """What a derivation reads from the answers alone, whatever the scales."""

    missing: frozenset[str]
    terms: BillTerms
    growth: float
    work: Workload | None  # None: computed where needed (the answers may not allow it)


def _stage(p: Prepared, values: Mapping[str, Any], reuse: bool) -> _Stage:
    """The answers-only part of a derivation; with ``reuse``, kept for this very mapping (the
    memo holds the mapping, so its id cannot be reused while the entry lives)."""
    key = ("stage", id(values))
    if reuse:
        hit = p.memo.get(key)
        if hit is not None and hit[0] is values:
            found: _Stage = hit[1]
            return found
    current = p.hosted.get(str(values.get("usage.current_model")))
    work = None
    if reuse and all(
        values.get(q) is not None
        for q in (
            "usage.monthly_input_tokens",
            "usage.monthly_output_tokens",
            "strategy.horizon_months",
            "ops.engineer_annual_cost_usd",
        )
    ):
        work = workload(p, values)
    st = _Stage(
        # a set difference at C speed for a dict; another mapping is asked key by key (the
        # what-if engine's recording view learns which answers are read)
        ALL_INPUTS.difference(values)
        if type(values) is dict
        else frozenset(q for q in ALL_INPUTS if q not in values),
        BillTerms.of(values, current.provider if current is not None else None),
        _growth_factor(p, values),
        work,
    )
    if reuse:
        _remember(p, key, (values, st))
    return st


def _hosted_plan(
    p: Prepared,
    h: HostedModel,
    inp: float,
    out: float,
    horizon: float | None,
    start: _dt.date,
    unit: BillTerms,
    hz: Horizon,
    growth: float,
    values: Mapping[str, Any],
) -> Plan:
    """``h``'s :func:`~advisor.catalog.hosted.plan` at the catalog's prices (``unit``: terms
    at price level 1), the frontier share on the hybrid's frontier model (:func:`_split`),
    kept per catalog for the last tokens and terms. A bill is linear in the price level, so
    :func:`_stay` scales the plan it chooses for a what-if, and a Monte Carlo sample only
    multiplies."""
    span = horizon if horizon is not None else 1.0
    share, frontier = _hosted_frontier(p, values)
    front = (share, frontier.id) if frontier is not None else None
    plans = memo_of(p, "plan")
    key = (h.id, inp, out, unit, span, growth, front)
    hit: Plan | None = plans.get(key) if inp != 0 and out != 0 else None
    if hit is None:
        bills = _bills(p, inp, out, unit)
        split = _split(p, share, frontier, inp, out, unit)
        hit = plan(
            p.hosted,
            h,
            inp,
            out,
            span,
            start,
            unit,
            hz.factors,
            months=hz,
            bills=bills,
            split=split,
        )
        if inp != 0 and out != 0:  # 0.0 and -0.0 are equal keys but may print differently
            keep(plans, key, hit)
    return hit


CHANGE = "hosted_model_change_engineer_months"
ROUTING = "hybrid_routing_engineer_months"


def _engineer_months(p: Prepared, values: Mapping[str, Any], months: float) -> float | None:
    """``months`` engineer-months at ``ops.engineer_annual_cost_usd`` / 12; 0 for none, None
    when some are needed and the engineer cost is unanswered."""
    if months == 0:
        return 0.0
    annual = values.get(ENGINEER_COST)
    if annual is None:
        return None
    return months * float(annual) / 12.0


def _change_usd(p: Prepared, values: Mapping[str, Any], n: int) -> float | None:
    """The one-offs of ``n`` changes of hosted model (:func:`~advisor.catalog.hosted.changes`):
    ``hosted_model_change_engineer_months`` each; 0 without a change, None when a change needs
    the unanswered engineer cost."""
    if n == 0:
        return 0.0
    each = _engineer_months(p, values, p.a[CHANGE])
    return None if each is None else n * each


def _routing_usd(p: Prepared, values: Mapping[str, Any], split: bool) -> float | None:
    """The router a hosted plan needs when it keeps the frontier share on a frontier model and
    the rest on another (``split``): the hybrid's ``hybrid_routing_engineer_months``, once, as
    the hybrid carries it (spread over its months); 0 without a split."""
    return _engineer_months(p, values, p.a[ROUTING]) if split else 0.0


@dataclass(frozen=True, slots=True)
class Stay:
    """How staying hosted is priced (:mod:`advisor.catalog.hosted`, "Changing model"): the
    cheaper of staying on the current model (``current``, with its successor from its shutdown
    on) and moving now to the provider's cheapest model of the tier (``moved``), each with its
    one-offs: its changes of model and, when it splits off the frontier share, the router. The
    choice is made at the catalog's prices and kept at every price level (a what-if or a Monte
    Carlo sample scales what the chosen plan costs, not which plan staying hosted follows), so
    the batch's columns are this arithmetic exactly."""

    plan: Plan  # the plan priced
    current: Plan  # staying on the current model
    moved: bool
    changes: int  # changes of hosted model in ``plan`` over the horizon
    change_usd: float | None  # their one-offs (None: the engineer cost is unanswered)
    routing_usd: float | None  # the router, when ``plan`` splits off the frontier share
    current_change_usd: float | None  # the one-offs staying on the current model would pay
    current_routing_usd: float | None

    @property
    def one_offs_usd(self) -> float:
        """The plan's one-offs: its changes of model and its router (0 where unanswered)."""
        return (self.change_usd or 0.0) + (self.routing_usd or 0.0)

    @property
    def known(self) -> bool:
        """The one-offs are known (their engineer cost is answered, or none is needed)."""
        return self.change_usd is not None and self.routing_usd is not None

    @property
    def horizon_usd(self) -> float:
        """The horizon total of staying hosted: the plan's bills plus its one-offs."""
        return self.plan.horizon_usd + self.one_offs_usd

    @property
    def current_horizon_usd(self) -> float | None:
        """What staying on the current model would cost over the horizon, one-offs included."""
        if self.current_change_usd is None or self.current_routing_usd is None:
            return None
        return self.current.horizon_usd + (self.current_change_usd + self.current_routing_usd)

    def scaled(self, factor: float) -> Stay:
        if factor == 1.0:
            return self
        current = self.current.scaled(factor)
        return Stay(
            current if not self.moved else self.plan.scaled(factor),
            current,
            self.moved,
            self.changes,
            self.change_usd,
            self.routing_usd,
            self.current_change_usd,
            self.current_routing_usd,
        )


def _stay(
    p: Prepared,
    h: HostedModel,
    inp: float,
    out: float,
    horizon: float | None,
    start: _dt.date,
    terms: BillTerms,
    hz: Horizon,
    growth: float,
    values: Mapping[str, Any],
) -> Stay:
    """Staying hosted (:class:`Stay`) at ``terms``' price level: chosen at the catalog's prices
    (both plans are kept per catalog by :func:`_hosted_plan`), then scaled."""
    scale = terms.price_scale
    unit = terms if (scale, terms.managed_scale) == (1.0, 1.0) else terms.scaled(1.0, 1.0)
    current = _hosted_plan(p, h, inp, out, horizon, start, unit, hz, growth, values)
    n_current = changes(hz, h, h)
    change = _change_usd(p, values, n_current)
    routing = _routing_usd(p, values, current.split is not None)
    chosen = Stay(current, current, False, n_current, change, routing, change, routing)
    found = _move_target(p, h, inp, out, horizon, start, unit, hz, values)
    if found is not None and found[0].id != current.first.model.id:
        target, bills_usd, split = found
        n_move = changes(hz, target, h)
        move_change = _change_usd(p, values, n_move)
        move_routing = _routing_usd(p, values, split)
        # an unanswered engineer cost leaves both plans without their one-offs: the bills decide.
        # A move must save at least a cent over the horizon: the search adds a model's months
        # in another order than the plan does, so equal prices (a renamed model, a successor at
        # the same price) differ in the last bits, which is no reason to move.
        move_total = bills_usd + (move_change or 0.0) + (move_routing or 0.0)
        if move_total < chosen.horizon_usd - 0.01:
            moved = _hosted_plan(p, target, inp, out, horizon, start, unit, hz, growth, values)
            chosen = Stay(moved, current, True, n_move, move_change, move_routing, change, routing)
    return chosen.scaled(scale)


@dataclass(frozen=True, slots=True)
class _Search:
    """What the search for a cheaper hosted model (the switch row, the move staying hosted may
    make) reads from the answers, read in one place so both searches ask the same."""

    span: float  # the horizon in months (1 when unanswered)
    need_regional: bool  # the residency asks for regional processing
    min_level: int  # the capability the work needs (TIER_LEVEL), 0 when unanswered
    share: float  # the frontier share kept on a frontier model (_hosted_frontier)
    frontier: HostedModel | None

    @classmethod
    def of(cls, p: Prepared, values: Mapping[str, Any], horizon: float | None) -> _Search:
        share, frontier = _hosted_frontier(p, values)
        return cls(
            horizon if horizon is not None else 1.0,
            values.get("data.residency") in ("eu", "in_country"),
            # a model below the work's need is no switch, however cheap (a frontier workload on
            # a reasoning-tier model would be offered a reasoning-tier "saving")
            TIER_LEVEL.get(str(values.get("usage.capability_need")), 0),
            share,
            frontier,
        )

    def key(self, h: HostedModel, inp: float, out: float, terms: BillTerms, hz: Horizon) -> Any:
        """A memo key of everything the search reads: the current model through its tier only
        (with the need's level); the horizon object by identity (the key holds it, so it is not
        freed and its id not reused); the split is a pure function of the rest."""
        return (
            max(TIER_LEVEL[h.tier], self.min_level),
            inp,
            out,
            terms,
            self.span,
            hz,
            self.need_regional,
            self.share,
            self.frontier.id if self.frontier is not None else None,
        )

    def run(
        self,
        p: Prepared,
        h: HostedModel,
        inp: float,
        out: float,
        start: _dt.date,
        terms: BillTerms,
        hz: Horizon,
        bills: Bills,
        provider: str | None = None,
    ) -> tuple[Plan, SwitchHosted] | None:
        return cheapest_switch(
            p.hosted,
            h,
            inp,
            out,
            self.span,
            start,
            terms,
            self.need_regional,
            hz.factors,
            months=hz,
            bills=bills,
            min_level=self.min_level,
            # the frontier share stays on the frontier model whichever model takes the rest
            split=(_split(p, self.share, self.frontier, inp, out, terms) if self.share else None),
            provider=provider,
        )


def _move_target(
    p: Prepared,
    h: HostedModel,
    inp: float,
    out: float,
    horizon: float | None,
    start: _dt.date,
    unit: BillTerms,
    hz: Horizon,
    values: Mapping[str, Any],
) -> tuple[HostedModel, float, bool] | None:
    """The current provider's cheapest hosted model over the horizon, of the current model's
    tier or higher and of the capability the work needs, with regional processing when the
    residency asks for it (the search of the switch row, within one provider), its bills over
    the horizon, at the catalog's prices, and whether it splits off the frontier share; kept
    per catalog by everything it reads."""
    if inp == 0 or out == 0:
        return None
    search = _Search.of(p, values, horizon)
    key = (h.provider, search.key(h, inp, out, unit, hz))
    targets = memo_of(p, "move")
    kept = targets.get(key, _ABSENT)
    if kept is not _ABSENT:
        found: tuple[HostedModel, float, bool] | None = kept
        return found
    hit = search.run(p, h, inp, out, start, unit, hz, _bills(p, inp, out, unit), h.provider)
    target = (
        (hit[0].current, hit[0].horizon_usd, hit[0].split is not None) if hit is not None else None
    )
    keep(targets, key, target)
    return target


def _split(
    p: Prepared,
    share: float,
    frontier: HostedModel | None,
    inp: float,
    out: float,
    terms: BillTerms,
) -> FrontierSplit | None:
    """The frontier share kept on the frontier model in the hosted option, as the hybrid keeps
    it (:mod:`advisor.catalog.hosted`, "Frontier share"): both options then serve those
    requests at the same quality, so their costs compare like with like. None without a share
    or a frontier model."""
    if share <= 0 or frontier is None:
        return None
    if inp == 0 or out == 0:  # 0.0 and -0.0 are equal keys but may print differently
        return frontier_split(share, frontier, inp, out, terms)
    # kept per catalog, as the bills are (_bills): a split is a pure function of these
    # arguments, and keeping it keeps the bills of its other tokens (``rest``), which the plan
    # and the switch search would otherwise bill again for every model on every evaluation
    splits = memo_of(p, "split")
    key = (share, frontier.id, inp, out, terms)
    hit: FrontierSplit | None = splits.get(key)
    if hit is None:
        hit = frontier_split(share, frontier, inp, out, terms)
        keep(splits, key, hit)
    return hit


def _start(p: Prepared) -> _dt.date:
    hit = p.memo.get(("start",))
    if hit is None:
        hit = p.memo[("start",)] = start_date(p.catalog)
    assert isinstance(hit, _dt.date)
    return hit


def _hosted(
    p: Prepared,
    stay: Stay,
    horizon: float | None,
    start: _dt.date,
    terms: BillTerms,
    hz: Horizon,
    bills: Bills,
    values: Mapping[str, Any],
    facts: dict[str, Any],
    costs: Costs,
    notes: list[str],
    detail: bool = True,
    switch: bool = True,
) -> None:
    """costs.stay_hosted and the cost.hosted_* facts: the plan staying hosted is priced on
    (:class:`Stay`), the current model's lifecycle, the bill's modifiers and (``switch``) the
    "switch hosted model" row."""
    pl = stay.plan
    now = stay.current  # staying on the current model: its lifecycle is the user's
    h = now.current
    first = pl.first
    hosted_cost = pl.first_total
    inp = float(values["usage.monthly_input_tokens"])
    out = float(values["usage.monthly_output_tokens"])
    facts["cost.hosted_monthly_usd"] = hosted_cost
    frontier = pl.frontier
    facts["cost.hosted_frontier_share_percent"] = (
        pl.split.share * 100.0 if pl.split is not None and frontier is not None else 0.0
    )
    facts["cost.hosted_frontier_model"] = (
        frontier.model.id if frontier is not None else first.model.id
    )
    facts["cost.hosted_frontier_monthly_usd"] = frontier.total if frontier is not None else 0.0
    _put(facts, "cost.hosted_usd_per_1m_tokens", _div(hosted_cost * 1e6, inp + out))
    facts["cost.hosted_shut_down"] = now.shut_down
    facts["cost.hosted_month1_model"] = first.model.id
    facts["cost.hosted_moves_now"] = stay.moved
    if h.replaced_by is not None:
        facts["cost.hosted_successor"] = h.replaced_by
    if h.shutdown is not None:
        facts["cost.hosted_shutdown_date"] = h.shutdown.isoformat()
    within = now.switch_month is not None and not now.shut_down
    one_off = stay.change_usd
    if horizon is not None:
        facts["cost.hosted_shutdown_within_horizon"] = within
        if now.switch_month is not None:
            facts["cost.hosted_switch_month"] = now.switch_month
        if stay.known:
            facts["cost.hosted_horizon_usd"] = stay.horizon_usd
            facts["cost.hosted_change_usd"] = one_off
            facts["cost.hosted_routing_usd"] = stay.routing_usd
            facts["cost.hosted_current_horizon_usd"] = stay.current_horizon_usd
    if now.shut_down:
        notes.append(
            f"{h.name} ({h.id}) was shut down on {h.shutdown.isoformat() if h.shutdown else '?'}; "
            f"its traffic is priced at {first.model.name} ({first.model.id}) from month 1"
            + (
                f", which costs less than its successor {h.replaced_by}."
                if stay.moved
                else ", its successor."
            )
        )
    elif within and h.shutdown is not None:
        month = now.switch_month or 1
        if stay.moved:
            notes.append(
                f"{h.name} ({h.id}) shuts down on {h.shutdown.isoformat()}; staying hosted is "
                f"priced as moving its traffic to {first.model.id} in month 1, which costs less "
                f"than staying on {h.id} until then and moving to {now.serving[month - 1].id} from "
                f"month {month} ({now.labels[month - 1]})."
            )
        else:
            notes.append(
                f"{h.name} ({h.id}) shuts down on {h.shutdown.isoformat()}; from month "
                f"{month} ({now.labels[month - 1]}) its traffic is priced at its successor "
                f"{now.serving[month - 1].id}."
            )
    elif stay.moved:
        notes.append(
            f"Staying hosted is priced as moving the traffic from {h.id} to {first.model.id} "
            "in month 1: the same provider's model of the tier costs less over the horizon, "
            "the change included."
        )
    if not stay.known:
        notes.append(
            "Changing hosted model (re-testing prompts) and routing the frontier share cost "
            "engineering time once; staying hosted has no horizon total until "
            "ops.engineer_annual_cost_usd is answered."
        )
    found = _switch(p, h, inp, out, horizon, start, terms, hz, bills, values) if switch else None
    switch_total: float | None = None
    if found is not None:
        best, row = found
        facts["cost.switch_hosted_model"] = row["model"]
        facts["cost.switch_hosted_monthly_usd"] = best.first_total
        row_change = _change_usd(p, values, changes(hz, best.current, h))
        row_routing = _routing_usd(p, values, best.split is not None)
        row_off = (
            row_change + row_routing if row_change is not None and row_routing is not None else None
        )
        if horizon is not None and row_off is not None:
            switch_total = best.horizon_usd + row_off
            facts["cost.switch_hosted_horizon_usd"] = switch_total
            if stay.horizon_usd > 0:
                _put(
                    facts,
                    "cost.switch_hosted_to_hosted_ratio",
                    _div(switch_total, stay.horizon_usd),
                )
        row["change_usd"] = _maybe_money(row_change)
        row["routing_usd"] = _maybe_money(row_routing)
        row["horizon_usd"] = _money(switch_total) if switch_total is not None else None
    if not detail:
        return
    entry: HostedCost = {
        "model": first.model.id,
        "input_usd_per_1m": first.model.input_usd_per_1m,
        "output_usd_per_1m": first.model.output_usd_per_1m,
        "monthly_usd": _money(hosted_cost),
        "horizon_usd": _money(stay.horizon_usd) if horizon is not None and stay.known else None,
        "as_of": first.model.as_of.isoformat(),
        "source": first.model.source,
        "current_model": h.id,
        "tier": h.tier,
        "provider": h.provider,
        "start_date": start.isoformat(),
        "month1_model": first.model.id,
        "successor": h.replaced_by,
        "shutdown": h.shutdown.isoformat() if h.shutdown is not None else None,
        "shut_down": now.shut_down,
        "switch_month": now.switch_month,
        "path": "move" if stay.moved else "current",
        "changes": stay.changes,
        "change_usd": _maybe_money(one_off),
        "change_engineer_months": p.a[CHANGE],
        "routing_usd": _maybe_money(stay.routing_usd),
        "current_monthly_usd": _money(now.first_total),
        "current_horizon_usd": (
            _money(stay.current_horizon_usd)
            if horizon is not None and stay.current_horizon_usd is not None
            else None
        ),
        "list_monthly_usd": _money(first.list_usd),
        "modifiers": [{**m, "monthly_usd": _money(m["monthly_usd"])} for m in first.modifiers],
        "months": list(pl.months) if horizon is not None else [],
        "switch_hosted": None,
        "frontier_model": None,
        "frontier_share_percent": None,
        "frontier_monthly_usd": None,
    }
    if pl.split is not None:
        entry["frontier_model"] = pl.split.model.id
        entry["frontier_share_percent"] = pl.split.share * 100.0
        entry["frontier_monthly_usd"] = (
            _money(pl.frontier.total) if pl.frontier is not None else None
        )
    if horizon is not None:  # the same month-by-month figures as the other options' paths
        entry["monthly_path_usd"] = list(pl.usd)
    if found is not None:
        entry["switch_hosted"] = found[1]
    costs["stay_hosted"] = entry


def _switch(
    p: Prepared,
    h: HostedModel,
    inp: float,
    out: float,
    horizon: float | None,
    start: _dt.date,
    terms: BillTerms,
    hz: Horizon,
    bills: Bills,
    values: Mapping[str, Any],
) -> tuple[Plan, SwitchHosted] | None:
    """The "switch hosted model" search (:func:`~advisor.catalog.hosted.cheapest_switch`),
    kept per catalog by everything it reads: it prices every hosted model of the tier over
    the horizon, a fifth of an evaluation, while the TUI re-evaluates on every answer and the
    what-if variants of one case mostly keep the tokens, terms and horizon. The row is copied
    on the way out, so a caller that edits its decision's JSON edits its own."""
    search = _Search.of(p, values, horizon)
    key = search.key(h, inp, out, terms, hz)
    kept_ok = inp != 0 and out != 0  # 0.0 and -0.0 are equal keys but may print differently
    switches = memo_of(p, "switch")
    hit: tuple[Plan, SwitchHosted] | None
    if kept_ok:
        # one get, not `in` then a lookup: the TUI's worker thread may empty the memo between
        kept = switches.get(key, _ABSENT)
        if kept is not _ABSENT:
            hit = kept
            return (hit[0], {**hit[1]}) if hit is not None else None
    hit = search.run(p, h, inp, out, start, terms, hz, bills)
    if kept_ok:
        keep(switches, key, hit)
        if hit is not None:
            return hit[0], {**hit[1]}
    return hit


def _allowed_models(
    p: Prepared, view: ModelView, level: int, mm: bool | None, values: Mapping[str, Any]
) -> dict[str, bool]:
    """The open models a managed endpoint may serve: eligible, of the needed tier and
    modality, and with a context window that holds the longest prompt plus answer (as for a
    deployment of one's own; an endpoint cannot serve more than its model reads). Kept with
    the view (read-only)."""
    longest = values.get("usage.context_longest_tokens")
    need = float(longest) if longest is not None else 0.0
    key = ("allowed", level, mm, need)
    hit: dict[str, bool] | None = view.kept.get(key)
    if hit is None:
        hit = view.kept[key] = {
            p.model_ids[i]: bool(view.eligible[i])
            and p.levels[i] >= level
            and (not mm or bool(p.multimodal[i]))
            and p.models[i].context_tokens >= need
            for i in range(len(p.models))
        }
    return hit


_CHOICES_KEPT = 32


def _cheapest_endpoint(
    p: Prepared,
    view: ModelView,
    allowed: dict[str, bool],
    residency: str | None,
    inp: float,
    out: float,
    t: BillTerms,
) -> Choice | None:
    """:func:`~advisor.catalog.managed.choose` over the catalog's endpoints. Every endpoint's
    bill is linear in the price level (``t.price_scale``), so the cheapest endpoint is the same
    at every level: it is chosen once at the catalog's prices (kept with the view for the last
    few volumes and terms) and its bill scaled. That is what makes a Monte Carlo sample, which
    scales the managed prices, cheap."""
    scale = t.price_scale
    unit = t.scaled(1.0) if scale != 1.0 else t
    if inp == 0 or out == 0:  # 0.0 and -0.0 are equal keys but may print differently
        c0 = choose(p.catalog.managed_endpoints, allowed, residency, inp, out, unit)
        return c0.scaled(scale) if c0 is not None and scale != 1.0 else c0
    key = (id(allowed), residency, inp, out, unit)
    # dict.setdefault and dict.clear are atomic: the TUI's worker thread shares the view
    kept: dict[tuple[Any, ...], Choice | None] = view.kept.setdefault(("managed",), {})
    if key in kept:
        c = kept[key]
    else:
        c = choose(p.catalog.managed_endpoints, allowed, residency, inp, out, unit)
        keep(kept, key, c, _CHOICES_KEPT)
    if c is None or scale == 1.0:
        return c
    return c.scaled(scale)


def _managed(
    p: Prepared,
    view: ModelView,
    values: Mapping[str, Any],
    inp: float,
    out: float,
    horizon: float | None,
    terms: BillTerms,
    factors: Sequence[float],
    hosted_cost: float | None,
    facts: dict[str, Any],
    costs: Costs,
    notes: list[str],
    detail: bool = True,
) -> None:
    """costs.managed_open and the cost.managed_open_* facts (see advisor.catalog.managed)."""
    if not p.catalog.managed_endpoints:
        return
    level = view.need if view.need is not None else TIER_LEVEL["simple"]
    allowed = _allowed_models(p, view, level, view.multimodal, values)
    residency = residency_of(values)
    managed_terms = terms.managed()
    c = _cheapest_endpoint(p, view, allowed, residency, inp, out, managed_terms)
    costs["managed_open"] = None
    facts["cost.managed_open_available"] = c is not None
    if c is None:
        where = {"eu": "an EU region", "in_country": "the country", "on_prem": "the premises"}
        place = where.get(str(residency), "any region")
        notes.append(
            "No managed endpoint in the catalog serves an eligible open model that meets the "
            f"need in {place}, so managed_open cannot be costed."
        )
        return
    # per-token billing is linear in the volume: the horizon is month 1 times the growth path,
    # plus the one-off migration to the open model
    weight = sum(factors) if horizon is not None else None
    migration = migration_usd(p.a, values)
    if detail:
        costs["managed_open"] = managed_json(c, weight, migration, p.a[MIGRATION])
    facts["cost.managed_open_monthly_usd"] = c.monthly_usd
    facts["cost.managed_open_model"] = c.endpoint.model
    facts["cost.managed_open_endpoint"] = c.endpoint.id
    _put(facts, "cost.managed_open_migration_usd", migration)
    if horizon is not None and migration is not None:
        facts["cost.managed_open_horizon_usd"] = c.monthly_usd * (weight or 0.0) + migration
    if hosted_cost is not None and hosted_cost > 0:
        ratio = _div(c.monthly_usd, hosted_cost)
        _put(facts, "cost.managed_open_to_hosted_ratio", ratio)
        ratios = costs["ratios"] if costs["ratios"] is not None else {}
        ratios["managed_open_to_hosted"] = _maybe_round(ratio, 4)
        costs["ratios"] = ratios
    if c.endpoint.data_terms_source is None:
        notes.append(
            f"Managed open: the data terms of {c.endpoint.provider} ({c.endpoint.id}) were not "
            "found; read them before sending data."
        )


def _managed_remainder(
    p: Prepared,
    view: ModelView,
    level: int,
    mm: bool | None,
    values: Mapping[str, Any],
    share: float,
    terms: BillTerms,
) -> Choice | None:
    """The cheapest managed endpoint for the hybrid's open share, when the data may leave and
    the model is not shipped (:data:`MANAGED_BLOCKING`)."""
    if any(values.get(q) for q in MANAGED_BLOCKING):
        return None
    if values.get("data.sensitivity") in ("confidential", "regulated") and (
        values.get("data.hosted_approval") == "refused"
    ):
        return None
    inp = float(values["usage.monthly_input_tokens"]) * (1.0 - share)
    out = float(values["usage.monthly_output_tokens"]) * (1.0 - share)
    allowed = _allowed_models(p, view, level, mm, values)
    return _cheapest_endpoint(p, view, allowed, residency_of(values), inp, out, terms.managed())


def _exchange(p: Prepared, values: Mapping[str, Any], costs: Costs) -> None:
    """The report currency and, for EUR, the catalog's dated EUR/USD rate."""
    code = str(values.get("strategy.report_currency") or "usd").upper()
    costs["report_currency"] = code
    costs["exchange_rate"] = None
    if code == "USD":
        return
    for r in p.catalog.exchange_rates:
        if r.base == code and r.quote == "USD":
            rate: ExchangeRate = {
                "code": code,
                "usd_per_unit": r.rate,
                "fixing_date": r.fixing_date.isoformat(),
                "as_of": r.as_of.isoformat(),
                "source": r.source,
            }
            costs["exchange_rate"] = rate
            return
