"""The robustness layer: how sure the recommendation is, and what would change it.

``assess(ruleset, answers, samples=10_000, seed=0)`` returns the point decision of
``RuleSet.evaluate`` with, filled in (``dataclasses.replace``):

* ``confidence``: the probability that the recommended option is recommended under the stated
  uncertainty (answers given as ranges, and the catalog's default bands), ``confidence_basis``
  "probability"; rounded to 3 decimals and never to 1.0 unless every sample agrees;
* ``probabilities`` (each option's share, samples, seed, the bands drawn) and
  ``cost_percentiles`` (P10/P50/P90 of each option's horizon cost), from
  :mod:`advisor.scenarios.montecarlo`;
* ``sensitivity`` (flip points) and ``tornado``, from :mod:`advisor.scenarios.sensitivity`.

``samples=0`` skips the Monte Carlo (confidence stays the point decision's margin measure) but
still fills in the flip points and the tornado. ``RuleSet.evaluate`` itself never samples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from advisor.engine.ruleset import RuleSet
from advisor.model.decision import Decision
from advisor.scenarios.montecarlo import DEFAULT_SAMPLES, Cancelled, catalog_bands, simulate
from advisor.scenarios.probe import Probe
from advisor.scenarios.sensitivity import flip_points, tornado

__all__ = ["DEFAULT_SAMPLES", "Cancelled", "assess", "probability"]


def assess(
    ruleset: RuleSet,
    answers: Mapping[str, Any],
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    *,
    flips: bool = True,
    cancelled: Callable[[], bool] | None = None,
    decision: Decision | None = None,
) -> Decision:
    """The decision with its probability, cost percentiles, flip points and tornado (module
    doc). ``decision``: the point decision when the caller has it already (the TUI);
    ``cancelled``: see :func:`advisor.scenarios.montecarlo.simulate` (raises Cancelled)."""
    d = decision if decision is not None else ruleset.evaluate(answers)
    if d.recommendation is None:  # every option vetoed: nothing to be sure of
        return replace(d, confidence=0.0)
    probe = Probe(ruleset, answers)
    bands = catalog_bands(ruleset.catalog, d)
    changes: dict[str, Any] = {}
    if samples > 0:
        sim = simulate(ruleset, answers, d, samples, seed, probe=probe, cancelled=cancelled)
        changes.update(
            confidence=sim.confidence,
            confidence_basis="probability",
            probabilities=sim.probabilities(),
            cost_percentiles=sim.cost_percentiles,
        )
    if flips:
        changes.update(
            sensitivity=tuple(flip_points(ruleset, answers, probe)),
            tornado=tornado(ruleset, answers, d, bands, probe),
        )
    return replace(d, **changes)


def probability(d: Decision) -> str:
    """What ``d.confidence`` is, in words, wherever it is shown (CLI, TUI, reports): never
    "100 %" unless every sample agrees."""
    p = d.probabilities
    if d.recommendation is None:
        return "no option allowed: every option is vetoed"
    if d.confidence_basis == "probability" and p is not None:
        n = p["samples"]
        if p["unanimous"]:
            return f"all {n:,} samples agree"
        return f"probability {d.confidence * 100:.1f} % over {n:,} samples"
    return (
        f"probability not assessed (score margin x completeness {d.confidence:.2f}, "
        "not a probability)"
    )


# re-exported for callers that stop a running assessment
Cancelled = Cancelled
