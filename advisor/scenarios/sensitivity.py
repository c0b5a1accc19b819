"""Flip points: what would have to change for the recommendation to change.

* Numeric answers (and the catalog's scaled assumptions, as factors of 1): searched from
  today's value up to x10 and down to x0.1 (within the question's min/max; for a question
  bounded on both sides, such as a percentage, over its whole span): a geometric scan of 8
  steps each way finds the first value that changes the recommendation, then bisection narrows
  it to 1 % of the value. Reported: the value, the option it changes to, the direction.
* Integer questions with at most 11 values (priorities 1-5) and choice and yes/no questions:
  every other value is tried; those that change the recommendation are listed.

``closeness`` orders the list: |log10(flips_at / current)| for numbers (0 = no change needed,
1 = a factor of ten), steps / span for scales, and 1 for a choice (one whole answer changed).

The tornado (:func:`tornado`) varies each input over its band (a stated range, the catalog's
default band, or x0.5..x2 for a point answer) and reports the horizon-cost ratio of the two
leading options at each end.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from advisor.engine.ruleset import RuleSet
from advisor.load.ranges import Range
from advisor.model.decision import Decision
from advisor.model.parts import FlipPoint, Option, Tornado, TornadoBar
from advisor.scenarios.fork import fork_safe, in_two
from advisor.scenarios.probe import SCALES, Probe, horizon_fact

SCAN_STEPS = 8
TOLERANCE = 0.01


def numeric_questions(rs: RuleSet, answers: Mapping[str, Any]) -> list[str]:
    return [
        q
        for q, question in rs.questions.items()
        if question.type in ("number", "integer")
        and isinstance(answers.get(q), int | float)
        and not isinstance(answers.get(q), bool)
    ]


Task = tuple[str, str]  # (kind: numeric | scale | choice, the question or scale searched)


def flip_points(
    rs: RuleSet,
    answers: Mapping[str, Any],
    probe: Probe | None = None,
    processes: int | None = None,
) -> list[FlipPoint]:
    """The ``sensitivity`` list of the decision's JSON (module doc), closest first.

    Each input is searched on its own (a task); ``processes``: 1 searches them all here, 2
    searches about half of the work in a forked process (:func:`advisor.scenarios.fork.
    in_two`), None uses two where fork is safe. The list is sorted at the end, so it is the
    same whichever is used."""
    probe = probe or Probe(rs, answers)
    tasks: list[Task] = [("numeric", q) for q in numeric_questions(rs, answers)]
    tasks += [("scale", name) for name in SCALES]
    # A changed choice can change which questions are asked and which models rules exclude,
    # so each is decided by the engine itself (one full evaluation each).
    tasks += [
        ("choice", q)
        for q, question in rs.questions.items()
        if question.type in ("choice", "bool") and q in answers and answers[q] is not None
    ]

    def search(part: list[Task]) -> list[list[FlipPoint]]:
        return [_flips_of(rs, answers, probe, kind, name) for kind, name in part]

    if processes is None:
        processes = 2 if fork_safe() else 1
    if processes >= 2:
        first, second = _balance(rs, answers, probe, tasks)
        found = in_two(search, first, second)
    else:
        found = search(tasks)
    out = [e for entries in found for e in entries]
    out.sort(key=lambda e: (e["closeness"], e["fact"], str(e["flips_at"]), e["direction"]))
    return out


def _balance(
    rs: RuleSet, answers: Mapping[str, Any], probe: Probe, tasks: list[Task]
) -> tuple[list[Task], list[Task]]:
    """Two lists of tasks of about equal work. A what-if that runs the cost model costs
    milliseconds, one that does not tens of microseconds, so a task weighs its evaluations
    (16 for a scanned number, the other values of a choice or short integer) times 50 when
    the cost model runs for it."""

    def weight(task: Task) -> int:
        kind, name = task
        if kind == "scale":
            return 16 * 50
        question = rs.questions[name]
        n = 16 if kind == "numeric" else 2 if question.type == "bool" else len(question.options)
        if question.type == "integer" and question.min is not None and question.max is not None:
            n = min(n, int(question.max - question.min) + 1)
        return n * (50 if probe.what_if.variant(frozenset({name}), False).cost else 1)

    first: list[Task] = []
    second: list[Task] = []
    load = [0, 0]
    for task in sorted(tasks, key=weight, reverse=True):  # stable: ties keep their order
        side = 0 if load[0] <= load[1] else 1
        (first if side == 0 else second).append(task)
        load[side] += weight(task)
    return first, second


def _flips_of(
    rs: RuleSet, answers: Mapping[str, Any], probe: Probe, kind: str, name: str
) -> list[FlipPoint]:
    """The flip points of one input (module doc)."""
    base = probe.recommendation
    out: list[FlipPoint] = []
    if kind == "scale":
        for direction in ("up", "down"):
            found = _search(probe, base, name, 1.0, 0.1, 10.0, direction, False, scale=True)
            if found is not None:
                value, to = found
                out.append(
                    _entry(name, 1.0, round(value, 4), to, direction, abs(math.log10(value)))
                )
        return out
    question = rs.questions[name]
    if kind == "choice":
        current_v = answers[name]
        values: list[Any] = (
            [True, False] if question.type == "bool" else list(question.option_values)
        )
        for v in values:
            if v == current_v:
                continue
            to = probe.run({name: v})[0]
            if to != base:
                out.append(_entry(name, current_v, v, to, "choice", 1.0))
        return out
    current = float(answers[name])
    lo = question.min if question.min is not None else -math.inf
    hi = question.max if question.max is not None else math.inf
    if question.type == "integer" and math.isfinite(lo) and math.isfinite(hi) and hi - lo <= 10:
        for v in range(int(lo), int(hi) + 1):
            if v == current:
                continue
            to = probe.run({name: v})[0]
            if to != base:
                out.append(
                    _entry(
                        name,
                        current,
                        v,
                        to,
                        "up" if v > current else "down",
                        abs(v - current) / (hi - lo),
                    )
                )
        return out
    for direction in ("up", "down"):
        found = _search(probe, base, name, current, lo, hi, direction, question.type == "integer")
        if found is not None:
            value, to = found
            out.append(
                _entry(name, current, value, to, direction, _log_distance(value, current, lo, hi))
            )
    return out


def _entry(
    fact: str, current: Any, at: Any, to: Option | None, direction: Any, closeness: float
) -> FlipPoint:
    if isinstance(at, float):
        at = round(at, 6)
    if isinstance(current, Range):
        current = float(current)
    return {
        "fact": fact,
        "current": current,
        "flips_at": at,
        "to": to,
        "direction": direction,
        "closeness": round(closeness, 4),
    }


def _log_distance(value: float, current: float, lo: float, hi: float) -> float:
    if current > 0 and value > 0:
        return abs(math.log10(value / current))
    span = hi - lo if math.isfinite(hi - lo) and hi > lo else 1.0
    return abs(value - current) / span


def _search(
    probe: Probe,
    base: Option | None,
    name: str,
    current: float,
    lo: float,
    hi: float,
    direction: str,
    integer: bool,
    scale: bool = False,
) -> tuple[float, Option | None] | None:
    """The value nearest ``current`` in ``direction`` where the recommendation changes."""

    def decide(x: float) -> Option | None:
        if scale:
            return probe.run({}, {name: x})[0]
        return probe.run({name: round(x) if integer else x})[0]

    bounded = math.isfinite(lo) and math.isfinite(hi)
    if bounded and hi - lo > 0:
        end = hi if direction == "up" else lo
        grid = [current + (end - current) * k / SCAN_STEPS for k in range(1, SCAN_STEPS + 1)]
    else:
        if current <= 0:
            return None  # x0.1..x10 of zero is zero: nothing to scan
        factor = 10.0 if direction == "up" else 0.1
        grid = [current * factor ** (k / SCAN_STEPS) for k in range(1, SCAN_STEPS + 1)]
        grid = [min(max(x, lo), hi) for x in grid]
    prev = current
    for x in grid:
        if x == prev:
            continue
        to = decide(x)
        if to != base:
            a, b = prev, x  # a keeps the recommendation, b changes it
            while abs(b - a) > TOLERANCE * max(abs(current), abs(b), 1e-9):
                mid = (a + b) / 2
                if integer and round(mid) in (round(a), round(b)):
                    break
                t = decide(mid)
                if t == base:
                    a = mid
                else:
                    b, to = mid, t
            return (float(round(b)) if integer else b), to
        prev = x
    return None


def tornado(
    rs: RuleSet,
    answers: Mapping[str, Any],
    decision: Decision,
    bands: Mapping[str, tuple[float, float, float]],
    probe: Probe | None = None,
) -> Tornado | None:
    """For each input: the horizon-cost ratio of the two leading options at the low and high
    end of its band (module doc); None when the two leading options have no costs."""
    ranking = [o for o in decision.ranking if o not in decision.vetoed] or list(decision.ranking)
    if len(ranking) < 2:
        return None
    first, second = ranking[0], ranking[1]
    numeric = numeric_questions(rs, answers)
    probe = probe or Probe(rs, answers)

    def ratio(facts: Mapping[str, Any]) -> float | None:
        a, b = facts.get(horizon_fact(first)), facts.get(horizon_fact(second))
        if isinstance(a, int | float) and isinstance(b, int | float) and b > 0:
            return round(float(a) / float(b), 4)
        return None

    base = ratio(probe.base_facts)
    if base is None:
        return None
    bars: list[TornadoBar] = []
    for qid in numeric:
        v = answers[qid]
        question = rs.questions[qid]
        if isinstance(v, Range):
            low, high = v.low, v.high
        else:
            low, high = float(v) * 0.5, float(v) * 2.0
        if question.min is not None:
            low = max(low, question.min)
        if question.max is not None:
            high = min(high, question.max)
        if question.type == "integer":
            low, high = float(round(low)), float(round(high))
        r_low = ratio(probe.run({qid: low})[1])
        r_high = ratio(probe.run({qid: high})[1])
        if r_low is not None and r_high is not None and (r_low != base or r_high != base):
            bars.append(
                {"fact": qid, "low": low, "high": high, "ratio_low": r_low, "ratio_high": r_high}
            )
    for name in SCALES:
        low, _likely, high = bands[name]
        r_low = ratio(probe.run({}, {name: low})[1])
        r_high = ratio(probe.run({}, {name: high})[1])
        if r_low is not None and r_high is not None:
            bars.append(
                {"fact": name, "low": low, "high": high, "ratio_low": r_low, "ratio_high": r_high}
            )
    bars.sort(key=lambda b: (-abs(b["ratio_high"] - b["ratio_low"]), b["fact"]))
    return {"numerator": first, "denominator": second, "ratio": base, "bars": bars}
