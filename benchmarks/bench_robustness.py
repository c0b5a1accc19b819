"""Robustness speed figures against their budgets (issue 15), and as ratios against one
RuleSet.evaluate (a point decision), so that a loaded or slower machine reads the same ratio.

Budgets: 10,000 Monte Carlo samples <= 1.0 s; flip points for all inputs <= 0.3 s.
Run: python benchmarks/bench_robustness.py [ANSWERS.yaml] [SAMPLES]
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

from advisor.engine.ruleset import Scales, load_ruleset
from advisor.load.answers import load_answers
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


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/mid-size-mixed.yaml")
    samples = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    rs = load_ruleset()
    answers = load_answers(path, rs).values
    d = rs.evaluate(answers)
    one = best_of(lambda: rs.evaluate(answers), 20)
    probe = Probe(rs, answers)
    point = {k: _point(v) for k, v in answers.items()}
    sc = Scales(0.9, 0.95, 1.1, 0.97)
    old = best_of(lambda: rs.outcome(point, sc), 20)
    new = best_of(lambda: probe.what_if.run({}, sc), 20)
    rule_only = best_of(lambda: probe.what_if.run({"strategy.priority_cost": 1}), 200)
    fork_cost = best_of(
        lambda: in_two(lambda xs: [(None, (1.0, 2.0, 3.0, 4.0)) for _ in xs], [0] * 5, [0] * 5000),
        5,
        3,
    )
    print(f"{path}: load average {os.getloadavg()[0]:.1f} on {cpus()} CPUs")
    print(f"one evaluate: {one * 1e6:,.0f} us")
    print(
        f"one what-if, scaled catalog: RuleSet.outcome {old * 1e6:,.0f} us, "
        f"WhatIf {new * 1e6:,.0f} us; a priority changed (no cost model): "
        f"{rule_only * 1e6:,.0f} us"
    )
    print(f"one fork with 5,000 results pickled back: {fork_cost * 1e3:.1f} ms")
    t, c = time.perf_counter(), time.process_time()
    simulate(rs, answers, d, samples, 0, probe=probe, processes=1)
    mc1 = (time.perf_counter() - t) * 10_000 / samples
    mc1_cpu = (time.process_time() - c) * 10_000 / samples
    t = time.perf_counter()
    simulate(rs, answers, d, samples, 0, probe=probe)
    mc = (time.perf_counter() - t) * 10_000 / samples
    how = "measured" if samples == 10_000 else f"from {samples:,} samples, x{10_000 / samples:g}"
    print(
        f"10,000 samples ({how}): {mc1:.2f} s in one process (CPU {mc1_cpu:.2f} s); "
        f"{mc:.2f} s as evaluate runs them "
        f"({'two processes' if fork_safe() and samples >= PARALLEL_MIN else 'one process'}) "
        f"= {mc / one:,.0f} evaluations (budget 1.0 s: {'met' if mc <= 1.0 else 'NOT met'})"
    )
    fresh = Probe(rs, answers)  # no variants cached yet: what one evaluate pays
    t, c = time.perf_counter(), time.process_time()
    flip_points(rs, answers, fresh, processes=1)
    fp1 = time.perf_counter() - t
    fp1_cpu = time.process_time() - c
    fresh = Probe(rs, answers)
    t = time.perf_counter()
    flip_points(rs, answers, fresh)
    fp = time.perf_counter() - t
    print(
        f"flip points: {fp1:.2f} s in one process (CPU {fp1_cpu:.2f} s); "
        f"{fp:.2f} s as evaluate runs them "
        f"= {fp / one:,.0f} evaluations (budget 0.3 s: {'met' if fp <= 0.3 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
