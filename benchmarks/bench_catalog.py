"""The cost and licence models: one ``derive()`` over every catalog model, per evaluation.

``derive`` prices every deployment candidate (open model x GPU type x GPUs per replica, about
fifty), picks the cheapest viable one, sizes the hybrid, solves the break-even volume and
assesses every licence. Per-catalog tables are built once (``prepare``); the licence view and
the throughput per input/output ratio are memoised per catalog, as the TUI re-evaluates on every
keystroke while most answers stay put; so are the hosted plan, the switch search, the cost
table and whole derivations (by every answer). The figures:

- typical: the token volumes change on every call, never to one seen before (fresh cost
  arithmetic), the licence answers do not (memo hit), as when someone types a volume in the
  questionnaire;
- same answers again: derive's own memo (a TUI redraw, a rule set's test over the same answers);
- cold: the memos are cleared before every call (new licence answers and a new ratio);
- eu-bank: the bank's answers, volumes changing as in typical; facts only: the what-if path;
- prepare: building the per-catalog tables, once per loaded catalog.
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ANSWERS: dict[str, Any] = {
    "org.hq_region": "eu",
    "org.industry": "finance",
    "org.monthly_active_users": 2_000_000,
    "usage.monthly_input_tokens": 2.5e9,
    "usage.monthly_output_tokens": 5e8,
    "usage.current_model": "gpt-4.1",
    "usage.traffic_pattern": "business_hours",
    "usage.capability_need": "reasoning",
    "usage.frontier_share": 20.0,
    "usage.needs_multimodal": False,
    "data.sensitivity": "confidential",
    "data.residency": "eu",
    "data.air_gapped": False,
    "licensing.redistributes_model": False,
    "licensing.trains_on_outputs": False,
    "licensing.attribution_acceptable": True,
    "licensing.excluded_origins": ["cn"],
    "ops.ml_engineers": 3,
    "ops.gpu_source": "cloud",
    "ops.oncall_24x7": True,
    "ops.engineer_annual_cost_usd": 180_000.0,
    "strategy.horizon_months": 36,
    "strategy.lock_in_concern": "medium",
    "strategy.needs_fine_tuning": False,
}


def _median_us(call: Callable[[int], object], runs: int = 41, batch: int = 200) -> float:
    """Median over ``runs`` batches of the time per call, in microseconds: process CPU time,
    which leaves out the time other processes hold the core on this shared machine."""
    call(0)
    samples = []
    for _ in range(runs):
        start = time.process_time()
        for i in range(batch):
            call(i)
        samples.append((time.process_time() - start) / batch * 1e6)
    return statistics.median(samples)


def rows() -> list[dict[str, Any]]:
    from advisor.catalog import derive, prepare
    from advisor.engine.ruleset import load_ruleset

    catalog = load_ruleset().catalog  # the default rules' catalog, loaded as the CLI loads it
    prepared = prepare(catalog)
    # Volumes a user might type, each with its own input/output ratio, never the same twice:
    # derive keeps its last results, and the plan, the switch search and the cost table are
    # kept by the tokens or their ratio, so a volume seen before measures those memos, not
    # the arithmetic (``repeat`` measures them on purpose)
    fresh = itertools.count(1)

    def volume(base: dict[str, Any]) -> dict[str, Any]:
        n = next(fresh)
        return {
            **base,
            "usage.monthly_input_tokens": 2.5e9 * (1 + n / 7919),
            "usage.monthly_output_tokens": 5e8 * (1 + n / 104729),
        }

    def typical(i: int) -> object:
        return derive(catalog, volume(ANSWERS), {})

    def repeat(i: int) -> object:
        return derive(catalog, ANSWERS, {})

    def cold(i: int) -> object:
        prepared.memo.clear()
        return derive(catalog, volume(ANSWERS), {})

    def build(i: int) -> object:
        from advisor.catalog.prepare import _build

        return _build(catalog)

    import yaml

    from advisor.engine.ruleset import _exclusions

    rs = load_ruleset()
    raw = yaml.safe_load((ROOT / "examples" / "eu-bank.yaml").read_text())
    bank_values, _, _ = rs._base_values(rs.validate_answers(raw["answers"]))
    bank_excluded = _exclusions(rs, bank_values)

    # the bank's volumes changing as in `typical`, never the same twice
    def bank(i: int) -> object:
        return derive(rs.catalog, volume(bank_values), bank_excluded)

    def bank_facts(i: int) -> object:
        return derive(rs.catalog, volume(bank_values), bank_excluded, models=False, detail=False)

    n_models = len(catalog.open_models)
    n_candidates = len(prepared.candidates)
    scope = f"{n_models} open models, {n_candidates} deployment candidates"
    return [
        {
            "name": "catalog derive (typical)",
            "value": _median_us(typical),
            "unit": "µs",
            "budget": 200,
            "note": f"{scope}; licence memo hit, a new volume on every call",
        },
        {
            "name": "catalog derive (same answers again)",
            "value": _median_us(repeat),
            "unit": "µs",
            "budget": None,
            "note": "a TUI redraw, or a rule set's test over the same answers: derive's memo",
        },
        {
            "name": "catalog derive (cold)",
            "value": _median_us(cold),
            "unit": "µs",
            "budget": 200,
            "note": "licence and throughput memos cleared before each call",
        },
        {
            "name": "catalog derive (eu-bank)",
            "value": _median_us(bank),
            "unit": "µs",
            "budget": 200,
            "note": "examples/eu-bank.yaml, 48 months with successors, volumes changing",
        },
        {
            "name": "catalog derive (eu-bank, facts only)",
            "value": _median_us(bank_facts),
            "unit": "µs",
            "budget": None,
            "note": "detail=False, models=False: the probe path of flip points and Monte Carlo",
        },
        {
            "name": "catalog prepare",
            "value": _median_us(build, runs=11, batch=5) / 1000.0,
            "unit": "ms",
            "budget": None,
            "note": "once per loaded catalog",
        },
    ]


if __name__ == "__main__":
    for row in rows():
        print(f"{row['name']:<28} {row['value']:>10.1f} {row['unit']:<3} {row['note']}")
