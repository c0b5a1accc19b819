"""What-if evaluation that recomputes only what a change can reach.

The robustness layer (flip points, Monte Carlo, tornado) asks thousands of times "what is the
recommendation if these answers change and the catalog's prices and throughput are scaled?"
for one set of base answers. :meth:`RuleSet.outcome` answers it from scratch each time. A
:class:`WhatIf` answers it with **the same computation, restricted to what the change can
reach**, and returns an :class:`~advisor.engine.ruleset.Outcome` equal to ``RuleSet.outcome``
(``tests/test_robustness_core.py`` holds the two to equality, facts and scores included):

* **ask_if and model exclusions**: computed once. A change to a question an ``ask_if`` reads
  recomputes which questions are asked, and runs the whole evaluation (as
  ``RuleSet.outcome``) when that differs from the base; a change to a question a rule that
  excludes models reads always runs the whole evaluation.
* **the cost model** (:func:`advisor.catalog.derivation.derive`): it runs again only when
  scales are applied or a changed question is one it read for the base answers. Which answers
  it reads is *recorded* on the base evaluation (a mapping that notes every key looked up,
  tested or iterated), not taken from a declared list: a deterministic function that never
  looked at a key computes the same result whatever that key holds, so a change to a question
  outside the record (the priorities, most choices) reuses the base facts exactly.
* **derived facts, weights and rules**: those that read nothing a change can reach (through
  derived facts, transitively) keep their base value, their base weight and their base
  firing; after the cost model ran, a cost fact that came out as in the base (same type, same
  value) counts as not reached. Scores are still summed rule by rule in rule order, each
  fired rule adding the same product ``points x weight`` as the compiled path, so the
  floating-point sums are the same bits, not merely close.

A variant (what a given set of changed questions, with or without scales, can reach) is worked
out once and cached, so a Monte Carlo pays it once and a flip-point search once per input.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from advisor.catalog.derivation import Scales
from advisor.engine.ruleset import (
    CompiledRule,
    Outcome,
    RuleSet,
    _bounded_weight,
    _exclusions,
    _outcome,
    _points,
    _value,
)
from advisor.expr.language import RUNTIME, UNKNOWN, Checked, to_python
from advisor.model.files import OPTIONS
from advisor.model.parts import Option

__all__ = ["SHARED_MIN", "WhatIf"]

# run_drawn prices samples as columns when on average at least this many share their answers:
# a group costs about as much as two or three samples priced alone
SHARED_MIN = 3


class _Recording(Mapping[str, Any]):
    """A read-only view of a dict that records which keys were read (looked up or tested);
    iterating it or asking its length counts as reading every key."""

    __slots__ = ("_data", "all", "read")

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data
        self.read: set[str] = set()
        self.all = False

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        else:
            self.all = True
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[str]:
        self.all = True
        return iter(self._data)

    def __len__(self) -> int:
        self.all = True
        return len(self._data)

    def keys(self) -> Any:
        self.all = True
        return self._data.keys()

    def items(self) -> Any:
        self.all = True
        return self._data.items()

    def values(self) -> Any:
        self.all = True
        return self._data.values()


@dataclass(frozen=True)
class _Variant:
    """What one set of changed questions (with or without scales) can reach."""

    full: bool  # a change reaches the exclusions: run RuleSet.outcome itself
    cost: bool  # the cost model runs again
    facts: tuple[int, ...]  # indexes into rs.facts of derived facts recomputed
    weights: tuple[str, ...]  # categories whose weight is recomputed
    # per rule in rule order: None = constant and not fired in the base (skipped);
    # ("c", index, products, veto) = constant and fired (base products added again);
    # ("d", index, None, 0) = dependent, evaluated again
    steps: tuple[tuple[str, int, tuple[tuple[int, float], ...] | None, int], ...]
    # the facts the recomputed parts read that a change can add or remove (answers changed,
    # cost.* and models.* when the cost model runs): their presence picks the generated code
    names: tuple[str, ...] = ()
    code: dict[frozenset[str], Callable[[dict[str, Any]], tuple[Any, ...]]] = field(
        default_factory=dict, compare=False
    )


class WhatIf:
    """Re-decide the base answers under changed answers and scaled catalog figures (module doc).

    ``answers``: typed point answers (no ranges). :meth:`run` gives what
    ``rs.outcome({**answers, **changes}, scales)`` gives: the same recommendation, scores and
    veto mask, and the same value of every fact in :attr:`need` (what the scoring rules read,
    and ``keep``: the facts the caller reads); facts outside it may be absent or stale."""

    def __init__(
        self, rs: RuleSet, answers: Mapping[str, Any], keep: frozenset[str] = frozenset()
    ) -> None:
        self.rs = rs
        self.answers = dict(answers)
        self.need = scoring_reads(rs) | keep
        # the cost model is asked only for these: its parts that give nothing a rule that
        # scores reads (the break-even search, the hosted switch) are skipped
        self.cost_need = frozenset(
            n for n in self.need if rs.env.get(n) is None or rs.env[n].kind == "computed"
        )
        values, skipped, _defaulted = rs._base_values(self.answers)
        self.values = values
        self.skipped = frozenset(skipped)
        self.excluded = _exclusions(rs, values)
        self.derived_facts = self._derive(values, None)
        self.cost_reads: frozenset[str] | None = None  # None: every answer reaches it
        rec = _Recording(values)
        try:
            traced = self._derive(rec, None)
        except Exception:  # a cost model that needs a real dict: no record, no shortcut
            traced = None
        if traced is not None and not rec.all and _same_facts(traced, self.derived_facts):
            self.cost_reads = frozenset(rec.read)
        self.base = _outcome(rs, self.answers, None)
        self.base_weights = _weights_of(rs, self.base.facts, rs.weights)
        # the questions ask_if and the exclusion phase read: a change to one of them can change
        # which questions count and which models the cost model may use
        asked: set[str] = set()
        for cond in rs.ask_if.values():
            asked |= self._questions(cond.names)
        self.ask_reads = frozenset(asked)
        structural: set[str] = set()
        for cr in rs._exclusion_rules:  # their conditions and the reasons they render
            names = set(cr.condition.names) if cr.condition is not None else set()
            names |= {f[1] for f in cr.because_fields if f[1]}
            structural |= self._questions(frozenset(names))
        self.structural = frozenset(structural)
        self._variants: dict[tuple[frozenset[str], bool], _Variant] = {}
        self._constants: dict[int, list[str]] = {}
        self._narrowed: dict[frozenset[str], _Variant] = {}

    def _derive(self, values: Mapping[str, Any], scales: Scales | None) -> dict[str, Any]:
        from advisor.catalog.derivation import derive

        return derive(
            self.rs.catalog,
            values,
            self.excluded,
            scales,
            models=False,
            detail=False,
            need=self.cost_need,
            # the base answers, unchanged (never mutated: changes are made on a copy): the
            # cost model keeps what it reads from them alone across a Monte Carlo's samples
            reuse=values is self.values,
        ).facts

    def _questions(self, names: frozenset[str]) -> set[str]:
        """The questions a set of names reads, through derived facts (computed facts count as
        reading every question: ask_if and exclusions never read them, so this is a guard)."""
        out: set[str] = set()
        for n in names:
            info = self.rs.env.get(n)
            kind = info.kind if info is not None else "computed"
            if kind == "question":
                out.add(n)
            elif kind == "derived":
                out |= self.rs.deps[n]
            else:
                out |= set(self.rs.questions)
        return out

    def variant(self, changed: frozenset[str], scaled: bool) -> _Variant:
        key = (changed, scaled)
        v = self._variants.get(key)
        if v is None:
            v = self._variants[key] = self._plan(changed, scaled)
        return v

    def _plan(self, changed: frozenset[str], scaled: bool) -> _Variant:
        rs = self.rs
        changed = changed - self.skipped  # a skipped question's value is not used
        if changed & self.structural:
            return _Variant(True, True, (), (), ())
        cost = scaled or self.cost_reads is None or bool(changed & self.cost_reads)
        reach: set[str] = set(changed)
        if cost:
            reach |= {n for n, info in rs.env.items() if info.kind == "computed"}
        return self._plan_reach(reach, cost)

    def narrowed(self, changed: frozenset[str]) -> _Variant:
        """The variant for a sample whose answers and cost facts differ from the base only in
        ``changed`` (compared value by value after the cost model ran)."""
        v = self._narrowed.get(changed)
        if v is None:
            v = self._narrowed[changed] = self._plan_reach(set(changed), True)
        return v

    def _plan_reach(self, reach: set[str], cost: bool) -> _Variant:
        """What reading any of ``reach`` (answers and cost facts) makes run again."""
        rs = self.rs
        facts: list[int] = []
        need = self.need
        for i, fact in enumerate(rs.facts):  # in dependency order
            if fact.id in need and fact.checked.names & reach:
                reach.add(fact.id)
                facts.append(i)
        weights = tuple(
            cid
            for cid, w in sorted(rs.weights.items())
            if isinstance(w, Checked) and w.names & reach
        )
        base_weights = self.base_weights
        steps: list[tuple[str, int, tuple[tuple[int, float], ...] | None, int]] = []
        fired = set(self._base_fired())
        for cr in rs.rules:
            if not cr.rule.score and not cr.rule.veto:
                continue  # advice only: it moves no score and vetoes nothing
            reads = set(cr.condition.names) if cr.condition is not None else set()
            reads |= {p for p in cr.rule.score.values() if isinstance(p, str)}
            if reads & reach or cr.category in weights:
                steps.append(("d", cr.index, None, 0))
                continue
            if cr.index not in fired:
                continue
            w = base_weights.get(cr.category, 1.0)
            products = tuple(
                (k, self._product(cr, o, w)) for k, o in enumerate(OPTIONS) if o in cr.rule.score
            )
            veto = sum(1 << OPTIONS.index(o) for o in cr.rule.veto)
            steps.append(("c", cr.index, products, veto))
        derived = {f.id for f in rs.facts}
        read: set[str] = set()
        for i in facts:
            read |= rs.facts[i].checked.names
        for cid in weights:
            weight = rs.weights[cid]
            assert isinstance(weight, Checked)
            read |= weight.names
        for kind, index, _products, _veto in steps:
            if kind == "d":
                cr = rs.rules[index]
                if cr.condition is not None:
                    read |= cr.condition.names
                read |= {p for p in cr.rule.score.values() if isinstance(p, str)}
        names = tuple(sorted((read | rs._reads) & reach - derived))
        return _Variant(False, cost, tuple(facts), weights, tuple(steps), names)

    # -- the base evaluation, as RuleSet.outcome computed it ----------------------------------

    def _base_fast(self) -> bool:
        return self.rs._reads <= self.base.facts.keys()

    def _base_fired(self) -> list[int]:
        rs, facts = self.rs, self.base.facts
        out: list[int] = []
        for cr in rs.rules:
            ok = _value(rs, cr.condition, facts) if cr.condition else True
            if ok is not UNKNOWN and ok:
                out.append(cr.index)
        return out

    def _product(self, cr: CompiledRule, option: Option, w: float) -> float:
        """points x weight of a fired constant rule, as the base's path computed it."""
        points = cr.rule.score.get(option)
        if isinstance(points, str):
            if self._base_fast():
                return float(self.base.facts[points] * w)
            return _points(cr, option, self.base.facts) * w
        return float(points or 0.0) * w

    # -- one what-if ----------------------------------------------------------------------------

    def run(self, changes: Mapping[str, Any], scales: Scales | None = None) -> Outcome:
        """The outcome for the base answers changed by ``changes`` with ``scales`` applied."""
        rs = self.rs
        if scales is not None and scales.neutral:
            scales = None
        if not changes and scales is None:
            return self.base
        var = self.variant(frozenset(changes), scales is not None)
        values = None if var.full else self._changed_values(changes)
        if values is None:
            return _outcome(rs, {**self.answers, **changes}, scales)
        computed = self._derive(values, scales) if var.cost else self.derived_facts
        return self._finish(var, values, computed)

    def run_scaled(self, scales: Sequence[Scales]) -> list[Outcome]:
        """``[self.run({}, s) for s in scales]`` (a Monte Carlo without ranged answers): one
        answer set, the cost model run for all the scales at once where it can
        (:meth:`run_drawn`)."""
        drawn = self.run_drawn([({}, s) for s in scales])
        return drawn if drawn is not None else [self.run({}, s) for s in scales]

    def run_drawn(self, draws: Sequence[tuple[Mapping[str, Any], Scales]]) -> list[Outcome] | None:
        """``[self.run(changes, scales) for changes, scales in draws]`` (a Monte Carlo with
        ranged answers), with the cost model run for the samples at once
        (:func:`advisor.catalog.batch.facts_over`: the same figures, as columns, the samples
        that share their answers together). A sample whose change reaches the questions asked
        or the model exclusions, or whose scales are all 1, runs alone (:meth:`run`); None
        when the cost model's columns decline (the caller runs every sample alone) or when,
        over several answer sets, too few samples share their answers for the columns to pay
        (:data:`SHARED_MIN`)."""
        from advisor.catalog.batch import HORIZONS, facts_over

        keys: dict[tuple[tuple[str, Any], ...], int] = {}
        groups: list[dict[str, Any]] = []
        changed: list[frozenset[str]] = []
        which: list[int] = []  # per batched sample, its group
        batched: list[int] = []  # the samples the columns price, in order
        for i, (changes, scales) in enumerate(draws):
            if scales.neutral:
                continue  # derive without scales: the point path, run alone
            key = tuple(sorted(changes.items()))
            k = keys.get(key)
            if k is None:
                names = frozenset(changes)
                values = None if self.variant(names, True).full else self._changed_values(changes)
                k = keys[key] = len(groups) if values is not None else -1
                if values is not None:
                    groups.append(values)
                    changed.append(names)
            if k >= 0:
                which.append(k)
                batched.append(i)
        if len(groups) > 1 and len(groups) * SHARED_MIN > len(batched):
            return None
        out: list[Outcome | None] = [None] * len(draws)
        if batched:
            batch = facts_over(
                self.rs.catalog,
                groups,
                self.excluded,
                self.cost_need,
                [draws[i][1] for i in batched],
                which,
                # the base answers themselves (no change): the cost model keeps what it reads
                # from them alone, as _derive does
                reuse=groups[0] is self.values,
            )
            if batch is None:
                return None
            shared, columns = batch
            base_facts = self.base.facts
            # the horizon costs each group has (a group's samples all have the same ones)
            first = {k: n for n, k in reversed(list(enumerate(which)))}
            plans: list[tuple[_Variant, dict[str, Any], frozenset[str]]] = []
            for k, (values, names, constant) in enumerate(
                zip(groups, changed, shared, strict=True)
            ):
                priced = {n for n, col in columns.items() if col[first[k]] is not None}
                var = self.variant(names, True)
                facts = {**values, **constant}
                # the horizon costs move from sample to sample; what else reads only facts
                # this group's answers left as in the base keeps its base result (as run())
                moved = self.narrowed(
                    frozenset(
                        n
                        for n in var.names
                        if n in HORIZONS
                        or not _same(facts.get(n, _MISSING), base_facts.get(n, _MISSING))
                    )
                )
                prefix = self._keep_constants(moved, facts)
                present = frozenset(n for n in moved.names if n in prefix or n in priced)
                plans.append((moved, prefix, present))
            names_out = tuple(columns)
            rows = zip(*columns.values(), strict=True) if names_out else None
            for i, k in zip(batched, which, strict=True):
                moved, prefix, present = plans[k]
                facts = dict(prefix)
                if rows is not None:
                    for n, x in zip(names_out, next(rows), strict=True):
                        if x is not None:
                            facts[n] = x
                out[i] = self._decide(moved, facts, present)
        return [o if o is not None else self.run(*draws[i]) for i, o in enumerate(out)]

    def _changed_values(self, changes: Mapping[str, Any]) -> dict[str, Any] | None:
        """The answers a what-if with these changes evaluates, on the base's questions; None
        when a changed answer that ask_if reads asks other questions (then the whole
        evaluation runs, as ``RuleSet.outcome``)."""
        if not changes:
            return self.values
        if not self.ask_reads.isdisjoint(changes):
            values, skipped, _ = self.rs._base_values({**self.answers, **changes})
            return values if skipped == self.skipped else None
        if all(q in self.values or q in self.skipped for q in changes):
            values = dict(self.values)
            values.update((q, x) for q, x in changes.items() if q not in self.skipped)
            return values
        # a question unanswered in the base: keep the questionnaire's key order
        return self.rs._base_values({**self.answers, **changes})[0]

    def _finish(
        self, var: _Variant, values: Mapping[str, Any], computed: Mapping[str, Any]
    ) -> Outcome:
        """The rules' part of :meth:`run`, once the cost model's facts are known."""
        facts = {**values, **computed}
        base_facts = self.base.facts
        if var.cost:
            # the cost model ran: what reads only facts it left as they were need not run
            differ = frozenset(
                n
                for n in var.names
                if not _same(facts.get(n, _MISSING), base_facts.get(n, _MISSING))
            )
            if len(differ) < len(var.names):
                var = self.narrowed(differ)
        self._keep_constants(var, facts)
        return self._decide(var, facts, frozenset(n for n in var.names if n in facts))

    def _keep_constants(self, var: _Variant, facts: dict[str, Any]) -> dict[str, Any]:
        """``facts`` with the base's value of every derived fact the variant does not
        recompute (in place; returned for convenience)."""
        base_facts = self.base.facts
        for fact in self._constant_facts(var):
            if fact in base_facts:
                facts[fact] = base_facts[fact]
        return facts

    def _decide(self, var: _Variant, facts: dict[str, Any], present: frozenset[str]) -> Outcome:
        """Scores, vetoes and the recommendation from the facts (the variant's code)."""
        fn = var.code.get(present)
        if fn is None:
            fn = var.code[present] = _generate(self, var, present)
        scores, vm = fn(facts)
        rounded = tuple(round(x, 6) for x in scores)
        best: Option | None = None
        best_score = 0.0
        for k, option in enumerate(OPTIONS):
            if not vm >> k & 1 and (best is None or rounded[k] > best_score):
                best, best_score = option, rounded[k]
        return Outcome(best, rounded, vm, facts)

    def _constant_facts(self, var: _Variant) -> list[str]:
        key = id(var)
        got = self._constants.get(key)
        if got is None:
            recompute = set(var.facts)
            got = [f.id for i, f in enumerate(self.rs.facts) if i not in recompute]
            self._constants[key] = got
        return got


def scoring_reads(rs: RuleSet) -> frozenset[str]:
    """Every fact (answer, cost model, derived) that can move a score or a veto: what the rules
    that score or veto and the category weights read, through derived facts transitively."""
    names: set[str] = set()
    for cr in rs.rules:
        if cr.rule.score or cr.rule.veto:
            if cr.condition is not None:
                names |= cr.condition.names
            names |= {p for p in cr.rule.score.values() if isinstance(p, str)}
    for weight in rs.weights.values():
        if isinstance(weight, Checked):
            names |= weight.names
    derived = {f.id: f.checked.names for f in rs.facts}
    todo = list(names)
    while todo:
        for n in derived.get(todo.pop(), ()):
            if n not in names:
                names.add(n)
                todo.append(n)
    return frozenset(names)


def _generate(
    w: WhatIf, var: _Variant, present: frozenset[str]
) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """One Python function for a variant and the facts present: it recomputes the derived
    facts, weights and rules the change reaches, as RuleSet.outcome would (module doc), and
    returns (scores, veto mask).

    An expression whose names are all present runs as the compiled path's code; one that reads
    a missing fact (or a derived fact that may be missing) is decided by the engine's own
    ``_value`` (three-valued), as ``RuleSet.outcome`` decides it."""
    rs = w.rs
    base = w.base.facts
    recompute = set(var.facts)
    # names sure to be in the facts: the changed ones present, every other answer or cost fact
    # present in the base, derived facts kept from the base or recomputed from present names
    sure: set[str] = set(present)
    reach = set(var.names)
    for n in base:
        if n not in reach and n in rs.env:
            sure.add(n)
    derived_ids = {f.id for f in rs.facts}
    sure -= {f.id for i, f in enumerate(rs.facts) if i in recompute}
    fast = rs._reads <= (sure | (base.keys() - reach - derived_ids))
    ns: dict[str, Any] = {
        "__builtins__": {},
        **RUNTIME,
        "_weight": _bounded_weight,
        "_value": _value,
        "_points": _points,
        "UNKNOWN": UNKNOWN,
        "rs": rs,
    }
    consts: list[Any] = []

    def const(x: Any) -> str:
        if isinstance(x, float) and math.isfinite(x):
            return repr(x)
        consts.append(x)
        ns[f"_k{len(consts) - 1}"] = x
        return f"_k{len(consts) - 1}"

    def code(checked: Checked) -> str | None:
        """Inline code when every name it reads is sure to be present, else None."""
        if checked.names <= sure:
            return to_python(checked.tree, {n: f"f[{n!r}]" for n in checked.names})
        return None

    lines = ["def _run(f):"]
    for i in var.facts:
        fact = rs.facts[i]
        c = code(fact.checked)
        if c is not None:
            lines.append(f"    f[{fact.id!r}] = {c}")
            sure.add(fact.id)
        else:
            lines.append(f"    x = _value(rs, {const(fact.checked)}, f)")
            lines.append(f"    if x is not UNKNOWN: f[{fact.id!r}] = x")
    wvar: dict[str, str] = {}
    for j, cid in enumerate(var.weights):
        weight = rs.weights[cid]
        assert isinstance(weight, Checked)
        c = code(weight)
        wvar[cid] = f"w{j}"
        if c is not None:
            lines.append(f"    w{j} = _weight({c})")
        else:
            lines.append(f"    x = _value(rs, {const(weight)}, f)")
            lines.append(f"    w{j} = 1.0 if x is UNKNOWN else _weight(x)")
    n_options = len(OPTIONS)
    lines.append("    " + " = ".join(f"s{k}" for k in range(n_options)) + " = 0.0")
    lines.append("    vm = 0")
    for kind, index, products, veto in var.steps:
        if kind == "c":
            assert products is not None
            lines.extend(f"    s{k} += {const(p)}" for k, p in products)
            if veto:
                lines.append(f"    vm |= {veto}")
            continue
        cr = rs.rules[index]
        body: list[str] = []
        wname = wvar.get(cr.category) or const(w.base_weights.get(cr.category, 1.0))
        for k, option in enumerate(OPTIONS):
            points = cr.rule.score.get(option)
            if points is None:
                continue
            if isinstance(points, str):
                if fast:
                    body.append(f"s{k} += f[{points!r}] * {wname}")
                else:
                    body.append(f"s{k} += _points({const(cr)}, {option!r}, f) * {wname}")
            else:
                body.append(f"s{k} += {const(float(points))} * {wname}")
        mask = sum(1 << OPTIONS.index(o) for o in cr.rule.veto)
        if mask:
            body.append(f"vm |= {mask}")
        body = body or ["pass"]
        if cr.condition is None:
            lines.extend(f"    {b}" for b in body)
            continue
        c = code(cr.condition)
        if c is not None:
            lines.append(f"    if {c}:")
        else:
            lines.append(f"    x = _value(rs, {const(cr.condition)}, f)")
            lines.append("    if x is not UNKNOWN and x:")
        lines.extend(f"        {b}" for b in body)
    lines.append("    return (" + "".join(f"s{k}, " for k in range(n_options)) + "), vm")
    source = "\n".join(lines) + "\n"
    exec(compile(source, "<advisor what-if>", "exec"), ns)
    fn: Callable[[dict[str, Any]], tuple[Any, ...]] = ns["_run"]
    return fn


_MISSING = object()


def _same(a: Any, b: Any) -> bool:
    """Whether two fact values are indistinguishable to an expression: the same object, or
    plain scalars of the same type and value (0.0 and -0.0 differ; NaN differs from itself);
    anything else counts as different."""
    if a is b:
        return True
    if type(a) is not type(b) or not isinstance(a, str | int | float):
        return False
    if a != b:
        return False
    return not (
        isinstance(a, float) and a == 0.0 and math.copysign(1.0, a) != math.copysign(1.0, b)
    )


def _same_facts(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """The recorded run gave the plain run's facts (NaN counting as equal to NaN)."""
    return a.keys() == b.keys() and all(a[k] == b[k] or (a[k] != a[k] and b[k] != b[k]) for k in a)


def _weights_of(
    rs: RuleSet, facts: Mapping[str, Any], weights: Mapping[str, Checked | float]
) -> dict[str, float]:
    """Category weights as both paths compute them (a literal, or the bounded value of its
    expression; 1 while the expression cannot be decided)."""
    out: dict[str, float] = {}
    for cid, weight in weights.items():
        if isinstance(weight, float):
            out[cid] = weight
            continue
        value = _value(rs, weight, facts)
        out[cid] = 1.0 if value is UNKNOWN else _bounded_weight(value)
    return out
