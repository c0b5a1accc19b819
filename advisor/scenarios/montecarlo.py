"""Monte Carlo over the stated uncertainty: how often each option wins, and its cost spread.

Inputs drawn per sample, independently:

* every answer stated as a range (:class:`advisor.load.ranges.Range`): PERT (a beta
  distribution with shape 4 around ``likely``) between ``low`` and ``high``;
* the catalog's default bands (:func:`catalog_bands`, from the ``band_*`` assumptions of
  rules/catalog/assumptions.yaml), as factors on the catalog's figures: hosted and managed
  price levels, GPU price level, self-hosted throughput; PERT too.

A ranged answer is drawn on a grid of :data:`GRID` + 1 levels across its range
(:func:`on_grid`: a level every 1 % of the range), so that the levels recur over the samples and
the cost model prices each once for all its samples.

Each sample is decided by :class:`advisor.scenarios.probe.Probe`. The random stream is numpy's
legacy ``RandomState(seed)`` (its stream is frozen across numpy versions); each input's draws
come in turn in a fixed order (answers in questionnaire order, then the bands), so the same seed
gives the same figures, byte for byte.

``confidence`` = the share of samples whose recommendation is the point decision's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from advisor.catalog.schema import Catalog
from advisor.engine.ruleset import RuleSet
from advisor.load.ranges import Range, ranges_of
from advisor.model.decision import Decision
from advisor.model.parts import OPTIONS, Band, Option, Percentiles, Probabilities
from advisor.scenarios.fork import PARALLEL_MIN, fork_safe, in_two
from advisor.scenarios.probe import SCALES, Probe, horizon_fact

if TYPE_CHECKING:
    from numpy.random import RandomState

DEFAULT_SAMPLES = 10_000
# samples priced together when only the catalog's scales vary: large enough that the per-block
# work (about 20 ms) is small beside the block's, small enough that a cancelled TUI worker
# stops within about a tenth of a second
_BLOCK = 2_500
# levels a ranged answer is drawn on, from low to high (on_grid)
GRID = 100


def _band(a: Mapping[str, float], name: str) -> tuple[float, float, float]:
    """The catalog's ``band_<name>_low/_likely/_high`` assumptions (rules/catalog/
    assumptions.yaml); one that a catalog lacks is 1 (that side does not vary, and the
    ``inputs`` of the probabilities show it)."""
    return (
        a.get(f"band_{name}_low", 1.0),
        a.get(f"band_{name}_likely", 1.0),
        a.get(f"band_{name}_high", 1.0),
    )


def catalog_bands(
    catalog: Catalog, decision: Decision | None = None
) -> dict[str, tuple[float, float, float]]:
    """The (low, likely, high) factor of each scaled catalog assumption, from the catalog's
    ``band_*`` assumptions (their values and reasons: rules/catalog/assumptions.yaml).

    Hosted and managed API prices: ``band_hosted_price_*``, ``band_managed_price_*``. GPU
    prices: the mean spread of the GPUs' ``rent_usd_per_hour_low/high`` around their rent
    price where the catalog gives it, else ``band_gpu_price_*``. Throughput: the chosen
    deployment's band from the sizing model (``costs.self_host.deployment.throughput_band``,
    low/likely and high/likely) widened to at least ``band_throughput_min_*`` (a measured
    row still varies by engine version and settings); without a deployment,
    ``band_throughput_*``.
    """
    a = {x.id: float(x.value) for x in catalog.assumptions if x.id.startswith("band_")}
    lows = [
        g.rent_usd_per_hour_low / g.rent_usd_per_hour
        for g in catalog.gpus
        if g.rent_usd_per_hour_low
    ]
    highs = [
        g.rent_usd_per_hour_high / g.rent_usd_per_hour
        for g in catalog.gpus
        if g.rent_usd_per_hour_high
    ]
    gpu = (
        (min(1.0, sum(lows) / len(lows)), 1.0, max(1.0, sum(highs) / len(highs)))
        if lows and highs
        else _band(a, "gpu_price")
    )
    throughput = _band(a, "throughput")
    narrowest = _band(a, "throughput_min")
    self_host = decision.costs.get("self_host") if decision is not None else None
    band = self_host["deployment"].get("throughput_band") if self_host else None
    if band and band["likely"] > 0:
        low, high = band["low"] / band["likely"], band["high"] / band["likely"]
        throughput = (
            round(min(low, narrowest[0]), 4),
            1.0,
            round(max(high, narrowest[2]), 4),
        )
    return {
        "catalog.hosted_price": _band(a, "hosted_price"),
        "catalog.managed_price": _band(a, "managed_price"),
        "catalog.gpu_price": (round(gpu[0], 4), 1.0, round(gpu[2], 4)),
        "catalog.throughput": throughput,
    }


def pert(rng: RandomState, low: float, likely: float, high: float, n: int) -> list[float]:
    """``n`` draws from the PERT distribution over ``low..high`` around ``likely``: a beta
    distribution with shape 4 (alpha = 1 + 4 (likely - low) / (high - low)), scaled to the
    range; ``likely`` every time when the range is empty."""
    if high <= low:
        return [likely] * n
    alpha = 1.0 + 4.0 * (likely - low) / (high - low)
    beta = 1.0 + 4.0 * (high - likely) / (high - low)
    column: list[float] = (low + rng.beta(alpha, beta, n) * (high - low)).tolist()
    return column


@dataclass(frozen=True)
class Simulation:
    samples: int
    seed: int
    recommendation: Option | None
    counts: dict[Option, int]
    cost_percentiles: dict[Option, Percentiles]
    inputs: dict[str, Band]  # what was drawn: name -> low, likely, high

    @property
    def agree(self) -> int:
        return self.counts[self.recommendation] if self.recommendation is not None else 0

    @property
    def confidence(self) -> float:
        return shown(self.agree, self.samples)

    @property
    def unanimous(self) -> bool:
        return self.samples > 0 and self.agree == self.samples

    def probabilities(self) -> Probabilities:
        return {
            "samples": self.samples,
            "seed": self.seed,
            "distribution": "PERT",
            "agree": self.agree,
            "unanimous": self.unanimous,
            "options": {o: round(self.counts[o] / self.samples, 4) for o in OPTIONS},
            "inputs": dict(self.inputs),
        }


Draw = tuple[dict[str, Any], dict[str, float]]  # (changed answers, scale factors) of a sample
Result = tuple[Option | None, tuple[float | None, ...]]  # (winner, horizon cost per option)


def draw(
    rs: RuleSet,
    ranged: Mapping[str, Range],
    bands: Mapping[str, tuple[float, float, float]],
    samples: int,
    seed: int,
    cancelled: Callable[[], bool] | None = None,
) -> list[Draw]:
    """Every sample's inputs (module doc): from ``numpy.random.RandomState(seed)``, each input's
    ``samples`` draws in turn, in the fixed order: the ranged answers, in questionnaire order
    as :func:`simulate` lists them (each moved :func:`on_grid`, an integer question's rounded),
    then the scales of :data:`SCALES`. ``cancelled``: asked once (drawing 10,000 samples takes
    a few milliseconds); True raises :class:`Cancelled`."""
    import numpy as np

    if cancelled is not None and cancelled():
        raise Cancelled
    # the legacy generator: numpy keeps its stream unchanged across versions, so the same seed
    # gives the same samples, and the same bytes, wherever the advisor is installed
    rng = np.random.RandomState(seed)
    answers: dict[str, list[Any]] = {}
    for qid, r in ranged.items():
        xs = [on_grid(x, r.low, r.high) for x in pert(rng, r.low, r.likely, r.high, samples)]
        answers[qid] = [round(x) for x in xs] if rs.questions[qid].type == "integer" else xs
    factors = {name: pert(rng, *bands[name], samples) for name in SCALES}
    ids, names = tuple(answers), tuple(factors)
    changes = zip(*answers.values(), strict=True) if ids else None
    scales = zip(*factors.values(), strict=True)
    return [
        (
            dict(zip(ids, next(changes), strict=True)) if changes is not None else {},
            dict(zip(names, next(scales), strict=True)),
        )
        for _ in range(samples)
    ]


def on_grid(x: float, low: float, high: float) -> float:
    """``x`` moved to the nearest of :data:`GRID` + 1 evenly spaced levels from ``low`` to
    ``high`` (both included). A ranged answer is a forecast: a level every 1 % of its range is
    finer than what the user knows, and with the levels recurring over the samples the cost
    model prices each level once for all its samples (:meth:`Probe.run_drawn`)."""
    if high <= low:
        return x
    return low + (high - low) * round((x - low) / (high - low) * GRID) / GRID


def simulate(
    rs: RuleSet,
    answers: Mapping[str, Any],
    decision: Decision,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    percentiles: bool = True,
    probe: Probe | None = None,
    cancelled: Callable[[], bool] | None = None,
    processes: int | None = None,
) -> Simulation:
    """``cancelled``: asked every 50 samples; when it returns True the simulation stops and
    raises :class:`Cancelled` (the TUI's worker, overtaken by the next answer).

    All samples are drawn first (:func:`draw`), then decided; ``processes``: 1 decides them
    here, 2 decides the second half in a forked process (:func:`~advisor.scenarios.fork.
    in_two`), None chooses: two for :data:`~advisor.scenarios.fork.PARALLEL_MIN` samples or
    more where fork is safe, never with ``cancelled``. The results are merged in sample order,
    so the figures are the same bytes whichever is used."""
    ranged = ranges_of({q: answers[q] for q in rs.questions if q in answers})
    bands = catalog_bands(rs.catalog, decision)
    probe = probe or Probe(rs, answers)
    draws = draw(rs, ranged, bands, samples, seed, cancelled)
    facts = tuple(horizon_fact(o) for o in OPTIONS) if percentiles else ()

    def result(best: Option | None, sample_facts: Mapping[str, Any]) -> Result:
        return best, tuple(_number(sample_facts.get(f)) for f in facts)

    def decide(part: list[Draw]) -> list[Result]:
        out: list[Result] = []
        if not ranged:
            # only the catalog's scales vary: the cost model prices a block of samples at
            # once (advisor.catalog.batch), the same figures as one by one
            for lo in range(0, len(part), _BLOCK):
                if cancelled is not None and cancelled():
                    raise Cancelled
                block = part[lo : lo + _BLOCK]
                out.extend(result(*r) for r in probe.run_scaled([s for _, s in block]))
            return out
        if cancelled is not None and cancelled():
            raise Cancelled
        # the answers recur on their grid: the cost model prices each level once, the
        # samples as columns (advisor.catalog.batch.facts_over), the same figures as one by one
        drawn = probe.run_drawn(part)
        if drawn is not None:
            return [result(*r) for r in drawn]
        for i, (changes, scale) in enumerate(part):
            if cancelled is not None and i % 50 == 0 and cancelled():
                raise Cancelled
            out.append(result(*probe.run(changes, scale)))
        return out

    if processes is None:
        processes = 2 if samples >= PARALLEL_MIN and cancelled is None and fork_safe() else 1
    if processes >= 2 and not ranged and draws:
        # numpy and the cost model's memos loaded here, once, for the forked child to inherit
        probe.run_scaled([draws[0][1]])
    if processes >= 2:
        half = (len(draws) + 1) // 2
        results = in_two(decide, draws[:half], draws[half:])
    else:
        results = decide(draws)
    counts: dict[Option, int] = dict.fromkeys(OPTIONS, 0)
    costs: dict[Option, list[float]] = {o: [] for o in OPTIONS}
    for best, horizon in results:
        if best is not None:
            counts[best] += 1
        for o, v in zip(OPTIONS, horizon, strict=False):
            if v is not None:
                costs[o].append(v)
    pct: dict[Option, Percentiles] = {}
    for o in OPTIONS:
        xs = sorted(costs[o])
        if xs:
            pct[o] = {
                "p10": round(_quantile(xs, 0.1), 2),
                "p50": round(_quantile(xs, 0.5), 2),
                "p90": round(_quantile(xs, 0.9), 2),
            }
    inputs: dict[str, Band] = {
        q: {"low": r.low, "likely": r.likely, "high": r.high} for q, r in ranged.items()
    }
    for n in SCALES:
        low, likely, high = bands[n]
        inputs[n] = {"low": low, "likely": likely, "high": high}
    return Simulation(samples, seed, decision.recommendation, counts, pct, inputs)


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) else None


def _quantile(xs: list[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default 'linear')."""
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


class Cancelled(Exception):
    """The simulation was stopped by its ``cancelled`` callback."""


def shown(agree: int, samples: int) -> float:
    """agree / samples to 3 decimals, the exact fraction rounded half up (1,091 of 2,000 is
    0.5455, shown 0.546: rounding the float, just below 0.5455, gave 0.545), but never rounded
    up to 1.0 unless all agree."""
    if samples <= 0:
        return 0.0
    value = (2000 * agree + samples) // (2 * samples) / 1000
    if value >= 1.0 and agree < samples:
        value = 0.999
    return value
