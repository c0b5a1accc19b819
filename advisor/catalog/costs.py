"""The cost model: hosted API, self-hosted deployments, hybrid split, break-even.

Hosted (per month): input tokens x input price + output tokens x output price, per 1M tokens,
exactly; reasoning tokens are output tokens. Cached-input discounts are not applied (the
questionnaire does not ask for the cached share), so the hosted figure is the list price.

Self-hosted, per deployment candidate (model, GPU type, GPUs per replica; see
:mod:`advisor.catalog.sizing`):

- throughput per replica: from the measurements of that (model, GPU, GPU count) at the
  workload's input/output ratio: the measured point itself, or interpolated between the two
  measured ratios around it (log-log), or the nearest end point if it is within a factor
  ``measured_shape_tolerance`` of the workload's ratio; otherwise the roofline estimate
  (:mod:`advisor.catalog.sizing`), flagged as estimated. Measured figures are offline maxima, so
  usable throughput = throughput x derating (``derating_default``; ``derating_strict`` when
  ``usage.latency_target_ms`` is at most ``latency_strict_ms``; ``derating_relaxed`` above
  ``latency_relaxed_ms``).
- load: output tokens a month spread over the traffic pattern's active hours
  (``pattern_<p>_active_hours``), times its ``pattern_<p>_peak_factor``.
- replicas = ceil(peak load / (usable throughput x ``target_utilisation``)), at least
  ``min_replicas`` (``min_replicas_24x7`` when ``ops.oncall_24x7``).
- GPUs, rented (``ops.gpu_source`` cloud, or none: then priced as if rented, and said so): the
  GPU-hours the pattern needs (peak replicas during active hours, the minimum replicas
  otherwise) x the catalog price or ``ops.gpu_hourly_usd``, plus ``cloud_overhead_fraction``
  for egress, storage and networking. Bought (on_prem): price x (1 + capex overhead) amortised
  over ``amortisation_years``, plus facility (share of capital a year) and power (TDP x draw
  fraction x PUE x hours x USD/kWh); ``ops.gpu_hourly_usd`` then stands for an internal
  charge-back rate per GPU-hour for every hour of the month.
- people: (``ops_fte_base`` + ``ops_fte_per_gpu`` x GPUs + ``ops_oncall_rota_size`` x
  ``ops_oncall_fte_per_member`` if on call + ``ops_fte_on_prem`` if on premises) x
  ``ops.engineer_annual_cost_usd`` / 12.
- migration: (``migration_engineer_months`` [+ ``migration_engineer_months_on_prem``]
  [+ ``hybrid_routing_engineer_months`` for the hybrid]) engineer-months, spread over
  ``strategy.horizon_months``.

- batch (``usage.traffic_pattern: batch``): the month's tokens arrive in runs
  (``usage.batch_schedule`` nightly or weekly) that must finish within
  ``usage.batch_deadline_hours`` (default ``usage.batch_window_hours``); GPUs are sized on that
  window's throughput (no peak factor, ``derating_batch``, ``target_utilisation_batch``) and,
  rented, released between runs.
- context: with ``usage.context_typical_tokens`` answered, a deployment must hold
  ``kv_concurrency_per_replica`` typical contexts plus one of ``usage.context_longest_tokens`` in
  its KV cache; others are not offered.

So a candidate's monthly cost is ``fixed + per_replica x replicas(volume)``, which makes the
break-even volume a closed form (:func:`breakeven_output_tokens`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from advisor.catalog.prepare import HOURS_PER_MONTH, Candidate, Point, Prepared, keep, memo_of
from advisor.catalog.schema import HostedModel
from advisor.catalog.sizing import interpolate
from advisor.model.parts import CostParts

SECONDS_PER_HOUR = 3600.0
EPS = 1e-9
MAX_RATIO = 1e6  # input/output ratios are clamped to [1e-6, 1e6]: beyond, nothing changes
MIN_TOKENS_PER_S = 1e-6  # a floor so that a zero estimate prices as "impossibly dear"


@dataclass(slots=True)
class Workload:
    """The answers the self-hosting cost reads, resolved against the assumptions (treat as
    immutable; not frozen only because frozen dataclasses are slower to build)."""

    input_tokens: float
    output_tokens: float
    ratio: float
    ln_ratio: float
    k: float  # calibrated roofline k at this ratio
    shape: str  # the workload's input/output ratio, e.g. "3:1 input/output"
    calibration: str  # the calibrated shape(s) whose k the estimate uses
    pattern: str
    active_hours: float
    peak_factor: float
    min_replicas: int
    derating: float
    derating_basis: str
    target_utilisation: float
    gpu_source: str
    rented: bool
    hourly_override: float | None
    engineer_month: float
    horizon_months: float
    oncall: bool
    fixed_fte: float
    fte_per_gpu: float
    migration_months: float
    routing_months: float
    # per GPU type: (gpu part, overhead part) per GPU per replica, and off-hours per GPU
    gpu_parts: tuple[tuple[float, float, float, float], ...]
    off_replicas: int = 1  # replicas kept outside the active hours (0 for rented batch)
    kv_need: float = 0.0  # tokens of KV cache a replica must hold (0: not asked)
    longest_context: float = 0.0  # tokens of the longest prompt plus answer (0: not asked)
    oncall_fte: float = 0.0

    def at_gpu_price(self, factor: float) -> Workload:
        """A copy with every GPU price (rent, or purchase and running costs) times
        ``factor``, the robustness layer's what-if. (A copy field by field: dataclasses.replace
        costs several times as much, and a Monte Carlo sample makes one.)"""
        new = object.__new__(Workload)
        for name in Workload.__slots__:
            object.__setattr__(new, name, getattr(self, name))
        new.gpu_parts = tuple(
            (a * factor, b * factor, c * factor, d * factor) for a, b, c, d in self.gpu_parts
        )
        return new

    @property
    def migration_monthly(self) -> float:
        return self.migration_months * self.engineer_month / self.horizon_months

    @property
    def routing_monthly(self) -> float:
        return self.routing_months * self.engineer_month / self.horizon_months


def hosted_monthly(h: HostedModel, input_tokens: float, output_tokens: float) -> float:
    return (input_tokens * h.input_usd_per_1m + output_tokens * h.output_usd_per_1m) / 1e6


def hosted_per_output_token(h: HostedModel, ratio: float) -> float:
    """Hosted USD per output token, with its share of input tokens at the workload's ratio."""
    return (ratio * h.input_usd_per_1m + h.output_usd_per_1m) / 1e6


def workload(p: Prepared, values: Mapping[str, Any]) -> Workload:
    """Resolve the workload; the caller guarantees tokens, engineer cost and horizon exist."""
    a = p.a
    inp = float(values["usage.monthly_input_tokens"])
    out = float(values["usage.monthly_output_tokens"])
    # all-input traffic (no output) gets the most input-heavy shape; no traffic a neutral one
    ratio = inp / out if out > 0 else (MAX_RATIO if inp > 0 else 1.0)
    ratio = min(max(ratio, 1.0 / MAX_RATIO), MAX_RATIO)
    ln_ratio = math.log(ratio)
    k, i, j = interpolate(p.k_curve, ln_ratio)
    shape = f"{ratio:.3g}:1 input/output"
    calibration = p.k_labels[i] if i == j else f"{p.k_labels[i]} and {p.k_labels[j]}"
    pattern = str(values.get("usage.traffic_pattern", "steady"))
    batch = pattern == "batch"
    if not batch and f"pattern_{pattern}_active_hours" not in a:
        pattern = "steady"
    oncall = bool(values.get("ops.oncall_24x7", False))
    latency = values.get("usage.latency_target_ms")
    utilisation = a["target_utilisation"]
    if batch:
        # the runs' deadline bounds the hours the month's tokens can use; no peaks within a run
        window = float(values.get("usage.batch_window_hours", a["batch_window_hours"]))
        deadline = float(values.get("usage.batch_deadline_hours", window))
        runs = a[f"batch_runs_{values.get('usage.batch_schedule', 'nightly')}"]
        active = min(max(deadline, 1.0) * runs, HOURS_PER_MONTH)
        peak = 1.0
        utilisation = a["target_utilisation_batch"]
    else:
        active = min(a[f"pattern_{pattern}_active_hours"], HOURS_PER_MONTH)
        peak = a[f"pattern_{pattern}_peak_factor"]
    if batch:
        derating, basis = a["derating_batch"], "batch work, queued at full load"
    elif latency is None:
        derating, basis = a["derating_default"], "no latency target given"
    elif latency <= a["latency_strict_ms"]:
        derating, basis = a["derating_strict"], f"first token within {latency:g} ms"
    elif latency > a["latency_relaxed_ms"]:
        derating, basis = a["derating_relaxed"], f"relaxed latency target ({latency:g} ms)"
    else:
        derating, basis = a["derating_default"], f"first token within {latency:g} ms"
    source = str(values.get("ops.gpu_source", "cloud"))
    rented = source != "on_prem"
    override = values.get("ops.gpu_hourly_usd")
    override_f = float(override) if override is not None else None
    parts: list[tuple[float, float, float, float]] = []
    for gi, gpu in enumerate(p.gpus):
        if rented:
            price = override_f if override_f is not None else gpu.rent_usd_per_hour
            on = price * active
            off = price * (HOURS_PER_MONTH - active)
            oh = a["cloud_overhead_fraction"]
            parts.append((on, on * oh, off, off * oh))
        elif override_f is not None:
            parts.append((override_f * HOURS_PER_MONTH, 0.0, 0.0, 0.0))
        else:
            capex, running = p.owned_parts[gi]
            parts.append((capex, running, 0.0, 0.0))
    fixed_fte = a["ops_fte_base"]
    oncall_fte = a["ops_oncall_rota_size"] * a["ops_oncall_fte_per_member"] if oncall else 0.0
    fixed_fte += oncall_fte
    typical = values.get("usage.context_typical_tokens")
    longest = values.get("usage.context_longest_tokens")
    longest_f = float(longest) if longest is not None else 0.0
    kv_need = 0.0
    if typical is not None or longest is not None:
        typical_f = float(typical) if typical is not None else longest_f
        kv_need = a["kv_concurrency_per_replica"] * typical_f + max(longest_f, typical_f)
    min_replicas = int(a["min_replicas_24x7"] if oncall else a["min_replicas"])
    migration = a["migration_engineer_months"]
    if not rented:
        fixed_fte += a["ops_fte_on_prem"]
        migration += a["migration_engineer_months_on_prem"]
    return Workload(
        input_tokens=inp,
        output_tokens=out,
        ratio=ratio,
        ln_ratio=ln_ratio,
        k=k,
        shape=shape,
        calibration=calibration,
        pattern=pattern,
        active_hours=active,
        peak_factor=peak,
        min_replicas=min_replicas,
        derating=derating,
        derating_basis=basis,
        target_utilisation=utilisation,
        gpu_source=source,
        rented=rented,
        hourly_override=override_f,
        engineer_month=float(values["ops.engineer_annual_cost_usd"]) / 12.0,
        horizon_months=max(float(values["strategy.horizon_months"]), 1.0),
        oncall=oncall,
        fixed_fte=fixed_fte,
        fte_per_gpu=a["ops_fte_per_gpu"],
        migration_months=migration,
        routing_months=a["hybrid_routing_engineer_months"],
        gpu_parts=tuple(parts),
        off_replicas=0 if (batch and rented) else min_replicas,
        kv_need=kv_need,
        longest_context=longest_f,
        oncall_fte=oncall_fte,
    )


class Terms(NamedTuple):
    """A candidate's monthly cost: ``fixed + per_replica x replicas(output tokens)``."""

    ci: int  # candidate index
    candidate: Candidate
    tokens_per_s: float  # per replica, offline maximum (measured or estimated)
    usable_per_s: float
    points: tuple[Point, ...]  # the measured point(s) it rests on; empty when estimated
    q: float  # replicas needed per monthly output token
    fixed: float
    per_replica: float

    @property
    def estimated(self) -> bool:
        return not self.points

    def replicas(self, output_tokens: float, min_replicas: int) -> int:
        return max(min_replicas, math.ceil(output_tokens * self.q - EPS))


class Breakdown(NamedTuple):
    """A deployment's monthly cost at one volume, in parts."""

    replicas: int
    gpus_total: int
    gpu: float
    power_overhead: float
    people: float
    migration: float
    total: float
    engineers_fte: float
    utilisation: float
    replica_hours: float

    def parts_json(self) -> CostParts:
        return {
            "gpu": round(self.gpu, 2),
            "power_overhead": round(self.power_overhead, 2),
            "people": round(self.people, 2),
            "migration": round(self.migration, 2),
        }


def measured(p: Prepared, w: Workload, c: Candidate) -> tuple[float, tuple[Point, ...]]:
    """Offline output tokens/s of one replica from its measurements, and the points used;
    ``(0, ())`` when no measurement is close enough to the workload's ratio."""
    curve = c.curve
    if not curve:
        return 0.0, ()
    x = w.ln_ratio
    first, last = curve[0], curve[-1]
    if x < first[0] - EPS:
        return (
            (first[2].tokens_per_s, (first[2],))
            if first[0] - x <= p.ln_tolerance + EPS
            else (0.0, ())
        )
    if x > last[0] + EPS:
        return (
            (last[2].tokens_per_s, (last[2],)) if x - last[0] <= p.ln_tolerance + EPS else (0.0, ())
        )
    for k in range(len(curve)):
        if abs(curve[k][0] - x) <= EPS:
            return curve[k][2].tokens_per_s, (curve[k][2],)
        if curve[k][0] > x:
            (x0, y0, p0), (x1, y1, p1) = curve[k - 1], curve[k]
            return math.exp(y0 + (y1 - y0) * (x - x0) / (x1 - x0)), (p0, p1)
    return last[2].tokens_per_s, (last[2],)  # pragma: no cover - x within [first, last]


class Table:
    """Every candidate's cost terms for one workload, as parallel lists (the hot path)."""

    __slots__ = ("fixed", "per_replica", "points", "q", "throughput", "tokens_per_s", "w")

    def __init__(self, p: Prepared, w: Workload, throughput: float = 1.0) -> None:
        """``throughput``: a what-if factor on every candidate's tokens/s (1: the catalog's)."""
        self.w = w
        self.throughput = throughput
        by_ratio = memo_of(p, "throughput")
        hit = by_ratio.get(w.ln_ratio)
        if hit is None:
            # the roofline estimate of every candidate (sizing module doc), then measurements
            cap = p.a["roofline_compute_efficiency"] / (1.0 + w.ratio)
            k = w.k
            found = [
                kb if (kb := k * b) < (cc := cap * c) else cc
                for b, c in zip(p.bandwidth_terms, p.compute_terms, strict=True)
            ]
            where: list[tuple[Point, ...]] = [()] * len(found)
            for ci in p.measured:
                value, used = measured(p, w, p.candidates[ci])
                if used:
                    found[ci], where[ci] = value, used
            inverse = tuple(1.0 / max(t, MIN_TOKENS_PER_S) for t in found)
            hit = (tuple(found), tuple(where), inverse)
            keep(by_ratio, w.ln_ratio, hit)
        tps: tuple[float, ...] = hit[0]
        points: tuple[tuple[Point, ...], ...] = hit[1]
        self.tokens_per_s: Sequence[float] = tps
        self.points: Sequence[tuple[Point, ...]] = points
        load = w.peak_factor / (w.active_hours * SECONDS_PER_HOUR * w.target_utilisation)
        base = w.fixed_fte * w.engineer_month + w.migration_monthly
        per_gpu_people = w.fte_per_gpu * w.engineer_month
        per_token = load / w.derating
        # The lists below depend on the workload through these figures alone (not on the
        # volumes: only on their ratio), so they are kept per catalog by them: the TUI
        # re-evaluates on every answer and the what-if variants of a case mostly keep the
        # workload. Kept only when the three figures are positive: then a zero's sign in the
        # GPU parts cannot show in a result (0.0 and -0.0 are equal keys), nor can a NaN.
        kept_ok = per_token > 0 and base > 0 and per_gpu_people > 0
        tables = memo_of(p, "table")
        table_key = (
            w.ln_ratio,
            throughput,
            per_token,
            base,
            per_gpu_people,
            w.gpu_parts,
            w.off_replicas,
            w.kv_need,
        )
        kept: tuple[list[float], list[float], list[float]] | None = (
            tables.get(table_key) if kept_ok else None
        )
        if kept is not None:
            self.q, self.fixed, self.per_replica = kept
            return
        inverse_tps: tuple[float, ...] = hit[2]
        on = [a + b + per_gpu_people for a, b, _, _ in w.gpu_parts]
        off = [(c + d) * w.off_replicas for _, _, c, d in w.gpu_parts]
        if throughput == 1.0:
            self.q = [per_token * x for x in inverse_tps]
        else:
            self.q = [per_token * x / throughput for x in inverse_tps]
        # priced per (GPUs per replica, GPU) pair, then picked per candidate: the same
        # figures, a tenth of the multiplications
        pair_of = p.pair_of
        fixed_pairs = [n * off[g] + base for n, g in p.pairs]
        per_pairs = [n * on[g] for n, g in p.pairs]
        self.fixed = [fixed_pairs[j] for j in pair_of]
        self.per_replica = [per_pairs[j] for j in pair_of]
        if w.kv_need > 0:
            # a deployment whose KV cache cannot hold the contexts is not offered
            for ci, room in enumerate(p.kv_rooms):
                if room < w.kv_need:
                    self.fixed[ci] = math.inf
        if kept_ok:
            # shared by the tables of equal keys from here on: nothing writes to them
            keep(tables, table_key, (self.q, self.fixed, self.per_replica))

    def costs_at(self, output_tokens: float) -> list[float]:
        """Every candidate's monthly cost at this output volume."""
        r0 = self.w.min_replicas
        ceil = math.ceil
        return [
            f + b * (r if (r := ceil(output_tokens * q - EPS)) > r0 else r0)
            for q, f, b in zip(self.q, self.fixed, self.per_replica, strict=True)
        ]

    def cheapest(
        self, p: Prepared, models: Sequence[int], output_tokens: float
    ) -> tuple[float, int] | None:
        """(cost, candidate index) of the cheapest candidate of ``models`` at this volume;
        the first in catalog order wins a tie."""
        r0 = self.w.min_replicas
        ceil = math.ceil
        q, fixed, per = self.q, self.fixed, self.per_replica
        best_cost = math.inf
        best = -1
        for i in models:
            for ci in p.by_model[i]:
                r = ceil(output_tokens * q[ci] - EPS)
                cost = fixed[ci] + per[ci] * (r if r > r0 else r0)
                if cost < best_cost:
                    best_cost, best = cost, ci
        return (best_cost, best) if best >= 0 else None

    def per_model_at(
        self, p: Prepared, models: Sequence[int], output_tokens: float
    ) -> list[tuple[float, int] | None]:
        """:meth:`per_model` of :meth:`costs_at` for ``models`` only (the others None), and
        None for a model whose cheapest cost is not finite: the same figures, without pricing
        the candidates of models the caller does not read."""
        r0 = self.w.min_replicas
        ceil = math.ceil
        q, fixed, per = self.q, self.fixed, self.per_replica
        isfinite = math.isfinite
        out: list[tuple[float, int] | None] = [None] * len(p.by_model)
        for i in models:
            best_cost = math.inf
            best = -1
            for ci in p.by_model[i]:
                cost = fixed[ci] + per[ci] * (
                    r if (r := ceil(output_tokens * q[ci] - EPS)) > r0 else r0
                )
                if best < 0 or cost < best_cost:
                    best_cost, best = cost, ci
            if best >= 0 and isfinite(best_cost):
                out[i] = (best_cost, best)
        return out

    @staticmethod
    def per_model(p: Prepared, costs: Sequence[float]) -> list[tuple[float, int] | None]:
        """For each model, (cost, candidate index) of its cheapest candidate, or None."""
        out: list[tuple[float, int] | None] = []
        for indices in p.by_model:
            if not indices:
                out.append(None)
                continue
            best = indices[0]
            for ci in indices[1:]:
                if costs[ci] < costs[best]:
                    best = ci
            out.append((costs[best], best))
        return out

    def terms(self, p: Prepared, ci: int) -> Terms:
        tps = self.tokens_per_s[ci]
        if self.throughput != 1.0:
            tps *= self.throughput
        return Terms(
            ci,
            p.candidates[ci],
            tps,
            tps * self.w.derating,
            self.points[ci],
            self.q[ci],
            self.fixed[ci],
            self.per_replica[ci],
        )


def breakeven_output_tokens(
    fixed: float, per_replica: float, q: float, min_replicas: int, hosted_per_token: float
) -> float:
    """The smallest monthly output volume at which this deployment costs no more than the API.

    Cost is ``A + B x max(r0, ceil(q V))``; the API costs ``h V``. Either the minimum
    deployment already pays at ``V = (A + B r0) / h``, or the first replica count r with
    ``r (h - B q) >= A q`` does, at ``V = (A + B r) / h``. Infinite when each added replica
    costs more than the API tokens it serves (``h <= B q``).
    """
    a, b, h, r0 = fixed, per_replica, hosted_per_token, min_replicas
    if h <= 0:
        return math.inf
    v1 = (a + b * r0) / h
    if v1 * q <= r0 + EPS:
        return v1
    if h <= b * q:
        return math.inf
    needed = a * q / (h - b * q)
    if not math.isfinite(needed):
        return math.inf  # no throughput at all (q infinite): no volume pays
    r = max(r0 + 1, math.ceil(needed - EPS))
    return (a + b * r) / h


def breakdown(t: Terms, w: Workload, output_tokens: float, extra_fixed: float = 0.0) -> Breakdown:
    """The chosen deployment's monthly cost split into GPUs, overhead, people and migration."""
    c = t.candidate
    n = c.gpus
    replicas = t.replicas(output_tokens, w.min_replicas)
    on, on_oh, off, off_oh = w.gpu_parts[c.gpu]
    gpu = n * (replicas * on + w.off_replicas * off)
    overhead = n * (replicas * on_oh + w.off_replicas * off_oh)
    fte = w.fixed_fte + w.fte_per_gpu * n * replicas
    people = fte * w.engineer_month
    migration = w.migration_monthly + extra_fixed
    idle_hours = HOURS_PER_MONTH - w.active_hours
    replica_hours = (
        replicas * w.active_hours + (w.off_replicas if w.rented else replicas) * idle_hours
    )
    capacity = t.usable_per_s * SECONDS_PER_HOUR * replica_hours
    return Breakdown(
        replicas,
        n * replicas,
        gpu,
        overhead,
        people,
        migration,
        gpu + overhead + people + migration,
        fte,
        output_tokens / capacity if capacity > 0 else 0.0,
        replica_hours,
    )
