"""The questionnaire's speed: start-up to the first interactive screen, and one answer to a
refreshed recommendation. Headless (Textual's ``run_test``), packaged default rules.

Rows:
* start-up, whole process: ``python`` started until the welcome screen is mounted and idle
  (interpreter, imports, loading and compiling the rules, the app); median of 5 processes.
* start-up, in process: the app constructed until the welcome screen is idle, rule set loaded
  already; median of 5.
* questionnaire screen: Start pressed until the first section is shown and focused.
* answer -> recommendation: what one answer costs on the UI thread: record it, evaluate the
  rules, update bars, sidebar, follow-up visibility and help (median of 200 answers).
* radio press -> panel redrawn: a radio button pressed until the live panel has drawn the new
  decision, end to end through Textual (median of 30); beside it the same measurement on a
  bare Textual app, the floor any Textual UI pays. The difference is Textual's own work on a
  bigger screen (a message hop per widget level, a frame for the radio set before the frame
  for the panel), not the answer's: that is the row above, which carries the 16 ms budget.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5

_CHILD = """
import asyncio, sys, time
t0 = float(sys.argv[1])
from advisor.engine import load_ruleset
from advisor.tui.app import AdvisorApp
app = AdvisorApp(load_ruleset(), None, blink_cursor=False)
async def main():
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        print(time.time() - t0)
asyncio.run(main())
"""


def _process_startup() -> float:
    times = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, repr(time.time())],
                capture_output=True,
                text=True,
                check=True,
                cwd=tmp,
                env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
            )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


async def _answers(pilot: Any, screen: Any, rs: Any) -> tuple[list[float], list[float]]:
    from advisor.tui.widgets.live import LivePanel

    handler: list[float] = []
    repaint: list[float] = []
    # The handler path, without the message queue: what an answer costs the UI thread.
    choice = next(q for q in rs.questions.values() if q.type == "choice" and len(q.options) > 6)
    values = choice.option_values
    for i in range(200):
        a = time.perf_counter()
        screen.session.set_answer(choice.id, values[i % len(values)])
        screen.refresh_decision()
        handler.append(time.perf_counter() - a)
    # Through Textual: press a radio button and wait until the live panel has drawn the new
    # decision (its render() ran), as a user would see it.
    radio = next(q for q in rs.questions.values() if q.type == "choice" and 2 < len(q.options) <= 6)
    drawn = asyncio.Event()
    original = LivePanel.render

    def render(panel: LivePanel) -> Any:
        out = original(panel)
        drawn.set()
        return out

    LivePanel.render = render  # type: ignore[method-assign]
    try:
        field = await screen.show_question(radio.id)
        await pilot.pause()
        buttons = field.control.query("RadioButton")
        for i in range(30):
            drawn.clear()
            a = time.perf_counter()
            buttons[(i + 1) % len(buttons)].value = True
            await drawn.wait()
            repaint.append(time.perf_counter() - a)
            await pilot.pause()
    finally:
        LivePanel.render = original  # type: ignore[method-assign]
    return handler, repaint


async def _bare_textual() -> float:
    """The floor: a bare Textual app whose handler updates one Static on a radio press."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, RadioButton, RadioSet, Static

    drawn = asyncio.Event()

    class Shown(Static):
        def render(self) -> Any:
            out = super().render()
            drawn.set()
            return out

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield RadioSet("a", "b", "c", "d")
            yield Shown("-", id="shown")
            yield Footer()

        def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
            self.query_one("#shown", Shown).update(str(event.index), layout=False)

    times: list[float] = []
    app = Bare()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        buttons = app.query(RadioButton)
        for i in range(30):
            drawn.clear()
            a = time.perf_counter()
            buttons[(i + 1) % len(buttons)].value = True
            await drawn.wait()
            times.append(time.perf_counter() - a)
            await pilot.pause()
    return statistics.median(times)


async def _in_process(rs: Any, folder: Path) -> dict[str, float]:
    from advisor.tui.app import AdvisorApp
    from advisor.tui.screens.questionnaire import QuestionnaireScreen

    startup: list[float] = []
    questionnaire: list[float] = []
    handler: list[float] = []
    repaint: list[float] = []
    for run in range(RUNS):
        path = folder / f"bench-{run}.yaml"
        t0 = time.perf_counter()
        app = AdvisorApp(rs, path, blink_cursor=False)
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            startup.append(time.perf_counter() - t0)
            t1 = time.perf_counter()
            await pilot.press("enter")
            await pilot.pause()
            questionnaire.append(time.perf_counter() - t1)
            screen = app.screen
            assert isinstance(screen, QuestionnaireScreen)
            if run == 0:
                handler, repaint = await _answers(pilot, screen, rs)
    return {
        "startup": statistics.median(startup),
        "questionnaire": statistics.median(questionnaire),
        "handler": statistics.median(handler),
        "repaint": statistics.median(repaint),
    }


def rows() -> list[dict[str, object]]:
    sys.path.insert(0, str(ROOT))
    from advisor.engine import load_ruleset

    t = time.perf_counter()
    rs = load_ruleset()
    load_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        m = asyncio.run(_in_process(rs, Path(tmp)))
    floor = asyncio.run(_bare_textual())
    process = _process_startup()
    return [
        {
            "name": "tui: start-up to welcome screen (process)",
            "value": process,
            "unit": "s",
            "budget": 1.0,
            "note": f"median of {RUNS}; python + imports + rules ({load_s:.2f} s here) + app",
        },
        {
            "name": "tui: start-up to welcome screen (in process)",
            "value": m["startup"],
            "unit": "s",
            "budget": 1.0,
            "note": f"median of {RUNS}; rules already loaded",
        },
        {
            "name": "tui: Start to first question",
            "value": m["questionnaire"],
            "unit": "s",
            "budget": 1.0,
            "note": "first section built and focused; other sections are built when shown",
        },
        {
            "name": "tui: answer -> recommendation updated",
            "value": m["handler"] * 1000,
            "unit": "ms",
            "budget": 16.0,
            "note": "evaluate + bars, sidebar, ask_if, help; median of 200",
        },
        {
            "name": "tui: radio press -> panel redrawn",
            "value": m["repaint"] * 1000,
            "unit": "ms",
            "budget": None,
            "note": "end to end through Textual's queues and frames; median of 30",
        },
        {
            "name": "textual: radio press -> label redrawn (floor)",
            "value": floor * 1000,
            "unit": "ms",
            "budget": None,
            "note": "a bare Textual app, same measurement: the framework's own latency",
        },
    ]


if __name__ == "__main__":
    for row in rows():
        print(row)
