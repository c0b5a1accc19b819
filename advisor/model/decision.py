"""The Decision: one immutable result that every front end (CLI, TUI, reports, CI) renders.

``Decision.to_dict()`` is the JSON contract: keys may be added, never renamed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from advisor.model.parts import (
    SCHEMA_VERSION,
    Audit,
    ConfidenceBasis,
    Costs,
    Effects,
    FlipPoint,
    ModelEntry,
    Note,
    Option,
    Percentiles,
    Probabilities,
    Tie,
    Tornado,
)


@dataclass(frozen=True)
class FiredRule:
    id: str
    category: str
    because: str
    source: tuple[str, ...]
    effects: Effects
    weight: float = 1.0
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "because": self.because,
            "source": list(self.source),
            "effects": self.effects,
            "weight": self.weight,
        }


@dataclass(frozen=True)
class PendingRule:
    id: str
    needs: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "needs": list(self.needs)}


@dataclass(frozen=True)
class Decision:
    recommendation: Option | None  # None when every option is vetoed
    scores: dict[Option, float]
    vetoed: dict[Option, list[str]]
    confidence: float
    fired: tuple[FiredRule, ...]
    pending: tuple[PendingRule, ...]
    costs: Costs
    models: tuple[ModelEntry, ...]
    audit: Audit
    ranking: tuple[Option, ...] = ()
    weights: dict[str, float] = field(default_factory=dict)
    defaults_used: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    all_vetoed: bool = False
    risks: tuple[Note, ...] = ()
    actions: tuple[Note, ...] = ()
    answers: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    not_fired: tuple[str, ...] = ()
    tie: Tie | None = None
    # Robustness (advisor.scenarios.robust.assess fills these; a point evaluation leaves them
    # None and ``confidence`` is then the score-margin measure, not a probability).
    confidence_basis: ConfidenceBasis = "margin"
    probabilities: Probabilities | None = None
    cost_percentiles: dict[Option, Percentiles] | None = None
    sensitivity: tuple[FlipPoint, ...] | None = None
    tornado: Tornado | None = None

    @property
    def fired_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.fired)

    @property
    def pending_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.pending)

    def top_reasons(self, n: int = 5) -> list[FiredRule]:
        """Fired rules that moved the recommended option most, strongest first."""

        rec = self.recommendation
        if rec is None:
            return []

        def pull(rule: FiredRule) -> float:
            if rec in rule.effects.get("veto", ()):
                return float("-inf")
            vetoes_others = bool(rule.effects.get("veto"))
            points = float(rule.effects.get("score", {}).get(rec, 0.0)) * rule.weight
            return points + (100.0 if vetoes_others else 0.0)

        ranked = sorted(self.fired, key=lambda r: (-pull(r), r.id))
        return [r for r in ranked if pull(r) > 0][:n]

    def to_dict(self) -> dict[str, Any]:
        """Plain data that is always valid JSON: a figure that is infinite or not a number
        (a cost divided by zero) becomes null, as JSON has no such values."""
        out: dict[str, Any] = json_safe(self._fields())
        return out

    def _fields(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "recommendation": self.recommendation,
            "scores": dict(self.scores),
            "vetoed": {k: list(v) for k, v in self.vetoed.items()},
            "confidence": self.confidence,
            "ranking": list(self.ranking),
            "all_vetoed": self.all_vetoed,
            "tie": dict(self.tie) if self.tie else None,
            "weights": dict(self.weights),
            "fired": [r.to_dict() for r in self.fired],
            "not_fired": list(self.not_fired),
            "pending": [p.to_dict() for p in self.pending],
            "defaults_used": list(self.defaults_used),
            "missing": list(self.missing),
            "risks": [dict(r) for r in self.risks],
            "actions": [dict(a) for a in self.actions],
            "costs": dict(self.costs),
            "models": [dict(m) for m in self.models],
            "answers": dict(self.answers),
            "audit": dict(self.audit),
            "confidence_basis": self.confidence_basis,
            **self._robustness(),
        }

    def _robustness(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.probabilities is not None:
            out["probabilities"] = dict(self.probabilities)
        if self.cost_percentiles is not None:
            out["cost_percentiles"] = {k: dict(v) for k, v in self.cost_percentiles.items()}
        if self.sensitivity is not None:
            out["sensitivity"] = [dict(e) for e in self.sensitivity]
        if self.tornado is not None:
            out["tornado"] = dict(self.tornado)
        return out


_PLAIN = frozenset({str, int, bool, type(None)})


def json_safe(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None, in nested dicts and lists.

    A decision holds thousands of values (the cost model's rows), and every evaluate JSON,
    report and saved session copies them here: the exact built-in types are told apart by
    ``type`` and the plain leaves returned without a call; subclasses (a str enum, a dict
    subclass) take the general path below, so the result is the same."""
    cls = type(value)
    if cls in _PLAIN:
        return value
    if cls is float:
        return value if math.isfinite(value) else None
    if cls is dict:
        return {k: v if type(v) in _PLAIN else json_safe(v) for k, v in value.items()}
    if cls is list:
        return [v if type(v) in _PLAIN else json_safe(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, tuple):
        return tuple(json_safe(v) for v in value)
    return value
