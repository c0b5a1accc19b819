"""Numbers as every renderer writes them: money, token volumes, percentages, scores.

One place, so that the CLI, the TUI, the Markdown, HTML and ADR reports and the chart texts
agree to the digit. Anything that is not a finite number reads ``n/a``.
"""

from __future__ import annotations

import math
from typing import Any, TypeGuard


def is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def money(value: Any, unit: str = "USD") -> str:
    """``12345.6`` -> ``'12,346 USD'``; small amounts keep cents; anything else -> ``'n/a'``."""
    if not is_number(value):
        return "n/a"
    if abs(value) < 100 and value != int(value):
        return f"{value:,.2f} {unit}"
    return f"{value:,.0f} {unit}"


def compact_money(value: float) -> str:
    """Axis-label money: 1200 -> '1.2k', 3.4e6 -> '3.4M'."""
    for suffix, factor in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= factor:
            return f"{value / factor:.3g}{suffix}"
    return f"{value:.3g}"


def tokens(value: Any) -> str:
    """``2.5e9`` -> ``'2.5B'`` (the short form users type in answers)."""
    if not is_number(value):
        return "n/a"
    for suffix, factor in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(value) >= factor:
            return f"{value / factor:.3g}{suffix}"
    return f"{value:.3g}"


def token_volume(value: Any) -> str:
    """A token volume to read, not to type: ``2291824167`` -> ``'2.29 B tokens'``,
    ``48000`` -> ``'48,000 tokens'``."""
    if not is_number(value):
        return "n/a"
    for suffix, factor in (("T", 1e12), ("B", 1e9), ("M", 1e6)):
        if abs(value) >= factor:
            return f"{value / factor:.3g} {suffix} tokens"
    return f"{value:,.0f} tokens"


def percent(value: Any, digits: int = 0) -> str:
    """``0.781`` -> ``'78 %'`` (a share in 0..1)."""
    if not is_number(value):
        return "n/a"
    return f"{value * 100:.{digits}f} %"


def share(value: Any) -> str:
    """A share of something, readable at any size: ``0.004`` -> ``'0.4 %'``, ``0.63`` ->
    ``'63 %'``, ``4.2`` -> ``'4.2x'``, ``63.4`` -> ``'63x'``."""
    if not is_number(value):
        return "n/a"
    if value >= 10:
        return f"{value:.0f}x"
    if value >= 2:
        return f"{value:.1f}x"
    if 0 < value < 0.1:
        return f"{value * 100:.1f} %"
    return f"{value * 100:.0f} %"


def number(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if is_number(value):
        if value == int(value) and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def points(value: float) -> str:
    """A score with its sign: ``+3``, ``-1.5``, ``0``."""
    text = f"{value:+.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("+0", "-0") else text


__all__ = [
    "compact_money",
    "is_number",
    "money",
    "number",
    "percent",
    "points",
    "share",
    "token_volume",
    "tokens",
]
