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

    min( k(r) x n x bandwidth / (bytes_per_param x sqrt(total x active)) x (room / 1M)^alpha,
         efficiency x n x tensor_flops / (2 x active x (total / active)^gamma x (1 + r)) )

Decode is memory-bound: each step reads the weights. For a dense model that is every
parameter; a mixture-of-experts batch touches more than the active experts but less than all,
so the bytes per token use the geometric mean of total and active parameters (for a dense model,
the total). A step's weight reads serve the whole batch, and the batch is bounded by the KV
cache: ``room`` is the number of tokens of KV cache that fit in the replica beside the weights
and their overhead, at least ``kv_cache_tokens_per_replica`` (:func:`kv_room_tokens`), and
throughput grows with it to the power ``alpha``
(``roofline_kv_exponent``). That is how an H200, with 141 GB instead of 80, beats an H100 by more
than its bandwidth where the weights leave the H100s little room (Llama 4 Maverick on eight).
``k`` (``roofline_k_<in>_<out>`` per shape, stated for one million tokens of room) absorbs the
rest of batching and software efficiency.

The second term caps throughput at a share (``roofline_compute_efficiency``) of the tensor
throughput, counting the prefill of the input tokens. A token costs 2 FLOPs per active
parameter, but mixture-of-experts layers use the tensor cores less well than dense ones (small
per-expert matrix products, routing, all-to-all exchange between GPUs), so the active parameters
are scaled by (total / active)^gamma (``roofline_moe_compute_exponent``; x1 for a dense model).
The cap binds mostly at prefill-heavy shapes.

The ``roofline_*`` constants are fitted together to every usable measured row offline, by
``python tools/calibrate_throughput.py`` (the smallest median absolute log error); its
leave-one-out error per model family sets an estimated deployment's throughput band
(``roofline_loo_error_*`` in ``rules/catalog/assumptions.yaml``; ``python benchmarks/run.py
sizing`` prints the table). No term depends on a model's or GPU's name. Both terms are
estimates and are reported as such.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from typing import TypeVar

from advisor.catalog.assumptions import SHAPES, roofline_id
from advisor.catalog.schema import Gpu, OpenModel

T = TypeVar("T")
LOW_PRECISION = frozenset({"fp8", "int4", "mxfp4"})
EPS = 1e-9
KV_ROOM_UNIT = 1e6  # tokens: k is stated for a replica with one million tokens of KV room


def memory_needed_gb(model: OpenModel, a: Mapping[str, float]) -> float:
    weights = model.params_total_b * model.weight_bytes_per_param
    kv = model.kv_kib_per_token * 1024.0 * a["kv_cache_tokens_per_replica"] / 1e9
    return weights * (1.0 + a["memory_overhead_fraction"]) + kv


def max_gpus(gpu: Gpu, a: Mapping[str, float]) -> int:
    """The most GPUs of ``gpu`` one replica may use: within one host, and at most
    ``pcie_max_tensor_parallel`` where the GPUs talk over PCIe (no NVLink)."""
    top = min(int(a["max_gpus_per_replica"]), gpu.gpus_per_node)
    if gpu.interconnect == "pcie":
        top = min(top, int(a["pcie_max_tensor_parallel"]))
    return top


def gpus_per_replica(model: OpenModel, gpu: Gpu, a: Mapping[str, float]) -> int | None:
    """The smallest power of two of ``gpu`` that holds the model, or None if none does."""
    need = memory_needed_gb(model, a)
    top = max_gpus(gpu, a)
    n = 1
    while n <= top:
        if n * gpu.memory_gb >= need:
            return n
        n *= 2
    return None


def kv_room_tokens(model: OpenModel, gpu: Gpu, n: int, a: Mapping[str, float]) -> float:
    """Tokens of KV cache that fit in ``n`` GPUs beside the weights and their overhead, but at
    least ``kv_cache_tokens_per_replica``: a deployment that runs has the room the sizing
    reserves (the overhead fraction is a planning figure, e.g. Llama 3.3 70B FP8 does run on one
    H100, where weights plus 20 % exceed its 80 GB)."""
    weights = model.params_total_b * model.weight_bytes_per_param
    free_gb = n * gpu.memory_gb - weights * (1.0 + a["memory_overhead_fraction"])
    room = free_gb * 1e9 / (model.kv_kib_per_token * 1024.0)
    return max(room, a["kv_cache_tokens_per_replica"], 0.0)


def split_penalty(gpu: Gpu, n: int, a: Mapping[str, float]) -> float:
    """The share of the estimate a replica split over PCIe keeps (1 over NVLink or on one GPU):
    tensor parallelism exchanges activations every layer, which PCIe carries slowly."""
    if gpu.interconnect == "pcie" and n > 1:
        return a["pcie_tensor_parallel_efficiency"]
    return 1.0


def weight_read_term(model: OpenModel, gpu: Gpu, n: int) -> float:
    """GB/s of the group over GB of weights read per token."""
    gb_per_token = model.weight_bytes_per_param * math.sqrt(
        model.params_total_b * model.params_active_b
    )
    return n * gpu.bandwidth_tb_s * 1000.0 / gb_per_token


def bandwidth_term(model: OpenModel, gpu: Gpu, n: int, a: Mapping[str, float]) -> float:
    """Output tokens/s per unit of ``k``: the weight-read term times the batching gain
    (KV room / 1M tokens)^alpha."""
    room = kv_room_tokens(model, gpu, n, a)
    if room <= 0.0:
        return 0.0
    gain = math.pow(room / KV_ROOM_UNIT, a["roofline_kv_exponent"])
    return weight_read_term(model, gpu, n) * gain


def tensor_term(model: OpenModel, gpu: Gpu, n: int) -> float:
    """Tokens/s through the group at full tensor throughput, 2 FLOPs per active parameter."""
    tflops = gpu.bf16_tflops
    if model.serving_precision in LOW_PRECISION and gpu.fp8_tflops is not None:
        tflops = gpu.fp8_tflops
    return n * tflops * 1e12 / (2.0 * model.params_active_b * 1e9)


def compute_term(model: OpenModel, gpu: Gpu, n: int, a: Mapping[str, float]) -> float:
    """The tensor term over (total / active)^gamma: what the compute cap scales (divide by
    1 + r for output tokens, times ``roofline_compute_efficiency``)."""
    sparsity = model.params_total_b / model.params_active_b
    return tensor_term(model, gpu, n) / math.pow(sparsity, a["roofline_moe_compute_exponent"])


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
        k * bandwidth_term(model, gpu, n, a),
        a["roofline_compute_efficiency"] * compute_term(model, gpu, n, a) / (1.0 + ratio),
    )
