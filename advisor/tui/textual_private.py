"""Every use of Textual's private API, in one place.

The questionnaire must show an answer's consequences within 16 ms of the key press. Three
things in Textual's public API cost more than that, and the ways around them reach into
Textual's private attributes (see advisor/tui/frames.py and advisor/tui/widgets/controls.py
for why each is needed):

* announcing a widget's pending repaint to its screen at once (``Widget._check_refresh``,
  ``_repaint_required``, ``_layout_required``);
* doing a RadioSet's bookkeeping from the pressed button (``RadioSet._pressed_button``,
  ``_selected``);
* keeping an Input from re-laying out the screen on each key (``Widget.virtual_size`` is a
  reactive declared with ``layout=True``; the Input subclass redeclares it without).

Textual is pinned to an exact version (pyproject.toml). :data:`PRIVATE_API` lists each private
name this package, or its tests, rely on; tests/test_tui_private_api.py checks every one on the
installed Textual and names the one an upgrade removed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from textual.app import App
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import RadioButton, RadioSet

PRIVATE_API: tuple[tuple[type[Any], str, str], ...] = (
    # (owner, attribute, "class" or "instance": where it is found)
    (Widget, "_check_refresh", "class"),
    (Widget, "_repaint_required", "instance"),
    (Widget, "_layout_required", "instance"),
    (RadioSet, "_pressed_button", "instance"),
    (RadioSet, "_selected", "class"),
    (Reactive, "_layout", "instance"),  # what virtual_size_without_relayout() turns off
    # used by the tests only, to watch frames and layouts
    (App, "_display", "class"),
    (Screen, "_refresh_layout", "class"),
)


# --- repaints ---------------------------------------------------------------------------------


def has_pending_refresh(widget: Widget) -> bool:
    """Whether ``widget`` waits to be repainted or laid out."""
    return bool(widget._repaint_required or widget._layout_required)


def announce_refresh(widget: Widget) -> None:
    """Tell the screen about ``widget``'s pending refresh now, as Textual does when the
    widget's message queue falls idle."""
    widget._check_refresh()


# --- radio sets -------------------------------------------------------------------------------


def set_pressed_button(radio_set: RadioSet, button: RadioButton | None) -> None:
    """Record ``button`` as the set's pressed one (RadioSet keeps it to itself)."""
    radio_set._pressed_button = button


def highlight_after_refresh(radio_set: RadioSet, index: int) -> None:
    """Move the set's keyboard highlight to button ``index`` once the frame is drawn."""
    if radio_set._selected != index:
        radio_set.call_after_refresh(setattr, radio_set, "_selected", index)


# --- inputs -----------------------------------------------------------------------------------


def virtual_size_without_relayout() -> Reactive[Size]:
    """A ``virtual_size`` reactive for a Widget subclass that, unlike Widget's, does not lay
    the screen out again when it changes (the Input's own size never depends on it here)."""
    return Reactive(Size(0, 0), layout=False)


# --- for the tests: watching what Textual draws -------------------------------------------------


@contextmanager
def watching_frames(app: App[Any], on_frame: Callable[[Any, Any], None]) -> Iterator[None]:
    """Call ``on_frame(screen, update)`` after each update ``app`` hands to the terminal."""
    display = app._display

    def recorded(screen: Any, update: Any) -> None:
        display(screen, update)
        on_frame(screen, update)

    app._display = recorded  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        app._display = display  # type: ignore[method-assign]


@contextmanager
def counting_layouts() -> Iterator[list[Screen[Any]]]:
    """The screens laid out again (one entry per layout) while the block runs."""
    original = Screen._refresh_layout
    layouts: list[Screen[Any]] = []

    def counting(self: Screen[Any], *args: Any, **kwargs: Any) -> Any:
        layouts.append(self)
        return original(self, *args, **kwargs)

    Screen._refresh_layout = counting  # type: ignore[method-assign]
    try:
        yield layouts
    finally:
        Screen._refresh_layout = original  # type: ignore[method-assign]


__all__ = [
    "PRIVATE_API",
    "announce_refresh",
    "counting_layouts",
    "has_pending_refresh",
    "highlight_after_refresh",
    "set_pressed_button",
    "virtual_size_without_relayout",
    "watching_frames",
]
