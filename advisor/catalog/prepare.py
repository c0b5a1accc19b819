"""Per-catalog tables computed once, so that :func:`advisor.catalog.derive` stays in microseconds.

:func:`prepare` returns the tables for a catalog and caches them by identity (a catalog is
immutable): licences per model, quality levels, deployment candidates (model, GPU, GPUs per
replica) with their measured curves and roofline terms, the calibrated ``k`` curve, and the
per-GPU monthly cost parts of owned hardware. ``Prepared.memo`` also keeps the last results of
the parts of an evaluation that depend on few answers (licence views, throughput per ratio).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Any

from advisor.catalog.assumptions import SHAPES, roofline_id
from advisor.catalog.licensing import ORIGIN_NAMES, LicenceTerms, fit_table, terms_of
from advisor.catalog.schema import (
    TIER_LEVEL,
    Catalog,
    Gpu,
    HostedModel,
    License,
    OpenModel,
    Throughput,
)
from advisor.catalog.sizing import (
    bandwidth_term,
    compute_term,
    gpus_per_replica,
    max_gpus,
    pick_per_ratio,
    split_penalty,
)
from advisor.model.parts import Assumption

HOURS_PER_MONTH = 730.0  # 8,760 hours a year / 12: a calendar fact, not an assumption

# The keys of a models-list entry that depend on the answers, in the entry's order, after the
# fixed part: ``model_json`` holds them already, so the licence view (``models._build``) fills
# a copy of a dict of the final size instead of growing a new one key by key (it is rebuilt on
# every change of the licence answers, once per model).
VIEW_KEYS = (
    "eligible",
    "provisional",
    "pending",
    "reasons",
    "obligations",
    "meets_need",
    "fit_reasons",
    "viable",
)


@dataclass(frozen=True, slots=True)
class Point:
    """A measured point: ln(input/output), ln(output tokens), tokens/s, "in/out" label."""

    ln_ratio: float
    ln_output: float
    tokens_per_s: float
    shape: str
    entry: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """One way to deploy a model: ``gpus`` GPUs of type ``gpu`` per replica.

    ``curve``: the measured points, one per input/output ratio (the output length nearest
    ``request_output_tokens``), as (ln ratio, ln tokens/s, point), sorted by ratio.
    """

    model: int
    gpu: int
    gpus: int
    points: tuple[Point, ...]
    curve: tuple[tuple[float, float, Point], ...]
    bandwidth: float  # roofline bandwidth term (tokens/s per unit k, with the KV-room factor)
    compute: float  # roofline compute term (tokens/s through the group, MoE-scaled)
    kv_room: float  # tokens of KV cache beside the weights (before the reserved minimum)


@dataclass(frozen=True)
class Prepared:
    catalog: Catalog
    a: dict[str, float]
    models: tuple[OpenModel, ...]
    model_ids: tuple[str, ...]
    licences: tuple[License, ...]  # per model
    terms: tuple[LicenceTerms, ...]  # per model: its licence terms as sentences
    # per model: its entry in the models list with the fixed part filled in and the keys the
    # licence view fills (``VIEW_KEYS``) in place, so the view copies it and sets them (read-only)
    model_json: tuple[dict[str, Any], ...]
    levels: tuple[int, ...]  # quality level per model
    multimodal: tuple[bool, ...]  # per model
    # (model, need level, multimodal need) -> (meets the need?, reasons); lists are read-only
    fits: dict[tuple[int, int | None, bool | None], tuple[bool | None, list[str]]]
    gpus: tuple[Gpu, ...]
    hosted: dict[str, HostedModel]
    candidates: tuple[Candidate, ...]
    by_model: tuple[tuple[int, ...], ...]
    k_curve: tuple[tuple[float, float], ...]  # (ln ratio, calibrated k)
    k_labels: tuple[str, ...]  # the shape ("in/out") of each k_curve point
    ln_output: float  # ln(request_output_tokens)
    owned_parts: tuple[tuple[float, float], ...]  # per GPU: (capex, facility + power) a month
    gpu_dates: tuple[tuple[str, str], ...]  # per GPU: rent and purchase as_of, ISO
    ln_tolerance: float  # ln(measured_shape_tolerance)
    assumptions_json: list[Assumption]  # shared by every evaluation: do not mutate
    # column views of the candidates, for the per-evaluation table
    bandwidth_terms: tuple[float, ...]
    compute_terms: tuple[float, ...]
    measured: tuple[int, ...]  # candidates with measured points
    cand_pairs: tuple[tuple[int, int], ...]  # (GPUs per replica, GPU index)
    # per candidate, the models list's deployment summary: [measured, estimated]; shared, read-only
    deployment_summary: tuple[tuple[dict[str, Any], dict[str, Any]], ...]
    kv_rooms: tuple[float, ...] = ()  # per candidate: tokens of KV cache that fit
    unsupported: tuple[tuple[str, str], ...] = ()  # (model, GPU) pairs no engine serves
    # the distinct (GPUs per replica, GPU index) pairs, and each candidate's index among them:
    # a candidate's fixed and per-replica costs depend on its pair alone, and the 150-odd
    # candidates have about 20 pairs, so the table prices the pairs and picks
    pairs: tuple[tuple[int, int], ...] = ()
    pair_of: tuple[int, ...] = ()
    memo: dict[Any, Any] = field(default_factory=dict)  # licence assessments by answers


# Precisions a GPU without FP8 tensor cores (A100) serves an FP8 model at: measured rows there
# are FP16/BF16 (TensorRT-LLM) or FP8 weights through weight-only kernels (vLLM).
_NO_FP8_EQUIVALENT = frozenset({"fp8", "fp16", "bf16"})


def usable_rows(catalog: Catalog, a: dict[str, float]) -> list[Throughput]:
    """The measured rows the cost model uses: its model and GPU are in the catalog, its
    precision is the model's serving precision (on a GPU without FP8, FP16/BF16 stand for FP8),
    and it is a throughput point (at least ``measured_min_concurrency`` requests in flight when
    the row says). Other rows stay in the catalog as data."""
    models = {m.id: m for m in catalog.open_models}
    gpus = {g.id: g for g in catalog.gpus}
    tops = {g.id: max_gpus(g, a) for g in catalog.gpus}
    floor = a.get("measured_min_concurrency", 0.0)
    out: list[Throughput] = []
    for t in catalog.throughput:
        model, gpu = models.get(t.model), gpus.get(t.gpu)
        if model is None or gpu is None:
            continue
        if t.concurrency is not None and t.concurrency < floor:
            continue
        p = t.precision.lower()
        if p != model.serving_precision and not (
            gpu.fp8_tflops is None and model.serving_precision == "fp8" and p in _NO_FP8_EQUIVALENT
        ):
            continue
        if t.gpus > tops[gpu.id]:
            continue
        out.append(t)
    return out


def best_per_shape(points: list[Point]) -> list[Point]:
    """The fastest point of each request shape: rows of one shape from several engines or
    settings (and the ShareGPT averages 215/194, 215/196, ...) count once, at their best, as a
    team would deploy the best-measured configuration."""
    kept: list[Point] = []
    for pt in sorted(points, key=lambda q: -q.tokens_per_s):
        if all(
            abs(pt.ln_ratio - q.ln_ratio) > 0.1 or abs(pt.ln_output - q.ln_output) > 0.1
            for q in kept
        ):
            kept.append(pt)
    return sorted(kept, key=lambda q: (q.ln_ratio, q.ln_output))


def unsupported_pairs(catalog: Catalog) -> set[tuple[str, str]]:
    """(model, GPU) pairs where no engine runs the model's precision on the GPU: every
    ``engine_support`` statement for that precision and GPU is false, or partial without a
    measured row of that precision on that GPU. Pairs without statements stay offered."""
    demonstrated = {(t.precision.lower(), t.gpu) for t in catalog.throughput}
    verdict: dict[tuple[str, str], bool] = {}
    for e in catalog.engine_support:
        for g in e.gpus:
            ok = e.supported == "true" or (
                e.supported == "partial" and (e.precision, g) in demonstrated
            )
            verdict[(e.precision, g)] = verdict.get((e.precision, g), False) or ok
    return {
        (m.id, g.id)
        for m in catalog.open_models
        for g in catalog.gpus
        if verdict.get((m.serving_precision, g.id)) is False
    }


def assumption_values(catalog: Catalog) -> dict[str, float]:
    return {a.id: float(a.value) for a in catalog.assumptions}


def _owned_parts(gpu: Gpu, a: dict[str, float]) -> tuple[float, float]:
    """Monthly cost of one bought GPU: amortised capital, and facility plus power."""
    capital = gpu.purchase_usd * (1.0 + a["on_prem_capex_overhead_fraction"])
    capex = capital / (a["amortisation_years"] * 12.0)
    facility = capital * a["on_prem_facility_fraction_per_year"] / 12.0
    kwh = gpu.tdp_w / 1000.0 * a["power_draw_fraction"] * a["pue"] * HOURS_PER_MONTH
    return capex, facility + kwh * a["power_usd_per_kwh"]


def _free_kv(model: OpenModel, gpu: Gpu, n: int, a: dict[str, float]) -> float:
    """Tokens of KV cache that fit beside the weights (no reserved minimum: for the context
    check, a deployment either holds the contexts or it does not)."""
    weights = model.params_total_b * model.weight_bytes_per_param
    free_gb = n * gpu.memory_gb - weights * (1.0 + a["memory_overhead_fraction"])
    return max(free_gb * 1e9 / (model.kv_kib_per_token * 1024.0), 0.0)


def _summaries(gpu: str, n: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The models list's deployment summary of a candidate: (measured, estimated)."""
    base = {"gpu": gpu, "gpus_per_replica": n}
    return (
        {**base, "throughput_source": "measured"},
        {**base, "throughput_source": "estimated"},
    )


def _build(catalog: Catalog) -> Prepared:
    a = assumption_values(catalog)
    licences = {lic.id: lic for lic in catalog.licenses}
    models = catalog.open_models
    gpus = catalog.gpus
    measured: dict[tuple[str, str, int], list[Point]] = {}
    unsupported = unsupported_pairs(catalog)
    for t in usable_rows(catalog, a):
        measured.setdefault((t.model, t.gpu, t.gpus), []).append(
            Point(
                math.log(t.input_tokens / t.output_tokens),
                math.log(t.output_tokens),
                t.output_tokens_per_s,
                f"{t.input_tokens}/{t.output_tokens}",
                t.id,
            )
        )
    ln_output = math.log(a["request_output_tokens"])
    levels = tuple(TIER_LEVEL[m.quality_tier] for m in models)
    shape_curve = pick_per_ratio(
        [(math.log(i / o), math.log(o), (a[roofline_id((i, o))], f"{i}/{o}")) for i, o in SHAPES],
        ln_output,
    )
    # the measured GPUs-per-replica counts of each (model, GPU), indexed once rather than
    # searched for every pair
    measured_counts: dict[tuple[str, str], set[int]] = {}
    for m, g, n in measured:
        measured_counts.setdefault((m, g), set()).add(n)
    tops = [max_gpus(gpu, a) for gpu in gpus]
    candidates: list[Candidate] = []
    by_model: list[tuple[int, ...]] = []
    for mi, model in enumerate(models):
        mine: list[int] = []
        for gi, gpu in enumerate(gpus):
            if (model.id, gpu.id) in unsupported:
                continue
            counts = set(measured_counts.get((model.id, gpu.id), ()))
            fit = gpus_per_replica(model, gpu, a)
            if fit is not None:
                counts.add(fit)
                # twice the GPUs as well, for long contexts whose KV cache the smallest
                # deployment cannot hold
                if 2 * fit <= tops[gi]:
                    counts.add(2 * fit)
            for n in sorted(counts):
                points = tuple(best_per_shape(measured.get((model.id, gpu.id, n), [])))
                curve = pick_per_ratio([(q.ln_ratio, q.ln_output, q) for q in points], ln_output)
                mine.append(len(candidates))
                candidates.append(
                    Candidate(
                        mi,
                        gi,
                        n,
                        points,
                        tuple((lr, math.log(pt.tokens_per_s), pt) for lr, pt in curve),
                        bandwidth_term(model, gpu, n, a) * split_penalty(gpu, n, a),
                        compute_term(model, gpu, n, a) * split_penalty(gpu, n, a),
                        _free_kv(model, gpu, n, a),
                    )
                )
        by_model.append(tuple(mine))
    pairs: dict[tuple[int, int], int] = {}  # in order of first use
    for c in candidates:
        pairs.setdefault((c.gpus, c.gpu), len(pairs))
    return Prepared(
        catalog=catalog,
        a=a,
        models=models,
        model_ids=tuple(m.id for m in models),
        licences=tuple(licences[m.license] for m in models),
        terms=tuple(terms_of(m, licences[m.license]) for m in models),
        model_json=tuple(
            {
                "id": m.id,
                "name": m.name,
                "license": m.license,
                "license_name": licences[m.license].name,
                "origin": m.origin,
                "origin_name": ORIGIN_NAMES.get(m.origin, m.origin),
                "quality_tier": m.quality_tier,
                "reasoning": m.reasoning,
                "modalities": list(m.modalities),
                **dict.fromkeys(VIEW_KEYS),
            }
            for m in models
        ),
        levels=levels,
        multimodal=tuple(m.multimodal for m in models),
        fits={
            (i, need, mm): fit
            for i, m in enumerate(models)
            for (need, mm), fit in fit_table(m, levels[i], bool(by_model[i])).items()
        },
        gpus=gpus,
        hosted={h.id: h for h in catalog.hosted_models},
        candidates=tuple(candidates),
        by_model=tuple(by_model),
        k_curve=tuple((lr, k) for lr, (k, _) in shape_curve),
        k_labels=tuple(label for _, (_, label) in shape_curve),
        ln_output=ln_output,
        owned_parts=tuple(_owned_parts(g, a) for g in gpus),
        gpu_dates=tuple((g.rent_as_of.isoformat(), g.purchase_as_of.isoformat()) for g in gpus),
        ln_tolerance=math.log(a["measured_shape_tolerance"]),
        assumptions_json=list(
            {
                "id": x.id,
                "value": x.value,
                "unit": x.unit,
                "as_of": x.as_of.isoformat(),
                "source": x.source,
            }
            for x in catalog.assumptions
        ),
        bandwidth_terms=tuple(c.bandwidth for c in candidates),
        compute_terms=tuple(c.compute for c in candidates),
        measured=tuple(ci for ci, c in enumerate(candidates) if c.points),
        cand_pairs=tuple((c.gpus, c.gpu) for c in candidates),
        deployment_summary=tuple(_summaries(gpus[c.gpu].id, c.gpus) for c in candidates),
        kv_rooms=tuple(c.kv_room for c in candidates),
        unsupported=tuple(sorted(unsupported)),
        pairs=tuple(pairs),
        pair_of=tuple(pairs[(c.gpus, c.gpu)] for c in candidates),
    )


MEMO_SIZE = 256  # entries of a catalog's memo (``Prepared.memo``) before it is emptied


def memo_of(p: Prepared, name: str) -> dict[Any, Any]:
    """The catalog's memo ``name``: a dict of its own, held in ``p.memo`` under ``(name,)``.
    Memos keyed by the tokens, their ratio or the licence answers take a new entry on almost
    every evaluation with new answers; kept in ``p.memo`` itself they filled it within a few
    dozen evaluations, and emptying it dropped the few entries every evaluation reads (the
    horizon's months and model chains, the start date, the frontier model) with them. Each
    has its own bound (:func:`keep`); clearing ``p.memo`` still clears them all."""
    held: dict[Any, Any] | None = p.memo.get((name,))
    if held is None:
        held = {}
        keep(p.memo, (name,), held, MEMO_SIZE)
    return held


def keep(memo: dict[Any, Any], key: Any, value: Any, size: int = 64) -> None:
    """Keep ``value`` in ``memo`` (from :func:`memo_of`), emptied when it holds ``size``
    entries: emptied, not the oldest popped, because the TUI's worker thread evaluates while
    the screen does, and iterating a dict another thread changes raises."""
    if len(memo) >= size:
        memo.clear()
    memo[key] = value


_CACHE: dict[int, tuple[Catalog, Prepared]] = {}
_LOCK = threading.Lock()
_CACHE_SIZE = 8


def prepare(catalog: Catalog) -> Prepared:
    """The tables of ``catalog``, built on first use and cached (by identity, at most 8)."""
    hit = _CACHE.get(id(catalog))
    if hit is not None and hit[0] is catalog:
        return hit[1]
    prepared = _build(catalog)
    with _LOCK:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[id(catalog)] = (catalog, prepared)
    return prepared
