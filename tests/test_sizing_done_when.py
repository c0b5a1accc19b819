"""Issue 13's done-when checks over the default catalog: measured throughput where measured,
context, tier, batch windows, growth path and break-even month."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers.workloads import answers, default_catalog
from test_catalog_costs import run


def _deployment(**changes: Any) -> Any:
    return run(answers(**changes)).costs["self_host"]["deployment"]


def test_pinned_gpt_oss_120b_on_one_h100_is_the_measured_row() -> None:
    # 1.1 : 1 (ShareGPT-like); gpustack performance lab, vLLM 0.10.2: 2,942.57 output tok/s
    d = _deployment(
        usage__monthly_input_tokens=1.1e9,
        usage__monthly_output_tokens=1e9,
        selfhost__model="gpt-oss-120b",
        selfhost__gpu="h100",
    )
    assert (d["model"], d["gpu"], d["gpus_per_replica"]) == ("gpt-oss-120b", "h100", 1)
    assert d["throughput_tokens_per_s"] == pytest.approx(2943, rel=0.15)
    assert d["throughput_basis"] in ("measured", "interpolated")
    assert d["throughput_band"]["low"] == d["throughput_band"]["high"]


def test_deepseek_r1_on_eight_h200_matches_the_serving_rows() -> None:
    d = _deployment(
        usage__monthly_input_tokens=1.1e9,
        usage__monthly_output_tokens=1e9,
        usage__capability_need="reasoning",
        selfhost__model="deepseek-r1",
        selfhost__gpu="h200",
    )
    assert (d["model"], d["gpus_per_replica"]) == ("deepseek-r1", 8)
    assert d["throughput_tokens_per_s"] == pytest.approx(3415, rel=0.25)  # SGLang DP attention
    assert 2621 * 0.75 <= d["throughput_tokens_per_s"] <= 3415 * 1.25  # vLLM .. SGLang
    assert d["throughput_source"] == "measured"


def test_an_estimated_deployment_says_so_with_its_band() -> None:
    d = _deployment(selfhost__model="gemma-3-27b")  # no measured row for Gemma
    assert d["throughput_basis"] == "estimated" and d["estimated"] is True
    band = d["throughput_band"]
    assert band["low"] < band["likely"] < band["high"]
    # the band is the leave-one-out error of all rows (Gemma has none of its own)
    a = {x.id: x.value for x in default_catalog().assumptions}
    assert band["high"] / band["likely"] == pytest.approx(1 + a["roofline_loo_error_all"], rel=1e-3)


def test_a_million_token_context_rules_out_shorter_models() -> None:
    result = run(answers(usage__context_typical_tokens=200_000, usage__context_longest_tokens=1e6))
    context = {m.id: m.context_tokens for m in default_catalog().open_models}
    for m in result.models:
        if m["deployment"] is not None:
            assert context[m["id"]] >= 1_000_000, m["id"]
    chosen = result.costs["self_host"]
    assert chosen is None or context[chosen["deployment"]["model"]] >= 1_000_000
    assert any("context is shorter" in note for note in result.costs["notes"])


@pytest.mark.parametrize("tokens", [4e7, 2e9, 5e10])
def test_a_gpt_4o_class_need_is_never_priced_below_its_tier(tokens: float) -> None:
    tiers = {m.id: m.quality_tier for m in default_catalog().open_models}
    level = {"simple": 1, "general": 2, "reasoning": 3, "frontier": 4}
    result = run(
        answers(
            usage__monthly_input_tokens=tokens * 0.75,
            usage__monthly_output_tokens=tokens * 0.25,
            usage__capability_need="simple",  # the hosted model's tier still sets the floor
        )
    )
    tier = result.costs["self_host"]["tier"]
    assert tier["needed"] == "general" and tier["needed_basis"] == "tier of gpt-4o"
    assert level[tiers[tier["model"]]] >= level["general"]
    assert tier["model"] != "gpt-oss-20b"


def test_a_nightly_batch_needs_no_more_gpus_than_the_same_tokens_spread_evenly() -> None:
    volume = {"usage__monthly_input_tokens": 20e9, "usage__monthly_output_tokens": 10e9}
    batch = _deployment(
        **volume, usage__traffic_pattern="batch", usage__batch_schedule="nightly",
        usage__batch_window_hours=8,
    )  # fmt: skip
    steady = _deployment(**volume, usage__traffic_pattern="steady")
    assert batch["gpus_total"] <= steady["gpus_total"]


def test_horizon_totals_follow_the_growth_path_and_say_the_breakeven_month() -> None:
    flat = run(answers(strategy__horizon_months=24, usage__volume_growth="flat"))
    grow = run(answers(strategy__horizon_months=24, usage__volume_growth="growing"))
    for option in ("stay_hosted", "hybrid"):
        path = grow.costs[option]["monthly_path_usd"]
        # staying hosted moves from GPT-4o to its far cheaper successor in month 1 rather than
        # at the shutdown (2027-01); the growth shows from month 2 on
        assert len(path) == 24 and path[-1] > path[1]
        # the hosted total adds the one-off of changing model (not a month's bill) to the path
        entry = grow.costs[option]
        one_off = (entry.get("change_usd") or 0.0) + (entry.get("routing_usd") or 0.0)
        assert grow.costs[option]["horizon_usd"] == pytest.approx(sum(path) + one_off, abs=0.05)
        assert grow.costs[option]["horizon_usd"] > flat.costs[option]["horizon_usd"]
    self_path = [m["monthly_usd"] for m in grow.costs["self_host"]["path"]]
    assert grow.costs["self_host"]["horizon_usd"] == pytest.approx(sum(self_path), abs=0.05)
    hosted = grow.costs["stay_hosted"]["monthly_path_usd"]
    assert grow.costs["stay_hosted"]["switch_month"] == 2
    assert hosted == [m["usd"] for m in grow.costs["stay_hosted"]["months"]]
    month = grow.costs["breakeven"]["month"]
    # the break-even month is the month from which self-hosting stays cheaper cumulatively to
    # the end of the horizon; None (and no fact) when it never gets there
    cumulative = [
        sum(self_path[: m + 1]) <= sum(hosted[: m + 1]) + 1e-9 for m in range(len(self_path))
    ]
    if month is None:
        assert "cost.breakeven_month" not in grow.facts
        assert not cumulative[-1]
    else:
        assert grow.facts["cost.breakeven_month"] == month
        assert all(cumulative[month - 1 :])
        assert month == 1 or not cumulative[month - 2]


def test_evaluate_says_the_breakeven_month(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from advisor.cli.main import main

    example = Path(__file__).resolve().parent.parent / "examples" / "mid-size-mixed.yaml"
    # without a frontier share, every hosted month is on GPT-4o, then on its successor alone
    no_share = tmp_path / "no-share.yaml"
    no_share.write_text(
        example.read_text().replace("usage.frontier_share: 25", "usage.frontier_share: 0")
    )
    main(["evaluate", str(no_share), "--samples", "0"])
    out = capsys.readouterr().out
    # GPT-4o costs more than self-hosting in month 1, but its successor (from month 2) costs a
    # fraction: self-hosting is ahead after month 1 and behind from then on, so it never
    # breaks even within the horizon, and the text must not claim it does.
    assert "self-hosting breaks even in month" not in out
    # with the quarter that needs the frontier on GPT-6.1 Sol, and staying hosted moved to
    # GPT-4o's successor in month 1, the API costs less at first; the growing volume makes
    # self-hosting cheaper cumulatively only late in the horizon, and the text says when
    main(["evaluate", str(example), "--samples", "0", "--format", "json"])
    decision = json.loads(capsys.readouterr().out)
    month = decision["costs"]["breakeven"]["month"]
    assert month is not None and 1 < month <= 36
    main(["evaluate", str(example), "--samples", "0"])
    # (self-hosting everything leaves the quarter below its need, and the line says so)
    assert f"that need) breaks even in month {month} of 36" in capsys.readouterr().out
