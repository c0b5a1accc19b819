"""The CI deliverables around the commands: the company-policy example layer, the pre-commit
hooks and the workflow in docs/ci.md."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from advisor.check.run import check_rules
from advisor.engine.ruleset import load_ruleset
from advisor.load.bundle import default_rules_dir, load_bundle
from advisor.scenarios.runner import run_tests, scenario_files

ROOT = Path(__file__).resolve().parent.parent
COMPANY = ROOT / "examples" / "company-policy"
DOC = ROOT / "docs" / "ci.md"


def test_company_layer_adds_changes_and_switches_off() -> None:
    defaults = load_bundle()
    layered = load_bundle([default_rules_dir(), COMPANY])
    own = {rid for rid, o in layered.rule_origin.items() if o.layer == 1}
    added = {rid for rid in own if rid not in defaults.rules}
    switched_off = {rid for rid in own if layered.rules[rid].disabled}
    assert added, "the layer adds a rule"
    assert switched_off and switched_off <= set(defaults.rules), "it switches a default rule off"
    reweighted = [
        cid
        for cid, o in layered.category_origin.items()
        if o.layer == 1
        and cid in defaults.categories
        and layered.categories[cid].weight != defaults.categories[cid].weight
    ]
    assert reweighted, "it changes a category weight"


def test_company_layer_checks_clean_and_its_tests_pass() -> None:
    result = check_rules([default_rules_dir(), COMPANY])
    assert result.ok, [str(p) for p in result.errors]
    # the packaged catalog's freshness warnings: old figures, and retiring hosted models
    assert not [p for p in result.problems if p.code not in ("ADV604", "ADV606")], [
        str(p) for p in result.problems
    ]
    rs = load_ruleset([default_rules_dir(), COMPANY])
    files = scenario_files(rs, [])
    assert COMPANY / "tests" / "policy.yaml" in files
    run = run_tests(rs, [COMPANY / "tests" / "policy.yaml"])
    assert run.results and run.ok, [
        (r.name, r.failures, r.error) for r in run.results if not r.passed
    ]


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"advisor-check", "advisor-test"}
    for hook_id, command in (("advisor-check", "check"), ("advisor-test", "test")):
        hook = by_id[hook_id]
        assert hook["entry"] == f"advisor {command}"
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        files = re.compile(hook["files"])
        assert files.search("rules/cost.yaml") and files.search("policy/a.yml")
        assert not files.search("advisor/cli.py")
        assert hook["name"]


def _blocks(language: str) -> list[str]:
    text = DOC.read_text("utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_workflow_example_is_valid_yaml_and_uses_every_ci_format() -> None:
    workflows = [yaml.safe_load(b) for b in _blocks("yaml")]
    actions = next(w for w in workflows if isinstance(w, dict) and "jobs" in w)
    steps = [s for job in actions["jobs"].values() for s in job["steps"]]
    runs = "\n".join(s.get("run", "") for s in steps)
    for needle in (
        "advisor check",
        "--format github",
        "--format sarif",
        "--format junit",
        "--coverage --fail-under",
        "advisor diff",
        "--format markdown",
        "gh pr comment",
    ):
        assert needle in runs, needle


def test_every_exit_code_is_documented() -> None:
    text = DOC.read_text("utf-8")
    table = text[text.index("## Exit codes") :]
    for command in ("advisor check", "advisor test", "advisor diff", "advisor schema"):
        row = next(line for line in table.splitlines() if line.startswith(f"| `{command}`"))
        assert row.count("|") == 5, row
