"""Which rule conditions can never hold, given the questions' value domains (``advisor check``).

The analysis is *sound*: it warns only when it can prove that no answers make a condition
true. It turns a condition into a disjunction of conjunctions of atoms (``fact OP literal``)
and intersects, for each fact, the values each conjunction allows with the fact's domain: the
options of a choice, true/false, a question's ``min``..``max`` (whole numbers for integers).
Whatever it cannot reason about (arithmetic, two facts compared, ``x if c else y``) counts as
"may hold", so a warning is always a real contradiction. Conjunctions that read a question with
``ask_if`` also consider that the question is skipped: its value is then its default, or it has
none and the condition cannot be true.

Derived facts that are conditions are expanded in place (they are evaluated exactly like the
expression they stand for); other derived and computed facts are opaque values, constrained
only by the atoms themselves (so ``cost.x > 5 and cost.x < 3`` is still caught). Negations are
pushed into the atoms only where that is exact: for questions (always finite, valid values) and
for any fact of type bool or str; a negated comparison of a computed number is left alone,
because NaN makes ``not (x > 5)`` differ from ``x <= 5``.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from advisor.expr.language import BOOL, LIST_STR, NUMBER, STR, dotted_name
from advisor.problems import Problem

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet

MAX_TERMS = 256  # beyond this many alternatives, give up on a condition ("may hold")
MAX_INLINE = 8  # nesting depth of derived facts expanded in place

_ALIASES = {"true": True, "false": False}
_FLIP: dict[type, type] = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE}
_NEGATE: dict[type, type] = {
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}


# --- domains ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Values:
    """A finite or co-finite set of values (choices, bools, strings)."""

    allowed: frozenset[Any] | None = None  # None: any value of the type
    excluded: frozenset[Any] = frozenset()

    def meet(self, other: Values) -> Values | None:
        if self.allowed is None:
            allowed = other.allowed
        elif other.allowed is None:
            allowed = self.allowed
        else:
            allowed = self.allowed & other.allowed
        excluded = self.excluded | other.excluded
        if allowed is not None:
            allowed = allowed - excluded
            if not allowed:
                return None
            return Values(allowed)
        return Values(None, excluded)

    def describe(self) -> str:
        if self.allowed is not None:
            return "one of " + ", ".join(sorted(map(_show, self.allowed)))
        return "any value"


@dataclass(frozen=True)
class Numbers:
    """An interval of numbers, possibly whole numbers only, minus some points, or a finite set."""

    lo: float = -math.inf
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False
    excluded: frozenset[float] = frozenset()
    points: frozenset[float] | None = None

    def contains(self, v: float) -> bool:
        if v in self.excluded or (self.integer and v != int(v)):
            return False
        if v < self.lo or (v == self.lo and self.lo_open):
            return False
        return not (v > self.hi or (v == self.hi and self.hi_open))

    def meet(self, other: Numbers) -> Numbers | None:
        lo, lo_open = max((self.lo, self.lo_open), (other.lo, other.lo_open), key=_lower_key)
        hi, hi_open = min((self.hi, self.hi_open), (other.hi, other.hi_open), key=_upper_key)
        merged = Numbers(
            lo,
            hi,
            lo_open,
            hi_open,
            self.integer or other.integer,
            self.excluded | other.excluded,
        )
        points: set[float] | None = None
        for p in (self.points, other.points):
            if p is not None:
                points = set(p) if points is None else points & p
        if points is not None:
            kept = frozenset(v for v in points if merged.contains(v))
            if not kept:
                return None
            return Numbers(lo, hi, lo_open, hi_open, merged.integer, merged.excluded, kept)
        return merged if merged._nonempty() else None

    def _nonempty(self) -> bool:
        if self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open)):
            return False
        if not self.integer:
            if self.lo == self.hi:
                return self.lo not in self.excluded
            return True  # an interval of reals minus finitely many points
        first = math.ceil(self.lo) if math.isfinite(self.lo) else -math.inf
        if first == self.lo and self.lo_open:
            first += 1
        last = math.floor(self.hi) if math.isfinite(self.hi) else math.inf
        if last == self.hi and self.hi_open:
            last -= 1
        if first > last:
            return False
        span = last - first + 1
        if math.isinf(span) or span > len(self.excluded):
            return True
        return any(float(v) not in self.excluded for v in range(int(first), int(last) + 1))

    def describe(self) -> str:
        kind = "a whole number" if self.integer else "a number"
        if self.points is not None:
            return "one of " + ", ".join(_show(v) for v in sorted(self.points))
        if math.isinf(self.lo) and math.isinf(self.hi):
            return kind
        if math.isinf(self.hi):
            return f"{kind} {'above' if self.lo_open else 'of at least'} {_show(self.lo)}"
        if math.isinf(self.lo):
            return f"{kind} {'below' if self.hi_open else 'of at most'} {_show(self.hi)}"
        return f"{kind} from {_show(self.lo)} to {_show(self.hi)}"


def _lower_key(bound: tuple[float, bool]) -> tuple[float, bool]:
    return bound  # at equal values an open bound is the tighter lower bound


def _upper_key(bound: tuple[float, bool]) -> tuple[float, bool]:
    return (bound[0], not bound[1])  # at equal values an open bound is the tighter upper bound


@dataclass(frozen=True)
class Members:
    """A multiple-choice answer: options it must hold and options it must not."""

    has: frozenset[str] = frozenset()
    lacks: frozenset[str] = frozenset()

    def meet(self, other: Members) -> Members | None:
        has, lacks = self.has | other.has, self.lacks | other.lacks
        return None if has & lacks else Members(has, lacks)

    def describe(self) -> str:
        return "a selection of options"


Domain = Values | Numbers | Members


def _show(v: Any) -> str:
    if isinstance(v, float) and v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v) if isinstance(v, str) else str(v)


def _meet(a: Domain, b: Domain) -> Domain | None:
    if isinstance(a, Values) and isinstance(b, Values):
        return a.meet(b)
    if isinstance(a, Numbers) and isinstance(b, Numbers):
        return a.meet(b)
    if isinstance(a, Members) and isinstance(b, Members):
        return a.meet(b)
    return a  # pragma: no cover - atoms are typed by the checker; never mix kinds


# --- conditions as alternatives of conjunctions -----------------------------------------------

Term = dict[str, Domain]  # one conjunction: fact -> the values it may take
TOP: list[Term] = [{}]  # "may hold" (nothing known)


@dataclass
class Analysis:
    """The knowledge the analysis uses, read once from a compiled rule set."""

    rs: RuleSet
    base: dict[str, Domain] = field(default_factory=dict)
    derived: dict[str, ast.expr] = field(default_factory=dict)
    reason: str = ""
    conflicts: list[str] = field(default_factory=list)  # facts whose constraints clashed

    def __post_init__(self) -> None:
        for qid, q in self.rs.questions.items():
            if q.type == "choice":
                self.base[qid] = Values(frozenset(q.option_values))
            elif q.type == "bool":
                self.base[qid] = Values(frozenset({True, False}))
            elif q.type in ("number", "integer"):
                self.base[qid] = Numbers(
                    q.min if q.min is not None else -math.inf,
                    q.max if q.max is not None else math.inf,
                    integer=q.type == "integer",
                )
            elif q.type == "multi":
                self.base[qid] = Members()
        for fact in self.rs.facts:
            if fact.checked.type == BOOL:
                self.derived[fact.id] = fact.checked.tree

    # -- atoms --------------------------------------------------------------------------------

    def info(self, name: str) -> Any:
        return self.rs.env.get(name)

    def is_question(self, name: str) -> bool:
        return name in self.rs.questions

    def atom(self, name: str, op: type, literal: Any) -> list[Term] | None:
        """The term for ``name OP literal``; None when the analysis does not model it."""
        info = self.info(name)
        if info is None:
            return None
        kind = info.type
        if kind == LIST_STR:
            if op in (ast.In, ast.NotIn):
                return None  # the fact is on the left of 'in' only for scalars
            return None
        if op in (ast.In, ast.NotIn):
            if not isinstance(literal, tuple):
                return None
            items = frozenset(literal)
            if kind == NUMBER:
                nums = frozenset(float(v) for v in items)
                dom: Domain = Numbers(points=nums) if op is ast.In else Numbers(excluded=nums)
            else:
                dom = Values(items) if op is ast.In else Values(None, items)
            return [{name: dom}]
        if isinstance(literal, tuple):
            return None
        if kind == NUMBER:
            if isinstance(literal, bool) or not isinstance(literal, int | float):
                return None
            v = float(literal)
            if math.isnan(v):
                return None
            if op is ast.Eq:
                dom = Numbers(points=frozenset({v}))
            elif op is ast.NotEq:
                dom = Numbers(excluded=frozenset({v}))
            elif op is ast.Lt:
                dom = Numbers(hi=v, hi_open=True)
            elif op is ast.LtE:
                dom = Numbers(hi=v)
            elif op is ast.Gt:
                dom = Numbers(lo=v, lo_open=True)
            elif op is ast.GtE:
                dom = Numbers(lo=v)
            else:
                return None
            return [{name: dom}]
        if kind in (STR, BOOL):
            if op is ast.Eq:
                return [{name: Values(frozenset({literal}))}]
            if op is ast.NotEq:
                return [{name: Values(None, frozenset({literal}))}]
        return None

    def member_atom(self, literal: Any, op: type, name: str) -> list[Term] | None:
        """``'x' in multi`` / ``'x' not in multi``."""
        info = self.info(name)
        if info is None or info.type != LIST_STR or not isinstance(literal, str):
            return None
        if op is ast.In:
            return [{name: Members(has=frozenset({literal}))}]
        return [{name: Members(lacks=frozenset({literal}))}]

    def negatable(self, name: str) -> bool:
        """Is ``not (name OP lit)`` exactly ``name NOT-OP lit``? Not for NaN-able numbers."""
        info = self.info(name)
        if info is None:
            return False
        return self.is_question(name) or info.type in (BOOL, STR, LIST_STR)

    # -- conditions ---------------------------------------------------------------------------

    def terms(self, node: ast.expr, positive: bool = True, depth: int = 0) -> list[Term]:
        """Alternatives (each a conjunction) one of which holds whenever ``node`` is true
        (or false, when ``positive`` is False). TOP when nothing can be said."""
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return TOP if node.value == positive else []
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self.terms(node.operand, not positive, depth)
        if isinstance(node, ast.BoolOp):
            conjunctive = isinstance(node.op, ast.And) == positive
            parts = [self.terms(v, positive, depth) for v in node.values]
            if conjunctive:
                out: list[Term] = [{}]
                for part in parts:
                    out = self.product(out, part)
                    if len(out) > MAX_TERMS:
                        return TOP
                return out
            merged = [t for part in parts for t in part]
            return TOP if len(merged) > MAX_TERMS or {} in merged else merged
        if isinstance(node, ast.Name | ast.Attribute):
            name = dotted_name(node) or ""
            if name in _ALIASES:
                return TOP if _ALIASES[name] == positive else []
            if name in self.derived and depth < MAX_INLINE:
                return self.terms(self.derived[name], positive, depth + 1)
            info = self.info(name)
            if info is not None and info.type == BOOL:
                return [{name: Values(frozenset({positive}))}]
            return TOP
        if isinstance(node, ast.Compare):
            return self.compare(node, positive)
        return TOP  # calls, arithmetic, 'x if c else y': not modelled

    def compare(self, node: ast.Compare, positive: bool) -> list[Term]:
        atoms: list[list[Term] | None] = []
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            atoms.append(self.pair(left, type(op), right, positive))
            left = right
        if positive:  # a < b < c: every pair holds
            out: list[Term] = [{}]
            for a in atoms:
                out = self.product(out, a if a is not None else TOP)
            return out
        # not (a < b < c): one of the pairs fails
        if any(a is None for a in atoms):
            return TOP
        return [t for a in atoms if a is not None for t in a]

    def pair(self, left: ast.expr, op: type, right: ast.expr, positive: bool) -> list[Term] | None:
        lname, rname = _fact(left), _fact(right)
        llit, rlit = _literal(left), _literal(right)
        if lname is not None and rlit is not _NO:
            name, literal, oper = lname, rlit, op
        elif rname is not None and llit is not _NO:
            if op in (ast.In, ast.NotIn):
                if not positive:
                    if not self.negatable(rname):
                        return None
                    op = _NEGATE[op]
                return self.member_atom(llit, op, rname)
            name, literal, oper = rname, llit, _FLIP.get(op, op)
        else:
            return None
        if not positive:
            if not self.negatable(name):
                return None
            oper = _NEGATE[oper]
        return self.atom(name, oper, literal)

    def product(self, a: list[Term], b: list[Term]) -> list[Term]:
        out: list[Term] = []
        for x in a:
            for y in b:
                merged = self.meet_terms(x, y)
                if merged is not None:
                    out.append(merged)
        return out

    def meet_terms(self, x: Term, y: Term) -> Term | None:
        merged = dict(x)
        for name, dom in y.items():
            if name in merged:
                met = _meet(merged[name], dom)
                if met is None:
                    if name not in self.conflicts:
                        self.conflicts.append(name)
                    return None
                merged[name] = met
            else:
                merged[name] = dom
        return merged

    # -- domains and skipped questions ------------------------------------------------------------

    def feasible(self, term: Term) -> bool:
        """Can every fact of ``term`` take one of its allowed values at once?"""
        for name, dom in term.items():
            base = self.base.get(name)
            if base is not None and _meet(base, dom) is None:
                self.reason = self.reason or (
                    f"no value of {name} ({base.describe()}) satisfies what the condition needs"
                )
                return False
        return True

    def stable(self, cond: ast.expr) -> bool:
        """Does an ask_if read only questions that are never skipped themselves? (Then its
        value when the engine decides skipping is the value the rules see.)"""
        return all(
            n in _ALIASES or (n in self.rs.questions and n not in self.rs.ask_if)
            for n in _names(cond)
        )

    def present(self, cond: ast.expr, term: Term) -> bool:
        """Are all the questions ``cond`` reads sure to have a value under ``term``?"""
        return all(
            name in _ALIASES or name in self.rs.defaults or name in term for name in _names(cond)
        )

    def with_skipping(self, term: Term) -> list[Term]:
        """Split a term by whether each question it reads is asked or skipped."""
        terms = [term]
        for name in sorted(term):
            cond = self.rs.ask_if.get(name)
            if cond is None:
                continue
            stable = self.stable(cond.tree)
            out: list[Term] = []
            for t in terms:
                # asked: the ask_if is true, or unknown because something it reads is missing
                asked = [t]
                if stable and self.present(cond.tree, t):
                    asked = self.product([t], self.terms(cond.tree, True))
                out.extend(asked)
                # skipped: the value is the default; with no default nothing can be true
                if name in self.rs.defaults:
                    default = self.rs.defaults[name]
                    options = self.rs.questions[name].option_values
                    point = _point(self.base.get(name), default, options)
                    pinned = self.meet_terms(t, {name: point})
                    if pinned is not None:
                        out.extend(
                            self.product([pinned], self.terms(cond.tree, False))
                            if stable
                            else [pinned]
                        )
                if len(out) > MAX_TERMS:
                    return [term]
            terms = out
            if not terms:
                then = (
                    f", and then its default ({_show(self.rs.defaults[name])}) does not fit"
                    if name in self.rs.defaults
                    else ", and then it has no value (no default)"
                )
                self.reason = self.reason or (
                    f"{name} is skipped whenever the rest of the condition holds (its "
                    f"ask_if: {cond.source.strip()}){then}"
                )
                return []
        return terms

    def can_hold(self, tree: ast.expr) -> bool:
        self.reason = ""
        self.conflicts = []
        terms = self.terms(tree, True)
        if not terms:
            shown = ", ".join(self.conflicts[:3])
            self.reason = (
                f"what it requires of {shown} cannot all hold at once"
                if shown
                else "its parts contradict each other"
            )
        for term in terms:
            if not self.feasible(term):
                continue
            split = self.with_skipping(term)
            if any(self.feasible(t) for t in split):
                return True
        return False


def _point(base: Domain | None, value: Any, options: tuple[str, ...] = ()) -> Domain:
    """The domain holding exactly ``value`` (a skipped question's default)."""
    if isinstance(base, Numbers):
        return Numbers(points=frozenset({float(value)}))
    if isinstance(base, Members):
        chosen = frozenset(value)
        return Members(has=chosen, lacks=frozenset(options) - chosen)
    return Values(frozenset({value}))


def _names(tree: ast.expr) -> set[str]:
    """The dotted names an expression reads (``a.b`` once, not also ``a``)."""
    out: set[str] = set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name | ast.Attribute):
            name = dotted_name(node)
            if name is not None:
                out.add(name)
                continue
        stack.extend(ast.iter_child_nodes(node))
    return out


class _NoLiteral:
    pass


_NO: Any = _NoLiteral()


def _fact(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name | ast.Attribute):
        name = dotted_name(node)
        if name and name not in _ALIASES:
            return name
    return None


def _literal(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id in _ALIASES:
        return _ALIASES[node.id]
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub | ast.UAdd)
        and isinstance(node.operand, ast.Constant)
        and isinstance(node.operand.value, int | float)
        and not isinstance(node.operand.value, bool)
    ):
        v = node.operand.value
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.List | ast.Tuple):
        items = [_literal(e) for e in node.elts]
        if any(i is _NO for i in items):
            return _NO
        return tuple(items)
    return _NO


# --- the findings ----------------------------------------------------------------------------


def never_firing(rs: RuleSet) -> list[Problem]:
    """ADV413 for each rule whose condition no answers can make true; ADV414 for each question
    whose ask_if can never hold (so it is never asked)."""
    analysis = Analysis(rs)
    out: list[Problem] = []
    for cr in rs.rules:
        if cr.condition is None:
            continue
        if not analysis.can_hold(cr.condition.tree):
            out.append(
                Problem(
                    cr.origin.loc("when"),
                    "ADV413",
                    f"The rule {cr.rule.id!r} can never fire: {analysis.reason}. Fix the "
                    "condition (check the questions' options, min and max, and ask_if) or "
                    "remove the rule.",
                    "warning",
                )
            )
    for qid, cond in rs.ask_if.items():
        if not analysis.stable(cond.tree) or not analysis.present(cond.tree, {}):
            continue  # an unanswered question makes ask_if unknown, and then it is asked
        if not analysis.can_hold(cond.tree):
            origin = rs.bundle.question_origin[qid]
            out.append(
                Problem(
                    origin.loc("ask_if"),
                    "ADV414",
                    f"The question {qid!r} is never asked: its ask_if can never hold "
                    f"({analysis.reason}). Fix the ask_if or remove the question.",
                    "warning",
                )
            )
    return out
