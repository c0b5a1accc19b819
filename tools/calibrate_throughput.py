"""Fit the roofline throughput assumptions to the measured throughput table (offline).

Run it after adding or changing measurements (``throughput`` entries of the catalog)::

    python tools/calibrate_throughput.py [RULES_DIR ...]

It prints the fitted ``roofline_*`` values, to copy into ``rules/catalog/assumptions.yaml``,
each measured entry's error with them, and the leave-one-out error per model family and GPU
(the ``roofline_loo_error_*`` assumptions, which set an estimated deployment's throughput
band). The advisor itself never runs this: it reads the assumptions
(advisor/catalog/sizing.py explains the roofline estimate). ``python benchmarks/run.py sizing``
prints the leave-one-out table too.

The fit: ``roofline_kv_exponent``, ``roofline_moe_compute_exponent``,
``roofline_compute_efficiency`` and the ``roofline_k_*`` per shape minimise the median
absolute log error of the estimate over every usable measured row, by a restarted Nelder-Mead
simplex search from the previous fit. Leave-one-out leaves out a whole (model, GPU) pair, so a
pair's other shapes cannot predict it.
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
    estimate,
    interpolate,
    k_curve,
    kv_room_tokens,
    split_penalty,
    tensor_term,
    weight_read_term,
)

KV_EXPONENT = "roofline_kv_exponent"
MOE_EXPONENT = "roofline_moe_compute_exponent"
EFFICIENCY = "roofline_compute_efficiency"


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
    # The same terms in logs, over the measurement, for _log_errors: the search scores
    # thousands of points, and the error is a difference of logs (no exp or log per row at a
    # standard shape). None where the term is 0 (the estimate is 0: an infinite error).
    ln_bw_over_measured: float | None
    ln_cap_over_measured: float | None
    only_shape: int | None  # the one shape whose k is the point's k (weight 1, others 0)
    k_terms: tuple[tuple[int, float], ...]  # the non-zero (shape, weight) pairs of k_weights


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
    from advisor.catalog.prepare import usable_rows  # prepare builds on this module

    models = {m.id: m for m in catalog.open_models}
    gpus = {g.id: g for g in catalog.gpus}
    rows: list[_Row] = []
    for t in usable_rows(catalog, dict(a)):
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
        weight_read = weight_read_term(model, gpu, t.gpus) * split_penalty(gpu, t.gpus, a)
        tensor = tensor_term(model, gpu, t.gpus) * split_penalty(gpu, t.gpus, a) / (1.0 + ratio)
        ln_measured = math.log(t.output_tokens_per_s)
        ones = [i for i, w in enumerate(k_weights) if w != 0.0]
        rows.append(
            _Row(
                t.id,
                t.output_tokens_per_s,
                weight_read,
                math.log(room / KV_ROOM_UNIT),
                tensor,
                math.log(model.params_total_b / model.params_active_b),
                SHAPES.index(shape) if shape in SHAPES else None,
                k_weights,
                math.log(weight_read) - ln_measured if weight_read > 0.0 else None,
                math.log(tensor) - ln_measured if tensor > 0.0 else None,
                ones[0] if len(ones) == 1 and k_weights[ones[0]] == 1.0 else None,
                tuple((i, k_weights[i]) for i in ones),
            )
        )
    return rows


Score = tuple[float, float]


def _log_errors(rows: Sequence[_Row], x: Sequence[float]) -> list[float]:
    """ln(estimate / measurement) per row for x = (alpha, gamma, ln efficiency, ln k per
    shape)."""
    alpha, gamma, ln_eff = x[0], x[1], x[2]
    ks = [math.exp(v) for v in x[3:]]
    eff = math.exp(ln_eff)
    out: list[float] = []
    for r in rows:
        k = sum(w * kk for w, kk in zip(r.k_weights, ks, strict=True))
        bw = k * r.weight_read * math.exp(alpha * r.ln_room)
        cap = eff * r.tensor * math.exp(-gamma * r.ln_sparsity)
        est = min(bw, cap)
        out.append(math.log(est / r.measured) if est > 0.0 else math.inf)
    return out


def _log_errors_in_logs(rows: Sequence[_Row], x: Sequence[float]) -> list[float]:
    """:func:`_log_errors` as a difference of logs, about three times faster (no exp or log per
    row at a standard shape), for calibrate()'s search, which scores thousands of points. Equal
    to the last few digits; calibrate() fits the same values with either (checked 2026-12-01),
    but leave_one_out() keeps the product form: its 300-step refits are sensitive enough to
    the last digits to stop at other nearby points, and the published roofline_loo_error_*
    figures came from the product form."""
    alpha, gamma, ln_eff = x[0], x[1], x[2]
    ln_ks = x[3:]
    ks = [math.exp(v) for v in ln_ks]
    out: list[float] = []
    # ln(min(bw, cap) / measured) = min(ln bw - ln measured, ln cap - ln measured), with
    # ln bw = ln k + ln weight_read + alpha ln room and ln cap = ln eff + ln tensor - gamma ln
    # sparsity (the same estimate as estimate(); test_calibration_assumptions_are_the_fit)
    for r in rows:
        if r.ln_bw_over_measured is None or r.ln_cap_over_measured is None:
            out.append(math.inf)
            continue
        if r.only_shape is not None:
            ln_k = ln_ks[r.only_shape]
        else:
            k = sum(w * ks[i] for i, w in r.k_terms)
            if k <= 0.0:
                out.append(math.inf)
                continue
            ln_k = math.log(k)
        bw = ln_k + r.ln_bw_over_measured + alpha * r.ln_room
        cap = ln_eff + r.ln_cap_over_measured - gamma * r.ln_sparsity
        out.append(bw if bw < cap else cap)
    return out


def _log_score(errors: Sequence[float]) -> Score:
    """Median absolute log error, then the mean (to break ties and smooth the search)."""
    absolute = [abs(e) for e in errors]
    if not absolute:
        return 0.0, 0.0
    return _median(absolute), sum(absolute) / len(absolute)


def _simplex(
    score: Callable[[list[float]], Score], start: list[float], steps: int
) -> tuple[Score, list[float]]:
    """Nelder-Mead in any number of dimensions from ``start`` (step 0.1 on every axis)."""
    n = len(start)
    simplex = [list(start)] + [
        [v + (0.1 if j == i else 0.0) for j, v in enumerate(start)] for i in range(n)
    ]
    scored = sorted(((score(q), q) for q in simplex), key=lambda e: e[0])
    for _ in range(steps):
        worst_score, worst = scored[-1]
        centre = [sum(q[j] for _, q in scored[:-1]) / n for j in range(n)]

        def towards(
            t: float, worst: list[float] = worst, centre: list[float] = centre
        ) -> list[float]:
            return [c + t * (w - c) for w, c in zip(worst, centre, strict=True)]

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
                    [b + (v - b) / 2 for v, b in zip(q, best, strict=True)] for _, q in scored[1:]
                ]
                scored = [scored[0], *((score(q), q) for q in shrunk)]
        scored.sort(key=lambda e: e[0])
    return scored[0]


_FIT_STEPS = 1200  # simplex steps per start
# Where the search starts: the fit must not depend on the values it replaces, so it starts from
# the same point every time, the minimax fit to the 41 TensorRT-LLM rows of 2026-07-24 (the
# median is bumpy; from a neutral point the search stops in a worse local minimum). Alpha,
# gamma, ln efficiency, ln k per shape in SHAPES order.
_SEARCH_START = (
    0.085,
    0.303,
    math.log(0.315),
    *(math.log(k) for k in (47.40, 40.64, 27.10, 9.937)),
)
_LOO_STEPS = 300  # per refit in leave_one_out, which starts from the full fit
_FIT_RESTARTS = 3  # the search restarts from its best point (Nelder-Mead stalls on a median)


def _fit(
    rows: Sequence[_Row],
    start: list[float],
    restarts: int = _FIT_RESTARTS,
    steps: int = _FIT_STEPS,
    errors: Callable[[Sequence[_Row], Sequence[float]], list[float]] = _log_errors,
) -> list[float]:
    def score(x: list[float]) -> Score:
        if not (0.0 <= x[0] <= 1.0 and 0.0 <= x[1] <= 1.0 and x[2] <= 0.0):
            return math.inf, math.inf
        return _log_score(errors(rows, x))

    best = (score(start), start)
    for _ in range(restarts):
        best = min(best, _simplex(score, best[1], steps), key=lambda e: e[0])
    return best[1]


def _start(a: Mapping[str, float]) -> list[float]:
    return [
        a[KV_EXPONENT],
        a[MOE_EXPONENT],
        math.log(a[EFFICIENCY]),
        *(math.log(a[roofline_id(s)]) for s in SHAPES),
    ]


def _values(x: Sequence[float]) -> dict[str, float]:
    """The fitted point as assumptions, rounded (exponents and efficiency to three decimals,
    k to four significant digits)."""
    values = {KV_EXPONENT: round(x[0], 3), MOE_EXPONENT: round(x[1], 3)}
    values[EFFICIENCY] = round(math.exp(x[2]), 3)
    for s, v in zip(SHAPES, x[3:], strict=True):
        k = math.exp(v)
        values[roofline_id(s)] = round(k, 3 - math.floor(math.log10(k)))
    return values


def calibrate(catalog: Catalog) -> Calibration:
    """Fit ``roofline_kv_exponent``, ``roofline_moe_compute_exponent``,
    ``roofline_compute_efficiency`` and the ``roofline_k_*`` per shape to every usable measured
    row: the values that minimise the median absolute log error of the estimate (ties broken by
    the mean), searched by Nelder-Mead from the current assumptions and rounded. A log error
    treats a 2x over- and a 2x underestimate alike, and the median keeps a few odd rows (burst
    harnesses, KV-starved deployments) from steering the fit. Points at shapes between the
    calibrated ones count through the interpolated k. Run it after adding measurements and copy
    ``values`` into the assumptions; :func:`leave_one_out` gives the error to quote.
    """
    a = {x.id: float(x.value) for x in catalog.assumptions}
    rows = _rows(catalog, a)
    values = _values(_fit(rows, list(_SEARCH_START), errors=_log_errors_in_logs))
    errors = _log_errors(rows, _start(values))
    return Calibration(
        values, {r.entry: math.exp(e) - 1.0 for r, e in zip(rows, errors, strict=True)}
    )


class Held(NamedTuple):
    """One measured row predicted by a fit that did not see its (model, GPU) pair."""

    family: str
    gpu: str
    entry: str
    measured: float
    estimated: float

    @property
    def error(self) -> float:
        return abs(self.estimated / self.measured - 1.0)


def leave_one_out(catalog: Catalog) -> list[Held]:
    """Leave-one-out error of the estimate: for each (model, GPU) pair with measured rows, the
    roofline is refitted without all of that pair's rows and predicts them. A row left out
    alone would be predicted from its own pair's other shapes; leaving the pair out is what an
    estimated deployment faces (a pair nobody measured)."""
    a = {x.id: float(x.value) for x in catalog.assumptions}
    rows = _rows(catalog, a)
    from advisor.catalog.prepare import usable_rows

    meta = {t.id: (t.model, t.gpu) for t in usable_rows(catalog, a)}
    families = {m.id: m.family for m in catalog.open_models}
    start = _start(_values(_fit(rows, list(_SEARCH_START))))
    out: list[Held] = []
    for pair in sorted({meta[r.entry] for r in rows}):
        held = [r for r in rows if meta[r.entry] == pair]
        kept = [r for r in rows if meta[r.entry] != pair]
        # from the full fit, which is close: a shorter search suffices
        x = _start(_values(_fit(kept, start, restarts=1, steps=_LOO_STEPS)))
        for r, e in zip(held, _log_errors(held, x), strict=True):
            out.append(
                Held(families[pair[0]], pair[1], r.entry, r.measured, r.measured * math.exp(e))
            )
    return out


def loo_table(held: Sequence[Held]) -> dict[str, dict[str, float]]:
    """Median absolute relative error of :func:`leave_one_out` by family, by GPU and overall
    (``"*"``), with the number of rows: {"family:<f>" | "gpu:<g>" | "*": {"error", "rows"}}."""
    groups: dict[str, list[float]] = {}
    for h in held:
        for key in (f"family:{h.family}", f"gpu:{h.gpu}", "*"):
            groups.setdefault(key, []).append(h.error)
    return {k: {"error": _median(v), "rows": float(len(v))} for k, v in sorted(groups.items())}


def estimate_errors(catalog: Catalog) -> dict[str, float]:
    """Median absolute relative error of the roofline estimate against the usable measured
    rows, per model family (``"*"``: all rows). Each row is compared with the estimate for its
    own model, GPUs and shape; rows added after the last calibration are out of sample."""
    from advisor.catalog.prepare import usable_rows

    a = {x.id: float(x.value) for x in catalog.assumptions}
    models = {m.id: m for m in catalog.open_models}
    gpus = {g.id: g for g in catalog.gpus}
    by_family: dict[str, list[float]] = {}
    for t in usable_rows(catalog, a):
        model, gpu = models[t.model], gpus[t.gpu]
        est = estimate(model, gpu, t.gpus, t.input_tokens / t.output_tokens, t.output_tokens, a)
        est *= split_penalty(gpu, t.gpus, a)
        err = abs(est / t.output_tokens_per_s - 1.0)
        by_family.setdefault(model.family, []).append(err)
        by_family.setdefault("*", []).append(err)
    return {f: _median(v) for f, v in by_family.items()}


def row_errors(catalog: Catalog) -> list[tuple[str, str, str, float, float]]:
    """(family, GPU, row id, measured, estimated) for every usable measured row."""
    from advisor.catalog.prepare import usable_rows

    a = {x.id: float(x.value) for x in catalog.assumptions}
    models = {m.id: m for m in catalog.open_models}
    gpus = {g.id: g for g in catalog.gpus}
    out: list[tuple[str, str, str, float, float]] = []
    for t in usable_rows(catalog, a):
        model, gpu = models[t.model], gpus[t.gpu]
        est = estimate(model, gpu, t.gpus, t.input_tokens / t.output_tokens, t.output_tokens, a)
        out.append(
            (model.family, gpu.id, t.id, t.output_tokens_per_s, est * split_penalty(gpu, t.gpus, a))
        )
    return out


def _median(v: Sequence[float]) -> float:
    s = sorted(v)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2.0


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
    print("Leave-one-out median absolute error (a whole model-GPU pair left out):")
    for group, row in loo_table(leave_one_out(catalog)).items():
        print(f"  {group}: {row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
