"""The impact of a rule change (``advisor diff``): the same scenarios under two rule sets.

Each scenario (an answers file, or one case of a scenario test file) is evaluated under the
base rule set and the new one; the result says, per scenario, whether the recommendation, the
scores (beyond ``epsilon``), the fired rules, the vetoes or the validity of the answers changed,
and, for the rule sets themselves, which rules, categories, facts, questions and catalog entries
differ. Reporters live in :mod:`advisor.cli.formats.diff`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.engine.ruleset import RuleSet
from advisor.load.bundle import TESTS_DIR, display_path, load_answers_file, validate
from advisor.load.yamlsafe import load_file
from advisor.model.decision import Decision
from advisor.model.files import OPTIONS, AnswersFile, TestsFile
from advisor.model.parts import Option
from advisor.problems import AdvisorError, Location, Problem

EPSILON = 1e-6
EXAMPLES_DIR = "examples"


@dataclass(frozen=True)
class ScenarioInput:
    """One set of answers to evaluate: a scenario test case or a whole answers file."""

    key: str  # stable identity across the two rule sets
    label: str  # what a reader sees
    location: Location
    raw: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """A scenario under one rule set: its decision, or why its answers were refused."""

    decision: Decision | None
    error: Problem | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.decision is None:
            err = self.error
            return {"error": err.to_dict() if err else None}
        d = self.decision
        return {
            "recommendation": d.recommendation,
            "scores": dict(d.scores),
            "vetoed": sorted(d.vetoed),
            "fired": sorted(d.fired_ids),
            "confidence": d.confidence,
        }


@dataclass(frozen=True)
class ScenarioDiff:
    scenario: ScenarioInput
    base: Outcome
    new: Outcome
    recommendation: tuple[str, str] | None = None
    scores: dict[Option, tuple[float, float]] = field(default_factory=dict)
    fired_added: tuple[str, ...] = ()
    fired_removed: tuple[str, ...] = ()
    vetoed_added: tuple[str, ...] = ()
    vetoed_removed: tuple[str, ...] = ()
    validity: tuple[str, str] | None = None  # ("ok" | error text) before and after

    @property
    def changed(self) -> bool:
        return bool(
            self.recommendation
            or self.scores
            or self.fired_added
            or self.fired_removed
            or self.vetoed_added
            or self.vetoed_removed
            or self.validity
        )

    def because(self, rule_id: str) -> str:
        """The rendered reason of a fired rule, from whichever side fired it."""
        for outcome in (self.new, self.base):
            if outcome.decision is not None:
                for r in outcome.decision.fired:
                    if r.id == rule_id:
                        return r.because
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.scenario.key,
            "scenario": self.scenario.label,
            "file": self.scenario.location.file,
            "line": self.scenario.location.line,
            "changed": self.changed,
            "recommendation": (
                {"base": self.recommendation[0], "new": self.recommendation[1]}
                if self.recommendation
                else None
            ),
            "scores": {
                o: {"base": b, "new": n, "delta": round(n - b, 6)}
                for o, (b, n) in self.scores.items()
            },
            "fired": {"added": list(self.fired_added), "removed": list(self.fired_removed)},
            "vetoed": {"added": list(self.vetoed_added), "removed": list(self.vetoed_removed)},
            "validity": (
                {"base": self.validity[0], "new": self.validity[1]} if self.validity else None
            ),
            "base": self.base.to_dict(),
            "new": self.new.to_dict(),
        }


@dataclass(frozen=True)
class DefinitionChanges:
    """What differs between the two rule sets' definitions (not their decisions)."""

    rules_added: tuple[str, ...] = ()
    rules_removed: tuple[str, ...] = ()
    rules_modified: tuple[str, ...] = ()
    rules_disabled: tuple[str, ...] = ()  # switched off in the new set (present in the base)
    rules_enabled: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # added, removed or re-weighted
    facts: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    catalog: tuple[str, ...] = ()  # "section/id"

    @property
    def any(self) -> bool:
        return any(getattr(self, f) for f in self.__dataclass_fields__)

    def to_dict(self) -> dict[str, list[str]]:
        return {f: list(getattr(self, f)) for f in self.__dataclass_fields__}


@dataclass
class DiffResult:
    base_dirs: tuple[str, ...]
    new_dirs: tuple[str, ...]
    base_digest: str
    new_digest: str
    scenarios: list[ScenarioDiff] = field(default_factory=list)
    definitions: DefinitionChanges = field(default_factory=DefinitionChanges)
    problems: list[Problem] = field(default_factory=list)
    epsilon: float = EPSILON

    @property
    def changed(self) -> list[ScenarioDiff]:
        return [s for s in self.scenarios if s.changed]


# --- finding the scenarios ----------------------------------------------------------------------


def _yaml_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def default_sources(base: RuleSet, new: RuleSet, cwd: Path | None = None) -> list[Path]:
    """What ``advisor diff`` evaluates when given no scenarios: every scenario test file of
    both rule sets' directories (the new copy when both have one at the same place) and every
    YAML file under ``examples/`` in the working directory (answers and scenario files; other
    YAML there, such as a company's rule files, is skipped)."""
    by_key: dict[str, Path] = {}
    for ruleset in (base, new):
        for path in ruleset.bundle.test_files:
            by_key[_test_key(path)] = path  # the new rule set's copy wins
    out = list(by_key.values())
    examples = (cwd or Path.cwd()) / EXAMPLES_DIR
    if examples.is_dir():
        out.extend(_yaml_under(examples))
    return out


def _test_key(path: Path) -> str:
    """``rules/tests/a.yaml`` -> ``rules/tests/a.yaml`` whatever the folder above ``rules``,
    so the base checkout's copy and the working tree's copy of a test are one scenario."""
    parts = path.parts
    if len(parts) >= 3 and parts[-2] == TESTS_DIR:
        return "/".join(parts[-3:])
    return display_path(path)


def expand(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out.extend(_yaml_under(p) if p.is_dir() else [p])
    return out


def load_scenarios(
    files: Sequence[Path], *, explicit: Sequence[Path] = ()
) -> tuple[list[ScenarioInput], list[Problem]]:
    """Scenario inputs from answers files and scenario test files.

    A file that is neither is skipped when it was found by searching (examples hold rule
    files too), and is a problem when it was named on the command line (``explicit``).
    """
    named = {p.resolve() for p in explicit}
    inputs: list[ScenarioInput] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path in files:
        if not path.exists():
            problems.append(
                Problem(
                    Location(display_path(path)),
                    "ADV100",
                    "The scenario file does not exist; check the path.",
                )
            )
            continue
        try:
            found = _inputs_of(path)
        except AdvisorError as exc:
            problems.extend(exc.problems)
            continue
        if found is None:
            if path.resolve() in named:
                problems.append(
                    Problem(
                        Location(display_path(path), 1, 1),
                        "ADV201",
                        "This file is neither an answers file (answers:, meta:) nor a scenario "
                        "test file (tests:); give one of those.",
                    )
                )
            continue
        for item in found:
            if item.key not in seen:
                seen.add(item.key)
                inputs.append(item)
    return inputs, problems


def _inputs_of(path: Path) -> list[ScenarioInput] | None:
    name = display_path(path)
    doc = load_file(path, name)
    data = doc.data
    if not isinstance(data, dict):
        return None
    if "tests" in data:
        parsed = validate(TestsFile, doc)
        key_base = _test_key(path)
        out: list[ScenarioInput] = []
        for i, case in enumerate(parsed.tests):
            raw: dict[str, Any] = {}
            if case.answers_file:
                answers, _ = load_answers_file((path.parent / case.answers_file).resolve())
                raw.update(answers.answers)
            raw.update(case.answers)
            out.append(
                ScenarioInput(f"{key_base}::{case.name}", case.name, doc.loc(("tests", i)), raw)
            )
        return out
    if "answers" in data or "meta" in data:
        parsed_answers = validate(AnswersFile, doc)
        title = parsed_answers.meta.title or name
        return [ScenarioInput(name, title, Location(name, 1, 1), dict(parsed_answers.answers))]
    return None


# --- evaluating and comparing -------------------------------------------------------------------


def outcome(ruleset: RuleSet, scenario: ScenarioInput) -> Outcome:
    try:
        typed = ruleset.validate_answers(scenario.raw, lambda qid, key: scenario.location)
    except AdvisorError as exc:
        return Outcome(None, exc.problems[0])
    return Outcome(ruleset.evaluate(typed))


def compare(
    scenario: ScenarioInput, base: Outcome, new: Outcome, epsilon: float = EPSILON
) -> ScenarioDiff:
    if base.decision is None or new.decision is None:
        before = "ok" if base.decision else _error_text(base.error)
        after = "ok" if new.decision else _error_text(new.error)
        validity = None if before == after else (before, after)
        return ScenarioDiff(scenario, base, new, validity=validity)
    b, n = base.decision, new.decision
    scores = {
        o: (b.scores.get(o, 0.0), n.scores.get(o, 0.0))
        for o in OPTIONS
        if abs(n.scores.get(o, 0.0) - b.scores.get(o, 0.0)) > epsilon
    }
    return ScenarioDiff(
        scenario,
        base,
        new,
        recommendation=(
            (_said(b.recommendation), _said(n.recommendation))
            if b.recommendation != n.recommendation
            else None
        ),
        scores=scores,
        fired_added=_ordered(n.fired_ids - b.fired_ids, n),
        fired_removed=_ordered(b.fired_ids - n.fired_ids, b),
        vetoed_added=tuple(o for o in OPTIONS if o in n.vetoed and o not in b.vetoed),
        vetoed_removed=tuple(o for o in OPTIONS if o in b.vetoed and o not in n.vetoed),
    )


NO_ALLOWED_OPTION = "no allowed option"


def _said(recommendation: str | None) -> str:
    """A recommendation as a diff shows it: every option vetoed reads "no allowed option",
    not the best-scored vetoed option."""
    return NO_ALLOWED_OPTION if recommendation is None else recommendation


def _ordered(ids: frozenset[str], d: Decision) -> tuple[str, ...]:
    """Rule ids in the order they fired (rule-file order), which reads better than sorted."""
    return tuple(r.id for r in d.fired if r.id in ids)


def _error_text(problem: Problem | None) -> str:
    return f"{problem.code}: {problem.message}" if problem else "invalid"


def definitions(base: RuleSet, new: RuleSet) -> DefinitionChanges:
    b, n = base.bundle, new.bundle
    active_b = {rid for rid, r in b.rules.items() if not r.disabled}
    active_n = {rid for rid, r in n.rules.items() if not r.disabled}
    both = active_b & active_n

    def strip(rule: Any) -> Any:
        return rule.model_dump(exclude={"disabled"})

    order = list(n.rules) + [r for r in b.rules if r not in n.rules]

    def ordered(ids: set[str]) -> tuple[str, ...]:
        return tuple(r for r in order if r in ids)

    disabled = {rid for rid in active_b if rid in n.rules and n.rules[rid].disabled}
    enabled = {rid for rid in active_n if rid in b.rules and b.rules[rid].disabled}
    return DefinitionChanges(
        rules_added=ordered(active_n - active_b - enabled),
        rules_removed=ordered(active_b - active_n - disabled),
        rules_modified=ordered({r for r in both if strip(b.rules[r]) != strip(n.rules[r])}),
        rules_disabled=ordered(disabled),
        rules_enabled=ordered(enabled),
        categories=_changed(b.categories, n.categories),
        facts=_changed(b.facts, n.facts),
        questions=_changed(b.questions, n.questions),
        catalog=tuple(
            f"{section}/{eid}"
            for section in sorted(set(b.catalog_data) | set(n.catalog_data))
            for eid in _changed(
                {e["id"]: e for e in b.catalog_data.get(section, [])},
                {e["id"]: e for e in n.catalog_data.get(section, [])},
            )
        ),
    )


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    keys = list(after) + [k for k in before if k not in after]
    return tuple(k for k in keys if before.get(k) != after.get(k))


def diff(
    base: RuleSet,
    new: RuleSet,
    scenarios: Sequence[ScenarioInput],
    *,
    epsilon: float = EPSILON,
    problems: Sequence[Problem] = (),
) -> DiffResult:
    result = DiffResult(
        base_dirs=tuple(display_path(d) for d in base.bundle.dirs),
        new_dirs=tuple(display_path(d) for d in new.bundle.dirs),
        base_digest=base.digest,
        new_digest=new.digest,
        definitions=definitions(base, new),
        problems=list(problems),
        epsilon=epsilon,
    )
    for scenario in scenarios:
        result.scenarios.append(
            compare(scenario, outcome(base, scenario), outcome(new, scenario), epsilon)
        )
    return result
