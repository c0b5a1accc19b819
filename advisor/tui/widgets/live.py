"""Where the decision is heading: a bar per option, vetoes, the top reasons, pending rules.

It keeps the latest Decision and draws it in ``render``; a new answer only swaps the Decision
and asks for a repaint, so following every keystroke costs one evaluation and one redraw.

The redraw turns the text into terminal lines once per Decision and width, with Rich, and hands
Textual those lines (``render_line``). Left to Textual's own text pipeline the panel took 3 ms
a frame, most of it giving every styled run a mouse offset this panel never uses: a fifth of
the 16 ms an answer may take from key press to screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from ...schema import OPTIONS
from ..text import option_label, percent

if TYPE_CHECKING:
    from ...decision import Decision

LABEL_WIDTH = 13


def score_bars(decision: Decision, width: int) -> Text:
    """Three lines: label, a bar scaled to the largest score, the score (or 'vetoed')."""
    out = Text()
    top = max((abs(v) for v in decision.scores.values()), default=0.0) or 1.0
    bar_room = max(4, width - LABEL_WIDTH - 8)
    for option in OPTIONS:
        score = decision.scores.get(option, 0.0)
        is_best = option == decision.recommendation and not decision.all_vetoed
        marker = "▶ " if is_best else "  "
        out.append(marker, style="bold green" if is_best else "")
        out.append(f"{option_label(option):<{LABEL_WIDTH - 2}}", style="bold" if is_best else "")
        if option in decision.vetoed:
            out.append(" ✗ vetoed", style="bold red")
        else:
            filled = round(bar_room * max(0.0, score) / top)
            style = "green" if is_best else "blue"
            out.append(" " + "█" * filled, style=style)
            out.append("░" * (bar_room - filled), style="dim")
            out.append(f" {score:5.1f}")
        out.append("\n")
    return out


class LivePanel(Widget):
    """The live recommendation; call :meth:`show` with each new Decision."""

    DEFAULT_CSS = """
    LivePanel { height: auto; }
    """

    def __init__(self, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.decision: Decision | None = None
        self.updates = 0
        self._lines: list[Strip] = []
        self._lines_key: tuple[int, int] | None = None  # (updates, width) they were drawn for
        self._base: Style | None = None  # the panel's colours, kept until the styles change

    def show(self, decision: Decision) -> None:
        self.decision = decision
        self.updates += 1
        size = self.content_size
        if self._lines_key is None or self._lines_key[1] != size.width:
            self.refresh()  # its size is set by the layout (1fr), so no re-layout is needed
            return
        # Redraw only the lines that changed (usually the scores and the confidence): Textual
        # then re-renders and re-composites just those rows, not all of the panel's.
        old, new = self._lines, self._draw(size.width)
        self._lines, self._lines_key = new, (self.updates, size.width)
        changed = [
            Region(0, y, size.width, 1)
            for y in range(size.height)
            if old[min(y, len(old) - 1)] != new[min(y, len(new) - 1)]
        ]
        if changed:
            self.refresh(*changed)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines_key = None  # a new theme or colour: draw the lines again
        self._base = None

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if (self.updates, width) != self._lines_key:
            self._lines_key = (self.updates, width)
            self._lines = self._draw(width)
        return self._lines[min(y, len(self._lines) - 1)]

    def _draw(self, width: int) -> list[Strip]:
        if self._base is None:
            self._base = self.rich_style
        base = self._base
        console = self.app.console
        lines: list[Strip] = []
        for line in self.render().split("\n"):
            # Wrap only what does not fit: most lines do, and wrapping costs more than drawing.
            for part in [line] if line.cell_len <= width else line.wrap(console, width):
                segments = list(Segment.apply_style(part.render(console), base))
                gap = width - part.cell_len
                if gap > 0:
                    segments.append(Segment(" " * gap, base))
                lines.append(Strip(segments, max(width, part.cell_len)).crop(0, width))
        lines.append(Strip.blank(width, base))  # every line below the text
        return lines

    def render(self) -> Text:
        d = self.decision
        if d is None:
            return Text("Answer a question to see where the decision is heading.", style="dim")
        width = max(20, self.content_size.width - 1)
        out = Text()
        if d.all_vetoed:
            out.append("Every option is vetoed\n", style="bold red")
        else:
            out.append(option_label(d.recommendation), style="bold green")
            confidence = f"confidence {percent(d.confidence)}"
            gap = width - len(option_label(d.recommendation)) - len(confidence)
            out.append(" " * gap if gap >= 2 else "\n")
            out.append(confidence + "\n", style="dim")
        out.append_text(score_bars(d, width))
        for option, rules in d.vetoed.items():
            out.append(f"✗ {option_label(option)}: ", style="red")
            out.append(", ".join(rules) + "\n", style="dim")
        # Pending count before the reasons: on a short terminal the reasons are what is cut.
        if d.pending:
            n = len(d.pending)
            verb = "rule waits" if n == 1 else "rules wait"
            out.append(f"{n} {verb} for answers\n", style="yellow")
        else:
            out.append("No rule is waiting\n", style="green")
        reasons = d.top_reasons(3)
        if reasons:
            out.append("Why\n", style="bold")
            for rule in reasons:
                text = rule.because or rule.title or rule.id
                limit = max(20, width * 2 - 4)
                if len(text) > limit:
                    text = text[: limit - 1] + "…"
                out.append(f"• {text}\n")
        out.rstrip()
        return out
