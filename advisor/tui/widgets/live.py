"""Where the decision is heading: a bar per option, vetoes, the top reasons, pending rules.

It keeps the latest Decision and draws it in ``render``; a new answer only swaps the Decision
and asks for a repaint, so following every keystroke costs one evaluation and one redraw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
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

    def show(self, decision: Decision) -> None:
        self.decision = decision
        self.updates += 1
        self.refresh()  # its size is set by the layout (1fr), so no re-layout is needed

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
