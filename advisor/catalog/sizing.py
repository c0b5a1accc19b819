"""GPUs per replica from memory, and throughput per replica: measured, or a calibrated roofline.

Memory (facts/throughput.md, sizing formulas): weights at the serving precision
(``params_total_b x weight_bytes_per_param`` GB) plus ``memory_overhead_fraction`` for
activations and runtime, plus a KV cache of ``kv_cache_tokens_per_replica`` tokens. GPUs per
replica: the smallest power of two whose memory holds that, at most ``max_gpus_per_replica``.

Throughput depends on the request shape: how many input tokens come with each output token
(the ratio r = input / output) and how long the outputs are. The measured table has four
shapes (:data:`~advisor.catalog.assumptions.SHAPES`). For a workload, each shape ratio keeps the
shape whose output length is nearest ``request_output_tokens``, and values in between are
interpolated linearly in log(ratio) (log throughput for measurements); beyond the ends the
nearest end holds. So a 3:1 workload sits between the 1000/1000 and 5000/500 columns instead of
jumping from one to the other.

Roofline estimate, output tokens/s of a replica of ``n`` GPUs::

    min( k(r) x n x bandwidth / (bytes_per_param x sqrt(total x active)),
         efficiency x n x tensor_flops / (2 x active x (1 + r)) )

Decode is memory-bound: each step reads the weights. For a dense model that is every
parameter; a mixture-of-experts batch touches more than the active experts but less than all,
so the bytes per token use the geometric mean of total and active parameters (for a dense model,
the total). ``k`` (``roofline_k_<in>_<out>`` per shape) absorbs batching and software
efficiency and is calibrated on the measured table by :func:`calibrate` (minimax relative
error). The second term caps models with few active parameters at a share
(``roofline_compute_efficiency``) of the tensor throughput, counting the prefill of the input
tokens. Both are estimates and are reported as such.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from typing import TypeVar

from .assumptions import SHAPES, roofline_id
from .schema import Catalog, Gpu, OpenModel

T = TypeVar("T")
LOW_PRECISION = frozenset({"fp8", "int4", "mxfp4"})
EPS = 1e-9


def memory_needed_gb(model: OpenModel, a: Mapping[str, float]) -> float:
    weights = model.params_total_b * model.weight_bytes_per_param
    kv = model.kv_kib_per_token * 1024.0 * a["kv_cache_tokens_per_replica"] / 1e9
    return weights * (1.0 + a["memory_overhead_fraction"]) + kv


def gpus_per_replica(model: OpenModel, gpu: Gpu, a: Mapping[str, float]) -> int | None:
    """The smallest power of two of ``gpu`` that holds the model, or None if none does."""
    need = memory_needed_gb(model, a)
    n = 1
    while n <= a["max_gpus_per_replica"]:
        if n * gpu.memory_gb >= need:
            return n
        n *= 2
    return None


def bandwidth_term(model: OpenModel, gpu: Gpu, n: int) -> float:
    """Output tokens/s per unit of ``k``: GB/s of the group over GB read per token."""
    gb_per_token = model.weight_bytes_per_param * math.sqrt(
        model.params_total_b * model.params_active_b
    )
    return n * gpu.bandwidth_tb_s * 1000.0 / gb_per_token


def compute_term(model: OpenModel, gpu: Gpu, n: int) -> float:
    """Tokens/s through the group at full tensor throughput (divide by 1 + r for output)."""
    tflops = gpu.bf16_tflops
    if model.serving_precision in LOW_PRECISION and gpu.fp8_tflops is not None:
        tflops = gpu.fp8_tflops
    return n * tflops * 1e12 / (2.0 * model.params_active_b * 1e9)


def pick_per_ratio(
    points: Sequence[tuple[float, float, T]], ln_output: float
) -> list[tuple[float, T]]:
    """From (ln ratio, ln output length, payload) points, one (ln ratio, payload) per ratio: the
    point whose output length is nearest ``ln_output`` (the first on a tie), sorted by ratio."""
    chosen: dict[float, tuple[float, float, T]] = {}
    for lr, lo, payload in points:
        key = round(lr, 9)
        distance = abs(lo - ln_output)
        if key not in chosen or distance < chosen[key][0] - EPS:
            chosen[key] = (distance, lr, payload)
    return [(chosen[key][1], chosen[key][2]) for key in sorted(chosen)]


def interpolate(curve: Sequence[tuple[float, float]], x: float) -> tuple[float, int, int]:
    """Piecewise-linear value of ``curve`` (sorted (x, y) pairs) at ``x``, clamped at the ends;
    also the indices of the two points used (equal when one point decides)."""
    xs = [p[0] for p in curve]
    i = bisect.bisect_left(xs, x - EPS)
    if i < len(xs) and abs(xs[i] - x) <= EPS:
        return curve[i][1], i, i
    if i == 0:
        return curve[0][1], 0, 0
    if i == len(xs):
        return curve[-1][1], i - 1, i - 1
    (x0, y0), (x1, y1) = curve[i - 1], curve[i]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0), i - 1, i


def k_curve(a: Mapping[str, float], ln_output: float) -> list[tuple[float, float]]:
    """The calibrated ``k`` per shape ratio for outputs of about ``exp(ln_output)`` tokens."""
    return pick_per_ratio(
        [(math.log(i / o), math.log(o), a[roofline_id((i, o))]) for i, o in SHAPES], ln_output
    )


def estimate(
    model: OpenModel,
    gpu: Gpu,
    n: int,
    ratio: float,
    output_tokens: float,
    a: Mapping[str, float],
) -> float:
    """Roofline output tokens/s of one replica (see the module doc)."""
    k, _, _ = interpolate(k_curve(a, math.log(output_tokens)), math.log(ratio))
    return min(
        k * bandwidth_term(model, gpu, n),
        a["roofline_compute_efficiency"] * compute_term(model, gpu, n) / (1.0 + ratio),
    )


def calibrate(catalog: Catalog) -> dict[tuple[int, int], tuple[float, float]]:
    """For each standard shape: the ``k`` that minimises the largest relative error of the
    estimate over the measured points of that shape, and that error.

    Used by the tests to check the ``roofline_k_*`` assumptions; run it after adding
    measurements to re-derive them.
    """
    a = {x.id: float(x.value) for x in catalog.assumptions}
    models = {m.id: m for m in catalog.open_models}
    gpus = {g.id: g for g in catalog.gpus}
    out: dict[tuple[int, int], tuple[float, float]] = {}
    for shape in SHAPES:
        ratio = shape[0] / shape[1]
        pts = [
            (
                bandwidth_term(models[t.model], gpus[t.gpu], t.gpus),
                a["roofline_compute_efficiency"]
                * compute_term(models[t.model], gpus[t.gpu], t.gpus)
                / (1.0 + ratio),
                t.output_tokens_per_s,
            )
            for t in catalog.throughput
            if (t.input_tokens, t.output_tokens) == shape
        ]
        if not pts:
            continue

        def worst(k: float, pts: list[tuple[float, float, float]] = pts) -> float:
            return max(abs(min(k * b, c) / m - 1.0) for b, c, m in pts)

        lo = min(m / b for b, _, m in pts) * 0.5
        hi = max(m / b for b, _, m in pts) * 2.0
        grid = [lo * (hi / lo) ** (i / 4000) for i in range(4001)]
        k = min(grid, key=worst)
        out[shape] = (k, worst(k))
    return out
