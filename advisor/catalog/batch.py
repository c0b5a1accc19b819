"""The cost model for many price and throughput levels at once: the Monte Carlo's samples.

A Monte Carlo sample without ranged answers changes only the four catalog scales
(:class:`~advisor.catalog.derivation.Scales`): hosted prices, managed prices, GPU prices and
throughput. What the scoring rules read then moves only through the four horizon costs
(``cost.hosted_horizon_usd``, ``cost.managed_open_horizon_usd``,
``cost.self_host_horizon_usd``, ``cost.hybrid_horizon_usd``); everything else the cost model
gives for the same answers (which models are eligible, which endpoints serve, whether
self-hosting is possible) is the same at every level.

:func:`facts_at` computes those four for every sample as columns (numpy arrays over the
samples), with **the same operations in the same order** as
:func:`~advisor.catalog.derivation.derive` does for one sample: the same products and sums,
months added one by one, cents rounded by Python's ``round``. So each sample's facts are the
same bits as ``derive(..., scales)`` gives (``tests/test_robustness_core.py`` holds them
equal over every example and thousands of generated answers), 10,000 samples cost about as
much as a few dozen single derivations, and there is one definition of each cost: the
derivation's. Where the shortcut would not be exact or a rule reads a fact it does not
compute (a pinned GPU, no frontier model, a figure outside :data:`INVARIANT`), it returns
None and the caller derives sample by sample.

Steps, as in ``derive`` (module doc there): hosted bills are linear in the price level, so
the hosted plan and the frontier bill are the catalog-price ones times the level, and the
managed endpoint chosen at catalog prices is the cheapest at every level; a deployment's
monthly cost is ``fixed + per_replica x replicas`` with the GPU prices inside ``fixed`` and
``per_replica`` and the throughput inside the replica count, priced per candidate for all
samples at once; the cheapest candidate per model, the choice between models (an estimate
loses to a measurement unless it stays cheaper at the low end of its band), and the month by
month path follow.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from advisor.catalog.costs import EPS, Table, Workload, workload
from advisor.catalog.derivation import (
    Scales,
    _allowed_models,
    _band_factor,
    _cheapest_endpoint,
    _frontier_model,
    _frontier_share,
    _horizon,
    _hosted_plan,
    _managed_fixed,
    _managed_remainder,
    _narrow,
    _pick,
    _priced_for_choice,
    _remainder_level,
    _self_host_level,
    _stage,
    _start,
    derive,
)
from advisor.catalog.hosted import BillTerms, bill
from advisor.catalog.managed import migration_usd, residency_of
from advisor.catalog.models import ModelView, model_view
from advisor.catalog.prepare import Prepared, prepare
from advisor.catalog.schema import TIER_LEVEL, Catalog

if TYPE_CHECKING:  # numpy is imported where the batch runs: a point decision never needs it
    import numpy as np
    from numpy.typing import NDArray

    Column = NDArray[np.float64]

__all__ = ["HORIZONS", "INVARIANT", "facts_at"]

HORIZONS = (
    "cost.hosted_horizon_usd",
    "cost.managed_open_horizon_usd",
    "cost.self_host_horizon_usd",
    "cost.hybrid_horizon_usd",
)
# cost facts whose value does not depend on the scales (the same answers give the same value)
INVARIANT = frozenset(
    {
        "cost.monthly_tokens",
        "cost.hosted_shut_down",
        "cost.hosted_successor",
        "cost.hosted_shutdown_date",
        "cost.hosted_shutdown_within_horizon",
        "cost.hosted_switch_month",
        "cost.managed_open_available",
        "cost.managed_open_model",
        "cost.managed_open_endpoint",
        "cost.managed_open_migration_usd",
        "cost.self_host_available",
        "cost.self_host_basis",
        "cost.self_host_viable",
        "cost.oncall_rota_size",
        "cost.oncall_fte",
        "cost.growth_factor",
        "cost.frontier_model",
    }
)
_NEEDED_ANSWERS = (
    "usage.monthly_input_tokens",
    "usage.monthly_output_tokens",
    "strategy.horizon_months",
    "ops.engineer_annual_cost_usd",
    "usage.current_model",
)


def facts_at(
    catalog: Catalog,
    values: Mapping[str, Any],
    excluded: Mapping[str, Sequence[str]],
    need: frozenset[str],
    scales: Sequence[Scales],
    reuse: bool = False,
) -> tuple[dict[str, Any], dict[str, list[float]]] | None:
    """For each of ``scales``, the facts ``derive(catalog, values, excluded, scale,
    models=False, detail=False, need=need)`` gives for the names in ``need``, as (the facts
    that are the same for every sample: the models and :data:`INVARIANT` ones; the horizon
    costs, a list of one value per sample each); None when this shortcut does not apply
    (module doc). ``reuse``: as for ``derive``."""
    cost_need = {n for n in need if n.startswith("cost.")}
    if not cost_need <= INVARIANT | set(HORIZONS) or not scales:
        return None
    if any(values.get(q) is None for q in _NEEDED_ANSWERS) or values.get("selfhost.gpu"):
        return None
    base = derive(
        catalog, values, excluded, None, models=False, detail=False, need=need, reuse=reuse
    ).facts
    p = prepare(catalog)
    inp = float(values["usage.monthly_input_tokens"])
    out = float(values["usage.monthly_output_tokens"])
    hosted = p.hosted.get(str(values["usage.current_model"]))
    if hosted is None or inp == 0 or out == 0 or _frontier_model(p, values) is None:
        return None

    import numpy as np

    h = np.array([s.hosted_price for s in scales])
    m = np.array([s.managed_price for s in scales])
    g = np.array([s.gpu_price for s in scales])
    t = np.array([s.throughput for s in scales])
    cols: dict[str, Column] = {}
    st = _stage(p, values, reuse)
    view = model_view(p, values, excluded)
    horizon = float(values["strategy.horizon_months"])
    start = _start(p)
    hz = _horizon(p, start, horizon, st.growth)
    factors = hz.factors
    unit = st.terms
    plan = _hosted_plan(p, hosted, inp, out, horizon, start, unit, hz, st.growth)
    if "cost.hosted_horizon_usd" in base:
        cols["cost.hosted_horizon_usd"] = plan.horizon_usd * h
    if "cost.managed_open_horizon_usd" in base:
        level = view.need if view.need is not None else TIER_LEVEL["simple"]
        allowed = _allowed_models(p, view, level, view.multimodal, values)
        c = _cheapest_endpoint(p, view, allowed, residency_of(values), inp, out, unit.managed())
        migration = migration_usd(p.a, values)
        if c is None or migration is None:
            return None
        weight = sum(factors)
        cols["cost.managed_open_horizon_usd"] = (c.monthly_usd * m) * weight + migration
    if base.get("cost.self_host_available"):
        got = _self_hosted(p, values, view, base, st.work, unit, plan.usd, h, m, g, t, factors)
        if got is None:
            return None
        cols.update(got)
    keep = {k: v for k, v in base.items() if not k.startswith("cost.") or k in INVARIANT}
    if any(k in base and k not in cols for k in HORIZONS):
        return None  # a horizon the batch could not price (never expected: a guard)
    return keep, {k: col.tolist() for k, col in cols.items()}


def _self_hosted(
    p: Prepared,
    values: Mapping[str, Any],
    view: ModelView,
    base: Mapping[str, Any],
    work: Workload | None,
    unit_terms: BillTerms,
    hosted_usd: Sequence[float],
    h: Column,
    m: Column,
    g: Column,
    t: Column,
    factors: Sequence[float],
) -> dict[str, Column] | None:
    """cost.self_host_horizon_usd and cost.hybrid_horizon_usd per sample (derive's self-host
    and hybrid steps), or None when a step would differ from the single derivation's."""
    import numpy as np

    w = work if work is not None else workload(p, values)
    unit = Table(p, w)  # catalog figures: q = per-token load / throughput, per candidate
    level, _basis = _self_host_level(view, p.hosted[str(values["usage.current_model"])])
    mm = bool(view.multimodal)
    picked = _pick(p, view, level, mm)
    if picked is None:
        return None
    vol = w.output_tokens
    per_model = _priced_for_choice(p, unit, picked, values, vol)
    narrowed = _narrow(p, picked, per_model, values, w, [])
    if narrowed is None:
        return None
    pool = narrowed[1]
    cols = _Columns(p, w, unit, g, t)
    choice = cols.choose(pool, vol)
    if choice is None:
        return None
    out: dict[str, Column] = {}
    months = [cols.month_total(choice, vol * f, 0.0) for f in factors]
    total = np.zeros(len(g))
    for col in months:  # each month in cents, added month by month as derive's sum()
        total = total + _cents(col)
    out["cost.self_host_horizon_usd"] = total
    if "cost.hybrid_horizon_usd" not in base:
        return out
    share = _frontier_share(values)
    frontier = _frontier_model(p, values)
    assert frontier is not None
    b = bill(frontier, w.input_tokens * share, w.output_tokens * share, unit_terms)
    modifiers = np.zeros(len(h))
    for mod in b.modifiers:
        modifiers = modifiers + mod["monthly_usd"] * h
    hosted_part = b.list_usd * h + modifiers
    if share >= 1.0:
        path_total = np.zeros(len(h))
        hs = h.tolist()
        for u in hosted_usd:
            path_total = path_total + np.array([u if x == 1.0 else round(u * x, 2) for x in hs])
        out["cost.hybrid_horizon_usd"] = path_total
        return out
    rem_level = _remainder_level(p, level)
    rem = _pick(p, view, rem_level, mm)
    if rem is None:
        return None
    rest = w.output_tokens * (1.0 - share)
    at_unit = unit.per_model_at(p, rem[1], rest)
    rem_pool = [i for i in rem[1] if at_unit[i] is not None]
    if not rem_pool:
        return None
    rest_choice = cols.choose(rem_pool, rest)
    if rest_choice is None:
        return None
    routing = w.routing_monthly
    part = rest_choice.cost + routing
    managed = _managed_remainder(p, view, rem_level, mm, values, share, unit_terms)
    fixed_m = _managed_fixed(p, w)
    if managed is not None:
        via = managed.monthly_usd * m + fixed_m < part
        part = np.where(via, managed.monthly_usd * m + fixed_m, part)
    else:
        via = np.zeros(len(h), dtype=bool)
    monthly = hosted_part + part
    path_total = np.zeros(len(h))
    for f in factors:
        front = hosted_part * f
        by_managed = (monthly - hosted_part - fixed_m) * f + fixed_m
        own = cols.month_total(rest_choice, rest * f, routing)
        path_total = path_total + (front + np.where(via, by_managed, own))
    out["cost.hybrid_horizon_usd"] = path_total
    return out


def _cents(x: Column) -> Column:
    """``round(v, 2)`` of each value, as Python rounds (the nearest double to the decimal
    rounded half to even). numpy's rint(100 v) / 100 gives the same except where 100 v, itself
    rounded, lies within a hair of a half cent: those few are rounded by Python."""
    import numpy as np

    hundred = x * 100.0
    out: Column = np.rint(hundred) / 100.0
    close = np.abs(hundred - np.floor(hundred) - 0.5) < 1e-6
    close |= ~np.isfinite(x) | (np.abs(x) > 1e13)
    for k in np.flatnonzero(close).tolist():
        out[k] = round(float(x[k]), 2)
    return out


class _Choice:
    """Per sample: the chosen candidate's column index, monthly cost and parameters."""

    __slots__ = ("cost", "j")

    def __init__(self, cost: Column, j: NDArray[np.intp]) -> None:
        self.cost = cost
        self.j = j


class _Columns:
    """Every candidate's cost terms at each sample's GPU price and throughput, as rows of
    arrays over the samples: the :class:`~advisor.catalog.costs.Table` of each sample."""

    def __init__(self, p: Prepared, w: Workload, unit: Table, g: Column, t: Column) -> None:
        import numpy as np

        self.p, self.w, self.g = p, w, g
        n_samples = len(g)
        people = w.fte_per_gpu * w.engineer_month
        base = w.fixed_fte * w.engineer_month + w.migration_monthly
        # per GPU type, as Table builds them from the scaled GPU parts (a x g, b x g, ...)
        on = [a * g + b * g + people for a, b, _, _ in w.gpu_parts]
        off = [(c * g + d * g) * w.off_replicas for _, _, c, d in w.gpu_parts]
        scaled = t != 1.0
        self.q: list[Column] = []
        self.fixed: list[Column] = []
        self.per: list[Column] = []
        for ci, (gpus, gi) in enumerate(p.cand_pairs):
            q0 = unit.q[ci]
            self.q.append(np.where(scaled, q0 / t, q0))
            fixed = gpus * off[gi] + base
            if math.isinf(unit.fixed[ci]):  # a KV cache too small for the contexts
                fixed = np.full(n_samples, math.inf)
            self.fixed.append(fixed)
            self.per.append(gpus * on[gi])
        self.points = [bool(x) for x in unit.points]
        self.gpus_per_replica = np.array([gpus for gpus, _ in p.cand_pairs])
        self.gpu_index = np.array([gi for _, gi in p.cand_pairs])
        # per GPU type at catalog prices: on, on overhead, off, off overhead (Workload)
        self.gpu_parts = np.array(w.gpu_parts)
        self.low = [
            _band_factor(p, ci)[0] if not unit.points[ci] else 1.0
            for ci in range(len(p.cand_pairs))
        ]

    def cheapest(self, model: int, vol: float) -> tuple[Column, NDArray[np.intp]]:
        """Table.per_model_at for one model: its cheapest candidate per sample (the first in
        catalog order wins a tie)."""
        import numpy as np

        r0 = self.w.min_replicas
        best_cost: Column | None = None
        best = np.zeros(len(self.g), dtype=np.intp)
        for ci in self.p.by_model[model]:
            cost = self.fixed[ci] + self.per[ci] * np.maximum(np.ceil(vol * self.q[ci] - EPS), r0)
            if best_cost is None:
                best_cost = cost
                best[:] = ci
            else:
                lower = cost < best_cost
                best_cost = np.where(lower, cost, best_cost)
                best = np.where(lower, ci, best)
        assert best_cost is not None
        return best_cost, best

    def choose(self, pool: Sequence[int], vol: float) -> _Choice | None:
        """derivation._choose per sample: the cheapest model by (cost, index); an estimated
        winner gives way to the cheapest measured model when its pessimistic cost is higher."""
        import numpy as np

        n = len(self.g)
        first_cost = np.full(n, math.inf)
        first_i = np.full(n, -1, dtype=np.intp)
        first_j = np.zeros(n, dtype=np.intp)
        meas_cost = np.full(n, math.inf)
        meas_i = np.full(n, -1, dtype=np.intp)
        meas_j = np.zeros(n, dtype=np.intp)
        points = np.array(self.points)
        for i in pool:
            cost, j = self.cheapest(i, vol)
            if not np.isfinite(cost).all():
                return None  # derive drops such a model from the pool: not this shortcut
            lower = (first_i < 0) | (cost < first_cost) | ((cost == first_cost) & (i < first_i))
            first_cost = np.where(lower, cost, first_cost)
            first_i = np.where(lower, i, first_i)
            first_j = np.where(lower, j, first_j)
            measured = points[j]
            better = measured & (
                (meas_i < 0) | (cost < meas_cost) | ((cost == meas_cost) & (i < meas_i))
            )
            meas_cost = np.where(better, cost, meas_cost)
            meas_i = np.where(better, i, meas_i)
            meas_j = np.where(better, j, meas_j)
        if (first_i < 0).any():
            return None
        estimated = ~points[first_j]
        low = np.array(self.low)[first_j]
        q = self._gather(self.q, first_j)
        r = np.maximum(np.ceil(vol * q / low - 1e-9), self.w.min_replicas)
        pessimistic = self._gather(self.fixed, first_j) + self._gather(self.per, first_j) * r
        switch = estimated & (meas_i >= 0) & (pessimistic > meas_cost)
        return _Choice(np.where(switch, meas_cost, first_cost), np.where(switch, meas_j, first_j))

    def _gather(self, rows: list[Column], j: NDArray[np.intp]) -> Column:
        import numpy as np

        out = np.empty(len(j))
        for ci in np.unique(j).tolist():
            sel = j == ci
            out[sel] = rows[ci][sel]
        return out

    def month_total(self, c: _Choice, vol: float, extra: float) -> Column:
        """costs.breakdown(...).total per sample for the chosen candidate at this volume."""
        import numpy as np

        w, g = self.w, self.g
        gpus = self.gpus_per_replica[c.j]
        gi = self.gpu_index[c.j]
        on, on_oh, off, off_oh = (self.gpu_parts[gi, k] * g for k in range(4))
        q = self._gather(self.q, c.j)
        replicas = np.maximum(np.ceil(vol * q - EPS), w.min_replicas)
        gpu = gpus * (replicas * on + w.off_replicas * off)
        overhead = gpus * (replicas * on_oh + w.off_replicas * off_oh)
        fte = w.fixed_fte + w.fte_per_gpu * gpus * replicas
        people = fte * w.engineer_month
        migration = w.migration_monthly + extra
        total: Column = gpu + overhead + people + migration
        return total
