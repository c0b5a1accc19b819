"""Licences, lifecycle warnings and rule/model consistency after the 2026-12 market update
(issue 12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from helpers.answers import answer_sets, answers_strategy
from hypothesis import HealthCheck, given, settings

from advisor.check.run import check_rules
from advisor.engine.ruleset import load_ruleset
from advisor.load.answers import load_answers
from advisor.model.decision import Decision

RULESET = load_ruleset(None)
CATALOG = RULESET.catalog
ROOT = Path(__file__).resolve().parents[1]
LICENCE = {m.id: m.license for m in CATALOG.open_models}
ORIGIN = {m.id: m.origin for m in CATALOG.open_models}
MULTIMODAL = {m.id for m in CATALOG.open_models if m.multimodal}

# What each rule's text says is out, as a predicate over model ids.
CLAIMS = {
    "llama-attribution-refused": lambda m: LICENCE[m].startswith("llama"),
    "llama-aup-field-of-use": lambda m: LICENCE[m].startswith("llama"),
    "llama-mau-cap": lambda m: LICENCE[m].startswith("llama"),
    "llama-4-eu-multimodal-clause": lambda m: LICENCE[m] == "llama-4" and m in MULTIMODAL,
    "chinese-origin-excluded": lambda m: ORIGIN[m] == "cn",
}


def _typed(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: RULESET.coerce(k, v) for k, v in raw.items() if v is not None}


def _consistent(d: Decision) -> None:
    # the decision's own model rows (the JSON's "models" are copies of them): no whole to_dict
    eligible = {m["id"] for m in d.models if m["eligible"]}
    for rule in d.fired:
        claim = CLAIMS.get(rule.id)
        if claim is None:
            continue
        said_out = {m for m in LICENCE if claim(m)}
        assert not said_out & eligible, (rule.id, sorted(said_out & eligible))


def test_defence_use_makes_every_llama_model_ineligible_citing_the_aup() -> None:
    d = RULESET.evaluate(
        _typed({"org.intended_use": ["defence_military"], "data.air_gapped": True})
    )
    llamas = [m for m in d.to_dict()["models"] if m["license"].startswith("llama")]
    assert llamas
    for m in llamas:
        assert not m["eligible"], m["id"]
        assert any("USE_POLICY.md" in r and "defence_military" in r for r in m["reasons"])
    assert "llama-aup-field-of-use" in {r.id for r in d.fired}
    others = [m for m in d.to_dict()["models"] if m["license"] in ("mit", "apache-2.0")]
    assert all(m["eligible"] for m in others)


def test_built_with_llama_binds_without_redistribution() -> None:
    d = RULESET.evaluate(
        _typed({"licensing.redistributes_model": False, "licensing.attribution_acceptable": True})
    )
    llama = next(m for m in d.to_dict()["models"] if m["id"] == "llama-3.3-70b")
    assert llama["eligible"]
    assert any("Built with Llama" in o and "product or service" in o for o in llama["obligations"])
    refused = RULESET.evaluate(
        _typed({"licensing.redistributes_model": False, "licensing.attribution_acceptable": False})
    )
    llama = next(m for m in refused.to_dict()["models"] if m["id"] == "llama-3.3-70b")
    assert not llama["eligible"]


def test_kimi_display_duty_binds_above_100m_users() -> None:
    def kimi(mau: int, ok: bool) -> dict[str, Any]:
        d = RULESET.evaluate(
            _typed({"org.monthly_active_users": mau, "licensing.attribution_acceptable": ok})
        )
        return next(m for m in d.to_dict()["models"] if m["id"] == "kimi-k2-instruct-0905")

    small = kimi(3_000_000, False)
    assert small["eligible"]
    assert any("revenue threshold" in o for o in small["obligations"])
    big = kimi(150_000_000, True)
    assert big["eligible"]
    assert any('"Kimi K2"' in o and "100,000,000" in o for o in big["obligations"])
    assert not kimi(150_000_000, False)["eligible"]


def test_no_rule_says_a_model_is_out_while_the_list_shows_it_eligible_examples() -> None:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        answers = yaml.safe_load(path.read_text())["answers"]
        _consistent(RULESET.evaluate(_typed(answers)))


def test_no_rule_says_a_model_is_out_while_the_list_shows_it_eligible() -> None:
    # 500 seeded cases (tests/helpers/answers.py: MAU across the 100 M caps, prompts up to 1 M
    # tokens, every choice and multi-choice answer)
    for raw in answer_sets(RULESET, 500, seed=12):
        _consistent(RULESET.evaluate(_typed(raw)))


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(answers_strategy(RULESET))
def test_model_consistency_shrinks_to_a_minimal_case(raw: dict[str, Any]) -> None:
    _consistent(RULESET.evaluate(_typed(raw)))


def test_check_warns_about_every_shutdown_within_24_months() -> None:
    today = dt.date(2026, 12, 1)
    result = check_rules(None, today=today)
    warned = {p.message.split("'")[1] for p in result.problems if p.code == "ADV606"}
    expected = {
        h.id
        for h in CATALOG.hosted_models
        if h.shutdown is not None and h.shutdown < dt.date(2028, 12, 1)
    }
    assert len(expected) >= 5
    assert warned == expected
    assert all(p.severity == "warning" for p in result.problems if p.code == "ADV606")


def test_hosted_prices_go_stale_after_90_days() -> None:
    result = check_rules(None, today=dt.date(2027, 3, 15))  # 104 days after 2026-12-01
    stale = [p for p in result.problems if p.code == "ADV604" and "hosted_models" in p.message]
    assert stale and all("over 90" in p.message for p in stale)
    fresh = check_rules(None, today=dt.date(2027, 2, 1))  # 62 days
    assert not [p for p in fresh.problems if p.code == "ADV604" and "hosted_models" in p.message]


def test_evaluate_warns_when_the_current_model_retires(tmp_path: Path, capsys: Any) -> None:
    from advisor.cli.main import main

    path = tmp_path / "answers.yaml"
    path.write_text(
        "answers:\n  usage.current_model: o1\n  usage.monthly_input_tokens: 1e9\n"
        "  usage.monthly_output_tokens: 1e8\n  strategy.horizon_months: 24\n"
    )
    main(["evaluate", str(path)])
    out = capsys.readouterr().out
    assert "o1 was shut down on 2026-10-23" in out and "gpt-5.6-sol" in out
    assert "switch hosted" in out and "managed open" in out


def test_the_switch_row_never_offers_a_model_below_the_need() -> None:
    """The "switch hosted model" row is the cheapest hosted model of today's model's tier or
    higher *and* of at least the capability the work needs: a frontier workload on a
    reasoning-tier model was offered a reasoning-tier "saving" (frontier-research, gpt-5 ->
    gemini-3.8-flash), contradicting the rule that only frontier models serve it."""
    from advisor.catalog.schema import TIER_LEVEL

    rs = load_ruleset()
    frontier = rs.evaluate(
        load_answers(
            Path(__file__).parent.parent / "examples" / "frontier-research.yaml", rs
        ).values
    )
    stay = frontier.costs["stay_hosted"]
    assert stay is not None
    row = stay["switch_hosted"]
    assert row is not None and row["tier"] == "frontier"
    assert "cheaper-hosted-model-same-tier" not in {r.id for r in frontier.fired}
    checked = moved = 0
    hosted_models = {h.id: h for h in rs.catalog.hosted_models}
    for answers in answer_sets(rs, 600, seed=12)[:300]:
        d = rs.evaluate(answers)
        hosted = d.costs.get("stay_hosted")
        total = hosted.get("horizon_usd") if hosted else None
        if hosted and total is not None:
            # staying hosted is the cheaper plan: never dearer than staying on today's model;
            # a move stays with the provider, at today's tier or higher, and saves money
            current = hosted.get("current_horizon_usd")
            assert current is not None and total <= current + 0.01
            if hosted.get("path") == "move":
                to, now = (
                    hosted_models[hosted["month1_model"]],
                    hosted_models[hosted["current_model"]],
                )
                assert to.provider == now.provider and TIER_LEVEL[to.tier] >= TIER_LEVEL[now.tier]
                assert total < current
                moved += 1
        need = answers.get("usage.capability_need")
        if not hosted or not hosted.get("switch_hosted") or need not in TIER_LEVEL:
            continue
        switch = hosted["switch_hosted"]
        assert switch is not None
        assert TIER_LEVEL[switch["tier"]] >= TIER_LEVEL[need], (need, switch["model"])
        assert TIER_LEVEL[switch["tier"]] >= TIER_LEVEL[hosted["tier"]]
        checked += 1
    assert checked >= 100 and moved >= 30, (checked, moved)
