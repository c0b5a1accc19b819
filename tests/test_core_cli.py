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


@pytest.mark.parametrize(
    "argv",
    [
        *([name, "--help"] for name in ("run", "check", "evaluate", "test", "schema")),
        *([name, "--help"] for name in ("catalog", "report", "diff", "compare")),
        ["catalog", "import-prices", "--help"],
        ["evaluate"],
        ["evaluate", "x.yaml", "--format", "nope"],
        ["evaluate", "x.yaml", "--samples", "-1"],
        ["report", "x.yaml", "--bogus"],
        ["catalog", "nope"],
        ["schema", "nope"],
        ["check", "--version"],
    ],
)
def test_a_command_parses_as_with_every_command_built(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """main() builds only the parser of the command given first; what it prints for help
    and usage errors is what the parser with all nine commands prints, byte for byte."""
    from advisor.cli import main
    from advisor.cli.main import build_parser

    with pytest.raises(SystemExit) as full:
        build_parser().parse_args(argv)
    expected = capsys.readouterr()
    with pytest.raises(SystemExit) as fast:
        main(argv)
    assert capsys.readouterr() == expected
    assert fast.value.code == full.value.code
    assert expected.out + expected.err


OWN_TESTS_LAYER = Path(__file__).resolve().parent / "data" / "own-tests-layer"


def test_test_command_summary_line(cli: Cli) -> None:
    # a layer with one scenario that holds whatever the default rules' weights become; the
    # default scenarios themselves are tests/test_knowledge_scenarios.py's
    result = cli("test", "--rules", "@default", "--rules", str(OWN_TESTS_LAYER))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "1 passed, 0 failed"


def test_test_command_reports_failures(cli: Cli, tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "tests:\n  - name: air gap stays hosted (wrong on purpose)\n"
        "    answers: {data.air_gapped: true}\n"
        "    expect: {recommendation: stay_hosted, vetoed: [self_host]}\n"
    )
    result = cli("test", "--rules", "@default", "--rules", str(OWN_TESTS_LAYER), str(scenario))
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
    assert out.splitlines()[-1] == "1 passed, 1 failed"  # the layer's scenario and this one


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


def test_the_advisor_script_is_the_entry_point() -> None:
    """The installed ``advisor`` script (not ``python -m``) runs ``main`` and passes its exit
    code on: a missing rules folder exits 2."""
    script = Path(sys.executable).parent / "advisor"
    assert script.is_file(), "pip install -e . installs the advisor script beside python"
    result = subprocess.run(
        [str(script), "check", "--rules", "no-such-folder"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "ADV110" in result.stdout


# --- one problems table, one meaning of each exit code ---------------------------------------


def test_every_code_in_the_source_is_in_the_one_table() -> None:
    import re

    from advisor.problems import CODES

    used: dict[str, str] = {}
    for path in sorted((ROOT / "advisor").rglob("*.py")):
        if path == ROOT / "advisor" / "problems.py":  # the table itself
            continue
        for code in re.findall(r"ADV\d{3}", path.read_text(encoding="utf-8")):
            used.setdefault(code, path.relative_to(ROOT).as_posix())
    missing = {code: where for code, where in used.items() if code not in CODES}
    assert not missing, f"codes used but not in advisor.problems.CODES: {missing}"
    unused = sorted(set(CODES) - set(used))
    assert not unused, f"codes in the table that nothing raises: {unused}"
    for entry in CODES.values():
        assert entry.name and entry.description.endswith(".")
        assert entry.severity in ("error", "warning")
        assert entry.exit_class in ("unreadable", "problem")


def test_a_problem_with_a_code_outside_the_table_is_refused() -> None:
    from advisor.problems import Location, Problem

    with pytest.raises(ValueError, match="ADV998"):
        Problem(Location("x.yaml", 1, 1), "ADV998", "A code nobody registered.")


def test_unreadable_only_when_every_error_is_unreadable() -> None:
    from advisor.problems import AdvisorError, Exit, Location, Problem

    not_yaml = Problem(Location("a.yaml", 1, 1), "ADV101", "Not YAML.")
    unknown = Problem(Location("b.yaml", 2, 3), "ADV313", "Unknown name.")
    stale = Problem(Location("c.yaml", 4, 5), "ADV604", "Stale.", "warning")
    assert AdvisorError([not_yaml]).exit_code == Exit.UNREADABLE
    assert int(Exit.UNREADABLE) == 2
    assert AdvisorError([not_yaml, stale]).exit_code == Exit.UNREADABLE
    assert AdvisorError([not_yaml, unknown]).exit_code == Exit.PROBLEMS
    assert int(Exit.PROBLEMS) == 1
    assert AdvisorError([unknown]).exit_code == Exit.PROBLEMS


UNKNOWN_FACT_RULE = (
    "rules:\n  - id: typo\n    category: cost\n    when: data.air_gaped\n"
    "    score: {hybrid: 1}\n    because: b\n    source: s\n"
)


def _bad_rules(tmp_path: Path, kind: str) -> tuple[Path, str, int]:
    """A rules folder that is (a) unreadable: invalid YAML or missing, or (b) readable but
    invalid: a rule naming an unknown fact; with the code and exit code every command gives."""
    folder = tmp_path / kind
    if kind == "missing":
        return folder, "ADV110", 2
    folder.mkdir()
    if kind == "invalid-yaml":
        (folder / "x.yaml").write_text("rules:\n  - id: a\n    when: [unclosed\n")
        return folder, "ADV101", 2
    (folder / "policy.yaml").write_text(UNKNOWN_FACT_RULE)
    return folder, "ADV313", 1


def _every_command(rules: list[str], answers: Path) -> dict[str, list[str]]:
    return {
        "check": ["check", *rules],
        "evaluate": ["evaluate", str(answers), *rules],
        "test": ["test", *rules],
        "report": ["report", str(answers), "--format", "json", *rules],
        "diff": ["diff", *[a.replace("--rules", "--base") for a in rules], str(answers)],
        # `run` validates rules and answers before the TUI is imported, so this never opens it
        "run": ["run", str(answers), *rules],
    }


@pytest.mark.parametrize("kind", ["invalid-yaml", "missing", "unknown-fact"])
def test_the_same_bad_rules_give_the_same_exit_code_from_every_command(
    cli: Cli, answers: Path, tmp_path: Path, kind: str
) -> None:
    folder, code, exit_code = _bad_rules(tmp_path, kind)
    rules = ["--rules", str(ROOT / "rules"), "--rules", str(folder)]
    for command, args in _every_command(rules, answers).items():
        result = cli(*args)
        assert result.returncode == exit_code, (command, result.stdout, result.stderr)
        # `check` prints its problems as its report (stdout, or -o); the others on stderr
        shown = result.stdout + result.stderr if command == "check" else result.stderr
        assert f": {code}: " in shown, (command, shown)
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "code", "exit_code"),
    [
        ("answers: [unclosed\n", "ADV101", 2),
        ("answers:\n  usage.capability_need: genius\n", "ADV503", 1),
    ],
)
def test_the_same_bad_answers_give_the_same_exit_code_from_every_command(
    cli: Cli, tmp_path: Path, text: str, code: str, exit_code: int
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    for command in ("evaluate", "report", "run"):
        result = cli(command, str(bad))
        assert result.returncode == exit_code, (command, result.stderr)
        assert "bad.yaml:" in result.stderr and f": {code}: " in result.stderr
    assert bad.read_text() == text  # `run` refused before opening, and changed nothing


@pytest.mark.default_samples
def test_long_sampling_is_announced_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """10,000 samples of several ranged answers take seconds: a person at a terminal is told
    what is running; a pipe or a CI log gets nothing extra, and answers with no range or one
    (sampled as columns in about half a second) announce nothing."""
    from advisor.cli.main import main
    from advisor.model.decision import Decision

    def instant(*args: Any, decision: Decision, **kwargs: Any) -> Decision:
        return decision  # the sampling itself is not this test's subject

    monkeypatch.setattr("advisor.scenarios.robust.assess", instant)
    example = str(ROOT / "examples" / "seed-startup.yaml")
    assert main(["evaluate", example, "-o", str(tmp_path / "a.txt")]) == 0
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["evaluate", example, "-o", str(tmp_path / "b.txt")]) == 0
    assert capsys.readouterr().err == ""
    ranged = tmp_path / "ranged.yaml"
    text = Path(example).read_text(encoding="utf-8")
    assert "usage.monthly_input_tokens: " in text
    text = text.replace("usage.monthly_input_tokens: ", "usage.monthly_input_tokens: 1M..", 1)
    ranged.write_text(text, encoding="utf-8")
    assert main(["evaluate", str(ranged), "-o", str(tmp_path / "c.txt")]) == 0
    assert capsys.readouterr().err == ""
    assert "usage.monthly_output_tokens: " in text
    text = text.replace("usage.monthly_output_tokens: ", "usage.monthly_output_tokens: 1M..", 1)
    ranged.write_text(text, encoding="utf-8")
    assert main(["evaluate", str(ranged), "-o", str(tmp_path / "d.txt")]) == 0
    assert "Sampling 10,000 outcomes" in capsys.readouterr().err
