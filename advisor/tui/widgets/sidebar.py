"""The sections of the questionnaire with how far each has been answered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from advisor.model.files import Section

RESULTS_ID = "results"


class SectionList(OptionList):
    """One line per section: title and answered/asked, a tick once complete; then Results.

    Lines are replaced in place on every answer (no re-mount), so it stays cheap.
    """

    def __init__(self, sections: tuple[Section, ...], **kwargs: Any) -> None:
        self.sections = sections
        options: list[Option | None] = [Option(s.title, id=s.id) for s in sections]
        options += [None, Option(Text("Results ▸", style="bold"), id=RESULTS_ID)]
        super().__init__(*options, **kwargs)
        self._shown: dict[str, Text] = {}
        self._last: tuple[Mapping[str, Any], Mapping[str, bool]] | None = None

    def on_resize(self) -> None:
        if self._last is not None:
            self.update_progress(*self._last)

    def update_progress(self, values: Mapping[str, Any], asked: Mapping[str, bool]) -> None:
        self._last = (values, asked)
        width = max(8, self.scrollable_content_region.width or 24)
        for section in self.sections:
            # An optional question counts once answered; unanswered it blocks nothing.
            shown = [
                q.id
                for q in section.questions
                if asked.get(q.id, True) and (not q.optional or q.id in values)
            ]
            done = sum(1 for qid in shown if qid in values)
            prompt = self._line(section.title, done, len(shown), width)
            if self._shown.get(section.id) != prompt:
                self._shown[section.id] = prompt
                self.replace_option_prompt(section.id, prompt)

    @staticmethod
    def _line(title: str, done: int, total: int, width: int) -> Text:
        if total == 0:
            count, style = "n/a", "dim"
        elif done == total:
            count, style = f"✓ {done}/{total}", "green"
        else:
            count, style = f"{done}/{total}", ""
        room = max(3, width - len(count) - 1)
        label = title if len(title) <= room else title[: room - 1] + "…"
        line = Text(label)
        line.append(" " * max(1, width - len(label) - len(count)))
        line.append(count, style=style)
        return line
