"""Accuracy of the roofline throughput estimate: leave-one-out error per model family and GPU.

For each (model, GPU) pair with measured rows, the roofline is refitted without that pair
(advisor.catalog.sizing.leave_one_out) and predicts the pair's rows; the table shows the median
absolute relative error per family, per GPU and overall, against the issue's goal of 25 %
overall. Every family's error is shown, met or not: the families with a wide error are the ones
whose estimated deployments carry a wide throughput band. The last rows say whether the
``roofline_*`` and ``roofline_loo_error_*`` assumptions in rules/catalog/assumptions.yaml are
what the fit gives today (re-run after adding measurements and copy the figures over).

Not a timing: ``python benchmarks/run.py sizing`` (about a minute on one core).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOAL = 0.25  # median absolute error over all rows, from issue 13


def rows() -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT / "tools"))
    from calibrate_throughput import calibrate, leave_one_out, loo_table

    from advisor.engine.ruleset import load_ruleset

    catalog = load_ruleset().catalog
    a = {x.id: float(x.value) for x in catalog.assumptions}
    table = loo_table(leave_one_out(catalog))
    out: list[dict[str, Any]] = []
    for key, v in table.items():
        name = "sizing LOO all rows" if key == "*" else f"sizing LOO {key.replace(':', ' ')}"
        note = f"{int(v['rows'])} rows"
        stored = a.get(f"roofline_loo_error_{key.removeprefix('family:')}")
        if key == "*":
            stored = a.get("roofline_loo_error_all")
        if stored is not None and abs(stored - v["error"]) > 0.01:
            note += f"; assumptions say {stored:.1%}: update them"
        out.append(
            {
                "name": name,
                "value": round(100.0 * v["error"], 1),
                "unit": "%",
                "budget": 100.0 * GOAL if key == "*" else None,
                "note": note,
            }
        )
    fit = calibrate(catalog)
    drift = [k for k, v in fit.values.items() if abs(a[k] - v) > 0.005 * max(abs(v), 1e-9)]
    out.append(
        {
            "name": "sizing fit matches assumptions",
            "value": "yes" if not drift else "no",
            "unit": "",
            "budget": None,
            "note": "" if not drift else "refit: " + ", ".join(drift),
        }
    )
    return out
