"""The first screen: what the questionnaire is, where answers are saved, who is assessing."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Static

from advisor.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from advisor.tui.app import AdvisorApp
    from advisor.tui.session import Session

META_FIELDS = (
    ("title", "Title", "e.g. LLM hosting decision for the support assistant"),
    ("organisation", "Organisation", "e.g. Example Bank plc"),
    ("author", "Author", "your name"),
)


def intro_text(session: Session) -> Text:
    rs = session.ruleset
    n_questions = len(rs.questions)
    n_sections = len(rs.sections)
    out = Text()
    out.append(
        f"{n_sections} sections, {n_questions} questions; about ten minutes. The recommendation "
        "on the left follows every answer, and each answer is saved as soon as it is given.\n\n"
    )
    out.append("Answers file: ", style="dim")
    # Only the name: a full path would differ from machine to machine (and in snapshots).
    out.append(session.path.name, style="bold")
    if session.existed:
        answered = session.answered_count()
        out.append(f"  (resuming: {answered} answered)", style="green")
    else:
        out.append("  (new; created when you start)", style="dim")
    return out


class WelcomeScreen(Screen[None]):
    """Start or resume; optional title, organisation and author for the report."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "start", "Start", id="advisor.start", priority=True),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(id="welcome")
        # before mount: the header shows it from its first frame, with no second layout
        self.set_reactive(Screen.sub_title, session.path.name)
        self.session = session

    @property
    def advisor(self) -> AdvisorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        rs = self.session.ruleset
        meta = self.session.meta
        yield Header()
        with VerticalScroll(id="welcome-body"):
            yield Static(Text(rs.title or "advisor", style="bold"), id="welcome-title")
            yield Static(intro_text(self.session), id="welcome-intro")
            with Grid(id="meta"):
                for key, label, hint in META_FIELDS:
                    yield Label(label, classes="meta-label")
                    field = Input(getattr(meta, key) or "", placeholder=hint, id=f"meta-{key}")
                    field.set_reactive(Input.cursor_blink, self.advisor.blink_cursor)
                    yield field
            with Center(), Horizontal(id="welcome-buttons"):
                verb = "Continue" if self.session.existed else "Start"
                yield Button(verb, id="start", variant="primary")
        yield KeysFooter()

    def on_mount(self) -> None:
        # Typing before the first Tab must land in a field, and the first field is the title.
        self.query_one(f"#meta-{META_FIELDS[0][0]}", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter starts (the fields are optional; Tab moves between them)."""
        event.stop()
        self.action_start()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        values = {key: self.query_one(f"#meta-{key}", Input).value for key, _, _ in META_FIELDS}
        self.advisor.start_questionnaire(values)
