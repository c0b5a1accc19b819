"""One question: its prompt, the input that fits its type, and a status line.

The widget knows nothing about saving or rules: it turns what the user did into a typed value
(through the core's coercion) and hands an :class:`Answered` to its listener, the screen.
``final`` tells the screen whether to save at once (a click, Enter, leaving the field) or
shortly after typing stops.

Why a listener called directly rather than a Textual message: every message hop is a turn of
the event loop, and Textual draws a frame whenever the screen falls idle. Posted, an answer
reaches the screen after the frame that shows the pressed radio button, and the
recommendation waits for the next frame (17 to 33 ms later). Called directly from the
control's own handler (see ``controls``), the answer and the button land in the same frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    Switch,
)
from textual.widgets.selection_list import Selection

from advisor.load.ranges import same_answer
from advisor.load.values import AnswerError
from advisor.present.words import display_value, input_text, short_number
from advisor.tui.textual_private import set_pressed_button
from advisor.tui.widgets.controls import (
    AnswerInput,
    AnswerRadioButton,
    AnswerRadioSet,
    AnswerSelect,
    AnswerSelectionList,
    AnswerSwitch,
)
from advisor.tui.widgets.validators import AnswerValidator

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet
    from advisor.model.files import Question

RADIO_MAX_OPTIONS = 6
"""Up to this many options a choice is a radio set (all visible); beyond, a drop-down."""


def field_id(question_id: str) -> str:
    """A DOM id for a question: ids are dotted, DOM ids cannot hold dots but may hold '-'."""
    return "q-" + question_id.replace(".", "-")


@dataclass(frozen=True)
class Answered:
    """The user gave (``value``) or cleared (``value is None``) an answer in ``field``."""

    field: QuestionField
    value: Any
    final: bool  # a click, Enter, leaving the box: save at once
    advance: bool = False  # Enter: move on to the next question once recorded


class QuestionField(Vertical):
    """A question with the widget its type calls for."""

    def __init__(
        self,
        question: Question,
        ruleset: RuleSet,
        value: Any,
        on_answer: Callable[[Answered], None],
    ) -> None:
        super().__init__(id=field_id(question.id), classes=f"question -{question.type}")
        self.question = question
        self.on_answer = on_answer
        self.ruleset = ruleset
        self.default = ruleset.defaults.get(question.id)
        self.value = value  # what the recommendation uses now (may be a valid draft)
        self.committed = value  # the answer as last given with Enter, Tab or a click
        self.error: str | None = None
        self._status_plain = ""

    # -- building ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        q = self.question
        prompt = Text()
        prompt.append(q.prompt, style="bold")
        if q.optional:
            prompt.append("  (optional)", style="dim")
        yield Label(prompt, classes="prompt", markup=False)
        yield from self._control()
        status = self._status_text()
        self._status_plain = status.plain
        yield Static(status, classes="status", markup=False)

    def on_mount(self) -> None:
        self.refresh_status()  # sets the state classes; the text is already in place

    def _control(self) -> ComposeResult:
        q = self.question
        kind = q.type
        if kind == "choice" and len(q.options) <= RADIO_MAX_OPTIONS:
            yield AnswerRadioSet(
                *(
                    AnswerRadioButton(
                        self._option_label(o.value, o.label),
                        o.value == self.value,
                        report=self._report,
                    )
                    for o in q.options
                ),
                classes="control",
            )
        elif kind == "choice":
            yield AnswerSelect(
                [(self._option_label(o.value, o.label), o.value) for o in q.options],
                value=self.value if self.value is not None else Select.NULL,
                prompt=self._select_prompt(),
                report=self._report,
                classes="control",
            )
        elif kind == "multi":
            chosen = set(self.value if self.value is not None else self.default or ())
            yield AnswerSelectionList(
                *(Selection(o.label, o.value, o.value in chosen) for o in q.options),
                report=self._report,
                classes="control",
            )
        elif kind == "bool":
            on_now = bool(self.value if self.value is not None else self.default)
            with Horizontal(classes="row"):
                yield AnswerSwitch(on_now, report=self._report, classes="control")
                yield Label("yes" if on_now else "no", classes="switch-label")
        else:
            with Horizontal(classes="row"):
                box = AnswerInput(
                    input_text(self.value) if self.value is not None else "",
                    report=self._report,
                    placeholder=self._placeholder(),
                    validators=[AnswerValidator(self.ruleset, q.id)],
                    validate_on=["changed", "submitted", "blur"],
                    classes="control",
                )
                box.set_reactive(Input.cursor_blink, getattr(self.app, "blink_cursor", True))
                yield box
                if q.unit:
                    yield Label(q.unit, classes="unit", markup=False)

    def _option_label(self, value: str, label: str) -> Text:
        text = Text(label)
        if value == self.default:
            text.append("  (default)", style="dim italic")
        return text

    def _select_prompt(self) -> str:
        if self.default is not None:
            return f"Default: {display_value(self.question, self.default)}"
        return "Choose one"

    def _placeholder(self) -> str:
        q = self.question
        parts = [q.placeholder] if q.placeholder else []
        if isinstance(self.default, int | float) and not isinstance(self.default, bool):
            parts.append(f"default {short_number(self.default)}")
        elif self.default is not None:
            parts.append(f"default {input_text(self.default)}")
        return ", ".join(parts)

    # -- state -------------------------------------------------------------------------------

    @property
    def control(self) -> Widget:
        """The focusable widget that takes the answer."""
        return self.query_one(".control")

    @property
    def answered(self) -> bool:
        return self.value is not None

    def _status_text(self) -> Text:
        if self.error:
            kept = (
                ""
                if self.committed is None
                else (f" The answer stays {display_value(self.question, self.committed)}.")
            )
            return Text(f"✗ {self.error}{kept}")
        if self.value is not None:
            shown = display_value(self.question, self.value)
            return Text(f"✓ {shown}")
        if self.default is not None:
            return Text(
                f"default: {display_value(self.question, self.default)} (used until you answer)"
            )
        if self.question.optional:
            return Text("optional, not answered")
        return Text("not answered yet")

    def refresh_status(self) -> None:
        status = self.query_one(".status", Static)
        status.set_class(self.error is not None, "-error")
        status.set_class(self.error is None and self.value is not None, "-answered")
        self.set_class(self.value is not None, "-answered")
        text = self._status_text()
        if text.plain == self._status_plain:
            return
        # A re-layout of the screen costs more than the whole evaluation: only when the
        # status line may change its height (a one-line status stays one line).
        width = status.content_size.width
        layout = not width or max(len(text.plain), len(self._status_plain)) >= width
        self._status_plain = text.plain
        status.update(text, layout=layout)

    def show_value(self, value: Any) -> None:
        """Put ``value`` (``None``: unanswered) into the widget without reporting an answer."""
        self.value = value
        self.committed = value
        self.error = None
        q = self.question
        control = self.control
        if isinstance(control, Input):
            with control.prevent(Input.Changed):
                control.value = input_text(value) if value is not None else ""
        elif isinstance(control, RadioSet):
            with control.prevent(RadioButton.Changed, RadioSet.Changed):
                for button, option in zip(control.query(RadioButton), q.options, strict=True):
                    button.value = option.value == value
                # RadioSet keeps the pressed button to itself; keep it in step with ours.
                pressed = [b for b in control.query(RadioButton) if b.value]
                set_pressed_button(control, pressed[0] if pressed else None)
        elif isinstance(control, Select):
            with control.prevent(Select.Changed):
                if value is None:
                    control.clear()
                else:
                    control.value = value
        elif isinstance(control, SelectionList):
            chosen = set(value if value is not None else self.default or ())
            with control.prevent(SelectionList.SelectedChanged, SelectionList.SelectionToggled):
                control.deselect_all()
                for v in q.option_values:
                    if v in chosen:
                        control.select(v)
        elif isinstance(control, Switch):
            on_now = bool(value if value is not None else self.default)
            with control.prevent(Switch.Changed):
                control.value = on_now
            self.query_one(".switch-label", Label).update("yes" if on_now else "no")
        self.refresh_status()

    def _answer(self, value: Any, final: bool, advance: bool = False) -> None:
        self.error = None
        self.value = value
        if final:
            self.committed = value
        self.refresh_status()
        self.on_answer(Answered(self, value, final, advance))

    def _coerce(self, raw: Any) -> Any:
        return self.ruleset.coerce(self.question.id, raw)

    # -- events from the inner widget --------------------------------------------------------

    def _report(self, event: Message) -> None:
        """A control changed (called from the control's own handler, see ``controls``)."""
        if isinstance(event, RadioButton.Changed):
            buttons = list(self.control.query(RadioButton))
            if event.radio_button in buttons:
                self._choose(self.question.options[buttons.index(event.radio_button)].value)
        elif isinstance(event, Select.Changed):
            self._choose(None if event.value == Select.NULL else event.value)
        elif isinstance(event, SelectionList.SelectedChanged):
            self._choose(self._coerce(list(event.selection_list.selected)))
        elif isinstance(event, Switch.Changed):
            self.query_one(".switch-label", Label).update("yes" if event.value else "no")
            self._choose(event.value)
        elif isinstance(event, Input.Changed):
            self._take_text(event.value, event.validation_result, final=False)
        elif isinstance(event, Input.Submitted):
            self._take_text(event.value, event.validation_result, final=True, advance=True)
        elif isinstance(event, Input.Blurred):
            self._take_text(event.value, event.validation_result, final=True)

    def _choose(self, value: Any) -> None:
        if not same_answer(value, self.value):
            self._answer(value, final=True)

    def _take_text(self, text: str, result: Any, final: bool, advance: bool = False) -> bool:
        """Turn typed text into an answer; returns whether it was valid.

        While typing, each valid text is a draft the recommendation follows at once; Enter,
        Tab or leaving the field commits it (and the screen saves). An invalid text commits
        nothing: the recommendation goes back to the answer given before, which stays saved,
        so a half-typed '12x' never turns into an answer of 12. An empty box committed
        clears the answer (the default applies again).
        """
        if not text.strip():
            self.error = None
            if final:
                self._answer(None, final, advance)
            else:
                self.refresh_status()
            return True
        try:
            value = self._coerce(text)
        except AnswerError as exc:
            self.error = exc.message
            if not same_answer(self.value, self.committed) or final:
                self.value = self.committed
                self.on_answer(Answered(self, self.committed, final))
            self.refresh_status()
            return False
        if not same_answer(value, self.value) or final or self.error:
            self._answer(value, final, advance)
        return True
