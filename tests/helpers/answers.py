"""Generated answer sets for the property tests (issues 12 and 14), drawn two ways from one table
of values per question:

- :func:`answer_sets` draws a fixed list with a seeded ``random.Random``: thousands of cases
  cost almost nothing to draw (a hypothesis draw of the 48 answers costs about three
  evaluations), so the bulk runs once per session and every property reads the same cases;
- :func:`answers_strategy` is the same table as a hypothesis strategy, for a modest number of
  examples with shrinking, which turns a failure into a minimal counterexample.

The values are chosen where the rules and the cost model change behaviour (a volume per
decade, the 5 % and 60 % frontier-share thresholds, the 100 M-user licence caps, prompts
from short to a million tokens), not spread uniformly.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from hypothesis import strategies as st

from advisor.engine.ruleset import RuleSet

# Monthly volumes, input and output alike: a hobby project to a large consumer product.
VOLUMES = (1e6, 1e7, 1e8, 5e8, 1e9, 3e9, 1e10, 3e10, 1e11, 2e11)
# None is "unanswered" throughout: the question's default or the catalog's figure applies.
NUMBERS: Mapping[str, tuple[Any, ...]] = {
    # prompt lengths, not monthly volumes (sizing bounds them at 100 M tokens)
    "usage.context_typical_tokens": (None, 4e3, 1.28e5, 1e6),
    "usage.context_longest_tokens": (None, 4e3, 1.28e5, 1e6),
    # 150 M crosses the 100 M caps and display duties of the open licences; 900 M the 700 M cap
    "org.monthly_active_users": (0, 3_000_000, 150_000_000, 900_000_000),
    "usage.frontier_share": (0.0, 2.0, 5.0, 20.0, 60.0, 97.0),
    "usage.latency_target_ms": (None, 150.0, 800.0, 3000.0),
    "ops.ml_engineers": (0, 1, 3, 6, 12),
    "ops.gpu_hourly_usd": (None, 1.5, 2.5, 4.0),
    "strategy.horizon_months": (12, 36, 60),
}
# Multi-choice answers: each option ticked with this chance (most organisations tick none).
TICK = 0.15


def domain(rs: RuleSet, qid: str) -> tuple[Any, ...]:
    """The values drawn for a single-valued question (None: left unanswered)."""
    q = rs.questions[qid]
    if q.type == "choice":
        return tuple(q.option_values)
    if q.type == "bool":
        return (False, True)
    if qid in NUMBERS:
        return NUMBERS[qid]
    if qid.endswith("_tokens"):
        return VOLUMES
    if q.default is not None:
        return (q.default,)
    if q.optional:
        return (None,)
    return (q.min if q.min is not None else 0,)


def _questions(rs: RuleSet) -> list[str]:
    # free text (model and GPU pins) is left to the defaults: a pin names one catalog entry
    return [qid for qid, q in rs.questions.items() if q.type != "text"]


def random_answers(rs: RuleSet, rng: random.Random) -> dict[str, Any]:
    """One answer set drawn with ``rng``; unanswered questions are left out."""
    out: dict[str, Any] = {}
    for qid in _questions(rs):
        q = rs.questions[qid]
        if q.type == "multi":
            out[qid] = [v for v in q.option_values if rng.random() < TICK]
            continue
        value = rng.choice(domain(rs, qid))
        if value is not None:
            out[qid] = value
    return out


def answer_sets(rs: RuleSet, n: int, seed: int = 14) -> list[dict[str, Any]]:
    """``n`` answer sets, the same ones on every run and machine for a given seed."""
    rng = random.Random(seed)
    return [random_answers(rs, rng) for _ in range(n)]


@cache
def _strategy(rs: RuleSet) -> st.SearchStrategy[dict[str, Any]]:
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for qid in _questions(rs):
        q = rs.questions[qid]
        if q.type == "multi":
            parts[qid] = st.lists(st.sampled_from(q.option_values), unique=True)
        else:
            values: Sequence[Any] = domain(rs, qid)
            parts[qid] = st.sampled_from(values) if len(values) > 1 else st.just(values[0])
    return st.fixed_dictionaries(parts).map(lambda a: {k: v for k, v in a.items() if v is not None})


def answers_strategy(rs: RuleSet) -> st.SearchStrategy[dict[str, Any]]:
    """The same table as a hypothesis strategy (shrinks towards each list's first value)."""
    return _strategy(rs)
