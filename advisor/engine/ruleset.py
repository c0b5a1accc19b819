"""Compile a loaded rule set into one Python function, and evaluate answers to a Decision.

Evaluation has two paths that must agree (a property test holds them to it):

* the fast path, one generated function over a flat fact mapping, used when every fact the
  rule set reads has a value: this is what makes a decision cost microseconds;
* the partial path, three-valued closures (:func:`advisor.expr.language.compile3`) used while
  answers are missing: a rule whose condition cannot be decided yet is *pending* and says which
  questions it waits for. A rule set evaluated partially often (a TUI session, a sampling run
  over answers that leave some cost fact without a value) gets the partial path generated as
  one function too (:func:`_partial`), which decides per expression at run time between the
  compiled code and the closures, exactly as the interpreter does.
"""

from __future__ import annotations

import ast
import math
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import CodeType
from typing import Any

from advisor import __version__
from advisor.catalog.derivation import Scales
from advisor.catalog.facts import fact_specs
from advisor.catalog.freshness import catalog_as_of
from advisor.catalog.schema import Catalog
from advisor.expr.language import (
    BOOL,
    LIST_STR,
    NUMBER,
    RUNTIME,
    STR,
    UNKNOWN,
    Checked,
    ExprError,
    FactInfo,
    check,
    compile3,
    to_python,
)
from advisor.load.bundle import Bundle, Origin, catalog_location, load_bundle, validate
from advisor.load.values import AnswerError, coerce_answer
from advisor.model.decision import Decision, FiredRule, PendingRule
from advisor.model.factspec import FactSpec
from advisor.model.files import OPTIONS, Question, Rule
from advisor.model.parts import TIE_BREAK, Effects, Note, Option, Tie
from advisor.problems import AdvisorError, Location, Problem, did_you_mean

_TYPE_OF_QUESTION = {
    "choice": STR,
    "multi": LIST_STR,
    "number": NUMBER,
    "integer": NUMBER,
    "bool": BOOL,
    "text": STR,
}
_SAMPLE = {NUMBER: 1234.5, BOOL: True, STR: "text", LIST_STR: ["a"], "list[number]": [1.0]}


@dataclass(frozen=True)
class CompiledRule:
    index: int
    rule: Rule
    origin: Origin
    condition: Checked | None  # None: always true
    category: str
    deps: frozenset[str]  # the questions the condition reads, through derived facts
    because_fields: tuple[tuple[str, str, str | None, str], ...]  # literal, name, spec, conv


@dataclass(frozen=True)
class CompiledFact:
    id: str
    checked: Checked
    deps: frozenset[str]


class RuleSet:
    """A checked, compiled rule set: the questionnaire, facts, rules and catalog together."""

    def __init__(self, bundle: Bundle, catalog: Catalog, warnings: list[Problem]) -> None:
        self.bundle = bundle
        self.catalog = catalog
        self.warnings = warnings
        self.sections = tuple(bundle.sections)
        self.questions: dict[str, Question] = bundle.questions
        self.title = bundle.title
        self.digest = bundle.digest
        per_catalog = _per_catalog(catalog)
        self.catalog_as_of = per_catalog.as_of
        self.env: dict[str, FactInfo] = {}
        self.deps: dict[str, frozenset[str]] = {}
        self.facts: list[CompiledFact] = []
        self.weights: dict[str, Checked | float] = {}
        self.rules: list[CompiledRule] = []
        self.ask_if: dict[str, Checked] = {}
        self.defaults: dict[str, Any] = {}
        # Per catalog: model and GPU facts list the catalog's ids as their options.
        self.computed: dict[str, FactSpec] = dict(per_catalog.specs)
        self._fast: Callable[[Mapping[str, Any]], tuple[Any, ...]] | None = None
        self._fast_source = ""
        self._reads: frozenset[str] = frozenset()
        # Two compiled functions per expression, keyed by id(checked.tree), for the partial
        # path: an expression whose names all have values runs the generated two-valued code;
        # the others run its three-valued closures, built once here rather than walking the
        # tree on every evaluation (the TUI evaluates on every answer).
        self._expr_fns: dict[int, Callable[[Mapping[str, Any]], Any]] = {}
        self._expr3_fns: dict[int, Callable[[Mapping[str, Any]], Any]] = {}
        self._early_facts: list[CompiledFact] = []  # derived facts the cost model does not feed
        self._exclusion_rules: list[CompiledRule] = []
        self._question_rank: dict[str, int] = {}  # questionnaire order, to sort pending needs
        self._interp: _Interp | None = None  # the partial path's tables (built by _generate)
        # The partial path's generated function (see _partial), built once the rule set has
        # been evaluated partially PARTIAL_AFTER times, and the count until then.
        self._partial_fn: _PartialFn | None = None
        self._partial_count = 0
        self._derived_ids: frozenset[str] = frozenset()

    # -- public helpers used by the TUI and the CLI ------------------------------------------

    def coerce(self, question_id: str, raw: Any) -> Any:
        """The typed value of ``raw`` for a question; raises AnswerError naming the fix."""
        return coerce_answer(self.questions[question_id], raw)

    def asked(self, answers: Mapping[str, Any]) -> dict[str, bool]:
        """For each question: is it asked given these answers (its ``ask_if`` holds)?"""
        _values, skipped, _ = self._base_values(answers)
        return {qid: qid not in skipped for qid in self.questions}

    def evaluate(self, answers: Mapping[str, Any]) -> Decision:
        """The decision for typed answers (see :meth:`validate_answers` for raw ones): a point
        evaluation, no sampling. Its ``confidence`` is the score-margin measure (docs/engine.md),
        not a probability; :func:`advisor.scenarios.robust.assess` adds the probability."""
        return _evaluate(self, answers)

    def outcome(self, answers: Mapping[str, Any], scales: Scales | None = None) -> Outcome:
        """The recommendation, scores and facts only, for what-if questions asked thousands of
        times (flip points, Monte Carlo): the same computation as :meth:`evaluate` (the same
        cost model, ``scales`` applied, and compiled rules) without building the Decision."""
        return _outcome(self, answers, scales)

    def validate_answers(
        self, raw: Mapping[str, Any], locate: Callable[[str, bool], Location] | None = None
    ) -> dict[str, Any]:
        """Typed answers from raw ones; raises AdvisorError listing every bad answer."""
        problems: list[Problem] = []
        typed: dict[str, Any] = {}
        where = locate or (lambda qid, key: Location("answers"))
        for qid, value in raw.items():
            question = self.questions.get(qid)
            if question is None:
                hint = did_you_mean(qid, self.questions)
                problems.append(
                    Problem(
                        where(qid, True),
                        "ADV501",
                        f"{qid!r} is not a question of this questionnaire.{hint} Remove it or "
                        "correct the id.",
                    )
                )
                continue
            if value is None:
                continue  # an explicit null means unanswered
            try:
                typed[qid] = coerce_answer(question, value)
            except AnswerError as exc:
                problems.append(Problem(where(qid, False), exc.code, exc.message))
        if problems:
            raise AdvisorError(problems)
        return typed

    # -- values -----------------------------------------------------------------------------

    def _base_values(
        self, answers: Mapping[str, Any]
    ) -> tuple[dict[str, Any], set[str], list[str]]:
        """Answers plus defaults, minus skipped questions; returns values, skipped, defaulted."""
        values: dict[str, Any] = {}
        defaults = self.defaults
        unanswered: list[str] = []  # in questionnaire order
        for qid in self.questions:
            if qid in answers and (value := answers[qid]) is not None:
                values[qid] = value
            else:
                unanswered.append(qid)
                if qid in defaults:
                    values[qid] = defaults[qid]
        skipped: set[str] = set()
        for qid, cond in self.ask_if.items():
            if _value(self, cond, values) is False:
                skipped.add(qid)
                if qid in defaults:
                    values[qid] = defaults[qid]
                else:
                    values.pop(qid, None)
        defaulted = [qid for qid in unanswered if qid in defaults and qid not in skipped]
        return values, skipped, defaulted

    @property
    def fast_source(self) -> str:
        """The generated Python source of the fast path (for the curious and for tests)."""
        if self._fast is None:
            _build_fast(self)
        return self._fast_source

    def decide_fast(self, facts: Mapping[str, Any]) -> tuple[Any, ...]:
        """The compiled function itself: (best option index, (s0, s1, ...), veto mask, fired,
        derived values), one score per option of :data:`OPTIONS`."""
        fast = self._fast
        if fast is None:
            fast = _build_fast(self)
        return fast(facts)


# --- compiling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PerCatalog:
    """What a compile derives from the catalog alone: its newest date, the computed facts'
    specs (model and GPU ids as options) and their entries in the checker's environment."""

    catalog: Catalog
    as_of: str
    specs: dict[str, FactSpec]
    env: dict[str, FactInfo]
    deps: dict[str, frozenset[str]]


_PER_CATALOG: list[_PerCatalog] = []


def _per_catalog(catalog: Catalog) -> _PerCatalog:
    """Per catalog object, worked out once: a validated Catalog is frozen, and the compiles
    that share one (the fuzz tests' 2,000 rule sets over one base, a what-if's variants) each
    spent about 0.4 ms re-deriving the same tables. By identity, the few most recent."""
    for entry in _PER_CATALOG:
        if entry.catalog is catalog:
            return entry
    specs = fact_specs(catalog)
    entry = _PerCatalog(
        catalog,
        catalog_as_of(catalog),
        specs,
        # a computed list is a list of ids (models, hosted models): typed as such, so a rule
        # may test membership ('cost.hosted_month1_model not in cost.hosted_cheaper_models')
        {
            name: FactInfo(LIST_STR if spec.type == "list" else spec.type, spec.options, "computed")
            for name, spec in specs.items()
        },
        {name: frozenset(spec.needs) for name, spec in specs.items()},
    )
    _PER_CATALOG.insert(0, entry)
    del _PER_CATALOG[4:]
    return entry


def load_ruleset(dirs: list[Any] | tuple[Any, ...] | None = None) -> RuleSet:
    """Load, check and compile the rules directories (default: the packaged rule set).

    Raises AdvisorError with every problem found; warnings are on ``RuleSet.warnings``.
    """
    from pathlib import Path

    bundle = load_bundle([Path(d) for d in dirs] if dirs else None)
    return compile_bundle(bundle)


def compile_bundle(bundle: Bundle) -> RuleSet:
    problems: list[Problem] = []
    catalog = _build_catalog(bundle, problems)
    if catalog is None:
        raise AdvisorError(problems)
    rs = RuleSet(bundle, catalog, [p for p in bundle.problems if p.severity == "warning"])
    _check_questions(rs, problems)
    _check_facts(rs, problems)
    _check_categories(rs, problems)
    _check_rules(rs, problems)
    errors = [p for p in problems if p.severity == "error"]
    rs.warnings.extend(p for p in problems if p.severity == "warning")
    if errors:
        raise AdvisorError(errors)
    _generate(rs)
    return rs


def _build_catalog(bundle: Bundle, problems: list[Problem]) -> Catalog | None:
    from pydantic import ValidationError

    try:
        return Catalog.model_validate(bundle.catalog_data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            section = str(loc[0]) if loc else ""
            index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else 0
            field_name = str(loc[2]) if len(loc) > 2 else None
            where = catalog_location(bundle, section, index, field_name)
            path = ".".join(str(p) for p in loc)
            if err["type"] == "missing":
                message = (
                    f"The catalog entry lacks the required key {path.split('.')[-1]!r}; add it."
                )
            elif err["type"] == "extra_forbidden":
                message = f"The catalog key {path.split('.')[-1]!r} is not known; remove it."
            else:
                message = f"The catalog value at {path} is not valid: {err['msg']}."
            problems.append(Problem(where, "ADV603", message))
        return None


def _locate_expr(origin: Origin, key: str | int) -> Callable[[int], Location]:
    return lambda offset: origin.text_loc(key, offset)


def _check_questions(rs: RuleSet, problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for section in rs.sections:
        for q in section.questions:
            origin = rs.bundle.question_origin[q.id]
            if q.id in seen and seen[q.id] != section.id:
                problems.append(
                    Problem(
                        origin.loc("id"),
                        "ADV401",
                        f"The question id {q.id!r} is also in section {seen[q.id]!r}; "
                        "give each question one place.",
                    )
                )
            seen[q.id] = section.id
            rs.env[q.id] = FactInfo(_TYPE_OF_QUESTION[q.type], q.option_values, "question")
            rs.deps[q.id] = frozenset({q.id})
            if q.default is not None:
                try:
                    rs.defaults[q.id] = coerce_answer(q, q.default)
                except AnswerError as exc:
                    problems.append(
                        Problem(origin.loc("default"), exc.code, f"The default of {exc.message}")
                    )
    questions_only = dict(rs.env)
    for section in rs.sections:
        for q in section.questions:
            if q.ask_if is None:
                continue
            origin = rs.bundle.question_origin[q.id]
            try:
                rs.ask_if[q.id] = check(q.ask_if, questions_only, BOOL)
            except ExprError as exc:
                problems.append(
                    Problem(_locate_expr(origin, "ask_if")(exc.offset), exc.code, exc.message)
                )
    per_catalog = _per_catalog(rs.catalog)
    rs.env.update(per_catalog.env)
    rs.deps.update(per_catalog.deps)


def _check_facts(rs: RuleSet, problems: list[Problem]) -> None:
    """Type-check derived facts in dependency order; report cycles with their path."""
    defs = rs.bundle.facts
    for fid in defs:
        if fid in rs.env:
            problems.append(
                Problem(
                    rs.bundle.fact_origin[fid].loc("id"),
                    "ADV401",
                    f"The fact {fid!r} has the id of a question or computed fact; rename it.",
                )
            )
    # Names each fact reads, from a first untyped parse (types need the order first).
    from advisor.expr.language import dotted_name, parse

    reads: dict[str, set[str]] = {}
    for fid, fact in defs.items():
        try:
            tree = parse(fact.expr)
        except ExprError as exc:
            origin = rs.bundle.fact_origin[fid]
            problems.append(
                Problem(_locate_expr(origin, "expr")(exc.offset), exc.code, exc.message)
            )
            continue
        reads[fid] = {
            n
            for node in ast.walk(tree)
            if isinstance(node, ast.Name | ast.Attribute) and (n := dotted_name(node) or "") in defs
        }
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(fid: str, trail: list[str]) -> None:
        if state.get(fid) == 2:
            return
        if state.get(fid) == 1:
            cycle = [*trail[trail.index(fid) :], fid]
            problems.append(
                Problem(
                    rs.bundle.fact_origin[fid].loc("expr"),
                    "ADV405",
                    "These derived facts depend on each other in a cycle: "
                    + " -> ".join(cycle)
                    + "; break the cycle.",
                )
            )
            return
        state[fid] = 1
        for dep in sorted(reads.get(fid, ())):
            visit(dep, [*trail, fid])
        state[fid] = 2
        order.append(fid)

    for fid in reads:
        visit(fid, [])
    if any(p.code == "ADV405" for p in problems):
        return
    for fid in order:
        fact = defs[fid]
        origin = rs.bundle.fact_origin[fid]
        try:
            checked = check(fact.expr, rs.env)
        except ExprError as exc:
            problems.append(
                Problem(_locate_expr(origin, "expr")(exc.offset), exc.code, exc.message)
            )
            continue
        rs.env[fid] = FactInfo(checked.type, (), "derived")
        rs.deps[fid] = frozenset().union(*(rs.deps[n] for n in checked.names))
        rs.facts.append(CompiledFact(fid, checked, rs.deps[fid]))


def _check_categories(rs: RuleSet, problems: list[Problem]) -> None:
    for cid, category in rs.bundle.categories.items():
        origin = rs.bundle.category_origin[cid]
        if isinstance(category.weight, int | float):
            if not 0 <= category.weight <= MAX_WEIGHT:
                problems.append(
                    Problem(
                        origin.loc("weight"),
                        "ADV406",
                        f"The weight of {cid!r} must be a number from 0 to {MAX_WEIGHT:g}.",
                    )
                )
            rs.weights[cid] = float(category.weight)
            continue
        try:
            rs.weights[cid] = check(category.weight, rs.env, NUMBER)
        except ExprError as exc:
            problems.append(
                Problem(_locate_expr(origin, "weight")(exc.offset), exc.code, exc.message)
            )


def _check_rules(rs: RuleSet, problems: list[Problem]) -> None:
    model_ids = {m.id for m in rs.catalog.open_models}
    licence_ids = {lic.id for lic in rs.catalog.licenses}
    used: set[str] = set()
    index = 0
    for rid, rule in rs.bundle.rules.items():
        if rule.disabled:
            continue
        origin = rs.bundle.rule_origin[rid]
        bad = False
        if rule.category is None:
            problems.append(
                Problem(origin.loc(), "ADV404", f"The rule {rid!r} needs a 'category'.")
            )
            bad = True
        elif rule.category not in rs.weights and rule.category not in rs.bundle.categories:
            hint = did_you_mean(rule.category, rs.bundle.categories)
            problems.append(
                Problem(
                    origin.loc("category"),
                    "ADV403",
                    f"The category {rule.category!r} is not defined.{hint} Define it under "
                    "'categories:' or use one of " + ", ".join(sorted(rs.bundle.categories)) + ".",
                )
            )
            bad = True
        if not rule.because:
            problems.append(
                Problem(
                    origin.loc(),
                    "ADV404",
                    f"The rule {rid!r} needs 'because': the reason a reader will see.",
                )
            )
            bad = True
        if not rule.sources:
            problems.append(
                Problem(
                    origin.loc(),
                    "ADV407",
                    f"The rule {rid!r} has no 'source'; cite where its reasoning comes from.",
                    "warning",
                )
            )
        for ref in rule.sources:
            scheme, _, rest = ref.partition(":")
            # Every prefix resolves: licences against the catalog, everything else (article,
            # facts, ref, practice, policy, ...) against the source registry, so a reader can
            # look each citation up.
            known = (
                rest.split("#")[0] in licence_ids
                if scheme == "license"
                else ref in rs.bundle.sources or not rest  # a bare label has no registry
            )
            if not known:
                hint = did_you_mean(ref, sorted(rs.bundle.sources))
                problems.append(
                    Problem(
                        origin.loc("source"),
                        "ADV408",
                        f"The source {ref!r} is not defined.{hint} Add it under 'sources:' with "
                        "its title and where to find it, or cite a catalog licence as "
                        "license:<id>.",
                    )
                )
                bad = True
        for mid in rule.exclude_models:
            if mid not in model_ids:
                hint = did_you_mean(mid, sorted(model_ids))
                problems.append(
                    Problem(
                        origin.loc("exclude_models"),
                        "ADV409",
                        f"{mid!r} is not an open model in the catalog.{hint}",
                    )
                )
                bad = True
        for option, points in rule.score.items():
            if isinstance(points, str) and (points not in rs.env or rs.env[points].type != NUMBER):
                hint = did_you_mean(points, [n for n, i in rs.env.items() if i.type == NUMBER])
                problems.append(
                    Problem(
                        origin.loc("score"),
                        "ADV418",
                        f"The score of {option!r} in the rule {rid!r} reads {points!r}, which "
                        f"is not a number fact.{hint} Give a number or the id of a derived or "
                        "computed fact that is a number.",
                    )
                )
                bad = True
        if not (rule.score or rule.veto or rule.exclude_models or rule.risk or rule.action):
            problems.append(
                Problem(
                    origin.loc(),
                    "ADV410",
                    f"The rule {rid!r} has no effect; give it score, veto, exclude_models, "
                    "risk or action.",
                    "warning",
                )
            )
        condition: Checked | None = None
        if isinstance(rule.when, str):
            try:
                condition = check(rule.when, rs.env, BOOL)
            except ExprError as exc:
                problems.append(
                    Problem(_locate_expr(origin, "when")(exc.offset), exc.code, exc.message)
                )
                bad = True
        elif rule.when is False:
            problems.append(
                Problem(
                    origin.loc("when"), "ADV410", f"The rule {rid!r} can never fire.", "warning"
                )
            )
        if condition is not None and rule.exclude_models:
            computed = [n for n in condition.names if _reads_computed(rs, n)]
            if computed:
                problems.append(
                    Problem(
                        origin.loc("when"),
                        "ADV405",
                        "A rule with exclude_models decides which models the cost model may "
                        f"use, so its condition cannot read {computed[0]!r}; use answers only.",
                    )
                )
                bad = True
        fields = _because_fields(rs, rule, origin, problems)
        _unfilled(rs, rule, origin, problems)
        if bad or fields is None:
            continue
        names = condition.names if condition else frozenset()
        used.update(names)
        used.update(p for p in rule.score.values() if isinstance(p, str))
        used.update(f[1] for f in fields if f[1])
        deps = frozenset().union(*(rs.deps[n] for n in names)) if names else frozenset()
        rs.rules.append(
            CompiledRule(index, rule, origin, condition, rule.category or "", deps, fields)
        )
        index += 1
    for weight in rs.weights.values():
        if isinstance(weight, Checked):
            used.update(weight.names)
    for fact in rs.facts:
        used.update(fact.checked.names)
    for fact in rs.facts:
        if fact.id not in used:
            problems.append(
                Problem(
                    rs.bundle.fact_origin[fact.id].loc("id"),
                    "ADV411",
                    f"The derived fact {fact.id!r} is not used by any rule, weight or fact.",
                    "warning",
                )
            )


def _reads_computed(rs: RuleSet, name: str) -> bool:
    info = rs.env[name]
    if info.kind == "computed":
        return True
    if info.kind == "derived":
        fact = next(f for f in rs.facts if f.id == name)
        return any(_reads_computed(rs, n) for n in fact.checked.names)
    return False


MAX_SPEC_WIDTH = 50
"""The largest width and precision a placeholder may ask for: a text is read by people, and
``{x:.999999999f}`` would otherwise build a gigabyte string for every report."""
MAX_RENDERED = 10_000
"""The longest a rendered 'because' text may get (a long text answer interpolated into it);
beyond, it is cut and says so."""
_SPEC = re.compile(
    r"^(?:[^{}]?[<>=^])?[-+ ]?z?#?0?(?P<width>\d+)?[,_]?(?:\.(?P<precision>\d+))?"
    r"(?P<type>[sdfFeEgG%])?$"
)


def _spec_problem(spec: str) -> str:
    """Why a placeholder's format spec is refused, or ``""``: only the documented spec
    types (s d f F e E g G %), widths and precisions up to 50."""
    match = _SPEC.match(spec)
    if match is None:
        return (
            "the format is not allowed; use a plain spec such as ',.0f', '.1%' or '>10', "
            "with the types s d f F e E g G %."
        )
    for part in ("width", "precision"):
        digits = match.group(part)
        if digits and (len(digits) > 3 or int(digits) > MAX_SPEC_WIDTH):
            return f"the {part} {digits} is over the limit of {MAX_SPEC_WIDTH}; use a smaller one."
    return ""


_BRACED = re.compile(r"\{([a-z_][a-z0-9_]*\.[a-z0-9_.]+)(?::[^{}]*)?\}")


def _unfilled(rs: RuleSet, rule: Rule, origin: Origin, problems: list[Problem]) -> None:
    """Warn where a risk or an action names a fact in braces: those texts are shown as
    written (one sentence for every decision the rule fires in), so ``{cost.x}`` would reach
    the reader as it stands."""
    for key in ("risk", "action"):
        text = getattr(rule, key) or ""
        for name in _BRACED.findall(text):
            if name in rs.env:
                problems.append(
                    Problem(
                        origin.loc(key),
                        "ADV420",
                        f"The {key} names {{{name}}}, but only the 'because' text fills in "
                        f"facts; move the figure to 'because' or write the {key} without it.",
                        severity="warning",
                    )
                )


def _because_fields(
    rs: RuleSet, rule: Rule, origin: Origin, problems: list[Problem]
) -> tuple[tuple[str, str, str | None, str], ...] | None:
    text = rule.because or ""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        problems.append(
            Problem(
                origin.loc("because"),
                "ADV412",
                f"The 'because' text has a bad placeholder ({exc}); write {{fact.id}} or "
                "{fact.id:,.0f}, and double braces for a literal brace.",
            )
        )
        return None
    out: list[tuple[str, str, str | None, str]] = []
    for literal, name, spec, conversion in parts:
        if name is None:
            out.append((literal, "", None, ""))
            continue
        if conversion:
            problems.append(
                Problem(origin.loc("because"), "ADV412", "Conversions such as !r are not allowed.")
            )
            return None
        info = rs.env.get(name)
        if info is None:
            hint = did_you_mean(name, rs.env)
            problems.append(
                Problem(
                    origin.loc("because"),
                    "ADV412",
                    f"The placeholder {{{name}}} names no fact.{hint}",
                )
            )
            return None
        limit = _spec_problem(spec or "")
        if limit:
            problems.append(Problem(origin.loc("because"), "ADV412", f"{{{name}:{spec}}}: {limit}"))
            return None
        try:
            format(_SAMPLE.get(info.type, "x"), spec or "")
        except (ValueError, TypeError):
            problems.append(
                Problem(
                    origin.loc("because"),
                    "ADV412",
                    f"The format {spec!r} does not fit {name}, a {info.type}; use e.g. "
                    "',.0f' for numbers.",
                )
            )
            return None
        out.append((literal, name, spec or "", ""))
    return tuple(out)


# --- code generation ------------------------------------------------------------------------


def _generate(rs: RuleSet) -> None:
    """Write the fast path as one Python function and compile it."""
    reads: set[str] = set()
    for fact in rs.facts:
        reads.update(n for n in fact.checked.names if rs.env[n].kind != "derived")
    for weight in rs.weights.values():
        if isinstance(weight, Checked):
            reads.update(n for n in weight.names if rs.env[n].kind != "derived")
    for cr in rs.rules:
        if cr.condition:
            reads.update(n for n in cr.condition.names if rs.env[n].kind != "derived")
        reads.update(
            p for p in cr.rule.score.values() if isinstance(p, str) and rs.env[p].kind != "derived"
        )
    rs._reads = frozenset(reads)
    exprs: list[Checked] = [f.checked for f in rs.facts]
    exprs += [w for w in rs.weights.values() if isinstance(w, Checked)]
    exprs += [cr.condition for cr in rs.rules if cr.condition is not None]
    exprs += list(rs.ask_if.values())
    rs._expr_fns = _two_valued(exprs)
    rs._expr3_fns = {id(c.tree): _three_valued(c) for c in exprs}
    rs._early_facts = [
        f for f in rs.facts if not any(_reads_computed(rs, n) for n in f.checked.names)
    ]
    rs._exclusion_rules = [cr for cr in rs.rules if cr.rule.exclude_models]
    rs._question_rank = {qid: i for i, qid in enumerate(rs.questions)}
    rs._interp = _interp_tables(rs)
    rs._derived_ids = frozenset(f.id for f in rs.facts)


def _build_fast(rs: RuleSet) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """Write the fast path as one Python function and compile it, on the rule set's first
    complete evaluation (``advisor check`` and a rule set only ever evaluated on partial
    answers never need it). The same source compiles once per process (_FAST_CODE)."""
    reads = rs._reads
    local: dict[str, str] = {}
    lines = ["def _decide(f):"]
    for i, name in enumerate(sorted(reads)):
        local[name] = f"v{i}"
        lines.append(f"    v{i} = f[{name!r}]")
    for i, fact in enumerate(rs.facts):
        local[fact.id] = f"d{i}"
        lines.append(f"    d{i} = {to_python(fact.checked.tree, local)}")
    categories = sorted({cr.category for cr in rs.rules})
    wname: dict[str, str] = {}
    for i, cid in enumerate(categories):
        weight = rs.weights.get(cid, 1.0)
        wname[cid] = f"w{i}"
        expr = (
            repr(weight)
            if isinstance(weight, float)
            else f"_weight({to_python(weight.tree, local)})"
        )
        lines.append(f"    w{i} = {expr}")
    n_options = len(OPTIONS)
    lines.append("    " + " = ".join(f"s{k}" for k in range(n_options)) + " = 0.0")
    lines.append("    vm = 0")
    lines.append("    fired = []")
    lines.append("    fire = fired.append")
    for cr in rs.rules:
        cond = to_python(cr.condition.tree, local) if cr.condition else "True"
        body = [f"fire({cr.index})"]
        for k, option in enumerate(OPTIONS):
            points = cr.rule.score.get(option)
            if isinstance(points, str):
                body.append(f"s{k} += {local[points]} * {wname[cr.category]}")
            elif points:
                body.append(f"s{k} += {float(points)!r} * {wname[cr.category]}")
        mask = sum(1 << OPTIONS.index(o) for o in cr.rule.veto)
        if mask:
            body.append(f"vm |= {mask}")
        lines.append(f"    if {cond}:")
        lines.extend(f"        {b}" for b in body)
    # the best open option: a later option wins only with a strictly higher score (tie-break)
    lines.append("    best = -1")
    lines.append("    bs = 0.0")
    for k in range(n_options):
        lines.append(f"    if not vm & {1 << k} and (best < 0 or s{k} > bs):")
        lines.append(f"        best = {k}; bs = s{k}")
    scores_tuple = "(" + "".join(f"s{k}, " for k in range(n_options)) + ")"
    lines.append(
        f"    return best, {scores_tuple}, vm, fired, ("
        + "".join(f"d{i}, " for i in range(len(rs.facts)))
        + ")"
    )
    source = "\n".join(lines) + "\n"
    fast = _FAST_CODE.get(source)
    if fast is None:
        namespace: dict[str, Any] = {"__builtins__": {}, **RUNTIME, "_weight": _bounded_weight}
        code = compile(source, f"<advisor rules {rs.digest[:15]}>", "exec")
        exec(code, namespace)
        fast = namespace["_decide"]
        _remember(_FAST_CODE, source, fast, 16)
    rs._fast = fast
    rs._fast_source = source
    return fast


# Generated code shared between compiles in one process, by its source: a layered rule set
# re-compiles the packaged one's hundred-odd expressions (the TUI on each reload, the CLI's
# in-process callers, the tests hundreds of times), and compiling them to Python was a third of
# a compile. A generated function keeps no state (it reads only its argument and the runtime
# helpers), so one object serves every rule set with the same source; a three-valued closure
# depends only on its expression's text (the tree is parsed from it). Bounded: the oldest
# entries go first.
_FAST_CODE: dict[str, Callable[[Mapping[str, Any]], tuple[Any, ...]]] = {}
_TWO_VALUED: dict[str, _Fn] = {}
_THREE_VALUED: dict[str, _Fn] = {}
_EXPR_CACHE = 4096


def _remember(cache: dict[str, Any], key: str, value: Any, size: int) -> None:
    if len(cache) >= size:
        del cache[next(iter(cache))]
    cache[key] = value


def _two_valued(exprs: list[Checked]) -> dict[int, _Fn]:
    """The compiled two-valued function of each expression, by id of its tree; those not yet
    compiled in this process are compiled together, as one module."""
    sources = [to_python(c.tree, {n: f"f[{n!r}]" for n in c.names}) for c in exprs]
    fns = {src: _TWO_VALUED[src] for src in sources if src in _TWO_VALUED}
    todo = [src for src in dict.fromkeys(sources) if src not in fns]
    if todo:
        lines = [f"_e{i} = lambda f: {src}" for i, src in enumerate(todo)]
        namespace: dict[str, Any] = {"__builtins__": {}, **RUNTIME}
        exec(compile("\n".join(lines) + "\n", "<advisor expressions>", "exec"), namespace)
        for i, src in enumerate(todo):
            fns[src] = namespace[f"_e{i}"]
            _remember(_TWO_VALUED, src, fns[src], _EXPR_CACHE)
    return {id(c.tree): fns[src] for c, src in zip(exprs, sources, strict=True)}


def _three_valued(checked: Checked) -> _Fn:
    fn = _THREE_VALUED.get(checked.source)
    if fn is None:
        fn = compile3(checked.tree)
        _remember(_THREE_VALUED, checked.source, fn, _EXPR_CACHE)
    return fn


_Fn = Callable[[Mapping[str, Any]], Any]
_RulePlan = tuple[
    CompiledRule, frozenset[str], _Fn | None, _Fn | None, tuple[tuple[int, float | str], ...], int
]


@dataclass(frozen=True)
class _Interp:
    """What the partial path reads per evaluation, resolved once at compile time: for each
    derived fact and rule, the names it reads and its two compiled functions (no lookup by
    tree per call); each rule's points as (option index, number or fact id), zero scores left
    out (adding 0 to a score changes nothing); the categories' weights in sorted order; the
    optional questions."""

    facts: tuple[tuple[str, frozenset[str], _Fn, _Fn], ...]
    rules: tuple[_RulePlan, ...]
    weights: tuple[tuple[str, float | Checked], ...]
    optional: frozenset[str]


def _interp_tables(rs: RuleSet) -> _Interp:
    def fns(c: Checked) -> tuple[_Fn, _Fn]:
        return rs._expr_fns[id(c.tree)], rs._expr3_fns[id(c.tree)]

    rules: list[_RulePlan] = []
    for cr in rs.rules:
        points: list[tuple[int, float | str]] = []
        for k, option in enumerate(OPTIONS):
            value = cr.rule.score.get(option, 0.0)
            if isinstance(value, str):
                points.append((k, value))
            elif float(value) != 0.0:
                points.append((k, float(value)))
        mask = sum(1 << OPTIONS.index(o) for o in cr.rule.veto)
        if cr.condition is None:
            rules.append((cr, frozenset[str](), None, None, tuple(points), mask))
        else:
            rules.append((cr, cr.condition.names, *fns(cr.condition), tuple(points), mask))
    return _Interp(
        facts=tuple((f.id, f.checked.names, *fns(f.checked)) for f in rs.facts),
        rules=tuple(rules),
        weights=tuple((cid, rs.weights[cid]) for cid in sorted(rs.weights)),
        optional=frozenset(q.id for q in rs.questions.values() if q.optional),
    )


# --- evaluating -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What :meth:`RuleSet.outcome` returns: the recommended option (None when all are vetoed),
    each option's score in :data:`OPTIONS` order, the veto mask (bit k: option k) and the facts
    (answers, cost model, derived)."""

    recommendation: Option | None
    scores: tuple[float, ...]
    vetoes: int
    facts: dict[str, Any]


def _missing(rs: RuleSet, values: Mapping[str, Any], skipped: set[str]) -> set[str]:
    optional = rs._interp.optional if rs._interp is not None else frozenset()
    return {
        qid
        for qid in rs.questions
        if qid not in values and qid not in skipped and qid not in optional
    }


def _exclusions(rs: RuleSet, values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Phase 1: rules that exclude models decide before the cost model runs."""
    excluded: dict[str, list[str]] = {}
    if rs._exclusion_rules:
        early = dict(values)
        for fact in rs._early_facts:
            v = _value(rs, fact.checked, early)
            if v is not UNKNOWN:
                early[fact.id] = v
        for cr in rs._exclusion_rules:
            if cr.condition is None or _value(rs, cr.condition, early) is True:
                reason = _render(cr, early)
                for mid in cr.rule.exclude_models:
                    excluded.setdefault(mid, []).append(reason)
    return excluded


def _outcome(rs: RuleSet, answers: Mapping[str, Any], scales: Scales | None) -> Outcome:
    from advisor.catalog.derivation import derive

    values, _skipped, _defaulted = rs._base_values(answers)
    derived = derive(
        rs.catalog, values, _exclusions(rs, values), scales, models=False, detail=False
    )
    facts = {**values, **derived.facts}
    if rs._reads <= facts.keys():
        _best, fast_scores, vm, _fired, dvals = rs.decide_fast(facts)
        scores = list(fast_scores)
        for fact, v in zip(rs.facts, dvals, strict=True):
            facts[fact.id] = v
    else:
        # no pending rules wanted here: no missing questions to list
        _fired, scores, vm, _pending, _weights_used = _partial(rs, facts, set())
    rounded = tuple(round(x, 6) for x in scores)
    best: Option | None = None
    for k, option in enumerate(OPTIONS):
        if not vm >> k & 1 and (best is None or rounded[k] > rounded[OPTIONS.index(best)]):
            best = option
    return Outcome(best, rounded, vm, facts)


def _evaluate(rs: RuleSet, answers: Mapping[str, Any]) -> Decision:
    values, skipped, defaulted = rs._base_values(answers)
    missing = _missing(rs, values, skipped)
    excluded = _exclusions(rs, values)
    from advisor.catalog.derivation import derive  # the cost model loads on first evaluation only

    derived = derive(rs.catalog, values, excluded)
    facts = {**values, **derived.facts}
    fired_idx: list[int]
    scores: list[float]
    if rs._reads <= facts.keys():
        _best, fast_scores, _vm, fired_idx, dvals = rs.decide_fast(facts)
        scores = list(fast_scores)
        for fact, v in zip(rs.facts, dvals, strict=True):
            facts[fact.id] = v
        weights = _weights(rs, facts)
        pending: list[PendingRule] = []
    else:
        fired_idx, scores, _vm, pending, weights = _partial(rs, facts, missing)
    fired_set = set(fired_idx)
    vetoed: dict[Option, list[str]] = {}
    fired_rules: list[FiredRule] = []
    risks: list[Note] = []
    actions: list[Note] = []
    fired_deps: list[frozenset[str]] = []  # the questions each fired rule reads
    for cr in rs.rules:
        if cr.index not in fired_set:
            continue
        fired_deps.append(cr.deps)
        for option in cr.rule.veto:
            vetoed.setdefault(option, []).append(cr.rule.id)
        because = _render(cr, facts)
        fired_rules.append(
            FiredRule(
                cr.rule.id,
                cr.category,
                because,
                cr.rule.sources,
                _effects(cr, facts),
                weights.get(cr.category, 1.0),
                cr.rule.title,
            )
        )
        if cr.rule.risk:
            risks.append({"rule": cr.rule.id, "text": cr.rule.risk})
        if cr.rule.action:
            actions.append({"rule": cr.rule.id, "text": cr.rule.action})
    pending_ids = {p.id for p in pending}
    not_fired = tuple(
        cr.rule.id for cr in rs.rules if cr.index not in fired_set and cr.rule.id not in pending_ids
    )
    score_map: dict[Option, float] = {o: round(s, 6) for o, s in zip(OPTIONS, scores, strict=True)}
    open_options = [o for o in OPTIONS if o not in vetoed]
    all_vetoed = not open_options
    ranked_pool = open_options or list(OPTIONS)
    ranking = sorted(ranked_pool, key=lambda o: (-score_map[o], OPTIONS.index(o)))
    ranking += [o for o in OPTIONS if o not in ranking]
    # Nothing allowed, nothing recommended: the ranking still orders the vetoed options.
    recommendation: Option | None = None if all_vetoed else ranking[0]
    tie: Tie | None = None
    best = [o for o in open_options if abs(score_map[o] - score_map[ranking[0]]) < 1e-9]
    if len(best) > 1:
        tie = {"options": [o for o in ranking if o in best], "broken_by": TIE_BREAK}
    read = frozenset().union(*fired_deps) if fired_deps else frozenset()
    assumed = len(read & set(defaulted)) / len(read) if read else 0.0
    confidence = _confidence(
        rs, fired_rules, score_map, open_options, len(pending), all_vetoed, assumed
    )
    visible_answers = {k: v for k, v in values.items() if k in rs.questions}
    return Decision(
        recommendation=recommendation,
        scores=score_map,
        vetoed=vetoed,
        confidence=confidence,
        fired=tuple(fired_rules),
        pending=tuple(pending),
        costs=derived.costs,
        models=tuple(derived.models),
        audit={
            "advisor_version": __version__,
            "rules_digest": rs.digest,
            "catalog_as_of": rs.catalog_as_of,
        },
        ranking=tuple(ranking),
        weights=weights,
        defaults_used=tuple(defaulted),
        missing=tuple(q for q in rs.questions if q in missing),
        all_vetoed=all_vetoed,
        risks=tuple(risks),
        actions=tuple(actions),
        answers=visible_answers,
        facts={k: v for k, v in facts.items() if k not in rs.questions},
        not_fired=not_fired,
        tie=tie,
    )


def _value(rs: RuleSet, checked: Checked, facts: Mapping[str, Any]) -> Any:
    """The value of an expression: compiled when every name it reads has a value, else
    three-valued (UNKNOWN where the answer depends on what is missing)."""
    if checked.names <= facts.keys():
        return rs._expr_fns[id(checked.tree)](facts)
    return rs._expr3_fns[id(checked.tree)](facts)


def _weights(rs: RuleSet, facts: Mapping[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    assert rs._interp is not None
    for cid, weight in rs._interp.weights:
        value = weight if isinstance(weight, float) else _value(rs, weight, facts)
        out[cid] = 1.0 if value is UNKNOWN else _bounded_weight(value)
    return out


MAX_WEIGHT = 1e6
"""A category weight is kept within 0..1e6 (a literal outside is refused at load; a computed
one is clamped, NaN counting as 0), so that scores stay finite and comparable."""


def _bounded_weight(value: Any) -> float:
    try:
        number = float(value)
    except (OverflowError, TypeError, ValueError):
        return MAX_WEIGHT if isinstance(value, int) and value > 0 else 0.0
    if math.isnan(number) or number < 0:
        return 0.0
    return min(number, MAX_WEIGHT)


_PartialResult = tuple[list[int], list[float], int, list[int], dict[str, float]]
_PartialFn = Callable[[dict[str, Any]], _PartialResult]

PARTIAL_AFTER = 100
"""A rule set earns its generated partial path (see :func:`_partial`) on its 100th partial
evaluation: generating it costs about as much as a hundred interpreted evaluations and saves
about half of each one after, so a rule set evaluated a few times (a test's own rules, a
one-off ``advisor evaluate``) never pays for it, and one evaluated again and again (a TUI
session, a sampling run, the property tests) pays it back within a few hundred."""


def _partial(
    rs: RuleSet, facts: dict[str, Any], missing: set[str]
) -> tuple[list[int], list[float], int, list[PendingRule], dict[str, float]]:
    """What :func:`_interpret` returns, with ``facts`` updated alike, through one generated
    function once the rule set has been evaluated partially often enough: the compiled path's
    code for an expression whose names all have values, its three-valued closure for one that
    reads a missing fact, decided per expression at run time as the interpreter decides it
    (``names <= keys``). The same operations in the same order, so the same values, bits
    included."""
    fn = rs._partial_fn
    if fn is None:
        rs._partial_count += 1
        if rs._partial_count < PARTIAL_AFTER:
            return _interpret(rs, facts, missing)
        fn = rs._partial_fn = _generate_partial(rs)
    if not facts.keys().isdisjoint(rs._derived_ids):
        return _interpret(rs, facts, missing)  # a derived fact given from outside: as is
    fired, scores, vm, undecided, weights = fn(facts)
    pending: list[PendingRule] = []
    if missing:
        for index in undecided:
            cr = rs.rules[index]
            needs = sorted(cr.deps & missing, key=rs._question_rank.__getitem__)
            if needs:
                pending.append(PendingRule(cr.rule.id, tuple(needs)))
    return fired, scores, vm, pending, weights


_ABSENT = object()
"""What the generated partial path reads for a fact that has no value (a private sentinel: a
present value, whatever it is, counts as present, as in the interpreter's key test)."""


def _generate_partial(rs: RuleSet) -> _PartialFn:
    """The partial path as one Python function (see :func:`_partial`).

    Every answer or cost fact the rules read is fetched once, ``_A`` when absent; a derived
    fact is ``_U`` (UNKNOWN) while it has no value, and written into the facts when it has one.
    An expression runs as compiled code when none of its names is absent or unknown (tested at
    run time), else as its three-valued closure over the facts."""
    assert rs._interp is not None
    derived = rs._derived_ids
    local: dict[str, str] = {}
    missing_value: dict[str, str] = {}  # local -> the sentinel it holds while missing
    lines = ["def _partial(f):", "    get = f.get"]
    for i, name in enumerate(sorted(rs._reads)):
        local[name] = f"v{i}"
        missing_value[f"v{i}"] = "_A"
        lines.append(f"    v{i} = get({name!r}, _A)")
    ns: dict[str, Any] = {
        "__builtins__": {},
        **RUNTIME,
        "_weight": _bounded_weight,
        "_graded": _graded,
        "_U": UNKNOWN,
        "_A": _ABSENT,
    }

    def const(x: Any) -> str:
        """A name in the function's namespace bound to ``x`` (a closure, or a number repr
        cannot spell such as inf)."""
        name = f"_k{len(ns)}"
        ns[name] = x
        return name

    def value(names: frozenset[str], three: _Fn, tree: ast.expr) -> str:
        """The expression's value as the interpreter computes it (maybe _U)."""
        tests = " and ".join(f"{local[n]} is not {missing_value[local[n]]}" for n in sorted(names))
        if not tests:
            return to_python(tree, local)
        return f"({to_python(tree, local)} if {tests} else {const(three)}(f))"

    for i, (fid, names, _two, three) in enumerate(rs._interp.facts):
        assert fid in derived
        code = value(names, three, rs.facts[i].checked.tree)
        local[fid] = f"d{i}"
        missing_value[f"d{i}"] = "_U"
        lines.append(f"    d{i} = {code}")
        lines.append(f"    if d{i} is not _U: f[{fid!r}] = d{i}")
    wname: dict[str, str] = {}
    for j, (cid, weight) in enumerate(rs._interp.weights):
        wname[cid] = f"w{j}"
        if isinstance(weight, float):
            lines.append(f"    w{j} = {_bounded_weight(weight)!r}")
            continue
        code = value(weight.names, rs._expr3_fns[id(weight.tree)], weight.tree)
        lines.append(f"    x = {code}")
        lines.append(f"    w{j} = 1.0 if x is _U else _weight(x)")
    lines.append("    " + " = ".join(f"s{k}" for k in range(len(OPTIONS))) + " = 0.0")
    lines.append("    vm = 0")
    lines.append("    fired = []")
    lines.append("    fire = fired.append")
    lines.append("    undecided = []")
    for cr, names, f2, f3, points, mask in rs._interp.rules:
        w = wname.get(cr.category, "1.0")
        body = [f"fire({cr.index})"]
        for k, pts in points:
            if isinstance(pts, str):
                # an absent or unknown fact gives 0 points, as in the interpreter
                body.append(f"s{k} += _graded({local[pts]}) * {w}")
            else:
                number = repr(pts) if math.isfinite(pts) else const(pts)
                body.append(f"s{k} += {number} * {w}")
        if mask:
            body.append(f"vm |= {mask}")
        if f2 is None or f3 is None or cr.condition is None:
            lines.extend(f"    {b}" for b in body)
            continue
        lines.append(f"    x = {value(names, f3, cr.condition.tree)}")
        lines.append("    if x is _U:")
        lines.append(f"        undecided.append({cr.index})")
        lines.append("    elif x:")
        lines.extend(f"        {b}" for b in body)
    scores = "[" + ", ".join(f"s{k}" for k in range(len(OPTIONS))) + "]"
    weights = "{" + ", ".join(f"{cid!r}: {wname[cid]}" for cid, _w in rs._interp.weights) + "}"
    lines.append(f"    return fired, {scores}, vm, undecided, {weights}")
    source = "\n".join(lines) + "\n"
    compiled = _PARTIAL_CODE.get(source)
    if compiled is None:
        # the same rule set compiled again (a reload, another layer of the same text) gives
        # the same source: compiled once per process, each rule set binding its own names
        compiled = compile(source, f"<advisor partial {rs.digest[:15]}>", "exec")
        _remember(_PARTIAL_CODE, source, compiled, 16)
    exec(compiled, ns)
    fn: _PartialFn = ns["_partial"]
    return fn


_PARTIAL_CODE: dict[str, CodeType] = {}


def _graded(value: Any) -> float:
    """A graded score's points: the fact's value, 0 while it has none (as _interpret)."""
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else 0.0


def _interpret(
    rs: RuleSet, facts: dict[str, Any], missing: set[str]
) -> tuple[list[int], list[float], int, list[PendingRule], dict[str, float]]:
    assert rs._interp is not None
    keys = facts.keys()  # a live view: facts added below are seen
    for fid, reads, two, three in rs._interp.facts:
        value = two(facts) if reads <= keys else three(facts)
        if value is not UNKNOWN:
            facts[fid] = value
    weights = _weights(rs, facts)
    scores = [0.0] * len(OPTIONS)
    vm = 0
    fired: list[int] = []
    pending: list[PendingRule] = []
    isfinite = math.isfinite
    for cr, names, f2, f3, points, mask in rs._interp.rules:
        if f2 is None or f3 is None:  # no condition: always true
            outcome: Any = True
        else:
            outcome = f2(facts) if names <= keys else f3(facts)
        if outcome is UNKNOWN:
            needs = sorted(cr.deps & missing, key=rs._question_rank.__getitem__)
            if needs:
                pending.append(PendingRule(cr.rule.id, tuple(needs)))
            continue
        if not outcome:
            continue
        fired.append(cr.index)
        w = weights.get(cr.category, 1.0)
        for k, pts in points:
            if isinstance(pts, str):  # a graded score: the fact's value (0 while it has none)
                value = facts.get(pts, UNKNOWN)
                pts = float(value) if isinstance(value, int | float) and isfinite(value) else 0.0
            scores[k] += pts * w
        vm |= mask
    return fired, scores, vm, pending, weights


def _points(cr: CompiledRule, option: Option, facts: Mapping[str, Any]) -> float:
    """The points a fired rule gives an option: its number, or the value of the fact it names
    (0 while that fact has no value)."""
    points = cr.rule.score.get(option, 0.0)
    if isinstance(points, str):
        value = facts.get(points, UNKNOWN)
        return float(value) if isinstance(value, int | float) and math.isfinite(value) else 0.0
    return float(points)


def _effects(cr: CompiledRule, facts: Mapping[str, Any]) -> Effects:
    """The rule's effects with graded scores resolved to the points they gave."""
    effects = cr.rule.effects
    if cr.rule.score:
        effects["score"] = {o: round(_points(cr, o, facts), 4) for o in cr.rule.score}
    return effects


def _render(cr: CompiledRule, facts: Mapping[str, Any]) -> str:
    out: list[str] = []
    for literal, name, spec, _conv in cr.because_fields:
        out.append(literal)
        if not name:
            continue
        value = facts.get(name, UNKNOWN)
        if value is UNKNOWN:
            out.append("(unknown)")
            continue
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        try:
            out.append(format(value, spec or ""))
        except (ValueError, TypeError, OverflowError):
            out.append(str(value))
    text = "".join(out)
    if len(text) > MAX_RENDERED:
        return text[:MAX_RENDERED] + f" [cut: the text is over {MAX_RENDERED:,} characters]"
    return text


def _confidence(
    rs: RuleSet,
    fired: list[FiredRule],
    scores: dict[Option, float],
    open_options: list[Option],
    n_pending: int,
    all_vetoed: bool,
    assumed: float = 0.0,
) -> float:
    """How sure the decision is, 0..1: the clarity of the margin times answer completeness.

    completeness = share of rules that could be decided (not pending), times
    (1 - 0.3 x the share of the questions read by fired rules that hold a default rather
    than an answer); clarity = 1 when only one option is left, else the margin between the
    two best open options over max(2, 20 % of the total weighted points cast);
    confidence = completeness x (0.4 + 0.6 x clarity), so a tie on complete answers gives 0.4
    and a clear decision resting on defaults alone gives 0.7.
    """
    if all_vetoed:
        return 0.0
    total_rules = max(1, len(rs.rules))
    completeness = (total_rules - n_pending) / total_rules * (1.0 - 0.3 * assumed)
    if len(open_options) <= 1:
        clarity = 1.0
    else:
        ordered = sorted((scores[o] for o in open_options), reverse=True)
        margin = ordered[0] - ordered[1]
        mass = sum(
            abs(points) * r.weight for r in fired for points in r.effects.get("score", {}).values()
        )
        clarity = min(1.0, margin / max(2.0, 0.2 * mass))
    return round(completeness * (0.4 + 0.6 * clarity), 3)


__all__ = ["Outcome", "RuleSet", "Scales", "compile_bundle", "load_ruleset", "validate"]
