"""Reports end to end: ``python -m advisor report EXAMPLE --format html -o FILE`` as a user runs it.

The HTML row is the issue's budget (1.5 s): a fresh process that starts Python, loads and
compiles the default rules, evaluates the answers, re-runs the cost model along the curve,
imports Jinja2 and matplotlib, draws two SVG charts and writes the page. The Markdown and JSON
rows show what the charts cost (they import neither matplotlib nor, for JSON, Jinja2).
Medians of RUNS runs after one warm-up (which fills the OS file cache and matplotlib's font
cache, as on any machine that has run advisor once).
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
BUDGET_HTML_S = 1.5


def _example() -> Path:
    preferred = ROOT / "examples" / "eu-bank.yaml"
    if preferred.is_file():
        return preferred
    found = sorted((ROOT / "examples").glob("*.yaml"))
    if not found:
        raise SystemExit("benchmarks/bench_report.py needs an answers file in examples/")
    return found[0]


def _time_report(answers: Path, fmt: str, runs: int = RUNS) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"report.{fmt}"
        cmd = [
            sys.executable,
            "-m",
            "advisor",
            "report",
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


def rows() -> list[dict[str, object]]:
    answers = _example()
    html = _time_report(answers, "html")
    md = _time_report(answers, "md")
    js = _time_report(answers, "json")
    note = f"median of {RUNS}, {answers.name}, fresh process"
    return [
        {
            "name": "report html end to end",
            "value": round(html, 3),
            "unit": "s",
            "budget": BUDGET_HTML_S,
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
