"""Issue 15 speed figures, as ratios against one RuleSet.evaluate (point decision, samples=0).

Budgets: 10,000 Monte Carlo samples <= 1.0 s; flip points for all inputs <= 0.3 s.
Run: python benchmarks/bench_robustness.py [ANSWERS.yaml]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from advisor.engine.ruleset import load_ruleset
from advisor.load.answers import load_answers
from advisor.scenarios.montecarlo import simulate
from advisor.scenarios.sensitivity import flip_points


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/mid-size-mixed.yaml")
    rs = load_ruleset()
    answers = load_answers(path, rs).values
    d = rs.evaluate(answers, samples=0)
    n = 200
    t = time.perf_counter()
    for _ in range(n):
        rs.evaluate(answers, samples=0)
    one = (time.perf_counter() - t) / n
    t = time.perf_counter()
    simulate(rs, answers, d, 10_000, 0)
    mc = time.perf_counter() - t
    t = time.perf_counter()
    flip_points(rs, answers)
    fp = time.perf_counter() - t
    print(f"one evaluate: {one * 1e6:,.0f} us")
    print(f"10,000 samples: {mc:.2f} s = {mc / one:,.0f} evaluations (budget 1.0 s)")
    print(f"flip points: {fp:.2f} s = {fp / one:,.0f} evaluations (budget 0.3 s)")


if __name__ == "__main__":
    main()
