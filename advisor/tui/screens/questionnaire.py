"""The questionnaire: sections on the left with the live recommendation, questions and help.

Every question of every section is mounted once; an answer updates the widgets that show its
consequences (bars, progress, which follow-up questions are asked) and never re-mounts any.

An answer is written to disk in a worker thread: an fsync can take tens of milliseconds on a
real disk, and on the event loop it would hold up the next keystroke and the next frame.

How sure the live recommendation is comes the same way: the panel shows the point decision at
once, and after the frame a thread worker (exclusive, group "robust") runs
``assess(..., samples=500, flips=False)`` (about 1 s); the next answer cancels it (``cancelled=``
stops the Monte Carlo between samples) and starts another. When it finishes, and only if the
answers have not changed since, the panel's confidence line shows the probability.
"""

from __future__ import annotations

import asyncio
import contextlib
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Header, OptionList, Static

from advisor.tui.assessing import assess_in_worker
from advisor.tui.frames import announce_repaints
from advisor.tui.widgets.footer import KeysFooter
from advisor.tui.widgets.help import QuestionHelp
from advisor.tui.widgets.live import LivePanel
from advisor.tui.widgets.question import Answered, QuestionField, field_id
from advisor.tui.widgets.sidebar import RESULTS_ID, SectionList

if TYPE_CHECKING:
    from advisor.model.decision import Decision
    from advisor.model.files import Section
    from advisor.tui.app import AdvisorApp, PaletteCommand
    from advisor.tui.session import Session


def page_id(section_id: str) -> str:
    return f"sec-{section_id}"


class QuestionnaireScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next_section", "Next", id="advisor.next_section"),
        Binding("ctrl+b", "previous_section", "Back", id="advisor.previous_section"),
        Binding("ctrl+r", "results", "Results", id="advisor.results"),
        Binding("ctrl+l", "clear_answer", "Clear", id="advisor.clear_answer"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(id="questionnaire")
        # before mount: the header shows it from its first frame, with no second layout
        self.set_reactive(Screen.sub_title, session.path.name)
        self.session = session
        self.rs = session.ruleset
        self.decision: Decision | None = None
        self.section_index = 0
        self.current: QuestionField | None = None
        self._fields: dict[str, QuestionField] = {}
        self._shown: dict[str, bool] = {}
        self._built: set[str] = set()
        self._saving: asyncio.Future[bool] | None = None
        self._save_again = False
        self._assess_timer: Timer | None = None

    @property
    def advisor(self) -> AdvisorApp:
        return self.app  # type: ignore[return-value]

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        sections = self.rs.sections
        self.section_index = self._first_unanswered_section()
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield SectionList(sections, id="sections")
                yield LivePanel(id="live")
                yield Static(id="save-state", markup=False)
            with Vertical(id="center"):
                start = self.section_index
                with ContentSwitcher(
                    initial=page_id(sections[start].id) if sections else None, id="pages"
                ):
                    for i, section in enumerate(sections):
                        with VerticalScroll(id=page_id(section.id), classes="page"):
                            yield Static(self._section_head(section), classes="section-head")
                            # Only the first page is built now; the others when first shown
                            # (styling hundreds of widgets at once would delay the start).
                            if i == start:
                                yield from self._new_fields(section)
                yield QuestionHelp(id="help")
        yield KeysFooter()

    def _new_fields(self, section: Section) -> list[QuestionField]:
        values = self.session.values
        asked = self.session.asked()
        fields = []
        for q in section.questions:
            field = QuestionField(q, self.rs, values.get(q.id), on_answer=self.take_answer)
            shown = asked.get(q.id, True)
            field.display = shown
            self._shown[q.id] = shown
            self._fields[q.id] = field
            fields.append(field)
        return fields

    async def _ensure_page(self, section: Section) -> None:
        if section.id in self._built:
            return
        self._built.add(section.id)
        page = self.query_one(f"#{page_id(section.id)}", VerticalScroll)
        await page.mount_all(self._new_fields(section))

    @staticmethod
    def _section_head(section: Section) -> Text:
        out = Text()
        out.append(section.title, style="bold underline")
        if section.description:
            out.append("\n" + section.description.strip(), style="dim")
        return out

    async def on_mount(self) -> None:
        self.query_one(SectionList).border_title = "Sections"
        self.query_one(LivePanel).border_title = "Recommendation"
        if self.rs.sections:
            self._built.add(self.rs.sections[self.section_index].id)
        self.refresh_decision()
        self._show_save_state()
        await self.goto_section(self.section_index)

    # -- the decision follows the answers ----------------------------------------------------

    def refresh_decision(self, *, side_panels_later: bool = False) -> Decision:
        """Evaluate, then update bars, ask_if visibility, progress and help in place.

        ``side_panels_later``: progress and help follow after the next frame, so the frame
        that answers a key press carries only the recommendation and the questions it shows.
        """
        session = self.session
        decision = session.evaluate()
        self.decision = decision
        self.query_one(LivePanel).show(decision)
        asked = session.asked()
        for qid, field in self._fields.items():
            shown = asked.get(qid, True)
            if self._shown.get(qid) != shown:
                self._shown[qid] = shown
                field.display = shown
        if side_panels_later:
            self.call_after_refresh(self._refresh_side_panels)
            self.call_after_refresh(self._assess_soon, decision)
        else:
            self._refresh_side_panels()
            self._assess_soon(decision)
        return decision

    def _assess_soon(self, decision: Decision) -> None:
        """Work out the probability of ``decision`` in a thread worker once the answers have
        stayed still for the app's ``assess_delay``; the last worker stops at once (it would
        only compete with the typing for the interpreter)."""
        self.workers.cancel_group(self, "robust")
        if self._assess_timer is not None:
            self._assess_timer.stop()
            self._assess_timer = None
        samples = getattr(self.app, "robust_samples", 0)
        if samples <= 0 or decision is not self.decision or decision.recommendation is None:
            return
        values = dict(self.session.values)  # the worker's own copy: answers go on changing
        delay = float(getattr(self.app, "assess_delay", 0.0))
        self._assess_timer = self.set_timer(
            delay, partial(self._start_assessment, decision, values, samples)
        )

    def _start_assessment(self, decision: Decision, values: dict[str, Any], samples: int) -> None:
        self._assess_timer = None
        if decision is not self.decision:
            return  # overtaken by an answer whose own timer is running
        self.run_worker(
            partial(self._assess_in_thread, decision, values, samples),
            name="assess",
            group="robust",
            exclusive=True,
            thread=True,
        )

    def _assess_in_thread(self, decision: Decision, values: dict[str, Any], samples: int) -> None:
        assessed = assess_in_worker(self.rs, values, samples, decision, flips=False)
        if assessed is not None:
            self.app.call_from_thread(self._assessed, decision, assessed)

    def _assessed(self, point: Decision, assessed: Decision) -> None:
        """On the event loop: show the probability if the answers are still those assessed."""
        if point is not self.decision:
            return  # an answer came in meanwhile; its own worker will report
        self.decision = assessed
        with contextlib.suppress(NoMatches):
            self.query_one(LivePanel).show(assessed)

    def _refresh_side_panels(self) -> None:
        session = self.session
        # Scheduled after a frame, it may run once the screen is being taken down (quitting).
        with contextlib.suppress(NoMatches):
            self.query_one(SectionList).update_progress(session.values, session.asked())
            if self.current is not None:
                q = self.current.question
                self.query_one(QuestionHelp).show(q, self.rs.defaults.get(q.id), self.decision)

    def take_answer(self, event: Answered) -> None:
        """Record an answer, show its consequences and save it; fields call this directly."""
        qid = event.field.question.id
        if self.session.set_answer(qid, event.value):
            self.refresh_decision(side_panels_later=True)
        if event.final:
            # After the frame: the write's YAML work would compete with drawing for the GIL.
            self.call_after_refresh(self.save_soon)
        elif self.session.dirty:
            self._show_save_state("Enter or Tab saves")
        if event.advance:
            self.call_next(self.advance, event.field)
        # Into the frame that shows the pressed button, not one 17-33 ms later (see frames).
        announce_repaints(self)

    # -- saving ------------------------------------------------------------------------------

    def save_soon(self) -> None:
        """Write pending answers in a worker thread; the save line reports the outcome.

        One write runs at a time; changes made meanwhile are written by one more, right after.
        """
        if self._saving is not None and not self._saving.done():
            self._save_again = True
            return
        self._save_again = False
        loop = asyncio.get_running_loop()
        self._saving = loop.run_in_executor(None, self.session.save)
        self._saving.add_done_callback(self._saved)

    def _saved(self, future: asyncio.Future[bool]) -> None:
        if future.cancelled():
            return
        if self._save_again:
            self.save_soon()
            return
        error = future.exception()
        if error is not None:  # not an OSError (those are reported by save): a bug
            self.notify(f"The answers could not be saved: {error}", severity="error")
        elif not future.result():
            self.advisor.notify_save_error()
        # The write may end after the screen has been taken down (quitting right after an
        # answer): the file is written all the same, there is just no line to update.
        with contextlib.suppress(NoMatches):
            self._show_save_state()

    def flush(self) -> bool:
        """Write pending answers now, on this thread (no-op when nothing changed)."""
        ok = self.session.save()
        if not ok:
            self.advisor.notify_save_error()
        self._show_save_state()
        return ok

    def _show_save_state(self, note: str | None = None) -> None:
        s = self.session
        name = s.path.name
        if note:
            text = Text(f"✎ {note}", style="yellow")
        elif s.last_save_error:
            text = Text(f"⚠ {name} not saved", style="bold red")
        elif s.existed:
            text = Text(f"✓ {name} saved", style="green")
        else:
            text = Text(f"{name} · created at the first answer", style="dim")
        self.query_one("#save-state", Static).update(text, layout=False)  # one line, always

    # -- navigation --------------------------------------------------------------------------

    def _visible_fields(self, section: Section) -> list[QuestionField]:
        return [self._fields[q.id] for q in section.questions if self._shown.get(q.id, True)]

    def _first_unanswered_section(self) -> int:
        values = self.session.values
        asked = self.session.asked()
        for i, section in enumerate(self.rs.sections):
            if any(
                asked.get(q.id, True) and not q.optional and q.id not in values
                for q in section.questions
            ):
                return i
        return 0

    def _goto_in_worker(self, index: int) -> None:
        self.run_worker(self.goto_section(index))

    async def goto_section(self, index: int, focus: bool = True) -> None:
        sections = self.rs.sections
        if not sections:
            return
        index = max(0, min(index, len(sections) - 1))
        self.section_index = index
        section = sections[index]
        await self._ensure_page(section)
        self.query_one("#pages", ContentSwitcher).current = page_id(section.id)
        sidebar = self.query_one(SectionList)
        sidebar.highlighted = index
        if focus:
            fields = self._visible_fields(section)
            target = next(
                (f for f in fields if f.value is None and not f.question.optional),
                fields[0] if fields else None,
            )
            if target is not None:
                target.control.focus()
                target.scroll_visible(animate=False)

    async def advance(self, field: QuestionField) -> None:
        """After Enter on a question: the next question, or the next section's first."""
        section = self.rs.sections[self.section_index]
        fields = self._visible_fields(section)
        if field in fields and fields.index(field) + 1 < len(fields):
            nxt = fields[fields.index(field) + 1]
            nxt.control.focus()
            nxt.scroll_visible(animate=False)
        elif self.section_index + 1 < len(self.rs.sections):
            await self.goto_section(self.section_index + 1)
        else:
            self.notify("That was the last question: ctrl+r shows the results.", timeout=4)

    @on(OptionList.OptionSelected, "#sections")
    async def _section_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == RESULTS_ID:
            self.action_results()
            return
        ids = [s.id for s in self.rs.sections]
        if event.option.id in ids:
            await self.goto_section(ids.index(event.option.id))

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        node: Any = event.widget
        while node is not None and not isinstance(node, QuestionField):
            node = node.parent
        if node is None:
            return
        self.current = node
        q = node.question
        self.query_one(QuestionHelp).show(q, self.rs.defaults.get(q.id), self.decision)

    # -- actions -----------------------------------------------------------------------------

    async def action_next_section(self) -> None:
        self.save_soon()
        await self.goto_section(self.section_index + 1)

    async def action_previous_section(self) -> None:
        self.save_soon()
        await self.goto_section(self.section_index - 1)

    def action_clear_answer(self) -> None:
        field = self.current
        if field is None:
            return
        field.show_value(None)
        if self.session.clear_answer(field.question.id):
            self.refresh_decision()
            self.save_soon()

    def action_results(self) -> None:
        self.flush()
        self.advisor.show_results()

    def field(self, question_id: str) -> QuestionField:
        """The widget of a question whose section has been shown (tests use it)."""
        return self.query_one(f"#{field_id(question_id)}", QuestionField)

    async def show_question(self, question_id: str) -> QuestionField:
        """Go to the section of a question and focus it."""
        index = next(
            i
            for i, section in enumerate(self.rs.sections)
            if any(q.id == question_id for q in section.questions)
        )
        await self.goto_section(index, focus=False)
        field = self.field(question_id)
        field.control.focus()
        field.scroll_visible(animate=False)
        return field

    def palette_commands(self) -> list[PaletteCommand]:
        out: list[PaletteCommand] = [
            ("Next section", "Go to the next section (ctrl+n)", self.action_next_section),
            ("Previous section", "Go back a section (ctrl+b)", self.action_previous_section),
            ("Results", "Show the recommendation and its reasons (ctrl+r)", self.action_results),
            (
                "Clear answer",
                "Forget the focused question's answer (ctrl+l)",
                self.action_clear_answer,
            ),
        ]
        for i, section in enumerate(self.rs.sections):
            out.append(
                (
                    f"Go to section: {section.title}",
                    f"{len(section.questions)} questions",
                    partial(self._goto_in_worker, i),
                )
            )
        return out
