"""Help for the focused question: why it matters, what the options mean, what it feeds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from advisor.present.words import display_value

if TYPE_CHECKING:
    from advisor.model.decision import Decision
    from advisor.model.files import Question


def help_text(question: Question, default: Any, decision: Decision | None) -> Text:
    out = Text()
    out.append(question.prompt + "\n", style="bold")
    if question.help:
        out.append(question.help.strip() + "\n")
    for option in question.options:
        if option.help:
            out.append(f"• {option.label}: ", style="bold")
            out.append(option.help.strip() + "\n")
    facts: list[str] = []
    if question.type in ("number", "integer"):
        facts.append("a whole number" if question.type == "integer" else "a number")
        if question.min is not None:
            facts.append(f"at least {question.min:g}")
        if question.max is not None:
            facts.append(f"at most {question.max:g}")
        if question.unit and "token" in question.unit:
            # Only volumes are written with suffixes; on a percentage or a 1-5 scale the hint
            # would suggest answers the question cannot take.
            # any numeric answer may be a range (issue 15): the Monte Carlo then draws it;
            # short, so the hint stays within the help panel's eight lines
            facts.append("write 2.5B, 300M or a range 2B..4B")
        else:
            facts.append("or a range low..high")
    if question.unit:
        facts.append(f"in {question.unit}")
    if question.type == "multi":
        facts.append("space toggles an option")
    if facts:
        out.append("Answer: " + ", ".join(facts) + ".\n", style="dim")
    if default is not None:
        out.append(f"Default: {display_value(question, default)}.\n", style="dim")
    if question.ask_if:
        out.append(f"Asked when: {question.ask_if}\n", style="dim")
    if decision is not None:
        waiting = sum(1 for p in decision.pending if question.id in p.needs)
        if waiting:
            verb = "rule waits" if waiting == 1 else "rules wait"
            out.append(f"{waiting} {verb} for this answer.\n", style="yellow")
    out.append(question.id, style="dim italic")
    return out


class QuestionHelp(VerticalScroll):
    """A scrolling panel whose text follows the focused question."""

    DEFAULT_CSS = """
    QuestionHelp { height: 8; }
    """

    can_focus = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.question: Question | None = None
        self._plain = ""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("Move to a question to see why it matters.", classes="help-body")

    def show(self, question: Question, default: Any, decision: Decision | None) -> None:
        text = help_text(question, default, decision)
        # Called after every answer: skip the re-layout when nothing visible changed.
        if question is self.question and text.plain == self._plain:
            return
        moved = question is not self.question
        self.question = question
        self._plain = text.plain
        self.query_one(".help-body", Static).update(text)
        if moved:
            self.scroll_home(animate=False)
