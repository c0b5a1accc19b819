"""Issue 15, speed: the Monte Carlo prices its samples as columns (advisor/catalog/batch.py).
The batch must give, sample by sample, the very facts and outcomes of the one-sample path."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from helpers.answers import answer_sets

from advisor.catalog.batch import HORIZONS, facts_at
from advisor.catalog.derivation import derive
from advisor.engine.incremental import WhatIf
from advisor.engine.ruleset import RuleSet, Scales, load_ruleset
from advisor.load.answers import load_answers
from advisor.scenarios.probe import _point

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))


def _scales(rng: random.Random, n: int) -> list[Scales]:
    """Random levels, each factor sometimes exactly 1 (the path derive takes unscaled)."""

    def level(lo: float, hi: float) -> float:
        return 1.0 if rng.random() < 0.2 else rng.uniform(lo, hi)

    return [Scales(level(0.3, 3), level(0.3, 3), level(0.3, 3), level(0.2, 5)) for _ in range(n)]


def _check(rs: RuleSet, answers: dict[str, Any], scales: list[Scales]) -> bool:
    """facts_at and WhatIf.run_scaled against derive and WhatIf.run, sample by sample; False
    when the batch does not apply to these answers."""
    what_if = WhatIf(rs, answers, frozenset(HORIZONS))
    batch = facts_at(
        rs.catalog, what_if.values, what_if.excluded, what_if.cost_need, scales, reuse=True
    )
    if batch is None:
        assert what_if.run_scaled(scales) == [what_if.run({}, s) for s in scales]
        return False
    shared, columns = batch
    for k, s in enumerate(scales):
        want = derive(
            rs.catalog,
            what_if.values,
            what_if.excluded,
            s,
            models=False,
            detail=False,
            need=what_if.cost_need,
        ).facts
        got = {**shared, **{name: col[k] for name, col in columns.items()}}
        for name in what_if.cost_need:
            # the same bits: == on floats, and the same presence
            assert (name in got, got.get(name)) == (name in want, want.get(name)), (name, s)
    for one, many in zip(
        [what_if.run({}, s) for s in scales], what_if.run_scaled(scales), strict=True
    ):
        assert (many.recommendation, many.scores, many.vetoes) == (
            one.recommendation,
            one.scores,
            one.vetoes,
        )
        for name in HORIZONS:
            assert many.facts.get(name) == one.facts.get(name)
    return True


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_batch_gives_each_sample_the_facts_of_derive(path: Path) -> None:
    rs = load_ruleset()
    answers = {k: _point(v) for k, v in load_answers(path, rs).values.items()}
    assert _check(rs, answers, _scales(random.Random(path.name), 120))


def test_the_batch_holds_over_generated_answers() -> None:
    """Generated answer sets (tests/helpers/answers.py) reach the branches the examples do
    not: all traffic on the frontier, a managed open share, no measured deployment, tiny and
    huge volumes."""
    rs = load_ruleset()
    rng = random.Random(15)
    applied = 0
    for answers in answer_sets(rs, 400, seed=15)[:150]:
        applied += _check(rs, dict(answers), _scales(rng, 12))
    assert applied >= 50  # most answer sets take the batch; the rest fall back


@pytest.mark.parametrize("share", [100.0, 0.0])
def test_the_batch_holds_when_all_or_no_traffic_needs_the_frontier(share: float) -> None:
    """All traffic on the frontier: the hybrid is the hosted path, month by month in cents."""
    rs = load_ruleset()
    path = EXAMPLES[0].parent / "mid-size-mixed.yaml"
    answers = {k: _point(v) for k, v in load_answers(path, rs).values.items()}
    answers["usage.frontier_share"] = share
    assert _check(rs, answers, _scales(random.Random(2), 60))


def test_a_pinned_gpu_falls_back_to_one_sample_at_a_time() -> None:
    rs = load_ruleset()
    answers = {
        k: _point(v)
        for k, v in load_answers(EXAMPLES[0].parent / "eu-bank.yaml", rs).values.items()
    }
    answers["selfhost.gpu"] = rs.catalog.gpus[0].id
    what_if = WhatIf(rs, answers, frozenset(HORIZONS))
    scales = _scales(random.Random(1), 5)
    assert facts_at(rs.catalog, what_if.values, what_if.excluded, what_if.cost_need, scales) is None
    assert what_if.run_scaled(scales) == [what_if.run({}, s) for s in scales]


def test_a_cancelled_simulation_stops_while_it_is_still_drawing() -> None:
    """The TUI's worker is cancelled by the next answer: a large simulation stops within the
    first thousand draws, before any sample is decided."""
    from advisor.scenarios.montecarlo import Cancelled, simulate

    rs = load_ruleset()
    answers = load_answers(EXAMPLES[0].parent / "seed-startup.yaml", rs).values
    d = rs.evaluate(answers)
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) >= 2  # the second check, after 1,000 draws

    with pytest.raises(Cancelled):
        simulate(rs, answers, d, 200_000, 0, cancelled=cancelled)
    assert len(asked) == 2
