"""Issue 15, speed: the Monte Carlo prices its samples as columns (advisor/catalog/batch.py).
The batch must give, sample by sample, the very facts and outcomes of the one-sample path."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from helpers.answers import answer_sets

from advisor.catalog.batch import HORIZONS, facts_over
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
    """facts_over (the answers as one group) and WhatIf.run_scaled against derive and
    WhatIf.run, sample by sample; False when the batch does not apply to these answers."""
    what_if = WhatIf(rs, answers, frozenset(HORIZONS))
    which = [0] * len(scales)
    batch = facts_over(
        rs.catalog, [what_if.values], what_if.excluded, what_if.cost_need, scales, which, True
    )
    if batch is None:
        assert what_if.run_scaled(scales) == [what_if.run({}, s) for s in scales]
        return False
    groups, columns = batch
    shared = groups[0]
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
    which = [0] * len(scales)
    assert (
        facts_over(rs.catalog, [what_if.values], what_if.excluded, what_if.cost_need, scales, which)
        is None
    )
    assert what_if.run_scaled(scales) == [what_if.run({}, s) for s in scales]


def test_a_cancelled_simulation_stops_before_it_decides_a_sample() -> None:
    """The TUI's worker is cancelled by the next answer: a large simulation stops once its
    samples are drawn (a few milliseconds), before any sample is decided."""
    from advisor.scenarios.montecarlo import Cancelled, simulate

    rs = load_ruleset()
    answers = load_answers(EXAMPLES[0].parent / "seed-startup.yaml", rs).values
    d = rs.evaluate(answers)
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) >= 2  # the second check: after drawing, before the first block

    with pytest.raises(Cancelled):
        simulate(rs, answers, d, 200_000, 0, cancelled=cancelled)
    assert len(asked) == 2


# answers a ranged Monte Carlo varies, each drawn on a few levels so that levels recur
_VARIED = (
    ("usage.monthly_input_tokens", (0.3, 0.7, 1.0, 2.5)),
    ("usage.monthly_output_tokens", (0.5, 1.0, 1.8)),
    ("usage.frontier_share", (0.0, 0.5, 1.0, 3.0)),
    ("ops.engineer_annual_cost_usd", (0.6, 1.0, 1.4)),
    ("strategy.priority_cost", (0.2, 1.0, 1.6)),
)


def _draws(
    rs: RuleSet, answers: dict[str, Any], rng: random.Random, n: int
) -> list[tuple[dict[str, Any], Scales]]:
    """n samples: each changes the answers of _VARIED the answers hold (to one of their
    levels, an integer question rounded, within the question's bounds; n / 8 such answer
    sets, each shared by several samples) and scales the catalog (some samples not at all:
    they run alone)."""
    varied = [(q, fs) for q, fs in _VARIED if isinstance(answers.get(q), int | float)]
    combos: list[dict[str, Any]] = []
    for _ in range(max(2, n // 8)):  # answer sets that recur, as a grid's levels do
        changes: dict[str, Any] = {}
        for q, factors in varied:
            x = float(answers[q]) * rng.choice(factors)
            question = rs.questions[q]
            if question.max is not None:
                x = min(x, float(question.max))
            changes[q] = round(x) if question.type == "integer" else x
        combos.append(changes)
    return [(dict(rng.choice(combos)), s) for s in _scales(rng, n)]


def _check_drawn(rs: RuleSet, answers: dict[str, Any], draws: list[Any]) -> bool:
    """facts_over and WhatIf.run_drawn against derive and WhatIf.run, sample by sample; False
    when the batch does not apply."""
    what_if = WhatIf(rs, answers, frozenset(HORIZONS))
    many = what_if.run_drawn(draws)
    if many is None:
        return False
    groups: list[dict[str, Any]] = []
    which: list[int] = []
    for changes, _ in draws:
        values = {**what_if.values, **changes}
        if values not in groups:
            groups.append(values)
        which.append(groups.index(values))
    batch = facts_over(
        rs.catalog, groups, what_if.excluded, what_if.cost_need, [s for _, s in draws], which
    )
    assert batch is not None
    shared, columns = batch
    for k, ((changes, s), got) in enumerate(zip(draws, many, strict=True)):
        want = derive(
            rs.catalog,
            groups[which[k]],
            what_if.excluded,
            s,
            models=False,
            detail=False,
            need=what_if.cost_need,
        ).facts
        facts = {**shared[which[k]], **{name: col[k] for name, col in columns.items()}}
        for name in what_if.cost_need:
            assert (name in facts, facts.get(name)) == (name in want, want.get(name)), name
        one = what_if.run(changes, s)
        assert (got.recommendation, got.scores, got.vetoes) == (
            one.recommendation,
            one.scores,
            one.vetoes,
        ), changes
        for name in HORIZONS:
            assert got.facts.get(name) == one.facts.get(name)
    return True


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_ranged_answers_as_columns_give_each_sample_the_facts_of_derive(path: Path) -> None:
    """A Monte Carlo with ranged answers: samples that share their answers are priced together
    (facts_over), each with the very facts and outcome of the one-sample path."""
    rs = load_ruleset()
    answers = {k: _point(v) for k, v in load_answers(path, rs).values.items()}
    rng = random.Random(path.name)
    assert _check_drawn(rs, answers, _draws(rs, answers, rng, 150))


def test_ranged_answers_as_columns_hold_over_generated_answers() -> None:
    rs = load_ruleset()
    rng = random.Random(16)
    applied = 0
    for answers in answer_sets(rs, 400, seed=16)[:100]:
        applied += _check_drawn(rs, dict(answers), _draws(rs, dict(answers), rng, 16))
    assert applied >= 30


def test_the_ranged_monte_carlo_takes_the_columns_and_agrees_with_one_process() -> None:
    """``usage.monthly_input_tokens: 1B..6B`` (the issue's example): the samples are priced
    as columns, one process or two give the same figures."""
    from advisor.load.ranges import Range
    from advisor.scenarios.montecarlo import simulate
    from advisor.scenarios.probe import Probe

    rs = load_ruleset()
    path = EXAMPLES[0].parent / "mid-size-mixed.yaml"
    answers: dict[str, Any] = dict(load_answers(path, rs).values)
    answers["usage.monthly_input_tokens"] = Range(1e9, 3.5e9, 6e9)
    d = rs.evaluate(answers)
    probe = Probe(rs, answers)
    took: list[int] = []
    run_drawn = probe.run_drawn

    def spy(draws: Any) -> Any:
        got = run_drawn(draws)
        took.append(got is not None)
        return got

    probe.run_drawn = spy  # type: ignore[method-assign]
    one = simulate(rs, answers, d, 600, 3, probe=probe, processes=1)
    assert took == [True]
    assert simulate(rs, answers, d, 600, 3, processes=2) == one
    assert sum(one.counts.values()) == 600
