"""Saving keeps the user's file: comments, the $schema line, key order and notation survive.

Every example answers file is opened, edited and saved through the TUI's session (the path a
key press takes), and the result is diffed against the original line by line.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.engine.ruleset import RuleSet, load_ruleset
from advisor.tui.answers_text import number_text
from advisor.tui.session import Session

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return load_ruleset()


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def copy(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / path.name
    shutil.copy(path, target)
    return target


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_editing_one_answer_changes_only_its_line(
    rs: RuleSet, example: Path, tmp_path: Path
) -> None:
    path = copy(example, tmp_path)
    before = path.read_text()
    s = Session.open(rs, path)
    assert not s.read_only, s.load_error
    old = s.values["usage.monthly_input_tokens"]
    assert s.set_answer("usage.monthly_input_tokens", old * 2)
    assert s.save()
    after = path.read_text()
    diff = changed_lines(before, after)
    assert len(diff) == 2, diff
    assert diff[0].startswith("-") and "usage.monthly_input_tokens:" in diff[0]
    assert diff[1].startswith("+") and "usage.monthly_input_tokens:" in diff[1]
    # Written the way the user writes volumes, not as 16000000000.0.
    assert ".0" not in diff[1].split(":", 1)[1]
    # Every comment line, the $schema line included, is still there.
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line for line in after.splitlines() if line.lstrip().startswith("#")]
    assert any("yaml-language-server: $schema=" in c for c in comments)
    reopened = Session.open(rs, path)
    assert reopened.values == s.values


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_a_new_answer_is_appended_under_answers_and_a_cleared_one_removed(
    rs: RuleSet, example: Path, tmp_path: Path
) -> None:
    path = copy(example, tmp_path)
    before = path.read_text()
    s = Session.open(rs, path)
    first, value = next(iter(s.values.items()))
    assert s.clear_answer(first)
    assert s.save()
    diff = changed_lines(before, path.read_text())
    assert len(diff) == 1 and diff[0].startswith("-") and first + ":" in diff[0], diff
    # Answered again, it comes back as a new answer: the last line under answers.
    assert s.set_answer(first, value)
    assert s.save()
    after = path.read_text()
    diff = changed_lines(before, after)
    assert [d[0] for d in diff] == ["-", "+"], diff
    assert diff[1].lstrip("+ ").startswith(first + ":")
    data = yaml.safe_load(after)
    assert list(data["answers"])[-1] == first
    assert Session.open(rs, path).values == s.values


def test_text_with_yaml_punctuation_is_quoted(rs: RuleSet, tmp_path: Path) -> None:
    path = copy(ROOT / "examples" / "eu-bank.yaml", tmp_path)
    s = Session.open(rs, path)
    assert s.set_meta(notes="Budget: 10 % #cut, see [memo]")
    assert s.save()
    assert Session.open(rs, path).meta.notes == "Budget: 10 % #cut, see [memo]"


def test_meta_edits_keep_everything_else(rs: RuleSet, tmp_path: Path) -> None:
    path = copy(ROOT / "examples" / "eu-bank.yaml", tmp_path)
    before = path.read_text()
    s = Session.open(rs, path)
    assert s.set_meta(author="Jane Doe: chief architect")
    assert s.save()
    diff = changed_lines(before, path.read_text())
    assert diff == [
        "-  author: Enterprise architecture board",
        "+  author: 'Jane Doe: chief architect'",
    ]
    assert Session.open(rs, path).meta.author == "Jane Doe: chief architect"


def test_notation_of_unchanged_answers_is_kept(rs: RuleSet, tmp_path: Path) -> None:
    path = copy(ROOT / "examples" / "eu-bank.yaml", tmp_path)
    s = Session.open(rs, path)
    assert s.set_answer("strategy.priority_cost", 4)
    assert s.save()
    text = path.read_text()
    assert "usage.monthly_input_tokens: 8B\n" in text
    assert "usage.monthly_output_tokens: 1.5B\n" in text
    assert "strategy.priority_cost: 4\n" in text


def test_a_file_in_a_shape_the_editor_does_not_handle_is_rewritten_whole(
    rs: RuleSet, tmp_path: Path
) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text("{answers: {org.hq_region: eu}}\n")
    s = Session.open(rs, path)
    assert s.set_answer("org.hq_region", "us")
    assert s.save()
    assert yaml.safe_load(path.read_text())["answers"] == {"org.hq_region": "us"}


def test_block_lists_and_comments_after_values(rs: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "answers:\n"
        "  org.hq_region: eu   # head office in Dublin\n"
        "  licensing.excluded_origins:\n"
        "    - cn\n"
        "  strategy.priority_cost: 3\n"
    )
    s = Session.open(rs, path)
    assert s.set_answer("licensing.excluded_origins", [])
    assert s.set_answer("org.hq_region", "us")
    assert s.save()
    text = path.read_text()
    assert "  org.hq_region: us   # head office in Dublin\n" in text
    assert Session.open(rs, path).values == s.values


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.integers(0, 10**15).map(float), st.floats(0, 1e15, allow_nan=False)))
def test_number_text_reads_back_as_the_same_number(value: Any) -> None:
    text = number_text(value, short=True)
    loaded = yaml.safe_load(text)
    # A plain number reads back through any YAML reader; a short form (2.5B, 62.5T)
    # through advisor's own parser, as the loader reads it.
    back = float(loaded) if isinstance(loaded, int | float) else _parse(text)
    assert back == value


def _parse(text: str) -> float:
    from advisor.load.values import parse_quantity

    return parse_quantity(text)
