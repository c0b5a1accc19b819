"""How a computed fact (``cost.*``, ``models.*``) declares itself to the expression checker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FactType = Literal["number", "bool", "str", "list"]


@dataclass(frozen=True)
class FactSpec:
    """A fact computed in Python rather than by a rule-file expression.

    ``needs`` lists the question ids whose answers the computation reads; while one of them is
    unanswered (and has no default), the fact is unknown and rules reading it are pending.
    ``options`` gives the possible values of a ``str`` or ``list`` fact, for literal checks.
    """

    type: FactType
    needs: tuple[str, ...] = ()
    description: str = ""
    unit: str | None = None
    options: tuple[str, ...] = ()
