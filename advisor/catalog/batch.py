"""The cost model for many price and throughput levels at once: the Monte Carlo's samples.

A Monte Carlo sample without ranged answers changes only the four catalog scales
(:class:`~advisor.catalog.derivation.Scales`): hosted prices, managed prices, GPU prices and
throughput. What the scoring rules read then moves only through the four horizon costs
(``cost.hosted_horizon_usd``, ``cost.managed_open_horizon_usd``,
``cost.self_host_horizon_usd``, ``cost.hybrid_horizon_usd``); everything else the cost model
gives for the same answers (which models are eligible, which endpoints serve, whether
self-hosting is possible) is the same at every level.

:func:`facts_over` computes those four for every sample as columns (numpy arrays over the
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
from functools import cached_property
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
    _managed_fixed,
    _managed_remainder,
    _narrow,
    _pick,
    _priced_for_choice,
    _remainder_level,
    _self_host_level,
    _stage,
    _start,
    _stay,
    derive,
)
from advisor.catalog.hosted import Bill, bill
from advisor.catalog.managed import Choice, migration_usd, residency_of
from advisor.catalog.models import model_view
from advisor.catalog.prepare import Prepared, prepare
from advisor.catalog.schema import TIER_LEVEL, Catalog, HostedModel

if TYPE_CHECKING:  # numpy is imported where the batch runs: a point decision never needs it
    import numpy as np
    from numpy.typing import NDArray

    Column = NDArray[np.float64]

__all__ = ["HORIZONS", "INVARIANT", "facts_over"]

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
        "cost.frontier_split_percent",
        "cost.hosted_frontier_share_percent",
        "cost.hosted_frontier_model",
        "cost.hosted_month1_model",
        "cost.hosted_moves_now",
        "cost.hosted_change_usd",
        "cost.hosted_routing_usd",
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


def facts_over(
    catalog: Catalog,
    groups: Sequence[Mapping[str, Any]],
    excluded: Mapping[str, Sequence[str]],
    need: frozenset[str],
    scales: Sequence[Scales],
    which: Sequence[int],
    reuse: bool = False,
) -> tuple[list[dict[str, Any]], dict[str, list[float | None]]] | None:
    """For each sample ``i``, the facts ``derive(catalog, groups[which[i]], excluded,
    scales[i], models=False, detail=False, need=need)`` gives for the names in ``need``
    (a Monte Carlo's samples: without ranged answers one group, the base answers; with them,
    the answers drawn on a grid, so that few answer sets recur over many samples). Gives (per
    group, the facts the same for all its samples: the models and :data:`INVARIANT` ones; per
    horizon cost, one value per sample, None where the sample's derivation gives none), each
    the same bits as ``derive`` gives for that sample, or None when the shortcut does not
    apply to one group (module doc): the caller then derives sample by sample. Groups that
    take different steps (another self-hosted pool, all traffic on the frontier, a horizon of
    other months, ...) are priced apart, each kind as columns. ``reuse``: as for ``derive``,
    with one group."""
    cost_need = {n for n in need if n.startswith("cost.")}
    if not cost_need <= INVARIANT | set(HORIZONS) or not scales or not groups:
        return None
    p = prepare(catalog)
    parts: list[_Group] = []
    kinds: dict[tuple[Any, ...], list[int]] = {}
    for k, values in enumerate(groups):
        part = _group(p, values, excluded, need, reuse and len(groups) == 1)
        if part is None:
            return None
        shape = part.shape()
        if shape is None:
            return None
        parts.append(part)
        kinds.setdefault(shape, []).append(k)

    import numpy as np

    if len(kinds) == 1:
        got = _columns(p, parts, which, scales)
        if got is None:
            return None
        cols: dict[str, list[float | None]] = {k: c.tolist() for k, c in got.items()}
    else:
        cols = {}
        kind_of = np.empty(len(groups), dtype=np.intp)
        local = np.empty(len(groups), dtype=np.intp)
        for n, members in enumerate(kinds.values()):
            kind_of[members] = n
            local[members] = np.arange(len(members))
        at = np.array(which, dtype=np.intp)
        for n, members in enumerate(kinds.values()):
            rows = np.flatnonzero(kind_of[at] == n)
            if not len(rows):
                continue
            got = _columns(
                p,
                [parts[k] for k in members],
                local[at[rows]].tolist(),
                [scales[r] for r in rows.tolist()],
            )
            if got is None:
                return None
            for name, col in got.items():
                full = cols.setdefault(name, [None] * len(scales))
                for r, v in zip(rows.tolist(), col.tolist(), strict=True):
                    full[r] = v
    shared = [
        {k: v for k, v in pt.base.items() if not k.startswith("cost.") or k in INVARIANT}
        for pt in parts
    ]
    return shared, cols


def _columns(
    p: Prepared, parts: Sequence[_Group], which: Sequence[int], scales: Sequence[Scales]
) -> dict[str, Column] | None:
    """The horizon costs of samples whose groups take the same steps (one shape)."""
    import numpy as np

    first = parts[0]
    priced = [k for k in HORIZONS if k in first.base]
    at = _Gather(np.array(which, dtype=np.intp))
    h = np.array([s.hosted_price for s in scales])
    m = np.array([s.managed_price for s in scales])
    g = np.array([s.gpu_price for s in scales])
    t = np.array([s.throughput for s in scales])
    cols: dict[str, Column] = {}
    if "cost.hosted_horizon_usd" in priced:
        # the plan staying hosted follows is chosen at catalog prices (derivation.Stay): its
        # bills scale with the level, its one-offs of changing model do not
        change = at([pt.stay.one_offs_usd for pt in parts])
        cols["cost.hosted_horizon_usd"] = at([pt.plan.horizon_usd for pt in parts]) * h + change
    if "cost.managed_open_horizon_usd" in priced:
        ends = [pt.managed() for pt in parts]
        if any(e is None for e in ends):
            return None
        monthly = at([e[0] for e in ends if e is not None])
        weight = at([sum(pt.factors) for pt in parts])
        migration = at([e[1] for e in ends if e is not None])
        cols["cost.managed_open_horizon_usd"] = (monthly * m) * weight + migration
    if first.base.get("cost.self_host_available"):
        got = _self_hosted(p, parts, at, h, m, g, t)
        if got is None:
            return None
        cols.update(got)
    if any(k not in cols for k in priced):
        return None  # a horizon the batch could not price (never expected: a guard)
    return cols


class _Gather:
    """One value per group, as a column over the samples (each sample its group's value)."""

    __slots__ = ("idx",)

    def __init__(self, idx: NDArray[np.intp]) -> None:
        self.idx = idx

    def __call__(self, per_group: Sequence[float]) -> Column:
        import numpy as np

        out: Column = np.array(per_group, dtype=np.float64)[self.idx]
        return out

    def flags(self, per_group: Sequence[bool]) -> NDArray[np.bool_]:
        import numpy as np

        out: NDArray[np.bool_] = np.array(per_group, dtype=bool)[self.idx]
        return out


class _Group:
    """What one answer set's derivation gives the columns: its facts, the hosted plan at
    catalog prices, the months' volume factors, and (read only when the facts need them) the
    managed endpoint and the self-hosted workload."""

    def __init__(
        self,
        p: Prepared,
        values: Mapping[str, Any],
        excluded: Mapping[str, Sequence[str]],
        base: dict[str, Any],
        inp: float,
        out: float,
        hosted: HostedModel,
        reuse: bool,
    ) -> None:
        self.p, self.values, self.base = p, values, base
        self.inp, self.out, self.hosted = inp, out, hosted
        st = _stage(p, values, reuse)
        self.view = model_view(p, values, excluded)
        horizon = float(values["strategy.horizon_months"])
        start = _start(p)
        hz = _horizon(p, start, horizon, st.growth)
        self.factors = hz.factors
        self.terms = st.terms
        self.stay = _stay(
            p, self.hosted, self.inp, self.out, horizon, start, st.terms, hz, st.growth, values
        )
        self.plan = self.stay.plan
        self.work = st.work if st.work is not None else workload(p, values)

    def managed(self) -> tuple[float, float] | None:
        """(the cheapest managed endpoint's monthly bill at catalog prices, the migration)."""
        p, view, values = self.p, self.view, self.values
        level = view.need if view.need is not None else TIER_LEVEL["simple"]
        allowed = _allowed_models(p, view, level, view.multimodal, values)
        c = _cheapest_endpoint(
            p, view, allowed, residency_of(values), self.inp, self.out, self.terms.managed()
        )
        migration = migration_usd(p.a, values)
        if c is None or migration is None:
            return None
        return c.monthly_usd, migration

    @cached_property
    def own(self) -> _Own | None:
        """The self-hosted and hybrid steps' per-group figures (kept: shape and columns read
        them); None when a step would differ from the single derivation's."""
        return _Own.of(self)

    def shape(self) -> tuple[Any, ...] | None:
        """What the columns share across groups: groups of one shape are priced together."""
        priced = tuple(k for k in HORIZONS if k in self.base)
        available = bool(self.base.get("cost.self_host_available"))
        own: tuple[Any, ...] = ()
        if available:
            o = self.own
            if o is None:
                return None
            own = o.shape
        return (priced, len(self.factors), available, own)


class _Own:
    """One group's self-hosted (and hybrid) steps at catalog prices, as derive takes them."""

    __slots__ = (
        "bill",
        "fixed_m",
        "level",
        "managed",
        "mm",
        "pool",
        "rem_pool",
        "rest",
        "shape",
        "unit",
        "whole",
    )

    def __init__(self, unit: Table, level: int, mm: bool, pool: list[int]) -> None:
        self.unit, self.level, self.mm, self.pool = unit, level, mm, pool
        self.bill: Bill | None = None
        self.whole = False
        self.rem_pool: list[int] = []
        self.rest = 0.0
        self.managed: Choice | None = None
        self.fixed_m = 0.0
        self.shape: tuple[Any, ...] = (level, mm, tuple(pool))

    @staticmethod
    def of(group: _Group) -> _Own | None:
        p, view, values, w = group.p, group.view, group.values, group.work
        unit = Table(p, w)  # catalog figures: q per candidate
        level = _self_host_level(view, group.hosted)[0]
        mm = bool(view.multimodal)
        picked = _pick(p, view, level, mm)
        if picked is None:
            return None
        per_model = _priced_for_choice(p, unit, picked, values, w.output_tokens)
        narrowed = _narrow(p, picked, per_model, values, w, [])
        if narrowed is None:
            return None
        own = _Own(unit, level, mm, narrowed[1])
        if "cost.hybrid_horizon_usd" not in group.base:
            return own
        share = _frontier_share(values)
        frontier = _frontier_model(p, values)
        assert frontier is not None  # _group declined the answers without one
        own.bill = bill(frontier, w.input_tokens * share, w.output_tokens * share, group.terms)
        own.whole = share >= 1.0
        kind: tuple[Any, ...] = (frontier.id, len(own.bill.modifiers), own.whole)
        if own.whole:
            own.shape += (*kind, len(group.plan.usd))
            return own
        rem_level = _remainder_level(p, level)
        rem = _pick(p, view, rem_level, mm)
        if rem is None:
            return None
        own.rest = w.output_tokens * (1.0 - share)
        at_unit = unit.per_model_at(p, rem[1], own.rest)
        own.rem_pool = [i for i in rem[1] if at_unit[i] is not None]
        if not own.rem_pool:
            return None
        own.managed = _managed_remainder(p, view, rem_level, mm, values, share, group.terms)
        own.fixed_m = _managed_fixed(p, w)
        own.shape += (*kind, tuple(own.rem_pool), own.managed is None)
        return own


def _group(
    p: Prepared,
    values: Mapping[str, Any],
    excluded: Mapping[str, Sequence[str]],
    need: frozenset[str],
    reuse: bool,
) -> _Group | None:
    if any(values.get(q) is None for q in _NEEDED_ANSWERS) or values.get("selfhost.gpu"):
        return None
    base = derive(
        p.catalog, values, excluded, None, models=False, detail=False, need=need, reuse=reuse
    ).facts
    inp = float(values["usage.monthly_input_tokens"])
    out = float(values["usage.monthly_output_tokens"])
    hosted = p.hosted.get(str(values["usage.current_model"]))
    if hosted is None or inp == 0 or out == 0 or _frontier_model(p, values) is None:
        return None
    return _Group(p, values, excluded, base, inp, out, hosted, reuse)


def _self_hosted(
    p: Prepared,
    parts: Sequence[_Group],
    at: _Gather,
    h: Column,
    m: Column,
    g: Column,
    t: Column,
) -> dict[str, Column] | None:
    """cost.self_host_horizon_usd and cost.hybrid_horizon_usd per sample (derive's self-host
    and hybrid steps) for groups of one shape, or None when a step would differ from the
    single derivation's."""
    import numpy as np

    owns = [pt.own for pt in parts]
    if any(o is None for o in owns):
        return None
    own = [o for o in owns if o is not None]
    first, one = parts[0], own[0]
    cols = _Columns(p, [pt.work for pt in parts], [o.unit for o in own], at, g, t)
    vol_col = at([pt.work.output_tokens for pt in parts])
    choice = cols.choose(one.pool, vol_col)
    if choice is None:
        return None
    f_cols = [at([pt.factors[k] for pt in parts]) for k in range(len(first.factors))]
    out: dict[str, Column] = {}
    total = np.zeros(len(g))
    for f in f_cols:  # each month in cents, added month by month as derive's sum()
        total = total + _cents(cols.month_total(choice, vol_col * f, 0.0))
    out["cost.self_host_horizon_usd"] = total
    if "cost.hybrid_horizon_usd" not in first.base:
        return out
    bills = [o.bill for o in own if o.bill is not None]
    modifiers = np.zeros(len(h))
    for k in range(len(bills[0].modifiers)):
        modifiers = modifiers + at([b.modifiers[k]["monthly_usd"] for b in bills]) * h
    hosted_part = at([b.list_usd for b in bills]) * h + modifiers
    if one.whole:
        path_total = np.zeros(len(h))
        hs = h.tolist()
        for k in range(len(first.plan.usd)):
            us = at([pt.plan.usd[k] for pt in parts]).tolist()
            path_total = path_total + np.array(
                [u if x == 1.0 else round(u * x, 2) for u, x in zip(us, hs, strict=True)]
            )
        out["cost.hybrid_horizon_usd"] = path_total
        return out
    rest_col = at([o.rest for o in own])
    rest_choice = cols.choose(one.rem_pool, rest_col)
    if rest_choice is None:
        return None
    routing = at([pt.work.routing_monthly for pt in parts])
    part = rest_choice.cost + routing
    fixed_m = at([o.fixed_m for o in own])
    if one.managed is not None:
        monthly_m = at([o.managed.monthly_usd for o in own if o.managed is not None])
        by_endpoint = monthly_m * m + fixed_m
        via = by_endpoint < part
        part = np.where(via, by_endpoint, part)
    else:
        via = np.zeros(len(h), dtype=bool)
    monthly = hosted_part + part
    path_total = np.zeros(len(h))
    for f in f_cols:
        front = hosted_part * f
        by_managed = (monthly - hosted_part - fixed_m) * f + fixed_m
        own_cost = cols.month_total(rest_choice, rest_col * f, routing)
        path_total = path_total + (front + np.where(via, by_managed, own_cost))
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
    """Every candidate's cost terms at each sample's GPU price and throughput (and its group's
    workload), as rows of arrays over the samples: the :class:`~advisor.catalog.costs.Table`
    of each sample."""

    def __init__(
        self,
        p: Prepared,
        works: Sequence[Workload],
        units: Sequence[Table],
        at: _Gather,
        g: Column,
        t: Column,
    ) -> None:
        import numpy as np

        self.p, self.g = p, g
        n_samples = len(g)
        self.rows = np.arange(n_samples)
        people = at([w.fte_per_gpu * w.engineer_month for w in works])
        base = at([w.fixed_fte * w.engineer_month + w.migration_monthly for w in works])
        self.min_replicas = at([w.min_replicas for w in works])
        self.off_replicas = at([w.off_replicas for w in works])
        self.fixed_fte = at([w.fixed_fte for w in works])
        self.fte_per_gpu = at([w.fte_per_gpu for w in works])
        self.engineer_month = at([w.engineer_month for w in works])
        self.migration_monthly = at([w.migration_monthly for w in works])
        n_gpus = len(works[0].gpu_parts)
        # per GPU type and part (on, on overhead, off, off overhead) at catalog prices
        parts = [
            [at([w.gpu_parts[gi][k] for w in works]) for k in range(4)] for gi in range(n_gpus)
        ]
        # per GPU type, as Table builds them from the scaled GPU parts (a x g, b x g, ...)
        on = [a * g + b * g + people for a, b, _, _ in parts]
        off = [(c * g + d * g) * self.off_replicas for _, _, c, d in parts]
        self.gpu_parts = [[x * g for x in gp] for gp in parts]
        scaled = t != 1.0
        self.q: list[Column] = []
        self.fixed: list[Column] = []
        self.per: list[Column] = []
        points: list[NDArray[np.bool_]] = []
        low: list[Column] = []
        for ci, (gpus, gi) in enumerate(p.cand_pairs):
            q0 = at([u.q[ci] for u in units])
            self.q.append(np.where(scaled, q0 / t, q0))
            fixed = gpus * off[gi] + base
            full = [math.isinf(u.fixed[ci]) for u in units]  # a KV cache too small
            if any(full):
                fixed = np.where(at.flags(full), math.inf, fixed)
            self.fixed.append(fixed)
            self.per.append(gpus * on[gi])
            measured = at.flags([bool(u.points[ci]) for u in units])
            points.append(measured)
            low.append(np.where(measured, 1.0, _band_factor(p, ci)[0]))
        self.points = np.array(points)  # candidate x sample: priced from a measurement
        self.low = low
        self.gpus_per_replica = np.array([gpus for gpus, _ in p.cand_pairs])
        self.gpu_index = np.array([gi for _, gi in p.cand_pairs])

    def cheapest(self, model: int, vol: Column) -> tuple[Column, NDArray[np.intp]]:
        """Table.per_model_at for one model: its cheapest candidate per sample (the first in
        catalog order wins a tie)."""
        import numpy as np

        r0 = self.min_replicas
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

    def choose(self, pool: Sequence[int], vol: Column) -> _Choice | None:
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
        for i in pool:
            cost, j = self.cheapest(i, vol)
            if not np.isfinite(cost).all():
                return None  # derive drops such a model from the pool: not this shortcut
            lower = (first_i < 0) | (cost < first_cost) | ((cost == first_cost) & (i < first_i))
            first_cost = np.where(lower, cost, first_cost)
            first_i = np.where(lower, i, first_i)
            first_j = np.where(lower, j, first_j)
            measured = self.points[j, self.rows]
            better = measured & (
                (meas_i < 0) | (cost < meas_cost) | ((cost == meas_cost) & (i < meas_i))
            )
            meas_cost = np.where(better, cost, meas_cost)
            meas_i = np.where(better, i, meas_i)
            meas_j = np.where(better, j, meas_j)
        if (first_i < 0).any():
            return None
        estimated = ~self.points[first_j, self.rows]
        low = self._gather(self.low, first_j)
        q = self._gather(self.q, first_j)
        r = np.maximum(np.ceil(vol * q / low - 1e-9), self.min_replicas)
        pessimistic = self._gather(self.fixed, first_j) + self._gather(self.per, first_j) * r
        switch = estimated & (meas_i >= 0) & (pessimistic > meas_cost)
        return _Choice(np.where(switch, meas_cost, first_cost), np.where(switch, meas_j, first_j))

    def _gather(self, rows: Sequence[Column], j: NDArray[np.intp]) -> Column:
        import numpy as np

        out = np.empty(len(j))
        for ci in np.unique(j).tolist():
            sel = j == ci
            out[sel] = rows[ci][sel]
        return out

    def month_total(self, c: _Choice, vol: Column, extra: float | Column) -> Column:
        """costs.breakdown(...).total per sample for the chosen candidate at this volume."""
        import numpy as np

        gpus = self.gpus_per_replica[c.j]
        gi = self.gpu_index[c.j]
        on, on_oh, off, off_oh = (self._gather_gpu(k, gi) for k in range(4))
        q = self._gather(self.q, c.j)
        replicas = np.maximum(np.ceil(vol * q - EPS), self.min_replicas)
        gpu = gpus * (replicas * on + self.off_replicas * off)
        overhead = gpus * (replicas * on_oh + self.off_replicas * off_oh)
        fte = self.fixed_fte + self.fte_per_gpu * gpus * replicas
        people = fte * self.engineer_month
        migration = self.migration_monthly + extra
        total: Column = gpu + overhead + people + migration
        return total

    def _gather_gpu(self, k: int, gi: NDArray[np.intp]) -> Column:
        import numpy as np

        out = np.empty(len(gi))
        for x in np.unique(gi).tolist():
            sel = gi == x
            out[sel] = self.gpu_parts[x][k][sel]
        return out
