"""Turning what a user typed into a typed answer, with the same rules everywhere.

The loader (answers files), the TUI (input validators) and the scenario tests all call
:func:`coerce_answer`, so a value is accepted or refused identically in each of them.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

from advisor.model.files import Question
from advisor.problems import did_you_mean

_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}
_QUANTITY = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([kmbgt]?)$", re.I)
_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}


SHOWN_LIMIT = 60


def shown(value: Any) -> str:
    """``repr`` of a value for a message, cut to a readable length: a pasted 900 KB value is
    named by its start, not echoed whole."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**50:
        # repr() of a very long integer raises ValueError (Python's digit limit).
        return f"an integer of about {value.bit_length() * 0.30103:.0f} digits"
    text = repr(value)
    if len(text) > SHOWN_LIMIT:
        return f"{text[: SHOWN_LIMIT - 3]}... ({len(text):,} characters)"
    return text


class AnswerError(ValueError):
    """A value that does not fit its question; ``code`` is the stable problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse_quantity(text: str) -> float:
    """``'2.5B'`` -> 2.5e9, ``'300M'`` -> 3e8, ``'1e9'`` -> 1e9, ``'1,000'`` -> 1000.

    Raises ValueError with a sentence a user can act on.
    """
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    match = _QUANTITY.match(cleaned)
    if not match:
        raise ValueError(
            f"{shown(text)} is not a number; write e.g. 2500000, 2.5M, 300M, 2.5B or 1e9."
        )
    value = float(match.group(1)) * _SUFFIX.get(match.group(2).lower(), 1.0)
    if not math.isfinite(value):
        raise ValueError(f"{shown(text)} is too large; write a finite number.")
    return value


def format_quantity(value: float) -> str:
    """The short form a user would type back: 2500000000 -> '2.5B'."""
    for suffix, factor in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(value) >= factor:
            scaled = value / factor
            return f"{scaled:.3g}{suffix}"
    return f"{value:g}"


def is_range(raw: Any) -> bool:
    """A numeric answer stated as a range: ``2B..4B``, ``2B..3B..4B``, ``{low, likely, high}``
    (a mapping, the answers file's typed band, or an already typed Range)."""
    if isinstance(raw, str):
        return ".." in raw
    return isinstance(raw, dict) or hasattr(raw, "model_dump") or hasattr(raw, "high")


def coerce_answer(question: Question, raw: Any) -> Any:
    """The typed value of ``raw`` for ``question``; raises AnswerError saying what to fix."""
    kind = question.type
    qid = question.id
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise AnswerError("ADV502", f"{qid} takes true or false, not {shown(raw)}.")
    if kind in ("number", "integer"):
        if is_range(raw):
            from advisor.load.ranges import coerce_range  # a range: low..high (issue 15)

            return coerce_range(qid, raw, lambda end, _which: float(coerce_answer(question, end)))
        if isinstance(raw, bool):
            raise AnswerError("ADV502", f"{qid} takes a number, not {shown(raw)}.")
        if isinstance(raw, int) and abs(raw) > sys.float_info.max:
            # float() of such an integer raises; it is beyond any question's range anyway.
            raise AnswerError("ADV504", f"{qid} takes a number of at most 1e308, not {shown(raw)}.")
        if isinstance(raw, int | float):
            value = float(raw)
        elif isinstance(raw, str):
            try:
                value = parse_quantity(raw)
            except ValueError as exc:
                raise AnswerError("ADV502", f"{qid}: {exc}") from None
        else:
            raise AnswerError("ADV502", f"{qid} takes a number, not {shown(raw)}.")
        if not math.isfinite(value):
            raise AnswerError("ADV502", f"{qid} takes a finite number, not {shown(raw)}.")
        if kind == "integer" and value != int(value):
            raise AnswerError("ADV502", f"{qid} takes a whole number, not {shown(raw)}.")
        unit = f" {question.unit}" if question.unit else ""
        if question.min is not None and value < question.min:
            raise AnswerError(
                "ADV504",
                f"{qid} must be at least {question.min:g}{unit}; {shown(raw)} is below it.",
            )
        if question.max is not None and value > question.max:
            raise AnswerError(
                "ADV504", f"{qid} must be at most {question.max:g}{unit}; {shown(raw)} is above it."
            )
        return int(value) if kind == "integer" else value
    if kind == "choice":
        if not isinstance(raw, str):
            raise AnswerError(
                "ADV502",
                f"{qid} takes one of {', '.join(question.option_values)}, not {shown(raw)}.",
            )
        _check_option(question, raw)
        return raw
    if kind == "multi":
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
            raise AnswerError(
                "ADV502",
                f"{qid} takes a list of values from {', '.join(question.option_values)}.",
            )
        for item in items:
            _check_option(question, item)
        # Canonical order (the questionnaire's) keeps digests and reports deterministic.
        chosen = set(items)
        return [v for v in question.option_values if v in chosen]
    if not isinstance(raw, str):
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise AnswerError("ADV502", f"{qid} takes text, not {shown(raw)}.")
        if isinstance(raw, int) and abs(raw) > 10**50:
            raise AnswerError("ADV502", f"{qid} takes text, not {shown(raw)}; quote it.")
        raw = str(raw)
    if len(raw) > 10_000:
        raise AnswerError("ADV502", f"{qid} is limited to 10,000 characters.")
    return raw


def _check_option(question: Question, value: str) -> None:
    if value in question.option_values:
        return
    hint = did_you_mean(value, question.option_values)
    raise AnswerError(
        "ADV503",
        f"{shown(value)} is not an option of {question.id}; choose one of "
        f"{', '.join(question.option_values)}.{hint}",
    )
