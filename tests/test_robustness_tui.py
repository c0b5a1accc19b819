"""Issue 15 in the TUI: the live panel's probability from a cancellable thread worker after each
answer, and the results screen's "What would change" tab. assess never runs on the event loop."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from test_tui_support import load_small, sync

pytest.importorskip("textual")

from textual.widgets import Static, TabbedContent

import advisor.scenarios.robust as robust
from advisor.tui.app import AdvisorApp
from advisor.tui.screens.questionnaire import QuestionnaireScreen
from advisor.tui.screens.results import ResultsScreen
from advisor.tui.widgets.live import LivePanel

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from advisor.engine.ruleset import RuleSet

SIZE = (100, 32)
RESUMED = (
    "answers:\n  org.hq_region: eu\n  usage.monthly_input_tokens: 2.5B\n"
    "  usage.current_model: o1\n  data.origins: [cn]\n"
)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    return load_small(tmp_path_factory.mktemp("rules"))


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every assess call: on which thread, with which samples and flips, its cancel check."""
    seen: list[dict[str, Any]] = []
    real = robust.assess

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(
            {
                "main": threading.current_thread() is threading.main_thread(),
                "samples": args[2] if len(args) > 2 else kwargs.get("samples"),
                "flips": kwargs.get("flips", True),
                "cancelled": kwargs.get("cancelled"),
            }
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(robust, "assess", spy)
    return seen


async def idle(pilot: Pilot[int]) -> None:
    """Let the after-refresh callbacks start the workers, wait for them, draw the result."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def app_for(rs: RuleSet, tmp_path: Path, samples: int = 60) -> AdvisorApp:
    path = tmp_path / "assessment.yaml"
    path.write_text(RESUMED)
    return AdvisorApp(rs, path, blink_cursor=False, robust_samples=samples)


@sync
async def test_live_panel_shows_the_probability_from_a_worker(
    small: Any, tmp_path: Path, calls: list[dict[str, Any]]
) -> None:
    app = app_for(small, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # welcome -> questionnaire
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        panel = screen.query_one(LivePanel)
        # the point decision is on screen at once, as a margin (not a probability)
        assert panel.decision is not None
        await idle(pilot)
        d = panel.decision
        assert d is not None and d.confidence_basis == "probability"
        assert d.probabilities is not None and d.probabilities["samples"] == 60
        text = str(panel.render())
        assert "p " in text or "all samples agree" in text
        assert "margin" not in text
    assert calls and all(not c["main"] for c in calls)  # never on the event loop
    assert all(c["samples"] == 60 and c["flips"] is False for c in calls)


@sync
async def test_the_next_answer_cancels_the_running_assessment(
    small: Any, tmp_path: Path, calls: list[dict[str, Any]]
) -> None:
    app = app_for(small, tmp_path, samples=200_000)  # long enough to be running still
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        await pilot.pause()
        started = len(calls)
        assert started >= 1
        first = calls[started - 1]
        # a new answer: the panel shows its point decision in the same frame, and the worker
        # of the previous answers is cancelled
        screen.session.set_answer("usage.monthly_input_tokens", 9e9)
        screen.refresh_decision(side_panels_later=True)
        point = screen.decision
        assert point is not None and point.confidence_basis == "margin"
        assert screen.query_one(LivePanel).decision is point
        for _ in range(3):
            await pilot.pause()
        assert len(calls) == started + 1  # the new answers' own assessment started
        assert first["cancelled"] is not None and first["cancelled"]()
        for worker in list(app.workers):
            worker.cancel()  # do not wait for 200,000 samples
        for _ in range(100):  # the Monte Carlo checks between samples: it stops at once
            if not any(w.is_running for w in app.workers):
                break
            await asyncio.sleep(0.05)
        assert not any(w.is_running for w in app.workers)
    assert all(not c["main"] for c in calls)


@sync
async def test_results_screen_has_a_what_would_change_tab(
    small: Any, tmp_path: Path, calls: list[dict[str, Any]]
) -> None:
    app = app_for(small, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "ctrl+r")
        await idle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        tabs = screen.query_one(TabbedContent)
        tabs.active = "changes"
        await pilot.pause()
        text = str(screen.query_one("#changes-text", Static).render())
        assert "Working out" not in text
        assert "What would change this" in text or "No single input" in text
        assert screen.decision.sensitivity is not None
        for entry in screen.decision.sensitivity[:3]:
            assert "→" in text and (entry["to"] is None or "makes it" in text)
    flips = [c for c in calls if c["flips"]]
    assert flips and all(not c["main"] for c in flips)


@sync
async def test_no_samples_no_worker(
    small: Any, tmp_path: Path, calls: list[dict[str, Any]]
) -> None:
    app = app_for(small, tmp_path, samples=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "ctrl+r")
        await idle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        text = str(screen.query_one("#changes-text", Static).render())
        assert "not assessed" in text
    assert calls == []
