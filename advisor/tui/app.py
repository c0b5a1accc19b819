"""The Textual application and its entry point ``run_app`` (called by ``advisor run``).

Start-up path: the welcome screen first (cheap), the questionnaire's widgets when the user
starts, the results screen and its chart library only when asked for. Answers are saved by the
questionnaire screen after every answer; this module adds ctrl+s, quitting with a final save,
and a save on SIGTERM/SIGHUP (a closed terminal or ``kill``).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from advisor.tui.screens.load_error import LoadErrorScreen
from advisor.tui.screens.welcome import WelcomeScreen
from advisor.tui.session import Session

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet
    from advisor.tui.screens.questionnaire import QuestionnaireScreen

PaletteCommand = tuple[str, str, Callable[[], Any]]
S = TypeVar("S", bound=Screen[Any])


LIVE_SAMPLES = 500
"""Samples behind the live panel's probability, after each answer (a thread worker cancelled
by the next answer; tens of milliseconds priced as columns, up to about half a second with
several ranged answers): a probability to a few points while answers are still changing."""

ASSESS_DELAY = 0.4
"""Seconds the answers must stay still before the live probability is worked out: the worker
is a thread, and its pure-Python sampling shares the interpreter with the event loop, so
running it between keystrokes would slow the typing (measured: a 68-key name took 3.5 times
as long with a worker after every key)."""

RESULTS_SAMPLES = 2_000
"""Samples behind the results screen's probability and the exports it writes, with the flip
points, when two or more answers are stated as ranges (a thread worker: no fork from a
threaded app, so one core; such samples rarely share their answers, so each is one cost-model
run, seconds in all). Fewer than the CLI's 10,000 so that the "What would change" tab fills in
while the user reads the summary; the exports state their sample count."""

COLUMN_SAMPLES = 10_000
"""Samples behind the results screen when at most one answer is a range: the CLI's default
(``advisor evaluate`` and ``advisor report``), so the results, their exports and the CLI show
the same probability for the same answers (seed 0). Such samples share their answers (one
range has 101 levels) and are priced as columns (advisor/catalog/batch.py): about a second in
the worker."""


GC_THRESHOLD = 10_000
"""Allocations between two collections of the youngest generation while the app runs
(Python's default is 700). Textual allocates tens of thousands of short-lived objects for a
screen switch or a few frames (styles, strips, segments), so at the default the cycle collector
ran hundreds of times per screen, and a full collection, which walks every object the app and
its rules hold (0.1-0.4 s), every few screens: a fifth of the CPU of the TUI's Pilot tests,
and a pause a key press can wait behind. Raised while the app runs, restored when it stops;
the same garbage is freed, a little later."""


ANIMATIONS: Final = "none"
"""Textual's animation level unless the user sets TEXTUAL_ANIMATIONS: the results' tabs slid
their underline over some 20 frames per tab switch (half the CPU of a switch, and 20 redraws
sent down an SSH link), and page keys scrolled smoothly over as many; without, each is one
frame. What is on screen once a switch or a scroll is done is the same."""


class AdvisorApp(App[int]):
    """The questionnaire. ``answers_path`` None starts a new assessment file in the cwd."""

    CSS_PATH = "advisor.tcss"
    TITLE = "advisor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="advisor.quit", priority=True),
        Binding("ctrl+s", "save", "Save", id="advisor.save", priority=True),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (Textual's own declaration)

    def __init__(
        self,
        ruleset: RuleSet,
        answers_path: Path | None = None,
        *,
        blink_cursor: bool = True,
        session: Session | None = None,
        robust_samples: int = LIVE_SAMPLES,
        results_samples: int | None = None,
        assess_delay: float = ASSESS_DELAY,
    ) -> None:
        super().__init__()
        self.ruleset = ruleset
        self.session = session or Session.open(ruleset, answers_path)
        self.blink_cursor = blink_cursor
        # Monte Carlo samples behind the live probability, computed in a worker after each
        # answer (0: the point decision only, e.g. for snapshots that must not race a thread)
        self.robust_samples = robust_samples
        # and behind the results screen's (with the flip points): RESULTS_SAMPLES, unless the
        # caller asked for fewer live samples than the default (tests, snapshots: 0 is none)
        if results_samples is None:
            results_samples = robust_samples if robust_samples < LIVE_SAMPLES else RESULTS_SAMPLES
        self.results_samples = results_samples
        self.assess_delay = assess_delay
        self.questionnaire: QuestionnaireScreen | None = None
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            self.animation_level = ANIMATIONS
        self._gc_threshold: tuple[int, ...] | None = None  # the collector's, while this runs
        self.title = ruleset.title or "advisor"

    def results_samples_for(self, values: Mapping[str, Any]) -> int:
        """The results screen's Monte Carlo for these answers: :data:`COLUMN_SAMPLES` when at
        most one answer is a range and the app runs with its default counts, else
        ``results_samples`` (several ranged answers; tests and snapshots that set their own)."""
        from advisor.load.ranges import ranges_of

        n = self.results_samples
        if n == RESULTS_SAMPLES and len(ranges_of(values)) <= 1:
            return COLUMN_SAMPLES
        return n

    # -- screens -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._gc_threshold = gc.get_threshold()
        gc.set_threshold(GC_THRESHOLD, *self._gc_threshold[1:])
        self._install_signal_handlers()
        s = self.session
        if s.load_error is not None:
            self.push_screen(self._sized(LoadErrorScreen(s.load_error, s.path.name)))
        else:
            self.push_screen(self._sized(WelcomeScreen(s)))

    def start_questionnaire(self, meta: dict[str, str] | None = None) -> None:
        """Leave the welcome screen: record the meta block, create the file, ask questions."""
        from advisor.tui.screens.questionnaire import QuestionnaireScreen

        s = self.session
        changed = s.set_meta(**(meta or {}))
        if not s.existed and s.meta.date is None:
            s.set_meta(date=date.today().isoformat())
        if changed or not s.existed:
            self._save()
        self.questionnaire = self._sized(QuestionnaireScreen(s))
        self.switch_screen(self.questionnaire)

    def show_results(self) -> None:
        from advisor.tui.screens.results import ResultsScreen

        self.push_screen(self._sized(ResultsScreen(self.session, self.session.evaluate())))

    def _sized(self, screen: S) -> S:
        """``screen`` with the class of the terminal's width (HORIZONTAL_BREAKPOINTS) before it
        is mounted. Textual sets it on the screen's first resize, after the screen's widgets
        are styled, and the new class restyles every one of them again (60 ms on the results
        screen, as long on the questionnaire's); set beforehand, that resize changes nothing."""
        width = self.size.width
        for threshold, name in sorted(self.HORIZONTAL_BREAKPOINTS, reverse=True):
            if width >= threshold:
                screen.set_class(True, name, update=False)
                break
        return screen

    # -- saving ------------------------------------------------------------------------------

    def _save(self) -> bool:
        if self.questionnaire is not None and self.questionnaire.is_attached:
            return self.questionnaire.flush()
        ok = self.session.save()
        if not ok:
            self.notify_save_error()
        return ok

    def notify_save_error(self) -> None:
        """Say why the last write failed (disk full, no permission), if it did."""
        if self.session.last_save_error:
            self.notify(self.session.last_save_error, severity="error", timeout=8)

    def action_save(self) -> None:
        s = self.session
        if s.read_only:
            self.notify(
                f"{s.path.name} could not be read, so nothing is saved over it.",
                severity="warning",
            )
            return
        if s.save(force=True):
            if self.questionnaire is not None and self.questionnaire.is_attached:
                self.questionnaire.flush()
            self.notify(f"Saved {len(s.values)} answers to {s.path.name}.", timeout=3)
        else:
            self.notify_save_error()

    async def action_quit(self) -> None:
        self._final_save()
        self.exit(0)

    def _final_save(self) -> None:
        """Called on every way out; a no-op when the file is up to date or was never started."""
        s = self.session
        if s.read_only or (not s.existed and not s.values):
            return
        s.save()

    def on_unmount(self) -> None:
        self._final_save()
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)
            self._gc_threshold = None

    def _install_signal_handlers(self) -> None:
        if self.is_headless:
            return  # tests drive the app in-process; leave the test runner's signals alone
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(sig, self._on_signal)

    def _on_signal(self) -> None:
        self._final_save()
        self.exit(0)

    # -- command palette ---------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand("Save", "Save the answers file now (ctrl+s)", self.action_save)
        provider = getattr(screen, "palette_commands", None)
        if provider is not None:
            for title, help_text, callback in provider():
                yield SystemCommand(title, help_text, callback)
        if isinstance(screen, WelcomeScreen):
            yield SystemCommand("Start", "Start the questionnaire (ctrl+n)", screen.action_start)
        yield from super().get_system_commands(screen)


def run_app(ruleset: RuleSet, answers_path: Path | None) -> int:
    """Open the questionnaire; the exit code for the CLI.

    An answers file that exists but cannot be used is reported here, before the terminal is
    taken over, and left untouched: exit 1 with every problem as FILE:LINE:COL: CODE: message.
    """
    session = Session.open(ruleset, answers_path)
    if session.load_error is not None:
        for problem in session.load_error.problems:
            print(problem, file=sys.stderr)
        print(
            f"advisor: {session.path} was not opened and has not been changed; fix it and run "
            "`advisor run` again, or start a new assessment with `advisor`.",
            file=sys.stderr,
        )
        return 1
    app = AdvisorApp(ruleset, session=session)
    result = app.run()
    if app.return_code:  # the app failed; Textual has shown why
        session.save()
        return app.return_code
    if session.dirty and not session.read_only and (session.existed or session.values):
        session.save()  # belt and braces: the app saves on exit already
    if session.last_save_error:
        print(f"advisor: {session.last_save_error}", file=sys.stderr)
        return 1
    # Under `textual serve` stdout carries the browser protocol: no stray text after the app.
    if session.existed and not os.environ.get("TEXTUAL_DRIVER"):
        print(f"Answers saved in {session.path}")
    return result if isinstance(result, int) else 0


__all__ = ["AdvisorApp", "run_app"]
