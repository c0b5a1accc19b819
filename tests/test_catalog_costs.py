"""The cost model over the default catalog: hosted exactness, measured throughput, estimates,
replicas, GPU sources, traffic patterns, hybrid, break-even, and which facts appear when."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from helpers.catalog_layers import merge_layers
from helpers.workloads import answers, catalog_docs, catalog_with, default_catalog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.catalog import (
    FACT_SPECS,
    Catalog,
    catalog_as_of,
    derive,
    fact_specs,
    prepare,
    stale_entries,
)
from advisor.catalog.assumptions import SHAPES
from advisor.catalog.costs import Table, breakeven_output_tokens, workload
from advisor.catalog.prepare import HOURS_PER_MONTH
from advisor.catalog.schema import TIER_LEVEL, HostedModel
from advisor.catalog.sizing import (
    bandwidth_term,
    compute_term,
    estimate,
    kv_room_tokens,
    split_penalty,
)

ROOT = Path(__file__).resolve().parent.parent
# The offline fitter is a script (tools/calibrate_throughput.py), not part of the package.
sys.path.insert(0, str(ROOT / "tools"))
from calibrate_throughput import calibrate, minimax_k  # noqa: E402

# Settings under which the cost of a replica is exactly its GPU-hours: no people, migration,
# overhead, derating, headroom or peak.
FULL_LOAD = {
    "derating_default": 1.0,
    "target_utilisation": 1.0,
    "pattern_steady_peak_factor": 1.0,
    "cloud_overhead_fraction": 0.0,
    "ops_fte_base": 0.0,
    "ops_fte_per_gpu": 0.0,
    "migration_engineer_months": 0.0,
    "hybrid_routing_engineer_months": 0.0,
}


def assumptions(**values: float) -> dict[str, Any]:
    return {"assumptions": [{"id": k, "value": v} for k, v in values.items()]}


def run(values: dict[str, Any], catalog: Catalog | None = None, excluded: Any = None) -> Any:
    return derive(catalog or default_catalog(), values, excluded or {})


def with_tokens(values: dict[str, Any], total_output: float) -> dict[str, Any]:
    """Scale the volumes to ``total_output`` output tokens, keeping the input/output mix."""
    ratio = values["usage.monthly_input_tokens"] / values["usage.monthly_output_tokens"]
    return {
        **values,
        "usage.monthly_output_tokens": total_output,
        "usage.monthly_input_tokens": total_output * ratio,
    }


# --- the catalog itself -----------------------------------------------------------------------


def test_catalog_has_the_issue_ids_and_dates_every_entry() -> None:
    c = default_catalog()
    hosted = {h.id for h in c.hosted_models}
    assert {
        "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o1", "o3", "o3-mini", "o4-mini",
        "gpt-5", "claude-sonnet-4-5", "gemini-2.5-pro",
    } <= hosted  # fmt: skip
    assert {
        "llama-3.1-8b", "llama-3.3-70b", "llama-4-scout", "llama-4-maverick", "deepseek-r1",
        "deepseek-v3", "gpt-oss-20b", "gpt-oss-120b", "qwen3-32b", "qwen3-235b-a22b",
        "mistral-small-3.1", "mixtral-8x22b", "gemma-3-27b",
    } <= {m.id for m in c.open_models}  # fmt: skip
    assert {"llama-3.1", "llama-3.3", "llama-4", "mit", "apache-2.0", "gemma", "qwen"} <= {
        lic.id for lic in c.licenses
    }
    assert {g.id for g in c.gpus} == {"a100-80gb", "l40s", "h100", "h200", "b200"}
    for section in ("hosted_models", "open_models", "licenses", "gpus", "throughput"):
        for entry in getattr(c, section):
            assert entry.source.strip() and entry.as_of.year >= 2025, (section, entry.id)
    for gpu in c.gpus:
        assert gpu.rent_usd_per_hour_low is not None and gpu.rent_usd_per_hour_high is not None
        assert gpu.rent_usd_per_hour_low <= gpu.rent_usd_per_hour <= gpu.rent_usd_per_hour_high
        assert gpu.rent_source and gpu.purchase_source


def test_hosted_prices_match_the_facts_csv() -> None:
    """The facts CSV is the mid-2026 litellm map. Since issue 12 the catalog's prices are read
    on the vendors' pages on 2026-12-01: an entry in the CSV keeps the CSV's price unless its
    note says the map is stale (DeepSeek repriced in August 2026); models newer than the map
    have no row."""
    import csv

    rows = {
        r["model_key"]: r
        for r in csv.DictReader((ROOT / "tests" / "data" / "api_prices_per_1M.csv").open())
    }
    matched = set()
    for h in default_catalog().hosted_models:
        row = rows.get(h.litellm_key or "")
        if row is None:
            continue
        same = (
            h.input_usd_per_1m == float(row["input_usd_per_1M"])
            and h.output_usd_per_1m == float(row["output_usd_per_1M"])
            and h.cached_input_usd_per_1m == float(row["cached_input_usd_per_1M"])
        )
        if same:
            matched.add(h.id)
        else:
            assert "stale" in (h.note or ""), h.id
    # the models the issue names keep the list price the map recorded
    assert {
        "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o1", "o3", "o3-mini", "o4-mini",
        "gpt-5", "claude-sonnet-4-5", "gemini-2.5-pro",
    } <= matched  # fmt: skip


def test_every_measured_row_of_the_facts_is_in_the_catalog() -> None:
    rows = {(t.model, t.gpu, t.gpus) for t in default_catalog().throughput}
    assert rows >= {
        ("llama-3.1-8b", "h100", 1), ("llama-3.1-8b", "h200", 1), ("llama-3.3-70b", "h100", 2),
        ("llama-3.3-70b", "h200", 1), ("llama-3.1-405b", "h100", 8), ("llama-4-scout", "h100", 4),
        ("llama-4-maverick", "h100", 8), ("llama-4-maverick", "h200", 8),
        ("qwen3-235b-a22b", "h100", 8), ("qwen3-235b-a22b", "h200", 8), ("deepseek-r1", "h200", 8),
    }  # fmt: skip
    assert len(default_catalog().throughput) == 41 + 239  # + the 2026-12-01 research rows


def test_catalog_cross_references_are_checked() -> None:
    with pytest.raises(ValueError, match="licence 'nope'"):
        catalog_with({"open_models": [{"id": "gemma-3-27b", "license": "nope"}]})
    docs = [d for d in catalog_docs() if "assumptions" not in d]
    with pytest.raises(ValueError, match="assumptions lacks"):
        Catalog.model_validate(merge_layers(docs))
    # a measured row for a GPU the catalog lacks loads and is skipped by the cost model
    odd = catalog_with(
        {
            "throughput": [
                {**default_catalog().throughput[0].model_dump(), "id": "x.y", "gpu": "b999"}
            ]
        }
    )
    assert all(pt.entry != "x.y" for c in prepare(odd).candidates for pt in c.points)


def test_a_layer_overrides_one_figure() -> None:
    cheap = catalog_with({"gpus": [{"id": "h100", "rent_usd_per_hour": 1.0}]})
    assert {g.id: g.rent_usd_per_hour for g in cheap.gpus}["h100"] == 1.0
    assert {g.id: g.rent_usd_per_hour for g in cheap.gpus}["h200"] == 4.0
    # pinned, so the layer's figure is what moves the cost (unpinned, a cheaper measured H100
    # deployment may replace an estimated one that was cheaper only at its likely throughput)
    pinned = answers(selfhost__model="gpt-oss-120b", selfhost__gpu="h100")
    before = run(pinned)
    after = run(pinned, cheap)
    assert after.facts["cost.self_host_gpu_monthly_usd"] == pytest.approx(
        before.facts["cost.self_host_gpu_monthly_usd"] / 3.0  # h100: 3.00 -> 1.00 USD/h
    )
    assert after.facts["cost.self_host_monthly_usd"] < before.facts["cost.self_host_monthly_usd"]


def test_freshness() -> None:
    c = default_catalog()
    # the newest figure: the frontier_share_split_percent assumption (2026-12-02); prices 12-01
    assert catalog_as_of(c) == "2026-12-02"
    stale = stale_entries(c, date(2026, 11, 29))
    assert all(isinstance(d, date) for _, _, d, _ in stale)
    assert ("gpus", "h100", date(2026, 4, 13), 180) in stale  # purchase price from April
    assert not any(section == "hosted_models" for section, _, _, _ in stale)
    # prices go stale after 90 days, other figures after 180 (issue 12)
    later = stale_entries(c, date(2027, 3, 2))
    assert ("hosted_models", "gpt-4o", date(2026, 12, 1), 90) in later
    assert stale_entries(c, date(2026, 6, 1)) == []


# --- accuracy against the measurements (issue item 6) ---------------------------------------


def _used_rows() -> list[Any]:
    """The measured rows the cost model uses: per deployment and shape, the fastest usable."""
    used = {pt.entry for c in prepare(default_catalog()).candidates for pt in c.points}
    return [t for t in default_catalog().throughput if t.id in used]


@cache
def _full_load(output_tokens: int) -> tuple[Any, Any]:
    """The catalog at full load for one request size and its tables, built once: the 165
    measured rows share some 20 sizes (each catalog is validated and its tables computed, tens
    of ms, and prepare() keeps only the last 8 catalogs' tables)."""
    catalog = catalog_with(assumptions(**FULL_LOAD, request_output_tokens=output_tokens))
    return catalog, prepare(catalog)


@pytest.mark.parametrize("row", _used_rows(), ids=lambda t: t.id)
def test_cost_per_1m_output_at_full_load_matches_the_measurement(row: Any) -> None:
    """The cost model's marginal cost of a fully loaded replica, per 1M output tokens, is the
    rental price of its GPUs over the measured throughput."""
    catalog, p = _full_load(row.output_tokens)
    values = answers(
        usage__monthly_input_tokens=1e9 * row.input_tokens / row.output_tokens,
        usage__monthly_output_tokens=1e9,
    )
    w = workload(p, values)
    table = Table(p, w)
    (ci,) = [
        i
        for i, c in enumerate(p.candidates)
        if (p.model_ids[c.model], p.gpus[c.gpu].id, c.gpus) == (row.model, row.gpu, row.gpus)
    ]
    assert [pt.entry for pt in table.points[ci]] == [row.id]
    full_load_tokens = table.terms(p, ci).usable_per_s * 3600 * HOURS_PER_MONTH
    modelled = table.per_replica[ci] / full_load_tokens * 1e6
    gpu = {g.id: g for g in catalog.gpus}[row.gpu]
    expected = row.gpus * gpu.rent_usd_per_hour / (row.output_tokens_per_s * 3600) * 1e6
    assert modelled == pytest.approx(expected, rel=0.05)


@pytest.mark.parametrize(
    ("model", "gpu", "hourly", "quoted"),
    [("llama-3.1-8b", "h100", 2.5, 0.05), ("llama-3.3-70b", "h100", 2.5, 0.33),
     ("deepseek-r1", "h200", 3.5, 0.68)],
)  # fmt: skip
def test_full_load_cost_reproduces_the_figures_quoted_in_the_facts(
    model: str, gpu: str, hourly: float, quoted: float
) -> None:
    """facts/throughput.md: lower bounds at full load, H100 USD 2.50/h and H200 USD 3.50/h."""
    others = [{"id": m.id} for m in default_catalog().open_models if m.id != model]
    catalog = catalog_with(
        assumptions(**FULL_LOAD, min_replicas=1),
        {"gpus": [{"id": g.id, "rent_usd_per_hour": 1000.0} for g in default_catalog().gpus
                  if g.id != gpu] + [{"id": gpu, "rent_usd_per_hour": hourly}]},
    )  # fmt: skip
    ratio = 1.0 if model != "deepseek-r1" else 0.5  # DeepSeek-R1 was measured at 1K in / 2K out
    p = prepare(catalog)
    values = answers(
        usage__monthly_input_tokens=ratio,
        usage__monthly_output_tokens=1.0,
        usage__capability_need="simple",
        usage__current_model="gpt-4o-mini",  # no tier: replacing GPT-4o would exclude 8B
    )
    table = Table(p, workload(p, values))
    (ci,) = [
        i
        for i, c in enumerate(p.candidates)
        if p.model_ids[c.model] == model
        and p.gpus[c.gpu].id == gpu
        and table.points[i]
        and c.gpus == {"llama-3.1-8b": 1, "llama-3.3-70b": 2, "deepseek-r1": 8}[model]
    ]
    # a volume that exactly fills three replicas
    volume = 3 * table.terms(p, ci).usable_per_s * 3600 * HOURS_PER_MONTH
    result = run(
        with_tokens(values, volume),
        catalog,
        excluded={m["id"]: ["test: only one model"] for m in others},
    )
    deployment = result.costs["self_host"]["deployment"]
    assert (deployment["model"], deployment["gpu"]) == (model, gpu)
    assert deployment["replicas"] == 3 and deployment["throughput_source"] == "measured"
    assert result.facts["cost.utilisation"] == pytest.approx(1.0)
    per_1m = result.facts["cost.self_host_monthly_usd"] / (volume / 1e6)
    assert abs(per_1m - quoted) <= 0.005 + 1e-9  # the facts round to cents


def _estimate_error(row: Any) -> float:
    c = default_catalog()
    a = {x.id: x.value for x in c.assumptions}
    model = {m.id: m for m in c.open_models}[row.model]
    gpu = {g.id: g for g in c.gpus}[row.gpu]
    ratio = row.input_tokens / row.output_tokens
    est = estimate(model, gpu, row.gpus, ratio, row.output_tokens, a)
    return float(est / row.output_tokens_per_s - 1.0)


def test_roofline_estimate_has_a_median_error_within_25_percent() -> None:
    """Issue 13: over every usable measured row, the estimate's median error is at most 25 %."""
    c = default_catalog()
    rows = [t for t in c.throughput if t.id in _calibration().errors]
    errors = sorted(abs(_estimate_error(t)) for t in rows)
    assert len(rows) > 100
    assert errors[len(errors) // 2] <= 0.25


@cache
def _calibration() -> Any:
    return calibrate(default_catalog())


def test_calibration_assumptions_are_the_fit() -> None:
    """The roofline_* assumptions are what calibrate() fits to every usable measured row, and
    its errors are the estimate's."""
    c = default_catalog()
    a = {x.id: x.value for x in c.assumptions}
    fit = _calibration()
    assert set(fit.values) == {
        *(f"roofline_k_{i}_{o}" for i, o in SHAPES),
        "roofline_kv_exponent",
        "roofline_moe_compute_exponent",
        "roofline_compute_efficiency",
    }
    for key, value in fit.values.items():
        assert a[key] == pytest.approx(value, rel=0.005), key
    rows = {t.id: t for t in c.throughput if t.id in fit.errors}
    engines = {t.engine for t in rows.values()}
    assert {None, "vllm", "sglang"} <= engines  # the serving runs are fitted, not only TRT-LLM
    for entry, error in fit.errors.items():
        row = rows[entry]
        gpu = {g.id: g for g in c.gpus}[row.gpu]
        expected = (1.0 + _estimate_error(row)) * split_penalty(gpu, row.gpus, a) - 1.0
        assert error == pytest.approx(expected, abs=0.005), entry


def test_the_fitted_terms_are_physical() -> None:
    """Throughput does not fall with the room left for the KV cache, and a mixture-of-experts
    token costs more compute than its active parameters; both modestly. (The 197-row fit of
    2026-12-01 puts the KV exponent at its bound, 0: the 2026-12 MoE models' gpustack rows are
    over-estimated already; the 164-row fit before them found 0.054.)"""
    fit = _calibration()
    assert 0.0 <= fit.values["roofline_kv_exponent"] < 0.5
    assert 0.0 < fit.values["roofline_moe_compute_exponent"] < 0.5
    assert 0.1 < fit.values["roofline_compute_efficiency"] < 0.6
    c = default_catalog()
    a = {x.id: x.value for x in c.assumptions}
    models = {m.id: m for m in c.open_models}
    gpus = {g.id: g for g in c.gpus}
    maverick, dense = models["llama-4-maverick"], models["llama-3.3-70b"]
    # 8x H200 leave Maverick more room for the KV cache than 8x H100: at least the bandwidth
    h100 = bandwidth_term(maverick, gpus["h100"], 8, a)
    h200 = bandwidth_term(maverick, gpus["h200"], 8, a)
    assert h200 / h100 >= gpus["h200"].bandwidth_tb_s / gpus["h100"].bandwidth_tb_s - 1e-9
    positive = {**a, "roofline_kv_exponent": 0.054}
    assert (
        bandwidth_term(maverick, gpus["h200"], 8, positive)
        / bandwidth_term(maverick, gpus["h100"], 8, positive)
        > gpus["h200"].bandwidth_tb_s / gpus["h100"].bandwidth_tb_s
    )
    assert kv_room_tokens(maverick, gpus["h100"], 8, a) == pytest.approx(
        (8 * 80 - 400 * (1 + a["memory_overhead_fraction"])) * 1e9 / (192 * 1024)
    )
    # a deployment that runs has at least the room the sizing reserves (70B FP8 on one H100)
    reserved = a["kv_cache_tokens_per_replica"]
    assert kv_room_tokens(dense, gpus["h100"], 1, a) == reserved
    assert kv_room_tokens(dense, gpus["h100"], 2, a) > reserved
    # no room at all, no throughput
    assert bandwidth_term(dense, gpus["h100"], 1, {**a, "kv_cache_tokens_per_replica": 0}) == 0.0
    # the MoE exponent leaves dense models alone and lowers the cap of sparse ones
    no_moe = {**a, "roofline_moe_compute_exponent": 0.0}
    assert compute_term(dense, gpus["h100"], 2, a) == compute_term(dense, gpus["h100"], 2, no_moe)
    assert compute_term(maverick, gpus["h100"], 8, a) < compute_term(
        maverick, gpus["h100"], 8, no_moe
    )


def test_minimax_k_balances_the_largest_errors() -> None:
    # no caps: k balances the largest over- and underestimate
    q, p = [1.0, 2.0, 4.0], [1e9, 1e9, 1e9]
    k = minimax_k(q, p)
    assert k * 4.0 - 1.0 == pytest.approx(1.0 - k * 1.0)
    # a point capped below its measurement fixes a floor for the error; the others balance
    k = minimax_k([1.0, 1.0, 2.0], [0.5, 1e9, 1e9])
    worst = max(abs(min(k * x, y) - 1.0) for x, y in [(1.0, 0.5), (1.0, 1e9), (2.0, 1e9)])
    assert worst == pytest.approx(0.5)
    grid = [i / 1000 for i in range(1, 3000)]
    brute = min(
        max(abs(min(g * x, y) - 1.0) for x, y in [(1.0, 0.5), (1.0, 1e9), (2.0, 1e9)]) for g in grid
    )
    assert worst <= brute + 1e-9


def test_outputs_resting_on_an_estimate_say_so() -> None:
    # Mistral Small 3.1 has no measured row: every deployment of it is estimated (the models
    # the default workload chose before are measured now)
    others = {m.id: ["test"] for m in default_catalog().open_models if m.id != "mistral-small-3.1"}
    result = run(answers(), excluded=others)
    self_host = result.costs["self_host"]
    assert self_host["deployment"]["throughput_source"] == "estimated"
    assert self_host["deployment"]["estimated"] is True
    assert result.facts["cost.throughput_estimated"] is True
    assert result.costs["estimated"] is True
    assert any("ESTIMATE" in note for note in result.costs["notes"])
    breakeven = result.costs["breakeven"]
    # The break-even volume rests on a deployment of the only model left, which has no measured
    # row: estimated. (At the break-even volume the cheapest GPU may differ from the one chosen
    # at today's volume, so the deployment is not looked up in the models list.)
    assert breakeven["model"] == "mistral-small-3.1"
    assert not any(t.model == "mistral-small-3.1" for t in default_catalog().throughput)
    assert breakeven["estimated"] is True
    for model in result.models:
        if model["deployment"] is not None:
            estimated = model["deployment"]["throughput_source"] == "estimated"
            assert model["estimated"] is estimated


def test_a_measured_deployment_says_measured() -> None:
    others = {m.id: ["test"] for m in default_catalog().open_models if m.id != "llama-3.3-70b"}
    result = run(answers(usage__monthly_input_tokens=1e9), excluded=others)
    deployment = result.costs["self_host"]["deployment"]
    assert deployment["model"] == "llama-3.3-70b"
    assert deployment["throughput_source"] == "measured"
    assert deployment["measured_points"] and result.facts["cost.throughput_estimated"] is False
    assert deployment["throughput_basis"] == "measured"
    assert deployment["measured_point"] == deployment["measured_points"][0]
    assert result.costs["estimated"] is False
    # a 3:1 mix sits between two measured shapes: still measured, said to be interpolated (on
    # an H200: unpinned, an estimated B200, cheaper even at the low end of its band, wins)
    result = run(answers(selfhost__gpu="h200"), excluded=others)
    deployment = result.costs["self_host"]["deployment"]
    assert deployment["throughput_source"] == "measured"
    assert deployment["throughput_basis"] == "interpolated"
    assert deployment["measured_point"] is None and len(deployment["measured_points"]) == 2
    assert any("interpolated" in note for note in result.costs["notes"])


def test_between_two_measured_shapes_throughput_is_interpolated() -> None:
    p = prepare(default_catalog())
    values = answers(usage__monthly_input_tokens=3e9)  # 3:1, between 1:1 and 10:1
    table = Table(p, workload(p, values))
    ((ci, points),) = [
        (i, table.points[i])
        for i, c in enumerate(p.candidates)
        if (p.model_ids[c.model], p.gpus[c.gpu].id, c.gpus) == ("llama-3.1-8b", "h100", 1)
    ]
    assert [pt.shape for pt in points] == ["1000/1000", "5000/500"]
    assert 3459 < table.tokens_per_s[ci] < 15220
    expected = math.exp(
        math.log(15220) + (math.log(3459) - math.log(15220)) * math.log(3) / math.log(10)
    )
    assert table.tokens_per_s[ci] == pytest.approx(expected)


# --- hosted -----------------------------------------------------------------------------------


@pytest.mark.parametrize("hosted", default_catalog().hosted_models, ids=lambda h: h.id)
def test_hosted_cost_is_tokens_times_list_prices(hosted: Any) -> None:
    values = answers(
        usage__current_model=hosted.id,
        usage__monthly_input_tokens=1_234_567_890.0,
        usage__monthly_output_tokens=98_765_432.0,
        usage__frontier_share=0.0,  # no share on a frontier model: the model's own prices
    )
    result = run(values)
    # month 1 (December 2026) is billed on the model served that month: the model itself, or
    # its successor when it shuts down in or before that calendar month (issue 12: "its
    # successor's price applies from the shutdown month"; GPT-5 and o3 stop on 2026-12-11)
    catalog = {h.id: h for h in default_catalog().hosted_models}
    served = hosted
    while served.shutdown is not None and served.shutdown < date(2027, 1, 1):
        served = catalog[served.replaced_by]

    def bill_of(m: HostedModel) -> float:
        return (1_234_567_890.0 * m.input_usd_per_1m + 98_765_432.0 * m.output_usd_per_1m) / 1e6

    # staying on the model (or its successor) is the current plan, always shown beside
    entry = result.costs["stay_hosted"]
    assert entry["current_monthly_usd"] == round(bill_of(served), 2)
    # staying hosted is priced on the cheaper of that and moving now to the same provider's
    # cheapest model of the tier or higher (with the one-off of the change either way)
    month1 = catalog[result.facts["cost.hosted_month1_model"]]
    if result.facts["cost.hosted_moves_now"]:
        assert entry["path"] == "move"
        assert month1.provider == hosted.provider
        assert TIER_LEVEL[month1.tier] >= TIER_LEVEL[hosted.tier]
        assert (
            result.facts["cost.hosted_horizon_usd"]
            < result.facts["cost.hosted_current_horizon_usd"]
        )
    else:
        assert entry["path"] == "current" and month1 is served
    expected = bill_of(month1)
    assert result.facts["cost.hosted_monthly_usd"] == expected
    if month1.shutdown is None:
        one_off = result.facts["cost.hosted_change_usd"]
        assert one_off == (0.0 if month1 is hosted else 1 * 180_000 / 12)
        assert result.facts["cost.hosted_horizon_usd"] == pytest.approx(expected * 36 + one_off)
    assert entry["as_of"] == month1.as_of.isoformat()


def test_staying_hosted_keeps_the_frontier_share_on_the_hybrids_frontier_model() -> None:
    """The frontier share is priced on the same frontier model in the hosted option as in the
    hybrid, in the months the serving model is rated below it; the rest on the serving model.
    Reproducible by hand: (1 - s) x tokens x the serving model's prices + s x tokens x the
    frontier model's."""
    catalog = {h.id: h for h in default_catalog().hosted_models}
    inp, out, s = 3e9, 1e9, 0.3

    def bill_of(model: str, share: float) -> float:
        m = catalog[model]
        return share * (inp * m.input_usd_per_1m + out * m.output_usd_per_1m) / 1e6

    r = run(answers(usage__frontier_share=30.0))
    # gpt-4o (general) serves month 1 and shuts down on 2027-01-14; gpt-6-luna (general) from
    # month 2; gpt-6.1-sol (frontier) is the hybrid's frontier model
    assert r.facts["cost.frontier_model"] == "gpt-6.1-sol"
    assert r.facts["cost.hosted_frontier_model"] == "gpt-6.1-sol"
    assert r.facts["cost.hosted_frontier_share_percent"] == pytest.approx(30.0)
    front = bill_of("gpt-6.1-sol", s)
    assert r.facts["cost.hosted_frontier_monthly_usd"] == pytest.approx(front)
    # staying hosted moves the rest to gpt-6-luna now (cheaper than waiting for the shutdown);
    # staying on gpt-4o until then is the current plan
    assert r.facts["cost.hosted_moves_now"] is True
    assert r.facts["cost.hosted_monthly_usd"] == pytest.approx(bill_of("gpt-6-luna", 1 - s) + front)
    entry = r.costs["stay_hosted"]
    assert entry["current_monthly_usd"] == pytest.approx(bill_of("gpt-4o", 1 - s) + front, abs=0.01)
    assert entry["frontier_model"] == "gpt-6.1-sol"
    assert entry["frontier_monthly_usd"] == pytest.approx(front, abs=0.01)
    assert entry["monthly_usd"] == pytest.approx(
        entry["list_monthly_usd"] + sum(m["monthly_usd"] for m in entry["modifiers"]) + front,
        abs=0.02,
    )
    # routing the share costs what the hybrid's router does, once: 1 x 180,000 / 12; and the
    # horizon is the months plus that router plus the change of model from gpt-4o
    assert entry["routing_usd"] == 15000.0 and r.facts["cost.hosted_routing_usd"] == 15000.0
    assert entry["change_usd"] == 15000.0
    assert r.facts["cost.hosted_horizon_usd"] == pytest.approx(
        sum(entry["monthly_path_usd"]) + 30000.0, abs=0.05
    )
    path = entry["monthly_path_usd"]
    # (no growth answered: every month at today's volume)
    assert path[1] == pytest.approx(bill_of("gpt-6-luna", 1 - s) + front, abs=0.01)
    assert entry["months"][1]["model"] == "gpt-6-luna"
    # the hybrid's hosted part is the very same bill
    assert r.costs["hybrid"]["hosted_part_usd"] == pytest.approx(front, abs=0.01)
    # the switch row keeps the share on the frontier model too: the rest on gpt-6-luna
    switch = r.facts["cost.switch_hosted_monthly_usd"]
    assert r.facts["cost.switch_hosted_model"] == "gpt-6-luna"
    assert switch == pytest.approx(bill_of("gpt-6-luna", 1 - s) + front)
    # without a share, or on a model rated as high as the frontier model, nothing is split
    none = run(answers(usage__frontier_share=0.0))
    assert none.facts["cost.hosted_frontier_share_percent"] == 0.0
    assert none.costs["stay_hosted"]["current_monthly_usd"] == pytest.approx(
        bill_of("gpt-4o", 1.0), abs=0.01
    )
    assert none.costs["stay_hosted"]["frontier_model"] is None
    assert none.costs["stay_hosted"]["routing_usd"] == 0.0  # nothing to route
    # a share below frontier_share_split_percent (5 %) rides along on the serving model, as it
    # does when the rules weigh moving everything to open weights; from 5 % on it is split
    small = run(answers(usage__frontier_share=4.9))
    assert small.facts["cost.frontier_split_percent"] == 5
    assert small.facts["cost.hosted_frontier_share_percent"] == 0.0
    assert small.facts["cost.hosted_monthly_usd"] == none.facts["cost.hosted_monthly_usd"]
    five = run(answers(usage__frontier_share=5.0))
    assert five.facts["cost.hosted_frontier_share_percent"] == pytest.approx(5.0)
    assert five.facts["cost.hosted_monthly_usd"] == pytest.approx(
        bill_of("gpt-6-luna", 0.95) + bill_of("gpt-6.1-sol", 0.05)
    )
    top = run(answers(usage__frontier_share=30.0, usage__current_model="gpt-6-astra"))
    assert top.facts["cost.hosted_frontier_share_percent"] == 0.0
    # (staying hosted moves from gpt-6-astra to the provider's cheaper frontier model now)
    assert top.facts["cost.hosted_month1_model"] == "gpt-6.2-sol"
    assert top.facts["cost.hosted_frontier_model"] == "gpt-6.2-sol"
    assert top.facts["cost.hosted_monthly_usd"] == pytest.approx(bill_of("gpt-6.2-sol", 1.0))


# --- replicas, GPU sources, traffic -----------------------------------------------------------


def test_24x7_means_at_least_two_replicas() -> None:
    small = answers(usage__monthly_input_tokens=1e6, usage__monthly_output_tokens=1e6)
    assert run(small).facts["cost.replicas"] == 1
    oncall = run({**small, "ops.oncall_24x7": True})
    assert oncall.facts["cost.replicas"] >= 2
    assert oncall.costs["workload"]["min_replicas"] == 2
    # the rotation costs people too
    assert (
        oncall.facts["cost.self_host_people_monthly_usd"]
        > run(small).facts["cost.self_host_people_monthly_usd"]
    )


def test_replicas_follow_the_peak_load() -> None:
    big = run(answers(usage__monthly_input_tokens=3e11, usage__monthly_output_tokens=1e11))
    d = big.costs["self_host"]["deployment"]
    peak = big.costs["workload"]["peak_output_tokens_per_s"]
    assert d["replicas"] == math.ceil(peak / (d["usable_tokens_per_s"] * 0.7) - 1e-9)
    assert big.facts["cost.gpus_total"] == d["replicas"] * d["gpus_per_replica"]
    assert 0 < big.facts["cost.utilisation"] <= 1


def test_cloud_rents_gpu_hours_and_on_prem_amortises_purchases() -> None:
    one = {m.id: ["test"] for m in default_catalog().open_models if m.id != "gpt-oss-120b"}
    cloud = run(answers(), excluded=one)
    d = cloud.costs["self_host"]["deployment"]
    gpu = {g.id: g for g in default_catalog().gpus}[d["gpu"]]
    hours = d["gpus_total"] * HOURS_PER_MONTH
    assert cloud.facts["cost.self_host_gpu_monthly_usd"] == pytest.approx(
        hours * gpu.rent_usd_per_hour
    )
    assert cloud.facts["cost.self_host_power_overhead_monthly_usd"] == pytest.approx(
        0.3 * hours * gpu.rent_usd_per_hour
    )
    assert d["price_basis"] == "catalog rental price"

    owned = run(answers(ops__gpu_source="on_prem"), excluded=one)
    d = owned.costs["self_host"]["deployment"]
    gpu = {g.id: g for g in default_catalog().gpus}[d["gpu"]]
    capex = d["gpus_total"] * gpu.purchase_usd * 1.25 / 36
    assert owned.facts["cost.self_host_gpu_monthly_usd"] == pytest.approx(capex)
    power = d["gpus_total"] * gpu.tdp_w / 1000 * 0.7 * 1.4 * HOURS_PER_MONTH * 0.15
    facility = d["gpus_total"] * gpu.purchase_usd * 1.25 * 0.1 / 12
    assert owned.facts["cost.self_host_power_overhead_monthly_usd"] == pytest.approx(
        power + facility
    )
    assert "amortised" in d["price_basis"] and d["purchase_usd"] == gpu.purchase_usd
    # owning adds people (hardware) and migration (procurement)
    assert owned.facts["cost.engineers_needed"] > cloud.facts["cost.engineers_needed"]
    assert owned.facts["cost.migration_monthly_usd"] > cloud.facts["cost.migration_monthly_usd"]


def test_no_gpus_is_priced_as_cloud_and_said_so() -> None:
    none = run(answers(ops__gpu_source="none"))
    cloud = run(answers())
    assert none.facts["cost.self_host_monthly_usd"] == cloud.facts["cost.self_host_monthly_usd"]
    assert any("no GPUs today" in n for n in none.costs["notes"])


def test_negotiated_gpu_price_replaces_the_catalog_price() -> None:
    result = run(answers(ops__gpu_hourly_usd=0.5))
    d = result.costs["self_host"]["deployment"]
    assert d["gpu_hourly_usd"] == 0.5 and "negotiated" in d["price_basis"]
    assert result.facts["cost.self_host_gpu_monthly_usd"] == pytest.approx(
        d["gpus_total"] * HOURS_PER_MONTH * 0.5
    )


def test_traffic_patterns_shape_the_peak_and_the_hours_paid() -> None:
    big = {"usage__monthly_input_tokens": 3e11, "usage__monthly_output_tokens": 1e11}
    steady = run(answers(**big))
    spiky = run(answers(**big, usage__traffic_pattern="spiky"))
    office = run(answers(**big, usage__traffic_pattern="business_hours"))
    peak = [r.costs["workload"]["peak_output_tokens_per_s"] for r in (steady, spiky, office)]
    assert peak[1] == pytest.approx(peak[0] * 4 / 1.5)
    assert peak[2] == pytest.approx(peak[0] * 730 / 260)
    assert spiky.facts["cost.replicas"] > steady.facts["cost.replicas"]
    # rented GPUs for office hours: more replicas at the peak, fewer GPU-hours in the month
    assert office.facts["cost.replicas"] > steady.facts["cost.replicas"]
    assert (
        office.facts["cost.self_host_gpu_monthly_usd"]
        < spiky.facts["cost.self_host_gpu_monthly_usd"]
    )


def test_latency_target_derates_throughput() -> None:
    loose = run(answers(usage__latency_target_ms=10_000))
    default = run(answers())
    strict = run(answers(usage__latency_target_ms=300))
    rates = [r.costs["workload"]["derating"] for r in (loose, default, strict)]
    assert rates == [0.8, 0.5, 0.35]


# --- hybrid and break-even --------------------------------------------------------------------


def test_hybrid_keeps_the_frontier_share_hosted() -> None:
    base = run(answers())
    # today's model's bill (staying hosted itself moves to a cheaper model now)
    hosted = run(answers(usage__frontier_share=0.0)).costs["stay_hosted"]["current_monthly_usd"]
    all_hosted = run(answers(usage__frontier_share=100.0))
    # all the traffic needs the frontier: the hybrid is the hosted option, both on the frontier
    # model (GPT-4o is rated general)
    assert all_hosted.facts["cost.hybrid_monthly_usd"] == pytest.approx(
        all_hosted.facts["cost.hosted_monthly_usd"]
    )
    # (staying hosted moves everything to one frontier model, gpt-6.2-sol at gpt-6.1-sol's
    # prices, rather than splitting nothing off behind a router)
    assert all_hosted.facts["cost.hosted_frontier_model"] == "gpt-6.2-sol"
    assert all_hosted.facts["cost.hosted_routing_usd"] == 0.0
    part = run(answers(usage__frontier_share=30.0))
    h = part.costs["hybrid"]
    # issue 13 item 7: the frontier share is priced on the frontier model, by default the
    # cheapest hosted model of the highest tier the need requires, not on the current model
    frontier = {x.id: x for x in default_catalog().hosted_models}[h["frontier_model"]]
    assert h["hosted_part_usd"] == pytest.approx(
        0.3 * (3e9 * frontier.input_usd_per_1m + 1e9 * frontier.output_usd_per_1m) / 1e6, abs=0.01
    )
    assert h["hosted_part_usd"] < 0.3 * hosted  # GPT-6.1 Sol costs less than GPT-4o
    assert part.facts["cost.hybrid_monthly_usd"] == pytest.approx(
        h["hosted_part_usd"] + h["self_hosted_part_usd"] + h["open_part_usd"], abs=0.02
    )
    # issue 12: the rest runs on open weights, self-hosted or managed, whichever is cheaper; at
    # this volume a managed endpoint, priced per token, so 70 % of its bill plus the routing
    routing = 1 * 180_000 / 12 / 36
    # Changed (market): a managed open share now carries the one-off move to the open model,
    # migration_engineer_months_managed 2 x 180,000 / 12 = 30,000 USD spread over the 36-month
    # horizon, 833.33 a month, like the self-hosted migration (open part 943.07 -> 1,776.40).
    routing += 2 * 180_000 / 12 / 36
    managed = base.facts["cost.managed_open_monthly_usd"]
    assert managed < base.facts["cost.self_host_monthly_usd"]
    assert h["open_via"] == "managed_open" and h["self_hosted_part_usd"] == 0.0
    assert h["open_part_usd"] == pytest.approx(0.7 * managed + routing, abs=0.01)
    none = run(answers(usage__frontier_share=0.0))
    assert none.facts["cost.hybrid_monthly_usd"] == pytest.approx(managed + routing)
    assert breakeven_output_tokens(100.0, 10.0, 0.001, 1, 1.0) == pytest.approx(110.0)
    # more replicas are needed; the first count r with r (h - B q) >= A q
    v = breakeven_output_tokens(1000.0, 10.0, 0.01, 1, 1.0)
    assert v == pytest.approx((1000.0 + 10.0 * 12) / 1.0)
    # every replica costs more than the tokens it serves: never
    assert breakeven_output_tokens(1000.0, 200.0, 0.01, 1, 1.0) == math.inf


def test_breakeven_unreachable_is_reported_not_invented() -> None:
    expensive = catalog_with({"gpus": [{"id": g.id, "rent_usd_per_hour": 1e6}
                                       for g in default_catalog().gpus]})  # fmt: skip
    result = run(answers(usage__current_model="gpt-4o-mini"), expensive)
    assert result.facts["cost.breakeven_reachable"] is False
    assert "cost.breakeven_monthly_tokens" not in result.facts
    assert result.costs["breakeven"]["reachable"] is False


# --- facts: names, types, absence -------------------------------------------------------------


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "str":
        return isinstance(value, str)
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def test_every_fact_is_declared_with_its_type_and_all_appear_when_answered() -> None:
    result = run(answers(usage__volume_growth="growing"))
    for name, value in result.facts.items():
        assert name in FACT_SPECS, name
        assert _type_ok(FACT_SPECS[name].type, value), (name, value)
    # every fact appears, but the break-even month, which is absent exactly when self-hosting
    # never stays cheaper to the horizon's end (GPT-4o's successor costs a fraction)
    assert set(FACT_SPECS) - set(result.facts) <= {"cost.breakeven_month"}
    breakeven = result.costs["breakeven"]
    assert ("cost.breakeven_month" in result.facts) == (
        breakeven is not None and breakeven.get("month") is not None
    )
    required = {
        "cost.hosted_monthly_usd", "cost.self_host_monthly_usd", "cost.hybrid_monthly_usd",
        "cost.self_host_to_hosted_ratio", "cost.hybrid_to_hosted_ratio",
        "cost.breakeven_monthly_tokens", "cost.monthly_tokens", "cost.hosted_horizon_usd",
        "cost.self_host_horizon_usd", "cost.hybrid_horizon_usd", "cost.savings_monthly_usd",
        "cost.self_host_gpu_monthly_usd", "cost.self_host_people_monthly_usd",
        "cost.self_host_power_overhead_monthly_usd", "cost.migration_monthly_usd",
        "cost.gpus_total", "cost.replicas", "cost.utilisation", "cost.self_host_model",
        "cost.self_host_gpu", "cost.throughput_estimated", "models.eligible_count",
        "models.capable_count", "models.viable_count", "models.any_viable", "models.eligible",
        "models.viable", "models.llama_eu_blocked", "models.best_viable",
    }  # fmt: skip
    assert required <= set(FACT_SPECS)


def test_facts_whose_answers_are_missing_are_left_out() -> None:
    values = answers()
    del values["usage.monthly_input_tokens"]
    result = run(values)
    # only the staffing figures and the frontier share's threshold, which need no token
    # volume, remain
    assert {k for k in result.facts if k.startswith("cost.")} <= {
        "cost.oncall_rota_size",
        "cost.oncall_fte",
        "cost.frontier_split_percent",
    }
    assert "models.eligible" in result.facts
    values = answers()
    del values["org.hq_region"]
    result = run(values)
    assert "cost.hosted_monthly_usd" in result.facts
    assert (
        "models.eligible" not in result.facts and "cost.self_host_monthly_usd" not in result.facts
    )
    assert "models.capable" in result.facts
    assert result.costs["pending"] == ["org.hq_region"]
    assert result.costs["self_host"] is not None  # shown, provisionally
    for name in FACT_SPECS:
        if name in result.facts:
            assert "org.hq_region" not in FACT_SPECS[name].needs, name


def test_fact_specs_with_catalog_options() -> None:
    specs = fact_specs(default_catalog())
    assert "deepseek-r1" in specs["models.eligible"].options
    assert specs["cost.self_host_gpu"].options == ("a100-80gb", "l40s", "h100", "h200", "b200")
    assert FACT_SPECS["cost.self_host_basis"].options == ("viable", "not_eligible", "below_need")


def test_output_is_json_ready_and_deterministic() -> None:
    a = run(answers())
    b = run(dict(reversed(list(answers().items()))))
    text = json.dumps({"costs": a.costs, "models": a.models}, allow_nan=False, sort_keys=True)
    assert text == json.dumps(
        {"costs": b.costs, "models": b.models}, allow_nan=False, sort_keys=True
    )
    assert [m["id"] for m in a.models] == [m.id for m in default_catalog().open_models]
    used = {x["id"] for x in a.costs["assumptions"]}
    assert "target_utilisation" in used and all("as_of" in x for x in a.costs["assumptions"])


def test_the_catalog_package_does_not_import_textual() -> None:
    code = "import advisor.catalog, sys; print('textual' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"


# --- robustness -------------------------------------------------------------------------------


_volumes = st.one_of(
    st.just(0.0), st.floats(min_value=0, max_value=1e16, allow_nan=False, allow_infinity=False)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    inp=_volumes,
    out=_volumes,
    model=st.sampled_from([h.id for h in default_catalog().hosted_models]),
    pattern=st.sampled_from(["steady", "business_hours", "spiky"]),
    need=st.sampled_from(["frontier", "reasoning", "general", "simple"]),
    share=st.floats(min_value=0, max_value=100),
    source=st.sampled_from(["none", "cloud", "on_prem"]),
    oncall=st.booleans(),
    hourly=st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
    latency=st.one_of(st.none(), st.floats(min_value=0, max_value=60_000)),
    engineer=st.floats(min_value=0, max_value=1e6),
    horizon=st.integers(min_value=1, max_value=120),
    region=st.sampled_from(["eu", "uk", "us", "apac", "other"]),
    mau=st.integers(min_value=0, max_value=5_000_000_000),
    origins=st.lists(st.sampled_from(["cn", "us", "eu"]), unique=True),
    multimodal=st.booleans(),
)
def test_any_answers_give_finite_json_ready_typed_facts(**kw: Any) -> None:
    values = answers(
        usage__monthly_input_tokens=kw["inp"],
        usage__monthly_output_tokens=kw["out"],
        usage__current_model=kw["model"],
        usage__traffic_pattern=kw["pattern"],
        usage__capability_need=kw["need"],
        usage__frontier_share=kw["share"],
        usage__needs_multimodal=kw["multimodal"],
        ops__gpu_source=kw["source"],
        ops__oncall_24x7=kw["oncall"],
        ops__engineer_annual_cost_usd=kw["engineer"],
        strategy__horizon_months=kw["horizon"],
        org__hq_region=kw["region"],
        org__monthly_active_users=kw["mau"],
        licensing__excluded_origins=kw["origins"],
    )
    if kw["hourly"] is not None:
        values["ops.gpu_hourly_usd"] = kw["hourly"]
    if kw["latency"] is not None:
        values["usage.latency_target_ms"] = kw["latency"]
    result = run(values)
    json.dumps({"c": result.costs, "m": result.models, "f": result.facts}, allow_nan=False)
    for name, value in result.facts.items():
        assert _type_ok(FACT_SPECS[name].type, value), (name, value)
        if FACT_SPECS[name].type == "number":
            assert math.isfinite(value)
            assert value >= 0 or name == "cost.savings_monthly_usd", (name, value)
    if "cost.utilisation" in result.facts:
        assert result.facts["cost.utilisation"] <= 1.0 + 1e-9
    if "cost.self_host_monthly_usd" in result.facts and "cost.hybrid_monthly_usd" in result.facts:
        assert result.facts["cost.replicas"] >= (2 if kw["oncall"] else 1)


def test_answers_the_catalog_does_not_know_are_said_not_guessed() -> None:
    result = run(answers(usage__current_model="my-fine-tune", usage__traffic_pattern="lunar"))
    assert "cost.hosted_monthly_usd" not in result.facts
    assert "cost.self_host_monthly_usd" in result.facts
    notes = " ".join(result.costs["notes"])
    assert "'my-fine-tune', which has no hosted_models entry" in notes
    assert "'lunar' has no pattern_lunar_* assumptions" in notes
