"""Run every benchmark and print one table: ``python benchmarks/run.py [NAME ...]``.

Each ``bench_*.py`` beside this file exposes ``rows() -> list[dict]`` with keys ``name``,
``value``, ``unit``, ``budget`` (same unit, or None) and ``note``. Figures are medians of
repeated runs on this machine; they belong in benchmarks/README.md, never in timed tests.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    wanted = set(argv)
    rows: list[dict[str, object]] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if wanted and path.stem.removeprefix("bench_") not in wanted:
            continue
        module = _load(path)
        rows.extend(module.rows())  # type: ignore[attr-defined]
    width = max((len(str(r["name"])) for r in rows), default=10)
    print(f"{'benchmark':<{width}}  {'value':>14}  {'budget':>12}  ok   note")
    failed = 0
    for r in rows:
        value, budget = r["value"], r.get("budget")
        unit = str(r["unit"])
        higher_is_better = unit.endswith("/s") or unit == "x faster"
        ok = "-"
        if isinstance(budget, int | float) and isinstance(value, int | float):
            good = value >= budget if higher_is_better else value <= budget
            ok = "yes" if good else "NO"
            failed += 0 if good else 1
        shown = f"{value:,.3g} {unit}" if isinstance(value, float) else f"{value} {unit}"
        bshown = f"{budget:,.3g}" if isinstance(budget, int | float) else "-"
        print(f"{r['name']:<{width}}  {shown:>14}  {bshown:>12}  {ok:<4} {r.get('note', '')}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
