"""Fit the roofline throughput assumptions to the measured throughput table (offline).

Run it after adding or changing measurements (``throughput`` entries of the catalog)::

    python tools/calibrate_throughput.py [RULES_DIR ...]

It prints the fitted ``roofline_*`` values, to copy into ``rules/catalog/assumptions.yaml``,
and each measured entry's relative error with them. The advisor itself never runs this: it
reads the assumptions (advisor/catalog/sizing.py explains the roofline estimate). The catalog
tests check that the shipped assumptions are what this fit gives.

The fit: ``roofline_kv_exponent``, ``roofline_moe_compute_exponent``,
``roofline_compute_efficiency`` and the ``roofline_k_*`` per shape minimise the largest
relative error of the estimate over every measured point (ties broken by the root-mean-square
error). For given exponents and efficiency, each shape's k is the exact minimax fit to the
points at that shape (:func:`minimax_k`); the three are searched on a grid, the best grid points
refined by a Nelder-Mead simplex search, and the result rounded to three decimals (k then
refitted).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from advisor.catalog.assumptions import SHAPES, roofline_id  # noqa: E402
from advisor.catalog.schema import Catalog  # noqa: E402
from advisor.catalog.sizing import (  # noqa: E402
    KV_ROOM_UNIT,
    interpolate,
    k_curve,
    kv_room_tokens,
    tensor_term,
    weight_read_term,
)

KV_EXPONENT = "roofline_kv_exponent"
MOE_EXPONENT = "roofline_moe_compute_exponent"
EFFICIENCY = "roofline_compute_efficiency"
# The search of calibrate(): a grid of (alpha, gamma, efficiency); the best grid points are then
# refined by Nelder-Mead; the fitted values are rounded to three decimals (then k is refitted).
_ALPHAS = tuple(i * 0.1 for i in range(11))  # 0 .. 1
_GAMMAS = tuple(i * 0.05 for i in range(13))  # 0 .. 0.6
_EFFICIENCIES = tuple(0.1 * 1.15**i for i in range(17))  # 0.1 .. 0.94
_STARTS = 8  # the best grid points, each refined by a simplex search
_SIMPLEX_SIZE = (0.05, 0.05, 0.1)  # alpha, gamma, ln efficiency
_SIMPLEX_STEPS = 150


class Calibration(NamedTuple):
    """The fitted ``roofline_*`` assumptions and, per measured entry, the estimate's relative
    error with them (estimate / measurement - 1)."""

    values: dict[str, float]
    errors: dict[str, float]

    @property
    def worst(self) -> float:
        return max((abs(e) for e in self.errors.values()), default=0.0)


class _Row(NamedTuple):
    entry: str
    measured: float
    weight_read: float
    ln_room: float  # ln(KV room / 1M tokens)
    tensor: float  # tensor term / (1 + r)
    ln_sparsity: float
    shape: int | None  # index in SHAPES when the point is at a standard shape
    k_weights: tuple[float, ...]  # k at the point = sum of these x k per shape


def minimax_k(q: Sequence[float], p: Sequence[float]) -> float:
    """The k > 0 that minimises max_i |min(k q_i, p_i) - 1| (q_i > 0): the estimate
    min(k x bandwidth, cap) over the measurement is k q_i below the cap p_i.

    Sorted by the k at which each point reaches its cap, each interval between two such values
    has a fixed set of capped points; there the best k balances the largest over- and
    underestimate of the others.
    """
    order = sorted(range(len(q)), key=lambda i: p[i] / q[i])
    caps = [p[i] / q[i] for i in order]
    n = len(order)
    top = [0.0] * (n + 1)  # largest q over order[j:]
    low = [math.inf] * (n + 1)  # smallest q over order[j:]
    for j in range(n - 1, -1, -1):
        top[j] = max(top[j + 1], q[order[j]])
        low[j] = min(low[j + 1], q[order[j]])
    best_k, best_worst, capped = 0.0, math.inf, 0.0  # capped: largest error of order[:j]
    for j in range(n + 1):
        lo = caps[j - 1] if j else 0.0
        if j == n:
            k, worst = lo, capped
        else:
            k = min(max(2.0 / (top[j] + low[j]), lo), caps[j])
            worst = max(k * top[j] - 1.0, 1.0 - k * low[j], capped)
        if worst < best_worst:
            best_k, best_worst = k, worst
        if j < n:
            capped = max(capped, abs(p[order[j]] - 1.0))
    return best_k


def _rows(catalog: Catalog, a: Mapping[str, float]) -> list[_Row]:
    models = {m.id: m for m in catalog.open_models}
    gpus = {g.id: g for g in catalog.gpus}
    rows: list[_Row] = []
    for t in catalog.throughput:
        model, gpu = models[t.model], gpus[t.gpu]
        room = kv_room_tokens(model, gpu, t.gpus, a)
        if room <= 0.0:
            continue  # no room at all (kv_cache_tokens_per_replica 0): nothing to fit
        ratio = t.input_tokens / t.output_tokens
        shape = (t.input_tokens, t.output_tokens)
        # k_curve interpolates linearly in the k values: read off each shape's weight
        k_weights = tuple(
            interpolate(
                k_curve(
                    {**a, **{roofline_id(s): float(s == shape_i) for s in SHAPES}},
                    math.log(t.output_tokens),
                ),
                math.log(ratio),
            )[0]
            for shape_i in SHAPES
        )
        rows.append(
            _Row(
                t.id,
                t.output_tokens_per_s,
                weight_read_term(model, gpu, t.gpus),
                math.log(room / KV_ROOM_UNIT),
                tensor_term(model, gpu, t.gpus) / (1.0 + ratio),
                math.log(model.params_total_b / model.params_active_b),
                SHAPES.index(shape) if shape in SHAPES else None,
                k_weights,
            )
        )
    return rows


def _evaluate(
    rows: Sequence[_Row], b: Sequence[float], c: Sequence[float], fixed_k: Sequence[float | None]
) -> tuple[list[float], list[float]]:
    """k per shape (the minimax fit, or ``fixed_k`` where a shape has no points) and each row's
    relative error, for bandwidth terms ``b`` and caps ``c`` per row."""
    ks: list[float] = []
    for i, fixed in enumerate(fixed_k):
        idx = [j for j, r in enumerate(rows) if r.shape == i]
        if idx:
            ks.append(
                minimax_k(
                    [b[j] / rows[j].measured for j in idx], [c[j] / rows[j].measured for j in idx]
                )
            )
        else:
            ks.append(fixed if fixed is not None else 0.0)
    errors = [
        min(sum(w * k for w, k in zip(r.k_weights, ks, strict=True)) * b[j], c[j]) / r.measured
        - 1.0
        for j, r in enumerate(rows)
    ]
    return ks, errors


def _score(errors: Sequence[float]) -> tuple[float, float]:
    """Largest relative error, then root-mean-square error (to break ties)."""
    worst = max((abs(e) for e in errors), default=0.0)
    return worst, math.sqrt(sum(e * e for e in errors) / max(len(errors), 1))


Score = tuple[float, float]
Point = tuple[float, float, float]  # alpha, gamma, ln efficiency


def _nelder_mead(score: Callable[[Point], Score], start: Point) -> tuple[Score, Point]:
    """Nelder-Mead simplex search from ``start`` for ``_SIMPLEX_STEPS`` steps (the minimax
    error has narrow diagonal valleys, which a grid or a compass search misses)."""
    da, dg, de = _SIMPLEX_SIZE
    a0, g0, e0 = start
    simplex: list[Point] = [start, (a0 + da, g0, e0), (a0, g0 + dg, e0), (a0, g0, e0 + de)]
    scored = sorted((score(p), p) for p in simplex)
    for _ in range(_SIMPLEX_STEPS):
        worst_score, worst = scored[-1]
        centre = tuple(sum(p[j] for _, p in scored[:-1]) / 3.0 for j in range(3))

        def towards(t: float, worst: Point = worst, centre: tuple[float, ...] = centre) -> Point:
            return (
                centre[0] + t * (worst[0] - centre[0]),
                centre[1] + t * (worst[1] - centre[1]),
                centre[2] + t * (worst[2] - centre[2]),
            )

        reflected = towards(-1.0)
        r_score = score(reflected)
        if r_score < scored[0][0]:
            expanded = towards(-2.0)
            e_score = score(expanded)
            scored[-1] = (e_score, expanded) if e_score < r_score else (r_score, reflected)
        elif r_score < scored[-2][0]:
            scored[-1] = (r_score, reflected)
        else:
            contracted = towards(0.5)
            c_score = score(contracted)
            if c_score < worst_score:
                scored[-1] = (c_score, contracted)
            else:
                best = scored[0][1]
                shrunk = [
                    (
                        best[0] + (p[0] - best[0]) / 2,
                        best[1] + (p[1] - best[1]) / 2,
                        best[2] + (p[2] - best[2]) / 2,
                    )
                    for _, p in scored[1:]
                ]
                scored = [scored[0], *((score(p), p) for p in shrunk)]
        scored.sort()
    return scored[0]


def calibrate(catalog: Catalog) -> Calibration:
    """The fitted assumptions for ``catalog`` (see the module doc).

    Points at other shapes (DeepSeek-R1's 1024/2048) count in the largest error through the
    interpolated k; a shape without points keeps its current k.
    """
    a = {x.id: float(x.value) for x in catalog.assumptions}
    rows = _rows(catalog, a)
    fixed_k = [a.get(roofline_id(s)) for s in SHAPES]

    def run(alpha: float, gamma: float, eff: float) -> tuple[Score, list[float], list[float]]:
        b = [r.weight_read * math.exp(alpha * r.ln_room) for r in rows]
        c = [eff * r.tensor * math.exp(-gamma * r.ln_sparsity) for r in rows]
        ks, errors = _evaluate(rows, b, c, fixed_k)
        return _score(errors), ks, errors

    def score(x: Point) -> Score:
        alpha, gamma, ln_eff = x
        if not (0.0 <= alpha <= 1.0 and 0.0 <= gamma <= 1.0 and ln_eff <= 0.0):
            return math.inf, math.inf
        return run(alpha, gamma, math.exp(ln_eff))[0]

    grid: list[tuple[Score, Point]] = []
    for alpha in _ALPHAS:
        b = [r.weight_read * math.exp(alpha * r.ln_room) for r in rows]
        for gamma in _GAMMAS:
            c0 = [r.tensor * math.exp(-gamma * r.ln_sparsity) for r in rows]
            for eff in _EFFICIENCIES:
                errors = _evaluate(rows, b, [eff * x for x in c0], fixed_k)[1]
                grid.append((_score(errors), (alpha, gamma, math.log(eff))))
    grid.sort()
    best = min(_nelder_mead(score, start) for _, start in grid[:_STARTS])
    alpha, gamma, eff = round(best[1][0], 3), round(best[1][1], 3), round(math.exp(best[1][2]), 3)
    _, ks, errors = run(alpha, gamma, eff)
    values = {KV_EXPONENT: alpha, MOE_EXPONENT: gamma, EFFICIENCY: eff}
    values.update({roofline_id(s): k for s, k in zip(SHAPES, ks, strict=True)})
    return Calibration(values, {r.entry: e for r, e in zip(rows, errors, strict=True)})


def main(argv: Sequence[str] | None = None) -> int:
    from advisor.engine.ruleset import load_ruleset

    dirs = [Path(d) for d in (sys.argv[1:] if argv is None else argv)]
    catalog = load_ruleset(dirs or None).catalog
    fit = calibrate(catalog)
    print("Fitted assumptions (copy into rules/catalog/assumptions.yaml):")
    for name, value in fit.values.items():
        print(f"  {name}: {value:.4g}")
    print(f"Relative error per measured entry (worst {fit.worst:.1%}):")
    for entry, error in sorted(fit.errors.items(), key=lambda e: -abs(e[1])):
        print(f"  {entry}: {error:+.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
