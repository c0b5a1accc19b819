"""The input widgets of a question, reporting each change from inside their own handler.

Why subclasses: Textual delivers a widget's change message to the widget itself first, and only
then bubbles it to the parent, a turn of the event loop later. Meanwhile the widget's own
repaint reaches the screen, the screen falls idle and draws a frame showing, say, the pressed
radio button without the recommendation it leads to. The next frame then comes 17 to 33 ms
later (Textual paces frames at 60 per second). Handling the message in the widget's own
handler records the answer and refreshes the live panel before that first frame, so both are
drawn together.

Each control takes ``report``, a callable given the message, and stops the message from
bubbling: nobody above needs it.

The radio button also does its RadioSet's bookkeeping (release the other button, remember the
pressed one) at once. Left to the RadioSet, one more hop away, that work ran before the frame
could be drawn (restyling the buttons took 2 to 4 ms) and the released button was drawn a frame
later than the pressed one. The keyboard highlight, which only matters for the next key press,
follows after the frame. This touches two private attributes of RadioSet (``_pressed_button``,
``_selected``), through advisor/tui/textual_private.py; Textual is pinned to an exact version
and the Pilot tests press, click and arrow through radio sets, so a change there fails a test
rather than a user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input, RadioButton, RadioSet, Select, SelectionList, Switch

from advisor.tui.textual_private import (
    highlight_after_refresh,
    set_pressed_button,
    virtual_size_without_relayout,
)

Report = Callable[[Message], None]


def _keys_for(bindings: Any, action: str) -> frozenset[str]:
    return frozenset(
        key.strip()
        for binding in Binding.make_bindings(bindings)
        if binding.action == action
        for key in binding.key.split(",")
    )


class AnswerRadioSet(RadioSet):
    """A RadioSet that chooses on enter or space as soon as the key reaches it.

    A key Textual turns into a binding first travels from the focused widget up through every
    container to the app and only then runs the action: eight queue hops (2 to 3 ms) on the
    questionnaire. The set's own toggle keys, read from RadioSet's bindings, act on arrival.
    """

    TOGGLE_KEYS = _keys_for(RadioSet.BINDINGS, "toggle_button")

    def on_key(self, event: events.Key) -> None:
        if event.key in self.TOGGLE_KEYS:
            event.stop()
            event.prevent_default()
            self.action_toggle_button()


class AnswerRadioButton(RadioButton):
    def __init__(self, label: Any, value: bool, *, report: Report) -> None:
        super().__init__(label, value)
        self._report = report
        # A drawn button depends only on what the key below holds, and flips between a few
        # states (pressed or not, highlighted or not); Textual redraws one from scratch each
        # time (0.5 ms), and an answer changes two. Kept lines cut the answer's frame by ~1 ms.
        self._drawn: LRUCache[tuple[Any, ...], Strip] = LRUCache(16)

    def render_line(self, y: int) -> Strip:
        key = (
            y,
            self.value,
            self.size,
            self.label,
            self.visual_style,
            self.get_visual_style("toggle--button"),
            self.get_visual_style("toggle--label"),
            self.background_colors,
        )
        line = self._drawn.get(key)
        if line is None:
            line = self._drawn[key] = super().render_line(y)
        return line

    def on_radio_button_changed(self, event: RadioButton.Changed) -> None:
        radio_set = self.parent
        if not event.value or not isinstance(radio_set, RadioSet):
            return  # the pressed button clicked off: its RadioSet presses it again
        event.stop()
        with self.prevent(RadioButton.Changed):
            for button in radio_set.query_children(RadioButton):
                if button is not self and button.value:
                    button.value = False
        set_pressed_button(radio_set, self)
        highlight_after_refresh(radio_set, radio_set.children.index(self))
        self._report(event)


class _Reports:
    """Hands the control's own change messages to ``report`` and keeps them from bubbling."""

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._report = report

    def _forward(self, event: Message) -> None:
        event.stop()
        self._report(event)


class AnswerInput(_Reports, Input):
    on_input_changed = on_input_submitted = on_input_blurred = _Reports._forward

    IN_ORDER_ACTIONS = frozenset({"clear_answer"})
    """Screen actions that change this box and so must run in order with the typing.

    A key the box does not take (ctrl+l, clear) bubbles through every container up to the
    screen before its action runs: several queue hops, during which the keys typed after it
    are already inserted here. The action then cleared them too: keys typed or pasted within a
    few ms of clearing were dropped, and Enter saved what was left (or deleted the answer).
    Run on arrival, the clear happens before the next key is read."""

    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen
        for binding in screen._bindings.key_to_bindings.get(event.key, ()):
            if binding.action in self.IN_ORDER_ACTIONS and not binding.priority:
                event.stop()
                event.prevent_default()
                await screen.run_action(binding.action)
                return
        await super()._on_key(event)

    # Input records its text's width as its virtual size on every keystroke, and Widget
    # declares that a layout change: the whole screen was laid out again per key typed (a
    # 17 ms frame on a questionnaire page). The box's own size never depends on it here
    # (its width is 1fr, its height fixed; Input still lays out when auto-sized), and its
    # horizontal scrolling reads the value, which is still kept: only the re-layout goes.
    virtual_size = virtual_size_without_relayout()


class AnswerSelect(_Reports, Select[str]):
    on_select_changed = _Reports._forward


class AnswerSelectionList(_Reports, SelectionList[str]):
    on_selection_list_selected_changed = _Reports._forward


class AnswerSwitch(_Reports, Switch):
    on_switch_changed = _Reports._forward


__all__ = [
    "AnswerInput",
    "AnswerRadioButton",
    "AnswerRadioSet",
    "AnswerSelect",
    "AnswerSelectionList",
    "AnswerSwitch",
    "Report",
]
