"""Robustness speed figures, as ratios against one RuleSet.evaluate (a point decision).

Budgets (issue 15): 10,000 Monte Carlo samples <= 1.0 s; flip points for all inputs <= 0.3 s.
Run: python benchmarks/bench_robustness.py [ANSWERS.yaml] [SAMPLES]
(SAMPLES defaults to 1,000; the 10,000 figure is extrapolated linearly and says so.)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from advisor.engine.ruleset import load_ruleset
from advisor.load.answers import load_answers
from advisor.scenarios.montecarlo import simulate
from advisor.scenarios.probe import Probe
from advisor.scenarios.sensitivity import flip_points


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/mid-size-mixed.yaml")
    samples = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    rs = load_ruleset()
    answers = load_answers(path, rs).values
    d = rs.evaluate(answers)
    n = 50
    t = time.perf_counter()
    for _ in range(n):
        rs.evaluate(answers)
    one = (time.perf_counter() - t) / n
    t = time.perf_counter()
    simulate(rs, answers, d, samples, 0, probe=Probe(rs, answers))
    mc = (time.perf_counter() - t) * 10_000 / samples
    t = time.perf_counter()
    flip_points(rs, answers)
    fp = time.perf_counter() - t
    print(f"one evaluate: {one * 1e6:,.0f} us")
    how = "measured" if samples == 10_000 else f"from {samples:,} samples, x{10_000 / samples:g}"
    print(
        f"10,000 samples: {mc:.2f} s ({how}) = {mc / one:,.0f} evaluations "
        f"(budget 1.0 s: {'met' if mc <= 1.0 else 'NOT met'})"
    )
    print(
        f"flip points: {fp:.2f} s = {fp / one:,.0f} evaluations "
        f"(budget 0.3 s: {'met' if fp <= 0.3 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
