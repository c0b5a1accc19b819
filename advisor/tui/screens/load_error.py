"""Shown instead of the questionnaire when the answers file cannot be used.

Nothing is written in this state (the session is read-only), so a file with a typo is left
exactly as it was for the user to repair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from advisor.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from advisor.problems import AdvisorError


def problems_text(error: AdvisorError, file_name: str) -> Text:
    out = Text()
    out.append(f"{file_name} cannot be opened, so it was left unchanged.\n\n", style="bold red")
    for problem in error.problems:
        out.append(str(problem.location), style="bold")
        out.append(f": {problem.code}: ", style="dim")
        out.append(problem.message + "\n")
    out.append(
        "\nFix the file in an editor and run `advisor run FILE` again (`advisor evaluate FILE` "
        "checks it without opening the questionnaire), or start a new assessment with "
        "`advisor`.\n",
        style="dim",
    )
    return out


class LoadErrorScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.quit", "Quit", id="advisor.close_error")
    ]

    def __init__(self, error: AdvisorError, file_name: str) -> None:
        super().__init__(id="load-error")
        self.error = error
        self.file_name = file_name

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="error-body"):
            yield Static(problems_text(self.error, self.file_name), id="problems")
        yield KeysFooter()
