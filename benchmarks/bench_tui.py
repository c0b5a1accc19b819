"""The questionnaire's speed: start-up to the first interactive screen, and one answer to a
refreshed recommendation. Headless (Textual's ``run_test``), packaged default rules.

Rows:
* start-up, whole process: ``python`` started until the welcome screen is mounted and idle
  (interpreter, imports, loading and compiling the rules, the app); median of 5 processes.
* start-up, in process: the app constructed until the welcome screen is idle, rule set loaded
  already; median of 5.
* questionnaire screen: Start pressed until the first section is shown and focused.
* answer -> recommendation, handler: what one answer costs on the UI thread: record it,
  evaluate the rules, update bars, sidebar, follow-up visibility and help (median of 200).
* key press -> recommendation on screen (terminal): the app runs in a pseudo-terminal with
  Textual's own driver; a space is written on a radio option until the bytes of the redrawn
  score bars are read back (median of 80). This row carries the 16 ms budget.
* key press -> recommendation on screen (in process): the same through ``run_test``, from the
  key event to the frame with the redrawn live panel turned into terminal bytes (median of
  60). Beside it the same measurement on a bare Textual app (a radio set and a label).
* the same two for an answer that shows or hides follow-up questions (a re-layout).
"""

from __future__ import annotations

import asyncio
import os
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
from advisor.engine.ruleset import load_ruleset
from advisor.tui.app import AdvisorApp
app = AdvisorApp(load_ruleset(), None, blink_cursor=False)
async def main():
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        print(time.time() - t0)
asyncio.run(main())
"""


_PTY_CHILD = """
import sys
from pathlib import Path
import advisor.tui.app as app_module
from advisor.engine.ruleset import load_ruleset

class Bench(app_module.AdvisorApp):
    CSS_PATH = str(Path(app_module.__file__).parent / "advisor.tcss")

    def on_ready(self):
        self.start_questionnaire()
        self.call_after_refresh(self._go)

    async def _go(self):
        await self.questionnaire.show_question(sys.argv[2])
        Path(sys.argv[1] + ".ready").write_text("ready")

Bench(load_ruleset(), Path(sys.argv[1]), blink_cursor=False).run()
"""


def _pty_latency(question_id: str, presses: int = 80) -> float | None:
    """A real terminal: the app in a pseudo-terminal (Textual's Linux driver, its input parser
    and writer thread); time from writing a space to reading the bytes of the redrawn bars.

    The questionnaire is opened on ``question_id`` (a radio set); each press is an arrow down,
    a pause, then the timed space. ``None`` where there are no pseudo-terminals.
    """
    try:
        import fcntl
        import pty
        import select
        import struct
        import termios
    except ImportError:
        return None

    def drain(fd: int, seconds: float) -> bytes:
        out, end = b"", time.monotonic() + seconds
        while select.select([fd], [], [], max(0.0, end - time.monotonic()))[0]:
            out += os.read(fd, 65536)
        return out

    bars = ("█".encode(), "░".encode())
    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(tmp) / "a.yaml"
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 100, 0, 0))
        env = {
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
        }
        child = subprocess.Popen(
            [sys.executable, "-c", _PTY_CHILD, str(answers), question_id],
            stdin=slave,
            stdout=slave,
            stderr=slave,  # Textual draws on stderr
            env=env,
            cwd=tmp,
        )
        os.close(slave)
        times: list[float] = []
        try:
            deadline = time.monotonic() + 30
            while not Path(f"{answers}.ready").exists() and time.monotonic() < deadline:
                drain(master, 0.05)
            drain(master, 0.5)
            os.write(master, b" ")  # answered (not the default) before timing: each press moves
            drain(master, 0.3)
            for _ in range(presses):
                os.write(master, b"\x1b[B")
                drain(master, 0.15)
                a = time.perf_counter()
                os.write(master, b" ")
                seen = b""
                while select.select([master], [], [], 2.0)[0]:
                    seen += os.read(master, 65536)
                    if any(b in seen for b in bars):
                        times.append(time.perf_counter() - a)
                        break
                drain(master, 0.15)
            os.write(master, b"\x11")  # ctrl+q
            child.wait(10)
        finally:
            if child.poll() is None:
                child.kill()
            os.close(master)
    return statistics.median(times) if times else None


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


class _FrameWatch:
    """Times an input to the first frame that draws a given widget, as a terminal gets it.

    Headless Textual skips turning a frame into terminal bytes; the watch does it (the frame's
    ``render_segments``), so that cost is counted as a real terminal would pay it.
    """

    def __init__(self, app: Any, widget_class: type, method: str) -> None:
        self.app = app
        self.drawn = False
        self.done = asyncio.Event()
        self._class = widget_class
        self._method = method
        self._original_method = getattr(widget_class, method)
        self._original_display = app._display

    def __enter__(self) -> _FrameWatch:
        watch = self
        original = self._original_method

        def draw(widget: Any, *args: Any) -> Any:
            watch.drawn = True
            return original(widget, *args)

        def display(screen: Any, update: Any) -> None:
            self._original_display(screen, update)
            if update is not None and watch.drawn:
                update.render_segments(self.app.console)
                watch.done.set()

        setattr(self._class, self._method, draw)
        self.app._display = display
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(self._class, self._method, self._original_method)
        self.app._display = self._original_display

    async def time_key(self, pilot: Any, key: str) -> float:
        """Post one key press; wait for the frame; the seconds between.

        The key comes 0.1 s after the previous one, as a person choosing an option would press
        it: Textual draws at most one frame per 1/60 s grid tick, so a key pressed within a few
        ms of the last frame waits for the next tick whatever the app does.
        """
        from textual import events

        await pilot.pause()
        await asyncio.sleep(0.1)
        self.drawn = False
        self.done.clear()
        a = time.perf_counter()
        self.app.post_message(events.Key(key, " " if key == "space" else None))
        await asyncio.wait_for(self.done.wait(), 2.0)
        return time.perf_counter() - a


def _radio_questions(rs: Any) -> tuple[Any, Any]:
    """Two radio questions whose every option moves the panel (so each press has something to
    redraw): one whose options ask nothing more, the common case, and one whose options show
    or hide follow-up questions, so the page is laid out again."""

    def kinds(q: Any) -> tuple[int, int]:
        decisions = {repr(rs.evaluate({q.id: o.value}).scores) for o in q.options}
        asked = {repr(rs.asked({q.id: o.value})) for o in q.options}
        return len(decisions), len(asked)

    radios = [q for q in rs.questions.values() if q.type == "choice" and 2 < len(q.options) <= 6]
    plain = next(q for q in radios if kinds(q) == (len(q.options), 1))
    follow = next(q for q in radios if kinds(q)[0] == len(q.options) and kinds(q)[1] > 1)
    return plain, follow


def _typed_question(rs: Any) -> tuple[Any, str, str]:
    """A number question and two digits that, typed alone, give different recommendations and
    ask the same questions: typing one then the other always moves the panel."""
    for q in rs.questions.values():
        if q.type not in ("number", "integer"):
            continue
        seen: dict[str, tuple[str, str]] = {}
        for digit in "0123456789":
            try:
                value = rs.coerce(q.id, digit)
            except ValueError:  # below the question's minimum: not an answer to time
                continue
            key = repr(rs.evaluate({q.id: value}).scores)
            seen.setdefault(key, (digit, repr(rs.asked({q.id: value}))))
        firsts = list(seen.values())
        for i, (a, asked_a) in enumerate(firsts):
            for b, asked_b in firsts[i + 1 :]:
                if asked_a == asked_b:
                    return q, a, b
    raise LookupError("no number question moves the recommendation digit by digit")


async def _answers(
    pilot: Any, screen: Any, rs: Any
) -> tuple[list[float], list[float], list[float], list[float]]:
    from advisor.tui.widgets.live import LivePanel

    handler: list[float] = []
    repaint: list[float] = []
    relayout: list[float] = []
    typed: list[float] = []
    # The handler path, without the message queue: what an answer costs the UI thread.
    choice = next(q for q in rs.questions.values() if q.type == "choice" and len(q.options) > 6)
    values = choice.option_values
    for i in range(200):
        a = time.perf_counter()
        screen.session.set_answer(choice.id, values[i % len(values)])
        screen.refresh_decision()
        handler.append(time.perf_counter() - a)

    # Through Textual, as a user sees it: with a radio set focused, arrow to the next option,
    # then time space (choose it) until the frame that redraws the live panel is in the bytes
    # a terminal would receive; for the two questions of _radio_questions.
    plain, follow = _radio_questions(rs)
    for question, times in ((plain, repaint), (follow, relayout)):
        await screen.show_question(question.id)
        await pilot.press("space")  # answered (not the default) before timing: each press moves
        await pilot.pause()
        with _FrameWatch(pilot.app, LivePanel, "render_line") as watch:
            for _ in range(60):
                await pilot.press("down")
                times.append(await watch.time_key(pilot, "space"))
    # Typing: a digit into a number box (a draft the recommendation follows), then backspace
    # (an empty box keeps the draft), then the other digit; only the digits are timed.
    question, first, second = _typed_question(rs)
    await screen.show_question(question.id)
    await pilot.pause()
    with _FrameWatch(pilot.app, LivePanel, "render_line") as watch:
        for i in range(60):
            typed.append(await watch.time_key(pilot, first if i % 2 else second))
            await pilot.press("backspace")
    return handler, repaint, relayout, typed


async def _bare_textual() -> float:
    """The floor: a bare Textual app whose handler updates one Static on a radio press."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, RadioSet, Static

    class Shown(Static):
        pass

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
        app.query_one(RadioSet).focus()
        await pilot.pause()
        with _FrameWatch(app, Shown, "render") as watch:
            for _ in range(30):
                await pilot.press("down")
                times.append(await watch.time_key(pilot, "space"))
    return statistics.median(times)


async def _in_process(rs: Any, folder: Path) -> dict[str, float]:
    from advisor.tui.app import AdvisorApp
    from advisor.tui.screens.questionnaire import QuestionnaireScreen

    startup: list[float] = []
    questionnaire: list[float] = []
    handler: list[float] = []
    repaint: list[float] = []
    relayout: list[float] = []
    typed: list[float] = []
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
                handler, repaint, relayout, typed = await _answers(pilot, screen, rs)
    return {
        "startup": statistics.median(startup),
        "questionnaire": statistics.median(questionnaire),
        "handler": statistics.median(handler),
        "repaint": statistics.median(repaint),
        "relayout": statistics.median(relayout),
        "typed": statistics.median(typed),
    }


def rows() -> list[dict[str, object]]:
    sys.path.insert(0, str(ROOT))
    from advisor.engine.ruleset import load_ruleset

    t = time.perf_counter()
    rs = load_ruleset()
    load_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        m = asyncio.run(_in_process(rs, Path(tmp)))
    floor = asyncio.run(_bare_textual())
    process = _process_startup()
    plain, follow = _radio_questions(rs)
    typed_q, typed_a, typed_b = _typed_question(rs)
    pty_plain, pty_follow = _pty_latency(plain.id), _pty_latency(follow.id)
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
            "name": "tui: answer -> recommendation updated (handler)",
            "value": m["handler"] * 1000,
            "unit": "ms",
            "budget": None,
            "note": "evaluate + bars, sidebar, ask_if, help; median of 200",
        },
        {
            "name": "tui: key press -> recommendation on screen (terminal)",
            "value": None if pty_plain is None else pty_plain * 1000,
            "unit": "ms",
            "budget": 16.0,
            "note": f"{plain.id}: space written to a pty until the redrawn bars are read back",
        },
        {
            "name": "tui: key press -> recommendation on screen (in process)",
            "value": m["repaint"] * 1000,
            "unit": "ms",
            "budget": 16.0,
            "note": "the same through run_test: the key event to the frame's terminal bytes",
        },
        {
            "name": "tui: same, answer shows/hides follow-ups (terminal)",
            "value": None if pty_follow is None else pty_follow * 1000,
            "unit": "ms",
            "budget": None,
            "note": f"{follow.id}: the page is laid out again",
        },
        {
            "name": "tui: same, answer shows/hides follow-ups (in process)",
            "value": m["relayout"] * 1000,
            "unit": "ms",
            "budget": None,
            "note": "",
        },
        {
            "name": "tui: a digit typed -> recommendation on screen (in process)",
            "value": m["typed"] * 1000,
            "unit": "ms",
            "budget": 16.0,
            "note": f"{typed_q.id}: '{typed_a}' and '{typed_b}' in turn, a draft each",
        },
        {
            "name": "textual: key press -> label on screen (floor)",
            "value": floor * 1000,
            "unit": "ms",
            "budget": None,
            "note": "a bare Textual app, same measurement: the framework's own latency",
        },
    ]


if __name__ == "__main__":
    for row in rows():
        print(row)
