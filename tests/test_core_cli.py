"""The command line as a user meets it: exit codes, messages, formats, layering."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

Cli = Callable[..., Any]  # conftest's in-process ``cli``: returncode, stdout, stderr

GOOD_ANSWERS = """\
meta: {title: CLI test, organisation: Example GmbH}
answers:
  org.hq_region: eu
  usage.monthly_input_tokens: 2.5B
  usage.monthly_output_tokens: 500M
  usage.capability_need: general
  data.air_gapped: true
"""


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(GOOD_ANSWERS)
    return path


def test_check_default_rules_is_clean(cli: Cli) -> None:
    result = cli("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("ok: ")
    assert "Traceback" not in result.stderr


def test_check_reports_located_errors_and_exits_1(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "company"
    bad.mkdir()
    (bad / "policy.yaml").write_text(
        "rules:\n  - id: x\n    category: cost\n    when: data.air_gaped\n"
        "    score: {hybrid: 1}\n    because: b\n    source: s\n"
    )
    result = cli("check", "--rules", str(ROOT / "rules"), "--rules", str(bad))
    assert result.returncode == 1
    line = next(x for x in result.stdout.splitlines() if "ADV313" in x)
    assert "policy.yaml:4:11: ADV313:" in line
    assert "Did you mean 'data.air_gapped'?" in line
    assert "Traceback" not in result.stdout + result.stderr


def test_check_json_and_github_formats(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "company"
    bad.mkdir()
    (bad / "policy.yaml").write_text("rules:\n  - id: x\n    categry: cost\n")
    result = cli("check", "--rules", str(ROOT / "rules"), "--rules", str(bad), "--format", "json")
    assert result.returncode == 1
    body = json.loads(result.stdout)
    assert body["ok"] is False and body["errors"] >= 1
    assert {"file", "line", "column", "code", "message"} <= set(body["problems"][0])
    gh = cli("check", "--rules", str(ROOT / "rules"), "--rules", str(bad), "--format", "github")
    assert gh.returncode == 1
    assert any(x.startswith("::error file=") and ",line=3," in x for x in gh.stdout.splitlines())


def test_check_missing_directory_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("check", "--rules", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "ADV110" in result.stdout


def test_bad_yaml_is_located(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "company"
    bad.mkdir()
    (bad / "x.yaml").write_text("rules:\n  - id: a\n    when: [unclosed\n")
    result = cli("check", "--rules", str(ROOT / "rules"), "--rules", str(bad))
    assert result.returncode == 2  # unreadable, as for every other command
    assert "x.yaml:" in result.stdout and "ADV101" in result.stdout


def test_evaluate_text_summary(cli: Cli, answers: Path) -> None:
    result = cli("evaluate", str(answers))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Recommendation: ")
    assert "Scores:" in out and "Vetoes:" in out
    assert "stay_hosted" in out and "vetoed by" in out


def test_evaluate_json_contract(cli: Cli, answers: Path) -> None:
    result = cli("evaluate", str(answers), "--format", "json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["recommendation"] == "self_host"  # air-gapped: the API is out of reach
    assert "stay_hosted" in body["vetoed"]
    assert 0 <= body["confidence"] <= 1
    assert body["audit"]["rules_digest"].startswith("sha256:")
    assert isinstance(body["models"], list) and body["models"]


def test_evaluate_is_deterministic(cli: Cli, answers: Path) -> None:
    first = cli("evaluate", str(answers), "--format", "json").stdout
    second = cli("evaluate", str(answers), "--format", "json").stdout
    assert first == second


def test_evaluate_invalid_answers_exit_1_with_locations(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("answers:\n  usage.current_model: gpt4o\n  usage.frontier_share: 150\n")
    result = cli("evaluate", str(path))
    assert result.returncode == 1
    assert "bad.yaml:2:24: ADV503:" in result.stderr
    assert "Did you mean 'gpt-4o'?" in result.stderr
    assert "bad.yaml:3:25: ADV504:" in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_missing_file_exit_2(cli: Cli, tmp_path: Path) -> None:
    result = cli("evaluate", str(tmp_path / "none.yaml"))
    assert result.returncode == 2
    assert "ADV100" in result.stderr and "Traceback" not in result.stderr


def test_usage_error_exit_2(cli: Cli) -> None:
    result = cli("evaluate")
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_test_command_summary_line(cli: Cli) -> None:
    result = cli("test")
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.splitlines()[-1]
    passed, failed = last.split(", ")
    assert passed.endswith("passed") and failed == "0 failed"


def test_test_command_reports_failures(cli: Cli, tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "tests:\n  - name: air gap stays hosted (wrong on purpose)\n"
        "    answers: {data.air_gapped: true}\n"
        "    expect: {recommendation: stay_hosted, vetoed: [self_host]}\n"
    )
    result = cli("test", str(scenario))
    assert result.returncode == 1
    out = result.stdout
    assert (
        f"FAIL {scenario}:2:5: air gap stays hosted (wrong on purpose)"
        in out.replace(str(scenario.resolve()), str(scenario))
        or "s.yaml:2:5: air gap stays hosted" in out
    )
    assert "recommendation: expected stay_hosted, got" in out
    assert "vetoed: expected self_host to be vetoed, it was not" in out
    assert "rules that fired:" in out
    assert out.splitlines()[-1].endswith(", 1 failed")


def test_test_command_bad_scenario_file(cli: Cli, tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("tests:\n  - name: x\n    answerz: {}\n    expect: {}\n")
    result = cli("test", str(scenario))
    assert result.returncode == 1
    assert "s.yaml:3:5: ADV201" in result.stdout


def test_python_dash_m_and_version() -> None:
    from conftest import run_cli

    result = run_cli("--version")  # the entry point itself, in a new process
    assert result.returncode == 0 and result.stdout.startswith("advisor ")


def test_schema_prints_json_schema(cli: Cli) -> None:
    result = cli("schema", "rules")
    assert result.returncode == 0
    body = json.loads(result.stdout)
    assert "rules" in json.dumps(body)


def test_core_never_imports_textual() -> None:
    code = (
        "import sys, advisor, advisor.engine.ruleset, advisor.load.bundle, advisor.expr.language, advisor.cli.main, "
        "advisor.scenarios.runner, advisor.check.run, advisor.load.answers\n"
        "from advisor.check.run import check_rules\n"
        "check_rules(None)\n"
        "from advisor.cli.main import build_parser\n"
        "build_parser()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'rich', 'matplotlib', 'jinja2'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_core_modules_do_not_import_the_tui_in_source() -> None:
    """An import contract: nothing outside tui/ and cli.py names textual or advisor.tui."""
    offenders = []
    for path in (ROOT / "advisor").rglob("*.py"):
        rel = path.relative_to(ROOT / "advisor").as_posix()
        if rel.startswith(("tui/", "cli/")):
            continue
        text = path.read_text()
        if "import textual" in text or "from textual" in text or "advisor.tui" in text:
            offenders.append(rel)
        if ".tui" in text and "import" in text and "from .tui" in text:
            offenders.append(rel)
    assert not offenders, offenders
