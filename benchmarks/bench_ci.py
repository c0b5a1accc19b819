"""CI commands end to end, as a CI job runs them: a fresh ``python -m advisor`` process each time.

Rows:
* ``advisor test`` over 100 generated scenarios (budget 1.0 s, median of 5 runs). The
  scenarios live in the ``tests/`` folder of a temporary copy of the default rules without
  their own tests, so exactly 100 cases run; each expects the recommendation the rule set gives
  it (computed once in-process), so the run passes and every reporter path is the passing one.
* ``advisor check`` on the default rules (budget 0.35 s, median of 5 runs).
* ``advisor diff`` of the default rules against themselves over the same 100 scenarios.
* The import time of ``advisor check`` (``python -X importtime``), and the modules that
  dominate it, in the note.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
N_SCENARIOS = 100
# An installed advisor has its bytecode compiled (pip does it); a checkout run with
# PYTHONDONTWRITEBYTECODE=1 recompiles every module on every start. Measure as installed:
# bytecode cached in a private folder (so the tree stays clean), after one warm-up run.
_PYCACHE = tempfile.mkdtemp(prefix="advisor-bench-pycache-")
WARM_ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": _PYCACHE,
}
COLD_ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def _answers(rng: random.Random) -> dict[str, object]:
    return {
        "org.hq_region": rng.choice(["eu", "uk", "us", "apac", "other"]),
        "org.monthly_active_users": rng.choice([1_000, 200_000, 5_000_000, 900_000_000]),
        "usage.monthly_input_tokens": rng.choice([5e6, 2e8, 3e9, 4e10]),
        "usage.monthly_output_tokens": rng.choice([1e6, 5e7, 8e8, 1e10]),
        "usage.capability_need": rng.choice(["frontier", "reasoning", "general", "simple"]),
        "usage.frontier_share": rng.choice([0, 10, 40, 90]),
        "data.sensitivity": rng.choice(["public", "internal", "confidential", "regulated"]),
        "data.air_gapped": rng.random() < 0.1,
        "ops.ml_engineers": rng.choice([0, 1, 3, 8]),
        "ops.gpu_source": rng.choice(["cloud", "on_prem", "none"]),
        "ops.oncall_24x7": rng.random() < 0.5,
    }


def make_rules(folder: Path, n: int = N_SCENARIOS, seed: int = 7) -> Path:
    """A copy of the default rules whose tests/ holds ``n`` generated, passing scenarios."""
    import yaml

    sys.path.insert(0, str(ROOT))
    from advisor.engine.ruleset import load_ruleset

    rules = folder / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("tests"))
    ruleset = load_ruleset([rules])
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        answers = {k: v for k, v in _answers(rng).items() if _fits(ruleset, k, v)}
        decision = ruleset.evaluate(ruleset.validate_answers(answers))
        cases.append(
            {
                "name": f"generated scenario {i:03d}",
                "answers": answers,
                "expect": {
                    "recommendation": decision.recommendation,
                    "fired": sorted(decision.fired_ids)[:3],
                },
            }
        )
    (rules / "tests").mkdir()
    (rules / "tests" / "generated.yaml").write_text(
        yaml.safe_dump({"tests": cases}, sort_keys=False), encoding="utf-8"
    )
    return rules


def _fits(ruleset: object, qid: str, value: object) -> bool:
    """Keep only answers the current questionnaire accepts (its ids and options evolve)."""
    from advisor.engine.ruleset import RuleSet
    from advisor.load.values import AnswerError

    assert isinstance(ruleset, RuleSet)
    if qid not in ruleset.questions:
        return False
    try:
        ruleset.coerce(qid, value)
    except AnswerError:
        return False
    return True


def _median_seconds(argv: list[str], expect_rc: int = 0, cold: bool = False) -> float:
    times = []
    env = COLD_ENV if cold else WARM_ENV
    for i in range(RUNS + (0 if cold else 1)):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "advisor", *argv],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
        )
        if cold or i > 0:  # the first warm run only fills the bytecode cache
            times.append(time.perf_counter() - start)
        if proc.returncode != expect_rc:
            raise RuntimeError(f"advisor {' '.join(argv)} exited {proc.returncode}: {proc.stderr}")
    return statistics.median(times)


def import_profile(argv: list[str], top: int = 6) -> tuple[float, list[tuple[str, float]]]:
    """Total import time of a command (s), and the packages that take it: self time summed by
    top-level package (``advisor.x`` kept apart), largest first."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "advisor", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=WARM_ENV,
    )
    by_package: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line[len("import time:") :].split("|")
        try:
            self_s = int(parts[0]) / 1e6
        except ValueError:
            continue  # the header line
        name = parts[2].strip().split(".")
        package = ".".join(name[:2]) if name[0] == "advisor" else name[0]
        by_package[package] = by_package.get(package, 0.0) + self_s
    ranked = sorted(by_package.items(), key=lambda kv: -kv[1])[:top]
    return sum(by_package.values()), ranked


def rows() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        rules = make_rules(Path(tmp))
        t_test = _median_seconds(
            [
                "test",
                "--rules",
                str(rules),
                "--format",
                "junit",
                "-o",
                str(Path(tmp) / "junit.xml"),
                "--coverage",
            ]
        )
        out.append(
            {
                "name": "advisor test, 100 scenarios (process)",
                "value": t_test,
                "unit": "s",
                "budget": 1.0,
                "note": f"median of {RUNS}; junit + coverage",
            }
        )
        t_diff = _median_seconds(
            ["diff", "--base", str(rules), "--rules", str(rules), str(rules / "tests")]
        )
        out.append(
            {
                "name": "advisor diff, 100 scenarios x 2 (process)",
                "value": t_diff,
                "unit": "s",
                "budget": None,
                "note": f"median of {RUNS}",
            }
        )
    t_check = _median_seconds(["check"])
    t_cold = _median_seconds(["check"], cold=True)
    total, ranked = import_profile(["check"])
    top = ", ".join(f"{name} {sec * 1000:.0f} ms" for name, sec in ranked)
    out.append(
        {
            "name": "advisor check, default rules (process)",
            "value": t_check,
            "unit": "s",
            "budget": 0.35,
            "note": f"median of {RUNS}, bytecode cached as when installed",
        }
    )
    out.append(
        {
            "name": "advisor check, no bytecode cache (process)",
            "value": t_cold,
            "unit": "s",
            "budget": None,
            "note": "PYTHONDONTWRITEBYTECODE=1: every module compiled at each start",
        }
    )
    out.append(
        {
            "name": "advisor check: import time (-X importtime)",
            "value": total,
            "unit": "s",
            "budget": None,
            "note": f"top: {top}",
        }
    )
    return out


if __name__ == "__main__":
    for row in rows():
        print(row)
