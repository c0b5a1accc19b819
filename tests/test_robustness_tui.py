"""Issue 15 in the TUI: the live panel's probability from a cancellable thread worker after each
answer, and the results screen's "What would change" tab. assess never runs on the event loop."""

from __future__ import annotations

import asyncio
import io
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from test_tui_support import load_small, sync

pytest.importorskip("textual")

from rich.console import Console
from textual.widgets import Static, TabbedContent

import advisor.scenarios.robust as robust
from advisor.load.ranges import Range
from advisor.present.robustness import confidence_text, fact_label, value_text
from advisor.tui.app import ASSESS_DELAY as APP_ASSESS_DELAY
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
    """Let the after-refresh callbacks start the workers (once the answers have stayed still
    for the app's assess_delay), wait for them, draw the result."""
    delay = float(getattr(pilot.app, "assess_delay", 0.0))
    for _ in range(3):
        await pilot.pause(delay + 0.05)
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def enter_questionnaire(pilot: Pilot[int], settle: bool) -> QuestionnaireScreen:
    """From the welcome screen into the questionnaire (Enter on Start); with ``settle``, once
    the first answers' assessment has run."""
    await pilot.pause()
    await pilot.press("enter")
    if settle:
        await idle(pilot)
    else:
        await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, QuestionnaireScreen)
    return screen


def plain(renderable: Any) -> str:
    """What a renderable (a tab's Text, Table or Group) shows, as plain text."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


ASSESS_DELAY = 0.05
"""The answers' quiet time before the live probability is worked out, shorter than the app's
(ASSESS_DELAY, 0.4 s): every idle() waits it out three times. The waiting itself is
test_typing_starts_one_assessment_once_the_answers_stay_still's, with a delay of its own."""


def app_for(rs: RuleSet, tmp_path: Path, samples: int = 60) -> AdvisorApp:
    path = tmp_path / "assessment.yaml"
    path.write_text(RESUMED)
    return AdvisorApp(
        rs, path, blink_cursor=False, robust_samples=samples, assess_delay=ASSESS_DELAY
    )


@sync
async def test_live_panel_shows_the_probability_from_a_worker(
    small: Any, tmp_path: Path, calls: list[dict[str, Any]]
) -> None:
    app = app_for(small, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter_questionnaire(pilot, settle=False)
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
async def test_typing_starts_one_assessment_once_the_answers_stay_still(
    small: Any, tmp_path: Path, calls: list[dict[str, Any]]
) -> None:
    """A worker after every key would share the interpreter with the typing and slow it; the
    probability is worked out once the answers have stayed still for assess_delay."""
    app = app_for(small, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter_questionnaire(pilot, settle=True)
        await screen.show_question("usage.monthly_input_tokens")
        await idle(pilot)
        app.assess_delay = 1.5  # far longer than the gaps between the keys typed below
        before = len(calls)
        await pilot.press(*"2500")
        # while the keys come in, no assessment runs beside them
        assert not [w for w in app.workers if w.group == "robust" and not w.is_finished]
        await pilot.pause(app.assess_delay + 0.1)
        await app.workers.wait_for_complete()
        assert len(calls) == before + 1, calls[before:]


@sync
async def test_the_next_answer_cancels_the_running_assessment(
    small: Any, tmp_path: Path, calls: list[dict[str, Any]]
) -> None:
    app = app_for(small, tmp_path, samples=200_000)  # long enough to be running still
    # the app's own quiet time: the cancellation must come from the answer, well before the
    # next assessment would start (and cancel it as the group's exclusive worker)
    app.assess_delay = APP_ASSESS_DELAY
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter_questionnaire(pilot, settle=False)
        await pilot.pause(app.assess_delay + 0.1)
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
        # the running worker stops at once; the new answers' own starts once they stay still.
        # Polled with short sleeps: pilot.pause() waits for the process to idle, which it does
        # not while a 200,000-sample worker runs (a second per pause).
        assert first["cancelled"] is not None
        for _ in range(100):
            if first["cancelled"]():
                break
            await pilot.pause(0.02)
        assert first["cancelled"]()
        assert len(calls) == started  # stopped by the answer, not by the next worker
        await pilot.pause(app.assess_delay + 0.1)
        assert len(calls) == started + 1  # the new answers' own assessment started
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
        text = plain(screen.query_one("#changes-text", Static).content)
        assert "Working out" not in text
        assert "What would change this" in text or "No single input" in text
        d = screen.decision
        assert d.sensitivity is not None
        if d.sensitivity:  # the flip table: a row per flip point, its option named
            assert "Flips at" in text and "→ makes it" in text
            for entry in d.sensitivity[:3]:
                row = next(line for line in text.splitlines() if fact_label(entry["fact"]) in line)
                assert value_text(entry["fact"], entry["flips_at"]) in row
        # what the confidence is: a probability of these samples and seed, over what
        assert confidence_text(d) in " ".join(text.split())
        assert "Confidence is the probability that" in text and "seed 0" in text
        if d.tornado and d.tornado["bars"]:
            assert "What moves the cost ratio" in text and "│" in text
        if d.cost_percentiles:
            assert "P10" in text and "P90" in text
    flips = [c for c in calls if c["flips"]]
    assert flips and all(not c["main"] for c in flips)


@sync
async def test_results_reuse_the_live_panels_probability(
    small: Any, tmp_path: Path, calls: list[dict[str, Any]]
) -> None:
    """The live panel has worked out the probability for exactly these answers: the results
    take it over and their worker only finds the flip points (no second Monte Carlo)."""
    app = app_for(small, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        questionnaire = await enter_questionnaire(pilot, settle=True)
        live = questionnaire.decision
        assert live is not None and live.confidence_basis == "probability"
        sampled_before = [c for c in calls if c["samples"]]
        assert len(sampled_before) == 1
        await pilot.press("ctrl+r")
        await idle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen) and screen.reused
        after = calls[len(sampled_before) :]
        assert [(c["samples"], c["flips"]) for c in after] == [(0, True)]
        d = screen.decision
        assert d.probabilities == live.probabilities and d.confidence == live.confidence
        assert d.sensitivity is not None  # the flip points were still worked out
        summary = plain(screen.query_one("#summary-text", Static).content)
        assert confidence_text(d) in " ".join(summary.split())


@sync
async def test_results_sample_again_when_the_answers_changed(
    small: Any, tmp_path: Path, calls: list[dict[str, Any]]
) -> None:
    """A live probability of other answers is not reused: the results draw their own."""
    app = app_for(small, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        questionnaire = await enter_questionnaire(pilot, settle=True)
        assert questionnaire.decision is not None
        assert questionnaire.decision.confidence_basis == "probability"
        # an answer the live panel has not assessed (set without a redraw): 1B..6B, whose
        # likely value 3.5B is a number the panel never saw either
        questionnaire.session.set_answer(
            "usage.monthly_input_tokens", small.coerce("usage.monthly_input_tokens", "1B..6B")
        )
        started = len(calls)
        await pilot.press("ctrl+r")
        await idle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen) and not screen.reused
        assert [(c["samples"], c["flips"]) for c in calls[started:]] == [(60, True)]
        p = screen.decision.probabilities
        assert p is not None and "usage.monthly_input_tokens" in p["inputs"]
        text = plain(screen.query_one("#changes-text", Static).content)
        assert "stated range of usage.monthly_input_tokens" in " ".join(text.split())


@sync
async def test_typing_a_range_in_a_number_field(small: Any, tmp_path: Path) -> None:
    """'1B..6B' typed in a number box is a range answer: saved as typed, shown as a range,
    drawn by the live panel's Monte Carlo; '2B..5B' (same midpoint) and '3.5B' (the likely
    value as a point) are each a change of answer, not ignored as equal numbers."""
    app = app_for(small, tmp_path)
    path = tmp_path / "assessment.yaml"
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter_questionnaire(pilot, settle=True)
        qid = "usage.monthly_input_tokens"
        for typed, saved_text in (("1B..6B", "1B..6B"), ("2B..5B", "2B..5B"), ("3.5B", None)):
            field = await screen.show_question(qid)
            await pilot.press("ctrl+a", "ctrl+k", *typed, "enter")
            await idle(pilot)
            value = screen.session.values[qid]
            if saved_text is None:
                assert not isinstance(value, Range) and value == 3.5e9
                assert f"{qid}: 3500000000" in path.read_text()
                continue
            assert isinstance(value, Range) and value.text() == saved_text
            assert f"{qid}: {saved_text}" in path.read_text()
            assert field.error is None
            assert f"{saved_text} (likely 3.5B)" in str(field._status_text())
            d = screen.decision
            assert d is not None and d.probabilities is not None
            assert d.probabilities["inputs"][qid]["low"] == value.low
            assert "your ranges" in str(screen.query_one(LivePanel).render())
        # a range typed backwards is refused with a sentence, and the answer stays
        field = await screen.show_question(qid)
        await pilot.press("ctrl+a", "ctrl+k", *"6B..1B", "enter")
        await pilot.pause()
        assert field.error is not None and "low <= likely <= high" in field.error
        assert screen.session.values[qid] == 3.5e9
    # resumed: the box shows the range as typed, not its likely value
    path.write_text(path.read_text().replace(f"{qid}: 3500000000", f"{qid}: 1B..6B"))
    app = AdvisorApp(small, path, blink_cursor=False, robust_samples=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter_questionnaire(pilot, settle=False)
        field = await screen.show_question(qid)
        assert field.control.value == "1B..6B"  # type: ignore[attr-defined]
        await pilot.press("tab")  # leaving the box keeps the range
        await pilot.pause()
        assert isinstance(screen.session.values[qid], Range)


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


@sync
async def test_results_without_a_ranged_answer_give_the_clis_probability(
    small: Any, tmp_path: Path, calls: list[dict[str, Any]]
) -> None:
    """No answer is a range: the results screen samples the CLI's count itself
    (``COLUMN_SAMPLES``, lowered by the suite as the CLI's is) rather than taking over the live
    panel's few hundred, so the results, their exports and ``advisor evaluate``/``report``
    show the same probability for the same answers."""
    from advisor.tui import app as tui_app

    path = tmp_path / "assessment.yaml"
    path.write_text(RESUMED)
    app = AdvisorApp(small, path, blink_cursor=False, assess_delay=0.05)  # default counts
    async with app.run_test(size=SIZE) as pilot:
        await enter_questionnaire(pilot, settle=True)
        started = len(calls)
        await pilot.press("ctrl+r")
        await idle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen) and not screen.reused
        assert [(c["samples"], c["flips"]) for c in calls[started:]] == [
            (tui_app.COLUMN_SAMPLES, True)
        ]
        d = screen.decision
        assert d.probabilities is not None
        assert d.probabilities["samples"] == tui_app.COLUMN_SAMPLES
        cli = robust.assess(small, dict(screen.session.values), tui_app.COLUMN_SAMPLES, 0)
        assert (d.confidence, d.probabilities) == (cli.confidence, cli.probabilities)
