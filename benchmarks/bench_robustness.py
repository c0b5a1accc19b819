"""Robustness speed figures against their budgets (issue 15), and as ratios against one
RuleSet.evaluate (a point decision), so that a loaded or slower machine reads the same ratio.

Budgets: 10,000 Monte Carlo samples <= 1.0 s; flip points for all inputs <= 0.3 s.
Run: python benchmarks/bench_robustness.py [ANSWERS.yaml] [SAMPLES]
(``python benchmarks/run.py robustness`` also measures mid-size-mixed with its input tokens
stated as the range 1B..6B, the issue's example of a ranged answer.)
(SAMPLES defaults to 10,000, measured, not extrapolated.)

Printed:
* one evaluate (the unit of the ratios) and one what-if with scaled catalog figures,
  the old way (``RuleSet.outcome``) and the incremental one (``WhatIf``);
* the Monte Carlo in one process and as ``advisor evaluate`` runs it (two processes where fork
  is safe), and the cost of one fork (with its pickled results) on its own;
* flip points for all inputs, in one process and as ``advisor evaluate`` runs them.
Also the load average: on a shared machine, wall times are upper bounds.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from advisor.engine.ruleset import Scales, load_ruleset
from advisor.load.answers import load_answers
from advisor.load.ranges import Range
from advisor.scenarios.fork import PARALLEL_MIN, cpus, fork_safe, in_two
from advisor.scenarios.montecarlo import simulate
from advisor.scenarios.probe import Probe, _point
from advisor.scenarios.sensitivity import flip_points


def best_of(fn: object, n: int, repeat: int = 5) -> float:
    """The fastest mean of ``repeat`` batches of ``n`` calls (the least disturbed)."""
    assert callable(fn)
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        out.append((time.perf_counter() - t) / n)
    return min(out)


def measure(
    path: Path, samples: int = 10_000, ranged: dict[str, Any] | None = None
) -> dict[str, float]:
    """Every figure of the module doc, in seconds; ``ranged``: answers replaced (ranges)."""
    rs = load_ruleset()
    answers = {**load_answers(path, rs).values, **(ranged or {})}
    d = rs.evaluate(answers)
    f: dict[str, float] = {"load": os.getloadavg()[0], "cpus": float(cpus())}
    f["evaluate"] = best_of(lambda: rs.evaluate(answers), 20)
    probe = Probe(rs, answers)
    point = {k: _point(v) for k, v in answers.items()}
    sc = Scales(0.9, 0.95, 1.1, 0.97)
    f["outcome"] = best_of(lambda: rs.outcome(point, sc), 20)
    f["what_if"] = best_of(lambda: probe.what_if.run({}, sc), 20)
    f["rule_only"] = best_of(lambda: probe.what_if.run({"strategy.priority_cost": 1}), 200)
    f["fork"] = best_of(
        lambda: in_two(lambda xs: [(None, (1.0, 2.0, 3.0, 4.0)) for _ in xs], [0] * 5, [0] * 5000),
        5,
        3,
    )
    scale = 10_000 / samples
    t, c = time.perf_counter(), time.process_time()
    simulate(rs, answers, d, samples, 0, probe=probe, processes=1)
    f["mc_one"] = (time.perf_counter() - t) * scale
    f["mc_one_cpu"] = (time.process_time() - c) * scale
    t = time.perf_counter()
    simulate(rs, answers, d, samples, 0, probe=probe)
    f["mc"] = (time.perf_counter() - t) * scale
    fresh = Probe(rs, answers)  # no variants cached yet: what one evaluate pays
    t, c = time.perf_counter(), time.process_time()
    flip_points(rs, answers, fresh, processes=1)
    f["flips_one"] = time.perf_counter() - t
    f["flips_one_cpu"] = time.process_time() - c
    fresh = Probe(rs, answers)
    t = time.perf_counter()
    flip_points(rs, answers, fresh)
    f["flips"] = time.perf_counter() - t
    return f


def rows() -> list[dict[str, Any]]:
    path = Path(__file__).resolve().parent.parent / "examples" / "mid-size-mixed.yaml"
    f = measure(path)
    note = (
        f"load {f['load']:.1f} on {f['cpus']:.0f} CPUs; one evaluate {f['evaluate'] * 1e3:.2f} ms"
    )
    r = measure(path, ranged={"usage.monthly_input_tokens": Range(1e9, 3.5e9, 6e9)})
    return [
        {
            "name": "robustness: 10,000 samples, input tokens 1B..6B",
            "value": round(r["mc"], 2),
            "unit": "s",
            "budget": 1.0,
            "note": f"{r['mc'] / r['evaluate']:,.0f} evaluations; the issue's ranged answer",
        },
        {
            "name": "robustness: 10,000 Monte Carlo samples",
            "value": round(f["mc"], 2),
            "unit": "s",
            "budget": 1.0,
            "note": f"{f['mc'] / f['evaluate']:,.0f} evaluations; {note}",
        },
        {
            "name": "robustness: flip points, all inputs",
            "value": round(f["flips"], 3),
            "unit": "s",
            "budget": 0.3,
            "note": f"{f['flips'] / f['evaluate']:,.0f} evaluations; {note}",
        },
    ]


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/mid-size-mixed.yaml")
    samples = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    f = measure(path, samples)
    one = f["evaluate"]
    two = "two processes" if fork_safe() and samples >= PARALLEL_MIN else "one process"
    how = "measured" if samples == 10_000 else f"from {samples:,} samples, x{10_000 / samples:g}"
    print(f"{path}: load average {f['load']:.1f} on {f['cpus']:.0f} CPUs")
    print(f"one evaluate: {one * 1e6:,.0f} us")
    print(
        f"one what-if, scaled catalog: RuleSet.outcome {f['outcome'] * 1e6:,.0f} us, "
        f"WhatIf {f['what_if'] * 1e6:,.0f} us; a priority changed (no cost model): "
        f"{f['rule_only'] * 1e6:,.0f} us"
    )
    print(f"one fork with 5,000 results pickled back: {f['fork'] * 1e3:.1f} ms")
    print(
        f"10,000 samples ({how}): {f['mc_one']:.2f} s in one process (CPU "
        f"{f['mc_one_cpu']:.2f} s); {f['mc']:.2f} s as evaluate runs them ({two}) "
        f"= {f['mc'] / one:,.0f} evaluations "
        f"(budget 1.0 s: {'met' if f['mc'] <= 1.0 else 'NOT met'})"
    )
    print(
        f"flip points: {f['flips_one']:.2f} s in one process (CPU {f['flips_one_cpu']:.2f} s); "
        f"{f['flips']:.2f} s as evaluate runs them = {f['flips'] / one:,.0f} evaluations "
        f"(budget 0.3 s: {'met' if f['flips'] <= 0.3 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
