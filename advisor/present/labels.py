"""The options as people read them: one row per option, used by every screen and report.

Adding an option (say ``managed_open``) is one more row in :data:`OPTIONS`: the TUI's bars,
the CLI summary, the report tables and both charts read their wording and colour from here.

Wording: ``long`` is the recommendation as a sentence fragment ("Stay on the hosted API");
``short`` fits a bar label, a table cell or a chart legend (at most 12 characters, the width
the TUI's score bars leave for it). ``colour`` is one colour-blind safe (Okabe-Ito) hex colour
per option, the same in the report's charts and the TUI's chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=str)


@dataclass(frozen=True)
class OptionLabel:
    option: str
    long: str
    short: str
    colour: str
    mark: str  # one letter, for text charts


OPTIONS: dict[str, OptionLabel] = {
    row.option: row
    for row in (
        OptionLabel("stay_hosted", "Stay on the hosted API", "Hosted API", "#0072B2", "H"),
        OptionLabel(
            "managed_open", "Open weights on a managed API", "Managed open", "#CC79A7", "M"
        ),
        OptionLabel("hybrid", "Hybrid split", "Hybrid", "#009E73", "Y"),
        OptionLabel("self_host", "Self-host open models", "Self-hosted", "#D55E00", "S"),
    )
}

NEUTRAL_COLOUR = "#777777"
"""For anything that is not an option (an unknown option, reference lines)."""

SHORT_WIDTH = 12
"""The longest short label ("Managed open"); the TUI's score bars are laid out for it."""


def _fallback(option: str) -> str:
    return option.replace("_", " ").capitalize()


def option_label(option: str) -> str:
    """``'stay_hosted'`` -> ``'Stay on the hosted API'`` (an unknown option reads as words)."""
    row = OPTIONS.get(option)
    return row.long if row else _fallback(option)


def short_label(option: str) -> str:
    """``'stay_hosted'`` -> ``'Hosted API'``."""
    row = OPTIONS.get(option)
    return row.short if row else _fallback(option)


def option_mark(option: str) -> str:
    """``'stay_hosted'`` -> ``'H'``: the letter a text chart draws for the option."""
    row = OPTIONS.get(option)
    return row.mark if row else option[:1].upper()


def option_colour(option: str) -> str:
    row = OPTIONS.get(option)
    return row.colour if row else NEUTRAL_COLOUR


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """``'#0072B2'`` -> ``(0, 114, 178)`` (for terminal charts that take RGB triples)."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


_RANK = {option: n for n, option in enumerate(OPTIONS)}


def in_option_order(options: Iterable[K]) -> list[K]:
    """``options`` in the palette's order (the order every table and chart lists them in),
    names the palette does not know (a company layer's) after them, sorted."""
    return sorted(set(options), key=lambda o: (_RANK.get(o, len(_RANK)), o))


__all__ = [
    "NEUTRAL_COLOUR",
    "OPTIONS",
    "SHORT_WIDTH",
    "OptionLabel",
    "hex_rgb",
    "in_option_order",
    "option_colour",
    "option_label",
    "option_mark",
    "short_label",
]
