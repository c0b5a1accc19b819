"""Issue 14, item 5: nothing allowed means nothing recommended, and a tie says it is one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.cli.main import main
from advisor.engine.ruleset import load_ruleset
from advisor.load.bundle import DEFAULT_ALIAS

# An air gap rules out the API and the hybrid; excluding every origin leaves no open model.
ALL_VETOED = """answers:
  org.hq_region: us
  usage.monthly_input_tokens: 100M
  usage.monthly_output_tokens: 20M
  data.air_gapped: true
  licensing.excluded_origins: [cn, us, eu]
  licensing.attribution_acceptable: false
"""


def test_all_vetoed_answers_give_no_recommendation_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(ALL_VETOED)
    assert main(["evaluate", str(answers)]) == 1
    text = capsys.readouterr().out
    assert text.startswith("No allowed option: stay_hosted by air-gapped-blocks-apis")
    assert "self_host by no-eligible-open-model" in text
    assert "Recommendation:" not in text
    assert main(["evaluate", str(answers), "--format", "json"]) == 1
    d = json.loads(capsys.readouterr().out)
    assert d["recommendation"] is None and d["all_vetoed"] is True


def test_diff_reports_a_change_to_no_allowed_option(
    tmp_path: Path, layer: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # The new rule set vetoes self-hosting for air-gapped sites too: nothing is left.
    new = layer(
        {
            "veto.yaml": """
rules:
  - id: no-self-host-either
    category: compliance
    when: data.air_gapped
    veto: [self_host]
    because: Test layer.
    source: practice:air-gap
"""
        }
    )
    answers = tmp_path / "gap.yaml"
    answers.write_text("answers:\n  org.hq_region: us\n  data.air_gapped: true\n")
    code = main(
        [
            "diff",
            "--base",
            DEFAULT_ALIAS,
            "--rules",
            DEFAULT_ALIAS,
            "--rules",
            str(new),
            "--format",
            "json",
            str(answers),
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    changes = json.dumps(out)
    assert '"new": "no allowed option"' in changes and '"base": "self_host"' in changes


def test_a_tie_is_reported_with_its_tie_break(
    rules_dir: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rs = load_ruleset(
        [
            rules_dir(
                {
                    "rules.yaml": """
categories:
  - {id: strategy, title: Strategy, weight: 1}
rules:
  - id: even
    category: strategy
    when: true
    score: {hybrid: 2, self_host: 2}
    because: Both open options gain alike.
    source: practice:build-vs-buy
"""
                }
            )
        ]
    )
    d = rs.evaluate({})
    assert d.recommendation == "hybrid"
    assert d.tie == {
        "options": ["hybrid", "self_host"],
        # every option, in the engine's order (managed_open was missing before)
        "broken_by": "the option that changes least, in the order stay_hosted, then "
        "managed_open, then hybrid, then self_host",
    }
    assert d.to_dict()["tie"]["options"] == ["hybrid", "self_host"]
    clear = load_ruleset(None).evaluate({"data.air_gapped": True})
    assert clear.tie is None
