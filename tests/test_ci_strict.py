"""``advisor check`` findings behind --strict: rules that can never fire, questions never asked,
overrides that change nothing, new incomplete catalog entries."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest

from advisor.check.run import check_rules
from advisor.check.satisfiable import Numbers, Values, never_firing
from advisor.engine.ruleset import RuleSet, load_ruleset
from advisor.load.bundle import default_rules_dir

RULES = default_rules_dir()

QUESTIONS = """\
sections:
  - id: ci
    title: CI test questions
    questions:
      - id: ci.mode
        type: choice
        prompt: Mode
        default: a
        options: [{value: a, label: A}, {value: b, label: B}]
      - id: ci.detail
        type: number
        prompt: Detail
        ask_if: ci.mode == 'b'
      - id: ci.detail_d
        type: number
        prompt: Detail with a default
        default: 5
        ask_if: ci.mode == 'b'
      - id: ci.never
        type: bool
        prompt: Never asked
        ask_if: ci.mode == 'a' and ci.mode == 'b'
      - id: ci.free
        type: text
        prompt: Free text
      - id: ci.maybe
        type: bool
        prompt: Asked while ci.free is unanswered
        ask_if: ci.free == 'x' and ci.free == 'y'
"""

# (rule id, condition, can it ever fire?)
CASES: list[tuple[str, str, bool]] = [
    ("over-max", "usage.frontier_share > 100", False),
    ("at-max", "usage.frontier_share >= 100", True),
    ("two-values", "org.hq_region == 'eu' and org.hq_region == 'us'", False),
    ("in-and-not-in", "org.hq_region in ['eu', 'us'] and org.hq_region not in ['eu', 'us']", False),
    ("integer-half", "ops.ml_engineers == 0.5", False),
    ("integer-gap", "ops.ml_engineers > 2 and ops.ml_engineers < 3", False),
    ("real-gap", "usage.frontier_share > 2 and usage.frontier_share < 3", True),
    ("bool-contradiction", "data.air_gapped and not data.air_gapped", False),
    ("bool-tautology", "data.air_gapped or not data.air_gapped", True),
    (
        "multi-contradiction",
        "'cn' in licensing.excluded_origins and 'cn' not in licensing.excluded_origins",
        False,
    ),
    (
        "computed-contradiction",
        "cost.hosted_monthly_usd > 5 and cost.hosted_monthly_usd < 3",
        False,
    ),
    # NaN makes both negations true: the analysis must not claim this can never fire
    (
        "nan-is-possible",
        "not (cost.hosted_monthly_usd > 5) and not (cost.hosted_monthly_usd <= 5)",
        True,
    ),
    ("derived-contradiction", "ci.big and usage.monthly_input_tokens < 1e6", False),
    ("skipped-no-default", "ci.mode == 'a' and ci.detail > 1", False),
    ("skipped-default-misfit", "ci.mode == 'a' and ci.detail_d > 10", False),
    ("skipped-default-fits", "ci.mode == 'a' and ci.detail_d == 5", True),
    ("asked", "ci.mode == 'b' and ci.detail > 1", True),
    ("chain-empty", "0 < usage.frontier_share < 0", False),
    ("chain-ok", "0 < usage.frontier_share < 1", True),
    ("negated-or", "not (org.hq_region == 'eu' or org.hq_region != 'eu')", False),
    ("if-expression", "(data.air_gapped if ci.free == 'z' else data.air_gapped)", True),
    ("unknown-ask-if", "ci.maybe", True),
    ("never-asked", "ci.never", False),
    ("arithmetic", "usage.frontier_share * 2 > 500", True),  # not modelled: never claimed
]


def write_layer(folder: Path, rules: list[tuple[str, str, bool]] = CASES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "questionnaire.yaml").write_text(QUESTIONS, encoding="utf-8")
    lines = [
        "categories:",
        "  - id: ci_test",
        "    weight: 1",
        "facts:",
        "  - id: ci.big",
        "    expr: usage.monthly_input_tokens > 1e9",
        "rules:",
    ]
    for rid, when, _ in rules:
        lines += [
            f"  - id: {rid}",
            "    category: ci_test",
            f'    when: "{when}"',
            "    score: {hybrid: 1}",
            "    because: A test rule.",
            "    source: practice:build-vs-buy",
        ]
    (folder / "rules.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def layered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RuleSet]:
    layer = write_layer(tmp_path_factory.mktemp("sat") / "layer")
    return layer, load_ruleset([RULES, layer])


def test_never_firing_rules_are_found_and_only_those(layered: tuple[Path, RuleSet]) -> None:
    _layer, rs = layered
    found = never_firing(rs)
    flagged = {p.message.split("'")[1] for p in found if p.code == "ADV413"}
    expected = {rid for rid, _, can in CASES if not can}
    assert flagged & {rid for rid, _, _ in CASES} == expected
    for p in found:
        assert p.severity == "warning"
        assert p.location.line > 0 and p.location.column > 0
        assert p.message.endswith(".")


def test_messages_say_why(layered: tuple[Path, RuleSet]) -> None:
    _layer, rs = layered
    by_rule = {p.message.split("'")[1]: p.message for p in never_firing(rs) if p.code == "ADV413"}
    assert "usage.frontier_share (a number from 0 to 100)" in by_rule["over-max"]
    assert "ops.ml_engineers (a whole number" in by_rule["integer-gap"]
    assert "ci.detail is skipped" in by_rule["skipped-no-default"]
    assert "no value (no default)" in by_rule["skipped-no-default"]
    assert "its default (5) does not fit" in by_rule["skipped-default-misfit"]
    assert "org.hq_region" in by_rule["two-values"]


def test_a_question_never_asked(layered: tuple[Path, RuleSet]) -> None:
    _layer, rs = layered
    asked = [p for p in never_firing(rs) if p.code == "ADV414"]
    assert [p.message.split("'")[1] for p in asked] == ["ci.never"]  # not ci.maybe


def test_the_default_rules_have_no_rule_that_can_never_fire() -> None:
    found = never_firing(load_ruleset())
    assert not found, "\n".join(str(p) for p in found)


def _random_answers(rs: RuleSet, rng: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for qid, q in rs.questions.items():
        if rng.random() < 0.25:
            continue  # unanswered
        if q.type == "choice":
            out[qid] = rng.choice(q.option_values)
        elif q.type == "multi":
            out[qid] = [v for v in q.option_values if rng.random() < 0.5]
        elif q.type == "bool":
            out[qid] = rng.random() < 0.5
        elif q.type == "text":
            out[qid] = rng.choice(["x", "y", "z", ""])
        else:
            lo = q.min if q.min is not None else -1e6
            hi = q.max if q.max is not None else 1e12
            pool = [lo, hi, 0, 0.5, 1, 2, 2.5, 3, 4, 5, 10, 99, 100, 1e6, 2e9, (lo + hi) / 2]
            pool = [v for v in pool if lo <= v <= hi and math.isfinite(v)]
            value = rng.choice(pool)
            out[qid] = round(value) if q.type == "integer" else value
    return out


def test_flagged_rules_never_fire_on_random_answers(layered: tuple[Path, RuleSet]) -> None:
    """Soundness, empirically: no answers make a rule fire that check says never can."""
    _layer, rs = layered
    flagged = {p.message.split("'")[1] for p in never_firing(rs) if p.code == "ADV413"}
    rng = random.Random(1234)
    fired_somewhere: set[str] = set()
    for _ in range(300):
        answers = _random_answers(rs, rng)
        decision = rs.evaluate(rs.validate_answers(answers))
        fired = decision.fired_ids
        assert not (fired & flagged), (fired & flagged, answers)
        fired_somewhere |= fired
    # and the ones said to be possible do fire (the analysis is not vacuous)
    for rid in ("at-max", "real-gap", "bool-tautology", "skipped-default-fits", "asked"):
        assert rid in fired_somewhere, rid


def test_domains_meet() -> None:
    whole = Numbers(0, math.inf, integer=True)
    assert whole.meet(Numbers(lo=2, lo_open=True, hi=3, hi_open=True)) is None
    assert whole.meet(Numbers(lo=2, hi=3, hi_open=True)) is not None
    assert whole.meet(Numbers(points=frozenset({0.5}))) is None
    assert Numbers(0, 100).meet(Numbers(lo=100)) is not None
    assert Numbers(0, 100).meet(Numbers(lo=100, lo_open=True)) is None
    assert Numbers(0, 1, integer=True).meet(Numbers(excluded=frozenset({0.0, 1.0}))) is None
    assert Values(frozenset({"a", "b"})).meet(Values(None, frozenset({"a"}))) == Values(
        frozenset({"b"})
    )
    assert Values(frozenset({"a"})).meet(Values(frozenset({"b"}))) is None


# --- overrides ------------------------------------------------------------------------------


def _rules_yaml(rules: list[dict[str, Any]]) -> str:
    import yaml

    return yaml.safe_dump({"rules": rules}, sort_keys=False)


def test_overrides_that_change_nothing(tmp_path: Path) -> None:
    base = load_ruleset()
    rid = base.rules[0].rule.id
    other = base.rules[1].rule.id
    hosted = base.catalog.hosted_models[0]
    one = tmp_path / "one"
    (one / "catalog").mkdir(parents=True)
    (one / "rules.yaml").write_text(
        _rules_yaml(
            [
                base.rules[0].rule.model_dump(
                    mode="json", exclude_defaults=True
                ),  # repeated verbatim
                {"id": other, "disabled": True},
                {"id": "no-such-rule-anywhere", "disabled": True},
            ]
        ),
        encoding="utf-8",
    )
    (one / "catalog" / "prices.yaml").write_text(
        f"hosted_models:\n  - id: {hosted.id}\n    input_usd_per_1m: {hosted.input_usd_per_1m}\n",
        encoding="utf-8",
    )
    two = tmp_path / "two"
    two.mkdir()
    (two / "rules.yaml").write_text(f"rules:\n  - id: {other}\n    disabled: true\n")
    result = check_rules([RULES, one, two])
    assert result.ok, [str(p) for p in result.errors]
    codes = [(p.code, p.location.file.split("/")[-2], p.message) for p in result.problems]
    redundant = [c for c in codes if c[0] == "ADV415"]
    assert any(f"rule {rid!r} repeats its definition" in m for _, _, m in redundant)
    assert any(f"{other!r} is already switched off" in m and d == "two" for _, d, m in redundant)
    assert any(f"hosted_models {hosted.id!r} repeats" in m for _, _, m in redundant)
    assert any(c[0] == "ADV402" for c in codes)
    strict = check_rules([RULES, one, two], strict=True)
    assert not strict.ok


def test_a_new_incomplete_catalog_entry_is_explained(tmp_path: Path) -> None:
    base = load_ruleset()
    hosted = base.catalog.hosted_models[0].id
    typo = hosted.replace("-", "", 1) if "-" in hosted else hosted + "x"
    layer = tmp_path / "layer"
    (layer / "catalog").mkdir(parents=True)
    (layer / "catalog" / "prices.yaml").write_text(
        f"hosted_models:\n  - id: {typo}\n    input_usd_per_1m: 1.0\n", encoding="utf-8"
    )
    result = check_rules([RULES, layer])
    assert not result.ok
    (problem,) = [p for p in result.problems if p.code == "ADV416"]
    assert f"Did you mean {hosted!r}?" in problem.message
    assert problem.location.file.endswith("prices.yaml") and problem.location.line == 2
    # the entry's separate "lacks key" errors are folded into this one
    assert not [p for p in result.problems if p.code == "ADV603" and p.location.line == 2]
