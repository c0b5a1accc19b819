"""Issue 15: range answers, flip points, Monte Carlo, confidence as a probability."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.cli.main import main
from advisor.engine.ruleset import load_ruleset
from advisor.load.ranges import Range

EXAMPLE = Path(__file__).parent.parent / "examples" / "mid-size-mixed.yaml"


@pytest.fixture(scope="module")
def ranged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = (
        EXAMPLE.read_text()
        .replace("usage.monthly_input_tokens: 6B", "usage.monthly_input_tokens: 1B..6B")
        .replace("usage.frontier_share: 25", "usage.frontier_share: 10..25..80")
    )
    path = tmp_path_factory.mktemp("r") / "ranged.yaml"
    path.write_text(text)
    return path


def test_range_answers_are_typed_with_their_band() -> None:
    rs = load_ruleset()
    r = rs.coerce("usage.monthly_input_tokens", "2B..4B")
    assert isinstance(r, Range) and (r.low, float(r), r.high) == (2e9, 3e9, 4e9)
    m = rs.coerce("usage.monthly_input_tokens", {"low": "2B", "likely": "2.5B", "high": "4B"})
    assert float(m) == 2.5e9


def test_point_evaluate_does_not_sample_and_the_probe_agrees_with_it() -> None:
    from advisor.load.answers import load_answers

    rs = load_ruleset()
    for example in sorted(EXAMPLE.parent.glob("*.yaml")):
        answers = load_answers(example, rs).values
        d = rs.evaluate(answers)
        assert d.probabilities is None and d.sensitivity is None
        o = rs.outcome(answers)
        assert o.recommendation == d.recommendation
        assert o.scores == tuple(d.scores.values())


def test_scales_of_one_change_nothing_and_hosted_prices_scale_the_hosted_bill() -> None:
    from advisor.engine.ruleset import Scales
    from advisor.load.answers import load_answers

    rs = load_ruleset()
    answers = load_answers(EXAMPLE, rs).values
    base = rs.outcome(answers).facts
    same = rs.outcome(answers, Scales()).facts
    assert same["cost.hosted_horizon_usd"] == base["cost.hosted_horizon_usd"]
    double = rs.outcome(answers, Scales(hosted_price=2.0)).facts
    assert double["cost.hosted_horizon_usd"] == pytest.approx(2 * base["cost.hosted_horizon_usd"])
    assert double["cost.self_host_horizon_usd"] == base["cost.self_host_horizon_usd"]


def test_a_reversed_range_is_refused_with_the_fix() -> None:
    rs = load_ruleset()
    with pytest.raises(ValueError, match="smaller value first"):
        rs.coerce("usage.monthly_input_tokens", "6B..1B")


def test_evaluate_json_carries_robustness_and_same_seed_same_bytes(
    ranged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["evaluate", str(ranged), "--format", "json", "--samples", "60", "--seed", "7"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    assert {"sensitivity", "probabilities", "cost_percentiles", "tornado"} <= data.keys()
    assert data["confidence_basis"] == "probability"
    assert abs(sum(data["probabilities"]["options"].values()) - 1.0) < 1e-3
    for entry in data["sensitivity"]:
        assert {"fact", "current", "flips_at", "to", "direction"} <= entry.keys()
        assert entry["to"] != data["recommendation"]


def test_a_range_across_a_flip_point_lowers_confidence_below_one(tmp_path: Path) -> None:
    from advisor.load.answers import load_answers
    from advisor.scenarios.robust import assess, probability

    rs = load_ruleset()
    path = tmp_path / "wide.yaml"
    # strategy.priority_cost 4 -> 1 flips mid-size-mixed (its flip points say so)
    path.write_text(
        EXAMPLE.read_text().replace("strategy.priority_cost: 4", "strategy.priority_cost: 1..5")
    )
    answers = load_answers(path, rs).values
    point = rs.evaluate(answers)
    assert point.confidence_basis == "margin" and point.probabilities is None
    d = assess(rs, answers, samples=150, seed=3, flips=False)
    assert d.confidence_basis == "probability"
    assert 0 < d.confidence < 1.0
    assert "probability" in probability(d) and "100" not in probability(d)


def test_flip_point_really_flips_the_engine_decision() -> None:
    from advisor.load.answers import load_answers
    from advisor.scenarios.sensitivity import flip_points

    rs = load_ruleset()
    answers = load_answers(EXAMPLE, rs).values
    base = rs.evaluate(answers).recommendation
    numeric = [
        e
        for e in flip_points(rs, answers)
        if e["fact"] in rs.questions and isinstance(e["flips_at"], float)
    ]
    assert numeric or any(e["fact"] in rs.questions for e in flip_points(rs, answers))
    for e in numeric:
        moved = rs.evaluate({**answers, e["fact"]: e["flips_at"]}).recommendation
        assert moved == e["to"] != base


def test_text_never_says_100_percent(capsys: pytest.CaptureFixture[str]) -> None:
    for example in sorted(EXAMPLE.parent.glob("*.yaml")):
        main(["evaluate", str(example), "--samples", "40"])
        out = capsys.readouterr().out
        assert "100%" not in out and "100.0 %" not in out and "100 %" not in out
        assert "samples agree" in out or "probability" in out


def test_compare_names_the_driving_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    b = tmp_path / "b.yaml"
    b.write_text(EXAMPLE.read_text().replace("data.air_gapped: false", "data.air_gapped: true"))
    assert main(["compare", str(EXAMPLE), str(b), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["drivers"] == ["data.air_gapped"]


def test_cli_sample_defaults_keep_evaluate_and_report_interactive() -> None:
    """1,000 samples (about 2 s) by default for evaluate and report; compare samples nothing
    unless asked; --samples still raises it (10,000 for a report to sign off)."""
    from advisor.cli.main import build_parser

    parser = build_parser()
    assert parser.parse_args(["evaluate", "x.yaml"]).samples == 1_000
    assert parser.parse_args(["report", "x.yaml"]).samples == 1_000
    assert parser.parse_args(["compare", "a.yaml", "b.yaml"]).samples == 0
    assert parser.parse_args(["evaluate", "x.yaml", "--samples", "10000"]).samples == 10_000
