"""Answers as the questionnaire shows them (no Textual here, so tests stay cheap).

Option labels are in :mod:`advisor.present.labels`, money and percentages in
:mod:`advisor.present.numbers`; what is here is particular to typing and showing answers.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from advisor.load.ranges import Range
from advisor.load.values import format_quantity, parse_quantity

if TYPE_CHECKING:
    from advisor.model.files import Question


def input_text(value: Any) -> str:
    """The exact text of a number for an input box: never rounded, so blurring the field does
    not change the answer (``format_quantity`` keeps three digits and is for display only)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Range):  # a range is typed back as a range, not as its likely value
        return value.text()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e18:
            return str(int(value))
        return repr(value)
    return "" if value is None else str(value)


def short_number(value: float) -> str:
    """2.5B for 2500000000, but 2,345,678,901 when three digits would round it: what is shown
    must be what is meant."""
    if abs(value) >= 10_000:
        short = format_quantity(float(value))
        try:
            if parse_quantity(short) == float(value):
                return short
        except ValueError:
            pass
        return f"{value:,.0f}" if float(value) == int(value) else f"{value:,}"
    return input_text(value)


def range_words(r: Range) -> str:
    """'1B..6B (likely 3.5B)': the band and the value the point decision uses."""
    return f"{short_number(r.low)}..{short_number(r.high)} (likely {short_number(r.likely)})"


def display_value(question: Question, value: Any) -> str:
    """A typed answer as a person reads it: labels for options, 2.5B for big numbers."""
    if value is None:
        return "-"
    if question.type == "bool":
        return "yes" if value else "no"
    if question.type == "choice":
        return next((o.label for o in question.options if o.value == value), str(value))
    if question.type == "multi":
        labels = [o.label for o in question.options if o.value in value]
        return ", ".join(labels) if labels else "none"
    if question.type in ("number", "integer"):
        text = range_words(value) if isinstance(value, Range) else short_number(value)
        return f"{text} {question.unit}" if question.unit else text
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


__all__ = ["display_value", "input_text", "range_words", "short_number"]
