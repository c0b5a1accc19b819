"""Where the decision is heading: a bar per option, vetoes, the top reasons, pending rules.

It keeps the latest Decision and draws it in ``render``; a new answer only swaps the Decision
and asks for a repaint, so following every keystroke costs one evaluation and one redraw.

The panel is built as lines of styled runs; the redraw turns them into terminal lines once per
Decision and width and hands Textual those lines (``render_line``). Left to Textual's own text
pipeline the panel took 3 ms a frame, most of it giving every styled run a mouse offset this
panel never uses: a fifth of the 16 ms an answer may take from key press to screen. Built
through Rich's Text it took 1 ms; from the runs, a third of that. ``render`` still gives the
same content as Rich text, for the layout's height and for tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from advisor.model.files import OPTIONS
from advisor.present.labels import SHORT_WIDTH, option_colour, short_label
from advisor.present.robustness import confidence_note, confidence_short

if TYPE_CHECKING:
    from advisor.model.decision import Decision

LABEL_WIDTH = SHORT_WIDTH + 2  # the marker ("▶ ") and the longest short label


Run = tuple[str, str]  # a piece of text and its style, e.g. ("▶ ", "bold green")


def score_runs(decision: Decision, width: int) -> list[list[Run]]:
    """A line per option: marker and label, a bar in the option's colour scaled to the largest
    score, the score (or 'vetoed')."""
    lines: list[list[Run]] = []
    top = max((abs(v) for v in decision.scores.values()), default=0.0) or 1.0
    bar_room = max(4, width - LABEL_WIDTH - 8)
    for option in OPTIONS:
        score = decision.scores.get(option, 0.0)
        is_best = option == decision.recommendation and not decision.all_vetoed
        line: list[Run] = [
            ("▶ " if is_best else "  ", "bold green" if is_best else ""),
            (f"{short_label(option):<{LABEL_WIDTH - 2}}", "bold" if is_best else ""),
        ]
        if option in decision.vetoed:
            line.append((" ✗ vetoed", "bold red"))
        else:
            filled = round(bar_room * max(0.0, score) / top)
            # one colour per option, the reports' (present/labels), whichever is recommended
            line.append((" " + "█" * filled, option_colour(option)))
            line.append(("░" * (bar_room - filled), "dim"))
            line.append((f" {score:5.1f}", ""))
        lines.append(line)
    return lines


def _text(lines: list[list[Run]]) -> Text:
    out = Text()
    for i, line in enumerate(lines):
        if i:
            out.append("\n")
        for text, style in line:
            out.append(text, style=style)
    return out


def score_bars(decision: Decision, width: int) -> Text:
    """:func:`score_runs` as Rich text, one line per option (the results screen shows it)."""
    return _text(score_runs(decision, width)) + Text("\n")


class LivePanel(Widget):
    """The live recommendation; call :meth:`show` with each new Decision."""

    DEFAULT_CSS = """
    LivePanel { height: auto; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.decision: Decision | None = None
        self.updates = 0
        self._lines: list[Strip] = []
        self._lines_key: tuple[int, int] | None = None  # (updates, width) they were drawn for
        self._base: Style | None = None  # the panel's colours, kept until the styles change
        self._styles: dict[str, Style] = {}  # each run style combined with them

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
            self._styles = {}
        base, styles = self._base, self._styles
        out: list[Strip] = []
        for line in self._runs():
            length = sum(cell_len(text) for text, _style in line)
            if length > width:  # a long reason: let Rich wrap it (rare)
                console = self.app.console
                for part in _text([line]).wrap(console, width):
                    segments = list(Segment.apply_style(part.render(console), base))
                    out.append(Strip(segments).adjust_cell_length(width, base))
                continue
            segments = []
            for text, style in line:
                if not text:
                    continue  # e.g. an empty part of a full bar
                rich = styles.get(style)
                if rich is None:
                    rich = styles[style] = base + Style.parse(style) if style else base
                segments.append(Segment(text, rich))
            if length < width:
                segments.append(Segment(" " * (width - length), base))
            out.append(Strip(segments, width))
        out.append(Strip.blank(width, base))  # every line below the text
        return out

    def render(self) -> Text:
        return _text(self._runs())

    def _runs(self) -> list[list[Run]]:
        d = self.decision
        if d is None:
            return [[("Answer a question to see where the decision is heading.", "dim")]]
        width = max(20, self.content_size.width - 1)
        lines: list[list[Run]] = []
        if d.recommendation is None:
            lines.append([("Every option is vetoed", "bold red")])
        else:
            label = short_label(d.recommendation)
            confidence = confidence_short(d)
            gap = width - len(label) - len(confidence)
            if gap >= 2:
                lines.append([(label, "bold green"), (" " * gap, ""), (confidence, "dim")])
            else:
                lines += [[(label, "bold green")], [(confidence, "dim")]]
            note = confidence_note(d)  # what "p 87 %" is a share of: samples, seed, bands
            if note:
                lines.append([(note, "dim")])
        lines += score_runs(d, width)
        for option, rules in d.vetoed.items():
            lines.append([(f"✗ {short_label(option)}: ", "red"), (", ".join(rules), "dim")])
        # Pending count before the reasons: on a short terminal the reasons are what is cut.
        if d.pending:
            n = len(d.pending)
            verb = "rule waits" if n == 1 else "rules wait"
            lines.append([(f"{n} {verb} for answers", "yellow")])
        else:
            lines.append([("No rule is waiting", "green")])
        reasons = d.top_reasons(3)
        if reasons:
            lines.append([("Why", "bold")])
            for rule in reasons:
                text = rule.because or rule.title or rule.id
                limit = max(20, width * 2 - 4)
                if len(text) > limit:
                    text = text[: limit - 1] + "…"
                lines.append([(f"• {text}", "")])
        return lines
