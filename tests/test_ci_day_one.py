"""The CI workflow docs/ci.md documents passes on day one in a fresh repository.

The commands are read from the documentation itself (the shell block marked ``ci-day-one``
and every ``run:`` step of the GitHub Actions workflow) and run verbatim, in process, in a
temporary repository holding a one-rule company layer and its two scenario tests.
"""

from __future__ import annotations

import re
import shlex
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from advisor.check.run import check_rules
from advisor.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
CI_DOC = ROOT / "docs" / "ci.md"

POLICY = """\
sources:
  - id: policy:isp-7
    title: Information security policy ISP-7, data classification and hosting
rules:
  - id: regulated-data-in-house
    category: compliance
    when: data.sensitivity == 'regulated'
    veto: [stay_hosted]
    because: Our security policy keeps regulated data on infrastructure we control.
    source: policy:isp-7
"""

POLICY_TESTS = """\
tests:
  - name: regulated data rules out the hosted API alone
    answers: {data.sensitivity: regulated}
    expect:
      fired: [regulated-data-in-house]
      vetoed: [stay_hosted]
  - name: internal data leaves the rule quiet
    answers: {data.sensitivity: internal}
    expect:
      not_fired: [regulated-data-in-house]
      not_vetoed: [stay_hosted]
"""


def day_one_commands() -> list[str]:
    text = CI_DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- ci-day-one -->\n```sh\n(.*?)```", text, re.S)
    assert match, "docs/ci.md lost its ci-day-one shell block"
    return [line for line in match.group(1).splitlines() if line.strip()]


def workflow_runs() -> list[str]:
    """Every ``run:`` of the documented GitHub Actions workflow, in order."""
    text = CI_DOC.read_text(encoding="utf-8")
    block = next(
        b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if b.startswith("name: rules")
    )
    workflow = yaml.safe_load(block)
    return [
        " ".join(step["run"].split())
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if "run" in step
    ]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / "policy" / "tests").mkdir(parents=True)
    (root / "policy" / "policy.yaml").write_text(POLICY)
    (root / "policy" / "tests" / "policy.yaml").write_text(POLICY_TESTS)
    monkeypatch.chdir(root)
    return root


def run(line: str) -> int:
    argv = shlex.split(line)
    assert argv[0] == "advisor", line
    return main(argv[1:])


def test_the_day_one_commands_pass_verbatim(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commands = day_one_commands()
    installs = [c for c in commands if c.startswith("pip install")]
    assert installs and all("llm-hosting-advisor" in c for c in installs)
    for line in commands:
        if line.startswith("pip install"):
            continue  # this test runs inside the installed project
        assert run(line) == 0, (line, capsys.readouterr())
    junit = (repo / "junit.xml").read_text()
    assert 'tests="2" failures="0" errors="0"' in junit and "<failure" not in junit
    assert "coverage.percent" in junit
    assert (repo / "advisor.sarif").is_file() and (repo / "diff.md").is_file()


def test_the_documented_github_workflow_passes_verbatim(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = workflow_runs()
    ran = 0
    for line in runs:
        if line.startswith("pip install"):
            assert "llm-hosting-advisor" in line
            continue
        if line.startswith("git worktree add ../base"):
            # The pull request's base commit: here, the same layer before the change.
            shutil.copytree(repo / "policy", repo.parent / "base" / "policy")
            continue
        if line.startswith("gh pr comment"):
            continue  # needs GitHub
        assert run(line) == 0, (line, capsys.readouterr())
        ran += 1
    assert ran >= 5


def test_packaged_catalog_staleness_is_reported_but_not_strict(repo: Path) -> None:
    far_future = date(2100, 1, 1)  # every packaged figure is stale by then
    lenient = check_rules([Path("@default"), Path("policy")], strict=True, today=far_future)
    assert any(p.code == "ADV604" for p in lenient.problems)
    assert lenient.ok
    strict = check_rules(
        [Path("@default"), Path("policy")], strict=True, strict_defaults=True, today=far_future
    )
    # ADV604 (old figures) and ADV606 (hosted models retiring within 24 months, issue 12)
    assert not strict.ok and {p.code for p in strict.errors} == {"ADV604", "ADV606"}


def test_a_stale_figure_in_the_layer_itself_fails_strict(repo: Path) -> None:
    (repo / "policy" / "catalog").mkdir()
    (repo / "policy" / "catalog" / "gpus.yaml").write_text(
        "gpus:\n  - {id: h100, rent_usd_per_hour: 2.2, as_of: 2020-01-01, source: our contract}\n"
    )
    result = check_rules([Path("@default"), Path("policy")], strict=True)
    layer_stale = [p for p in result.errors if p.code == "ADV604" and "policy" in p.location.file]
    assert layer_stale and not result.ok


def test_with_default_tests_runs_the_defaults_tests_too(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["test", "--rules", "policy"]) == 0
    own = capsys.readouterr().out
    assert own.strip().endswith("2 passed, 0 failed")
    main(["test", "--rules", "policy", "--with-default-tests"])
    both = capsys.readouterr().out.strip().splitlines()[-1]
    passed, failed = (int(n) for n in re.findall(r"\d+", both))
    assert passed + failed > 2
    assert not (repo / ".defaults").exists()
