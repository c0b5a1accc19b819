"""SVG snapshots of the questionnaire (pytest-textual-snapshot): welcome, questions, a validation
error, results. Regenerate after a deliberate change of the look with

    python -m pytest tests/test_tui_snapshots.py --snapshot-update

and review the SVGs in tests/__snapshots__/test_tui_snapshots/ before committing them.

Determinism: a fixed questionnaire and rules (not the packaged ones, which keep changing), the
audit block pinned, a fixed file name (only the name is shown, never the tmp path), the cursor
blink off, fixed terminal sizes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from test_tui_support import freeze_audit, load_small

pytest.importorskip("pytest_textual_snapshot")

from advisor.tui.app import AdvisorApp

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    # compiled once for the module: no test changes it (each answers file is its own)
    return freeze_audit(load_small(tmp_path_factory.mktemp("rules")))


def app_for(rs: RuleSet, tmp_path: Path, answers: str | None = None) -> AdvisorApp:
    path = tmp_path / "assessment.yaml"
    if answers is not None:
        path.write_text(answers)
    # robust_samples=0: no probability worker racing the screenshot (the point decision shows)
    return AdvisorApp(rs, path, blink_cursor=False, robust_samples=0)


RESUMED = (
    "answers:\n  org.hq_region: eu\n  usage.monthly_input_tokens: 2.5B\n"
    "  usage.current_model: o1\n  data.origins: [cn]\n"
)


def test_welcome(snap_compare: Any, small: Any, tmp_path: Path) -> None:
    assert snap_compare(app_for(small, tmp_path), terminal_size=(100, 32))


def test_first_question(snap_compare: Any, small: Any, tmp_path: Path) -> None:
    assert snap_compare(app_for(small, tmp_path), press=["enter"], terminal_size=(100, 32))


def test_resumed_section_at_80x24(snap_compare: Any, small: Any, tmp_path: Path) -> None:
    app = app_for(small, tmp_path, RESUMED)
    assert snap_compare(app, press=["enter", "ctrl+b"], terminal_size=(80, 24))


def test_validation_error(snap_compare: Any, small: Any, tmp_path: Path) -> None:
    app = app_for(small, tmp_path)
    keys = ["enter", "ctrl+n", *"12x", "enter"]
    assert snap_compare(app, press=keys, terminal_size=(80, 24))


def test_results(snap_compare: Any, small: Any, tmp_path: Path) -> None:
    app = app_for(small, tmp_path, RESUMED)
    assert snap_compare(app, press=["enter", "ctrl+r"], terminal_size=(100, 32))


def test_results_reasons(snap_compare: Any, small: Any, tmp_path: Path) -> None:
    app = app_for(small, tmp_path, RESUMED)
    assert snap_compare(app, press=["enter", "ctrl+r", "ctrl+n"], terminal_size=(100, 32))
