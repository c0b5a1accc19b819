"""Numbers as every renderer writes them: money, token volumes, percentages, scores.

One place, so that the CLI, the TUI, the Markdown, HTML and ADR reports and the chart texts
agree to the digit. Anything that is not a finite number reads ``n/a``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard


def is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True, slots=True)
class Currency:
    """The report currency: the cost model computes in USD (the vendors' list prices); a
    report in another currency divides every amount by ``usd_per_unit`` (USD per unit of
    ``code``, the catalog's dated rate) and says which rate it used (:attr:`rate_text`)."""

    code: str = "USD"
    usd_per_unit: float = 1.0
    fixing_date: str | None = None
    source: str | None = None

    @property
    def converted(self) -> bool:
        return self.code != "USD"

    def amount(self, usd: Any) -> Any:
        """A USD amount in this currency (anything that is not a number is passed on)."""
        if not self.converted or not is_number(usd):
            return usd
        return usd / self.usd_per_unit

    @property
    def rate_text(self) -> str:
        """The rate behind the figures, to state wherever money is shown ("" for USD)."""
        if not self.converted:
            return ""
        return (
            f"{self.code} at the ECB reference rate of {self.fixing_date}: "
            f"1 {self.code} = {self.usd_per_unit:g} USD"
        )


USD = Currency()


def currency_of(costs: Mapping[str, Any] | None) -> Currency:
    """The report currency of a decision's ``costs`` (``exchange_rate``; USD without one)."""
    rate = costs.get("exchange_rate") if isinstance(costs, Mapping) else None
    if not isinstance(rate, Mapping) or not is_number(rate.get("usd_per_unit")):
        return USD
    if rate["usd_per_unit"] <= 0:
        return USD
    return Currency(
        str(rate.get("code") or "USD"),
        float(rate["usd_per_unit"]),
        str(rate.get("fixing_date") or "") or None,
        str(rate.get("source") or "") or None,
    )


def money(value: Any, unit: str | Currency = "USD") -> str:
    """``12345.6`` -> ``'12,346 USD'``; small amounts keep cents; anything else -> ``'n/a'``.
    With a :class:`Currency`, ``value`` is USD and is shown converted to it."""
    if isinstance(unit, Currency):
        value, unit = unit.amount(value), unit.code
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
    "USD",
    "Currency",
    "compact_money",
    "currency_of",
    "is_number",
    "money",
    "number",
    "percent",
    "points",
    "share",
    "token_volume",
    "tokens",
]
