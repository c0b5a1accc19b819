"""A re-decision for what-if questions: the recommendation and each option's horizon cost when
some answers change and the catalog's key assumptions are scaled.

Flip points and the Monte Carlo ask this thousands of times and need only the winner and the
costs, so a probe asks :class:`advisor.engine.incremental.WhatIf`: what
:meth:`advisor.engine.ruleset.RuleSet.outcome` gives (the same cost model, with
:class:`advisor.catalog.derivation.Scales` applied where it reads prices and throughput, and the
same compiled rules as ``RuleSet.evaluate``, without building a Decision), recomputing only what
the change can reach. ``tests/test_robustness_core.py`` holds the probe to ``RuleSet.evaluate``
and ``WhatIf`` to ``RuleSet.outcome``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from advisor.engine.incremental import WhatIf
from advisor.engine.ruleset import RuleSet, Scales
from advisor.model.parts import OPTIONS, Option

# Catalog assumptions a probe can scale (factor 1 = the catalog's figure).
SCALES: tuple[str, ...] = (
    "catalog.hosted_price",
    "catalog.managed_price",
    "catalog.gpu_price",
    "catalog.throughput",
)
SCALE_LABELS = {
    "catalog.hosted_price": "hosted price level (every hosted model's list prices)",
    "catalog.managed_price": "managed open-model API price level (every endpoint's prices)",
    "catalog.gpu_price": "GPU price level (rent, or purchase and running costs)",
    "catalog.throughput": "self-hosted throughput (tokens/s a replica)",
}
_FIELD = {
    "catalog.hosted_price": "hosted_price",
    "catalog.managed_price": "managed_price",
    "catalog.gpu_price": "gpu_price",
    "catalog.throughput": "throughput",
}


def horizon_fact(option: str) -> str:
    """The fact holding an option's cost over the horizon."""
    return "cost.hosted_horizon_usd" if option == "stay_hosted" else f"cost.{option}_horizon_usd"


def scales_of(scale: Mapping[str, float] | None) -> Scales | None:
    """The cost model's Scales for factors named as in :data:`SCALES`."""
    if not scale:
        return None
    return Scales(**{_FIELD[name]: float(v) for name, v in scale.items()})


class Probe:
    """Re-decide for changed answers and scaled catalog assumptions."""

    def __init__(self, rs: RuleSet, answers: Mapping[str, Any]) -> None:
        self.rs = rs
        self.answers = {k: _point(v) for k, v in answers.items()}
        # the horizon costs are read for the percentiles and the tornado
        keep = frozenset(horizon_fact(o) for o in OPTIONS)
        self.what_if = WhatIf(rs, self.answers, keep)
        base = self.what_if.base
        self.recommendation: Option | None = base.recommendation
        self.base_facts = base.facts

    def run(
        self, changes: Mapping[str, Any], scale: Mapping[str, float] | None = None
    ) -> tuple[Option | None, dict[str, Any]]:
        """(recommended option, facts) for the answers changed by ``changes`` and ``scale``."""
        if not changes and not scale:
            return self.recommendation, self.base_facts
        o = self.what_if.run(changes, scales_of(scale))
        return o.recommendation, o.facts

    def run_scaled(
        self, scales: Sequence[Mapping[str, float]]
    ) -> list[tuple[Option | None, dict[str, Any]]]:
        """:meth:`run` with no answer changed, for each of ``scales`` (the cost model runs for
        all of them at once: :meth:`WhatIf.run_scaled`)."""
        found = self.what_if.run_scaled([scales_of(s) or Scales() for s in scales])
        return [(o.recommendation, o.facts) for o in found]

    def run_drawn(
        self, draws: Sequence[tuple[Mapping[str, Any], Mapping[str, float]]]
    ) -> list[tuple[Option | None, dict[str, Any]]] | None:
        """:meth:`run` for each (changes, scale) of ``draws``, the cost model run for all of
        them at once (:meth:`WhatIf.run_drawn`); None where that does not apply."""
        found = self.what_if.run_drawn([(c, scales_of(s) or Scales()) for c, s in draws])
        if found is None:
            return None
        return [(o.recommendation, o.facts) for o in found]


def _point(value: Any) -> Any:
    """A range answer's likely value as a plain float (the rules see numbers)."""
    from advisor.load.ranges import Range

    return float(value) if isinstance(value, Range) else value
