"""Textual's Footer, rebuilt only when the keys it shows change.

Textual's Footer removes and re-mounts every key it shows each time the screen's bindings may
have changed: after every focus change, so after every question the questionnaire moves to,
and on every screen switch. Each new key is then styled three times (once mounted, then
Footer's ``compact`` setting reaches it through a data binding whose first step sets the
key's own default, ``compact=True``, and the second step sets it back): a profile of starting
the questionnaire and opening the results put a sixth of all the time in those restyles. The
keys shown rarely change when the focus moves (the questions' own bindings are hidden ones),
so this footer keeps its keys when they would be rebuilt the same, and gives each new key the
footer's ``compact`` before it is mounted, so the binding finds nothing to change.

Only public Textual API: ``recompose``, ``compose``, ``Screen.active_bindings``,
``set_reactive``.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.reactive import Reactive
from textual.widgets import Footer


class KeysFooter(Footer):
    """A Footer that recomposes only when what it would show differs from what it shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[Any, ...] | None = None  # what the last compose was built from

    def _keys(self) -> tuple[Any, ...]:
        """Everything Footer.compose reads to build its keys, in its order."""
        app = self.app
        # a property that walks the focus chain and asks every action's state: read it once
        active = self.screen.active_bindings
        shown = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                enabled,
                tooltip,
            )
            for (_node, binding, enabled, tooltip) in active.values()
            if binding.show
        )
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                palette = (binding.key, binding.description, binding.tooltip, enabled)
        return (shown, palette, self.compact)

    def compose(self) -> ComposeResult:
        keys = self._keys()
        composed = False
        for widget in super().compose():
            composed = True
            # A key's data binding to Footer.compact first sets the key's own default and
            # then the footer's value, restyling the key each time; starting it at the
            # footer's value leaves the binding nothing to change. Not the command palette's
            # key: it is not bound, and keeps its own default (compact).
            declared = getattr(type(widget), "compact", None)
            if isinstance(declared, Reactive) and not widget.has_class("-command-palette"):
                widget.set_reactive(declared, self.compact)
            yield widget
        # Nothing composed: the footer is waiting for the screen's bindings (or shows none);
        # the next recompose must run either way.
        self._shown = keys if composed else None

    async def recompose(self) -> None:
        if self._shown is not None and self.is_attached and self._keys() == self._shown:
            return  # the same keys: nothing to rebuild
        await super().recompose()


__all__ = ["KeysFooter"]
