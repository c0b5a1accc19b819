"""``advisor diff`` logic in-process: what counts as a change, which scenarios run by default."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import cast

import pytest

from advisor.cli.formats.diff import REPORTERS
from advisor.engine.ruleset import RuleSet, load_ruleset
from advisor.load.bundle import default_rules_dir
from advisor.model.decision import Decision, FiredRule
from advisor.model.parts import Audit, Costs, Option
from advisor.problems import Location
from advisor.scenarios.diff import (
    Outcome,
    ScenarioInput,
    compare,
    default_sources,
    definitions,
    diff,
    load_scenarios,
)

ROOT = Path(__file__).resolve().parent.parent
COMPANY = ROOT / "examples" / "company-policy"


@pytest.fixture(scope="module")
def base() -> RuleSet:
    return load_ruleset()


@pytest.fixture(scope="module")
def company() -> RuleSet:
    return load_ruleset([default_rules_dir(), COMPANY])


def make(rec: Option, scores: dict[Option, float], fired: tuple[str, ...] = ()) -> Decision:
    return Decision(
        recommendation=rec,
        scores=scores,
        vetoed={},
        confidence=0.5,
        fired=tuple(FiredRule(r, "cost", f"because {r}", (), {}) for r in fired),
        pending=(),
        # the comparison reads neither costs nor audit: empty stand-ins
        costs=cast(Costs, {}),
        models=(),
        audit=cast(Audit, {}),
    )


SCENARIO = ScenarioInput("k", "a scenario", Location("x.yaml", 1, 1), {})


def test_score_changes_within_epsilon_are_not_changes() -> None:
    a = make("hybrid", {"stay_hosted": 1.0, "hybrid": 2.0, "self_host": 0.0}, ("r1",))
    b = make("hybrid", {"stay_hosted": 1.0000001, "hybrid": 2.0, "self_host": 0.0}, ("r1",))
    assert not compare(SCENARIO, Outcome(a), Outcome(b)).changed
    c = make("hybrid", {"stay_hosted": 1.5, "hybrid": 2.0, "self_host": 0.0}, ("r1", "r2"))
    d = compare(SCENARIO, Outcome(a), Outcome(c))
    assert d.changed and d.recommendation is None
    assert d.scores == {"stay_hosted": (1.0, 1.5)}
    assert d.fired_added == ("r2",) and d.fired_removed == ()
    assert compare(SCENARIO, Outcome(a), Outcome(c), epsilon=1.0).scores == {}
    e = make("self_host", {"stay_hosted": 1.0, "hybrid": 2.0, "self_host": 3.0}, ())
    flipped = compare(SCENARIO, Outcome(a), Outcome(e))
    assert flipped.recommendation == ("hybrid", "self_host")
    assert flipped.fired_removed == ("r1",)


def test_answers_valid_under_one_rule_set_only(base: RuleSet, company: RuleSet) -> None:
    from advisor.scenarios.diff import outcome

    scenario = ScenarioInput("k", "bad", Location("x.yaml", 1, 1), {"no.such_question": 1})
    bad = outcome(base, scenario)
    assert bad.decision is None and bad.error is not None and bad.error.code == "ADV501"
    good = outcome(base, ScenarioInput("k", "ok", Location("x.yaml", 1, 1), {}))
    d = compare(scenario, good, bad)
    assert d.changed and d.validity is not None and d.validity[0] == "ok"
    assert not compare(scenario, bad, bad).changed


def test_definitions_of_the_company_layer(base: RuleSet, company: RuleSet) -> None:
    d = definitions(base, company)
    assert d.rules_added == ("northwind-regulated-data-in-house",)
    assert d.rules_disabled == ("lock-in-low",)
    assert d.rules_removed == () and d.rules_modified == ()
    assert d.categories == ("cost",)
    assert d.catalog == ("gpus/h100",)
    assert not definitions(base, base).any


def test_scenario_files_and_answers_files(tmp_path: Path) -> None:
    inputs, problems = load_scenarios(
        [
            COMPANY / "tests" / "policy.yaml",
            ROOT / "examples" / "eu-bank.yaml",
            COMPANY / "policy.yaml",
        ]
    )
    assert not problems  # a rules file found by searching is skipped silently
    labels = [i.label for i in inputs]
    assert "regulated data rules out the hosted API alone" in labels
    bank = next(i for i in inputs if i.key.endswith("eu-bank.yaml"))
    assert bank.raw["org.hq_region"] == "eu"
    from_file = next(i for i in inputs if i.label.startswith("regulated data"))
    assert from_file.raw == bank.raw  # answers_file: resolved relative to the test file
    _, named = load_scenarios([COMPANY / "policy.yaml"], explicit=[COMPANY / "policy.yaml"])
    assert named and "neither an answers file" in named[0].message


def test_default_sources_dedupe_the_two_copies_of_a_test(tmp_path: Path) -> None:
    old = tmp_path / "old" / "rules"
    new = tmp_path / "new" / "rules"
    for folder in (old, new):
        shutil.copytree(ROOT / "rules", folder, ignore=shutil.ignore_patterns("tests"))
        (folder / "tests").mkdir()
        (folder / "tests" / "a.yaml").write_text(
            "tests:\n  - name: one\n    answers: {data.air_gapped: true}\n    expect: {}\n"
        )
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "org.yaml").write_text("answers: {data.air_gapped: false}\n")
    b, n = load_ruleset([old]), load_ruleset([new])
    files = default_sources(b, n, cwd=tmp_path)
    assert files == [new / "tests" / "a.yaml", tmp_path / "examples" / "org.yaml"]
    inputs, problems = load_scenarios(files)
    assert not problems and len(inputs) == 2
    result = diff(b, n, inputs)
    assert not result.changed
    for name, reporter in REPORTERS.items():
        assert reporter().render(result), name


def test_markdown_escapes_cells() -> None:
    from advisor.scenarios.diff import DiffResult, ScenarioDiff

    a = make("hybrid", {"stay_hosted": 1.0, "hybrid": 2.0, "self_host": 0.0})
    b = make("hybrid", {"stay_hosted": 3.0, "hybrid": 2.0, "self_host": 0.0}, ("r|x",))
    scenario = ScenarioInput("k", "pipes | and <b>tags</b>", Location("x.yaml", 3, 5), {})
    result = DiffResult(("base",), ("new",), "sha256:aa", "sha256:bb")
    result.scenarios.append(compare(scenario, Outcome(a), Outcome(b)))
    assert isinstance(result.scenarios[0], ScenarioDiff)
    text = REPORTERS["markdown"]().render(result)
    row = next(line for line in text.splitlines() if line.startswith("| pipes"))
    assert "pipes \\| and &lt;b&gt;tags&lt;/b&gt;" in row
    assert row.count(" | ") == 3  # four cells, no stray separators
    assert "`stay_hosted` 1 → 3 (+2)" in row
    assert "+`r\\|x`" in row
