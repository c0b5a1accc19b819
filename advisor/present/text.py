"""Formatting shared by every renderer: money, token volumes, percentages, Markdown escaping.

Numbers are formatted here once so that the Markdown, HTML, ADR and chart texts agree to the
digit. Markdown escaping is what Jinja's HTML autoescape is for HTML: every piece of user text
(meta, free-text answers, rendered ``because`` sentences) passes through :func:`md` before it
lands in a Markdown document, so a ``|`` cannot break a table nor a ``<script>`` become HTML.
"""

from __future__ import annotations

import math
import re
from typing import Any

OPTION_LABELS: dict[str, str] = {
    "stay_hosted": "Stay on the hosted API",
    "managed_open": "Open weights on a managed API",
    "hybrid": "Hybrid split",
    "self_host": "Self-host open models",
}

SHORT_LABELS: dict[str, str] = {
    "stay_hosted": "Hosted API",
    "managed_open": "Managed open",
    "hybrid": "Hybrid",
    "self_host": "Self-hosted",
}


def option_label(option: str) -> str:
    return OPTION_LABELS.get(option, option)


def is_number(value: Any) -> bool:
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


def sentence(text: str) -> str:
    """``text`` ending with a full stop (for joining reasons into a paragraph)."""
    text = " ".join(text.split())
    if not text:
        return text
    return text if text[-1] in ".!?" else text + "."


# Sentence openers that are ordinary words, lowercased after "Good, because" in the ADR.
# Anything else (a model, a company, an acronym) keeps its capital.
_OPENERS = """a an the this that these those it its you your we our they their there here
    every each all any some most many several both neither none no nobody only more less
    as at with without in on for to from by under over if when while since because
    keeping depending running moving staying hosting self-hosting open hosted one two"""
_COMMON_OPENERS = frozenset(_OPENERS.split())


def lower_first(text: str) -> str:
    """``'You need X'`` -> ``'you need X'``; ``'Llama 4 ...'`` stays as it is."""
    head, _, _rest = text.partition(" ")
    if head.lower() in _COMMON_OPENERS and head[:1].isupper() and head[1:] == head[1:].lower():
        return text[:1].lower() + text[1:]
    return text


# --- Markdown -----------------------------------------------------------------------------

# Characters that start inline markup anywhere in a line (CommonMark backslash escapes).
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Characters that start block markup at the beginning of a line.
_MD_BLOCK_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")


def md(value: Any) -> str:
    """User text made inert for Markdown: one line, markup characters backslash-escaped.

    An ``&`` that would start an HTML entity is escaped too, so ``&lt;`` shows as typed.
    """
    text = " ".join(str(value).split())
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    match = _MD_BLOCK_START.match(text)
    if match is None:
        return text
    cut = match.end()
    if match.group(1)[0].isdigit():  # "1. x" would start a list: escape the dot
        return text[:cut] + "\\" + text[cut:]
    return "\\" + text


def md_code(value: Any) -> str:
    """An inline code span that survives backticks in its content."""
    text = " ".join(str(value).split())
    if "`" not in text:
        return f"`{text}`"
    fence = "``" if "``" not in text else "```"
    return f"{fence} {text} {fence}"


def md_cell(value: Any) -> str:
    """Text for a Markdown table cell: escaped, never empty (an empty cell reads as a gap)."""
    out = md(value)
    return out if out else "–"
