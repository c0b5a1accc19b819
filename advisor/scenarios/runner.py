"""Scenario tests: named cases of answers with the decision they must produce."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.engine.ruleset import RuleSet
from advisor.load.bundle import display_path, load_answers_file, load_tests_file
from advisor.model.decision import Decision
from advisor.model.files import Expect, Scenario
from advisor.problems import AdvisorError, Location, Problem


@dataclass(frozen=True)
class CaseResult:
    name: str
    location: Location
    failures: tuple[str, ...]
    decision: Decision | None
    seconds: float
    error: Problem | None = None

    @property
    def passed(self) -> bool:
        return not self.failures and self.error is None


@dataclass
class TestRun:
    results: list[CaseResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # files that could not be loaded
    rule_ids: tuple[str, ...] = ()
    rule_locations: dict[str, Location] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    @property
    def ok(self) -> bool:
        return self.failed == 0 and not self.problems

    def coverage(self) -> dict[str, tuple[bool, bool]]:
        """For each rule: (seen firing, seen not firing) across the scenarios that ran."""
        fired = {rid: False for rid in self.rule_ids}
        quiet = {rid: False for rid in self.rule_ids}
        for result in self.results:
            d = result.decision
            if d is None:
                continue
            for rid in d.fired_ids:
                fired[rid] = True
            for rid in d.not_fired:
                quiet[rid] = True
        return {rid: (fired[rid], quiet[rid]) for rid in self.rule_ids}

    def coverage_percent(self) -> float:
        cov = self.coverage()
        if not cov:
            return 100.0
        both = sum(1 for f, q in cov.values() if f and q)
        return 100.0 * both / len(cov)


LAYER_CHOICES = ("all", "last", "own")
"""Which rules directories' tests run and whose rules count for coverage:

- ``all``: every directory's;
- ``last``: only the last directory's;
- ``own``: every directory's but the base's (the complete rule set at the bottom of the stack,
  usually the packaged defaults), so ``--rules company/`` tests the company's layer; with a
  single directory it is the same as ``all``.

A company layer is meant to change decisions, so the defaults' expectations need not hold
under it: ``own`` is what ``advisor test`` runs by default."""


def _layers(ruleset: RuleSet, layers: str) -> set[int]:
    count = len(ruleset.bundle.dirs)
    if layers == "last":
        return {count - 1}
    if layers == "own" and count > 1:
        return set(range(1, count))
    return set(range(count))


def scenario_files(ruleset: RuleSet, paths: Iterable[Path], layers: str = "all") -> list[Path]:
    """The tests of the rules directories chosen by ``layers`` (see :data:`LAYER_CHOICES`) plus
    the given files or folders, in order, unique."""
    tests = list(ruleset.bundle.test_files)
    chosen = _layers(ruleset, layers)
    if len(chosen) < len(ruleset.bundle.dirs):
        folders = {d.resolve() for i, d in enumerate(ruleset.bundle.dirs) if i in chosen}
        tests = [p for p in tests if p.resolve().parent.parent in folders]
    out: list[Path] = tests
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml")))
        else:
            out.append(path)
    seen: set[Path] = set()
    unique: list[Path] = []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def run_tests(ruleset: RuleSet, files: Iterable[Path], layers: str = "all") -> TestRun:
    """Run the scenarios in ``files``; coverage counts the active rules that the directories
    chosen by ``layers`` define (see :data:`LAYER_CHOICES`)."""
    chosen = _layers(ruleset, layers)
    rules = [cr for cr in ruleset.rules if cr.origin.layer in chosen]
    run = TestRun(
        rule_ids=tuple(cr.rule.id for cr in rules),
        rule_locations={cr.rule.id: cr.origin.loc("id") for cr in rules},
    )
    for path in files:
        try:
            parsed, doc = load_tests_file(path)
        except AdvisorError as exc:
            run.problems.extend(exc.problems)
            continue
        for i, scenario in enumerate(parsed.tests):
            where = doc.loc(("tests", i))
            run.results.append(_run_case(ruleset, scenario, path, doc, i, where))
    return run


def _run_case(
    ruleset: RuleSet, scenario: Scenario, path: Path, doc: Any, i: int, where: Location
) -> CaseResult:
    start = time.perf_counter()
    raw: dict[str, Any] = {}
    try:
        if scenario.answers_file:
            answers_path = (path.parent / scenario.answers_file).resolve()
            parsed, _ = load_answers_file(answers_path)
            raw.update(parsed.answers)
        raw.update(scenario.answers)
        answers = ruleset.validate_answers(
            raw, lambda qid, key: doc.loc(("tests", i, "answers", qid), key=key)
        )
    except AdvisorError as exc:
        return CaseResult(
            scenario.name, where, (), None, time.perf_counter() - start, exc.problems[0]
        )
    decision = ruleset.evaluate(answers)
    failures = tuple(_compare(ruleset, scenario.expect, decision))
    return CaseResult(scenario.name, where, failures, decision, time.perf_counter() - start)


def _compare(ruleset: RuleSet, expect: Expect, d: Decision) -> list[str]:
    out: list[str] = []
    known_rules = {cr.rule.id for cr in ruleset.rules}
    known_models = {m["id"] for m in d.models}
    for rid in (*expect.fired, *expect.not_fired, *expect.pending):
        if rid not in known_rules:
            out.append(f"expects rule {rid!r}, which is not an active rule of this rule set")
    for mid in (*expect.eligible, *expect.ineligible):
        if mid not in known_models:
            out.append(f"expects model {mid!r}, which is not in the catalog")
    if expect.recommendation is not None:
        wanted = (
            (expect.recommendation,)
            if isinstance(expect.recommendation, str)
            else expect.recommendation
        )
        if d.recommendation not in wanted:
            out.append(
                f"recommendation: expected {' or '.join(wanted)}, got {d.recommendation} "
                f"(scores {_scores(d)})"
            )
    fired = d.fired_ids
    pending = d.pending_ids
    for rid in expect.fired:
        if rid in known_rules and rid not in fired:
            state = "pending" if rid in pending else "did not fire"
            out.append(f"fired: expected {rid} to fire, it {state}")
    for rid in expect.not_fired:
        if rid in fired:
            out.append(f"not_fired: expected {rid} not to fire, it fired")
    for rid in expect.pending:
        if rid in known_rules and rid not in pending:
            out.append(f"pending: expected {rid} to be pending, it was decided")
    for option in expect.vetoed:
        if option not in d.vetoed:
            out.append(f"vetoed: expected {option} to be vetoed, it was not")
    for option in expect.not_vetoed:
        if option in d.vetoed:
            out.append(
                f"not_vetoed: expected {option} not to be vetoed, it was by "
                + ", ".join(d.vetoed[option])
            )
    eligibility = {m["id"]: m for m in d.models}
    for mid in expect.eligible:
        model = eligibility.get(mid)
        if model is not None and not model.get("eligible"):
            out.append(
                f"eligible: expected {mid} to be eligible, it was not: "
                + "; ".join(model.get("reasons", []))
            )
    for mid in expect.ineligible:
        model = eligibility.get(mid)
        if model is not None and model.get("eligible"):
            out.append(f"ineligible: expected {mid} to be ineligible, it was eligible")
    if expect.confidence_min is not None and d.confidence < expect.confidence_min:
        out.append(f"confidence: expected at least {expect.confidence_min}, got {d.confidence}")
    if expect.confidence_max is not None and d.confidence > expect.confidence_max:
        out.append(f"confidence: expected at most {expect.confidence_max}, got {d.confidence}")
    return out


def _scores(d: Decision) -> str:
    return ", ".join(f"{k} {v:g}" for k, v in d.scores.items())


__all__ = ["LAYER_CHOICES", "CaseResult", "TestRun", "display_path", "run_tests", "scenario_files"]
