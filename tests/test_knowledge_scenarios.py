"""The shipped scenario tests pass, and between them every default rule is seen both firing
and not firing (issue 4, item 4)."""

from __future__ import annotations

import pytest

from advisor.engine.ruleset import RuleSet, load_ruleset
from advisor.scenarios.runner import TestRun as ScenarioRun
from advisor.scenarios.runner import run_tests, scenario_files


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_ruleset(None)


@pytest.fixture(scope="module")
def run(ruleset: RuleSet) -> ScenarioRun:
    return run_tests(ruleset, scenario_files(ruleset, []))


def test_scenario_files_load(run: ScenarioRun) -> None:
    assert not run.problems, "\n".join(str(p) for p in run.problems)
    assert len(run.results) >= 30


def test_every_scenario_passes(run: ScenarioRun) -> None:
    failed = [
        f"{r.location.file}:{r.location.line}: {r.name}\n  "
        + "\n  ".join([*r.failures, *([str(r.error)] if r.error else [])])
        for r in run.results
        if not r.passed
    ]
    assert not failed, "\n".join(failed)


def test_every_rule_is_seen_firing_and_not_firing(run: ScenarioRun) -> None:
    coverage = run.coverage()
    assert coverage, "the default rule set has no rules"
    missing = {
        rid: ("never fired" if not fired else "never seen not firing")
        for rid, (fired, quiet) in coverage.items()
        if not (fired and quiet)
    }
    assert not missing, missing
    assert run.coverage_percent() == 100.0


def test_every_category_has_a_scenario_file(ruleset: RuleSet) -> None:
    names = {p.stem for p in ruleset.bundle.test_files}
    for category in ruleset.bundle.categories:
        assert category in names, f"rules/tests/{category}.yaml is missing"
    assert "examples" in names
