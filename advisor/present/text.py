"""Text shared by every renderer: sentences and Markdown escaping.

Option labels live in :mod:`advisor.present.labels`, numbers and money in
:mod:`advisor.present.numbers`.

Markdown escaping is what Jinja's HTML autoescape is for HTML: every piece of user text (meta,
free-text answers, rendered ``because`` sentences) passes through :func:`md` before it lands
in a Markdown document, so a ``|`` cannot break a table nor a ``<script>`` become HTML.
"""

from __future__ import annotations

import re
from typing import Any


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
    # The fence must be longer than every run of backticks inside, or a run of the same
    # length closes the span early and the rest (say '<img onerror=...>') is live Markdown.
    longest = max(len(run) for run in re.findall(r"`+", text))
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def md_cell(value: Any) -> str:
    """Text for a Markdown table cell: escaped, never empty (an empty cell reads as a gap)."""
    out = md(value)
    return out if out else "–"
