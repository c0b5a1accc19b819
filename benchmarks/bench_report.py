"""Reports end to end: ``python -m advisor report EXAMPLE --format html -o FILE`` as a user runs it.

The HTML row is a fresh process that starts Python, loads and compiles the default rules,
evaluates the answers, re-runs the cost model along the curve, imports Jinja2, draws two SVG
charts (hand-written, no chart library) and writes the page. Its budget is a ratio: at most
1.5x ``advisor evaluate --format json`` on the same file (the least any command that decides
can cost), so a report is never much slower than the decision it reports. Medians of RUNS runs
after one warm-up (which fills the OS file cache).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
BUDGET_HTML_RATIO = 1.5


def _example() -> Path:
    preferred = ROOT / "examples" / "eu-bank.yaml"
    if preferred.is_file():
        return preferred
    found = sorted((ROOT / "examples").glob("*.yaml"))
    if not found:
        raise SystemExit("benchmarks/bench_report.py needs an answers file in examples/")
    return found[0]


def _time_report(answers: Path, fmt: str, runs: int = RUNS, command: str = "report") -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"report.{fmt}"
        cmd = [
            sys.executable,
            "-m",
            "advisor",
            command,
            str(answers),
            "--format",
            fmt,
            "-o",
            str(out),
        ]
        samples: list[float] = []
        for i in range(runs + 1):
            start = time.perf_counter()
            done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=False)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                raise SystemExit(
                    f"advisor report failed ({done.returncode}): {done.stderr.decode()[-500:]}"
                )
            if i:  # the first run warms caches
                samples.append(elapsed)
        return statistics.median(samples)


def _ratio(answers: Path, runs: int = RUNS) -> float:
    """Median of per-pair ratios, the two commands run back to back: a load that comes and
    goes on a shared machine moves both halves of a pair alike, so the ratio holds."""
    ratios = [
        _time_report(answers, "html", 1) / _time_report(answers, "json", 1, command="evaluate")
        for _ in range(runs)
    ]
    return statistics.median(ratios)


def rows() -> list[dict[str, object]]:
    answers = _example()
    html = _time_report(answers, "html")
    md = _time_report(answers, "md")
    js = _time_report(answers, "json")
    evaluate = _time_report(answers, "json", command="evaluate")
    ratio = _ratio(answers)
    note = f"median of {RUNS}, {answers.name}, fresh process"
    return [
        {
            "name": "evaluate --format json end to end",
            "value": round(evaluate, 3),
            "unit": "s",
            "budget": None,
            "note": note + ", the decision alone",
        },
        {
            "name": "report html / evaluate json",
            "value": round(ratio, 2),
            "unit": "x",
            "budget": BUDGET_HTML_RATIO,
            "note": f"median of {RUNS} back-to-back pairs, whole processes",
        },
        {
            "name": "report html end to end",
            "value": round(html, 3),
            "unit": "s",
            "budget": None,  # the ratio row is the budget: it holds under load too
            "note": note + ", 2 SVG charts",
        },
        {
            "name": "report md end to end",
            "value": round(md, 3),
            "unit": "s",
            "budget": None,
            "note": note + ", no charts",
        },
        {
            "name": "report json end to end",
            "value": round(js, 3),
            "unit": "s",
            "budget": None,
            "note": note + ", no Jinja2",
        },
    ]


if __name__ == "__main__":
    for row in rows():
        print(row)
