"""The expression language: a closed subset of Python expression syntax.

An expression is parsed with :mod:`ast`, walked against a whitelist, type-checked against the
facts it names, and then either translated to Python source built from the checked tree (the
fast path the engine compiles) or evaluated with three-valued logic (the path used while
some answers are still missing). User text is never handed to ``eval``: the generated source
contains only whitelisted operators, mangled local names and ``repr`` of literal constants.

The three-valued path is :func:`compile3`: it turns the tree into nested closures once, for the
engine to call while a questionnaire is being answered. Its reference semantics, a plain tree
walk, lives with the tests (tests/helpers/evaluate3.py), which check the two agree.
"""

from __future__ import annotations

import ast
import functools
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from advisor.problems import did_you_mean

MAX_LENGTH = 500
MAX_NODES = 200
MAX_DEPTH = 32
MAX_EXPONENT = 64

NUMBER, BOOL, STR, LIST_STR, LIST_NUM = "number", "bool", "str", "list[str]", "list[number]"


@dataclass(frozen=True)
class FactInfo:
    """What the checker knows of a name: its type and, for choices, its possible values."""

    type: str
    options: tuple[str, ...] = ()
    kind: str = "question"  # question | derived | computed


class _Unknown:
    """The third truth value: a fact that has no value yet."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:  # pragma: no cover - guards against accidental truth tests
        raise TypeError("UNKNOWN has no truth value")


UNKNOWN: Any = _Unknown()


# --- runtime helpers shared by the compiled code and the interpreter --------------------------


def _div(a: float, b: float) -> float:
    if b == 0:
        return math.inf if a > 0 else (-math.inf if a < 0 else 0.0)
    try:
        return a / b
    except OverflowError:  # an integer beyond float range (a product of whole numbers)
        return math.inf if (a > 0) == (b > 0) else -math.inf


def _fdiv(a: float, b: float) -> float:
    if b == 0:
        return _div(a, b)
    try:
        return a // b
    except OverflowError:
        return _div(a, b)


def _mod(a: float, b: float) -> float:
    if b == 0:
        return 0.0
    try:
        return a % b
    except OverflowError:  # pragma: no cover - float % raises only for huge integers
        return math.nan


def _pow(a: float, b: float) -> float:
    if a < 0 and b != int(b):
        return math.nan  # a fractional power of a negative number has no real value
    try:
        result: float = float(a) ** b
    except (OverflowError, ZeroDivisionError):
        return math.inf
    return result


def _ceil(x: float) -> float:
    return x if math.isinf(x) or math.isnan(x) else float(math.ceil(x))


def _floor(x: float) -> float:
    return x if math.isinf(x) or math.isnan(x) else float(math.floor(x))


def _clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def _round(x: float, n: float = 0) -> float:
    # Total on every number: digits that are not finite leave x as it is, and digits beyond
    # what a float holds (about 330 either way) are capped, where round() changes nothing more.
    if not math.isfinite(n):
        return x
    digits = int(max(-400.0, min(400.0, n)))
    try:
        return round(x, digits)
    except OverflowError:  # pragma: no cover - an integer beyond float range
        return x


# name -> (python callable, min args, max args, argument type, result type)
FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int, str, str]] = {
    "min": (min, 2, 8, NUMBER, NUMBER),
    "max": (max, 2, 8, NUMBER, NUMBER),
    "abs": (abs, 1, 1, NUMBER, NUMBER),
    "round": (_round, 1, 2, NUMBER, NUMBER),
    "ceil": (_ceil, 1, 1, NUMBER, NUMBER),
    "floor": (_floor, 1, 1, NUMBER, NUMBER),
    "clamp": (_clamp, 3, 3, NUMBER, NUMBER),
    "log10": (lambda x: math.log10(x) if x > 0 else -math.inf, 1, 1, NUMBER, NUMBER),
    "len": (len, 1, 1, "list", NUMBER),
}

RUNTIME: dict[str, Any] = {
    "_div": _div,
    "_fdiv": _fdiv,
    "_mod": _mod,
    "_pow": _pow,
    **{f"_fn_{name}": spec[0] for name, spec in FUNCTIONS.items()},
}

_CMP_SYMBOL = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
_BIN_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
_ALIASES = {"true": True, "false": False}


class ExprError(Exception):
    def __init__(self, offset: int, code: str, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Checked:
    """A checked expression: its tree, type and the fact names it reads."""

    source: str
    tree: ast.expr
    type: str
    names: frozenset[str]


# --- parsing and checking --------------------------------------------------------------------


def _offset(text: str, node: ast.AST) -> int:
    """Character offset of ``node`` in ``text`` (expressions are one logical line)."""
    line = getattr(node, "lineno", 1)
    col = getattr(node, "col_offset", 0)
    if line <= 1:
        return col
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + col


def dotted_name(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def parse(text: str) -> ast.expr:
    """Parse ``text`` and check its shape (not its names or types).

    The tree is shared by every caller parsing the same text: a rule set layered over the
    packaged one re-compiles the same hundred-odd expressions (the TUI on each reload, the
    test suite hundreds of times), and parsing and shape-checking them was a third of a
    compile. Nothing changes a tree after this function returns (the checker, the code
    generators and the satisfiability analysis only read it); a text that is refused raises
    each time, as it is not remembered."""
    return _parse(text)


@functools.lru_cache(maxsize=1024)  # a rule set has ~170 expressions; a tree <= 200 nodes
def _parse(text: str) -> ast.expr:
    if len(text) > MAX_LENGTH:
        raise ExprError(
            0,
            "ADV311",
            f"The expression is {len(text)} characters long, over the limit of {MAX_LENGTH}; "
            "split it into derived facts.",
        )
    if "\x00" in text:
        raise ExprError(0, "ADV301", "The expression contains a NUL character; remove it.")
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    try:
        tree = ast.parse(stripped.replace("\n", " "), mode="eval")
    except SyntaxError as exc:
        col = max(0, (exc.offset or 1) - 1) + lead
        raise ExprError(
            col, "ADV301", f"The expression is not valid syntax ({exc.msg}); check it near here."
        ) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError(
            0, "ADV312", "The expression nests too deeply; split it into derived facts."
        ) from None
    _shape(tree.body, lead)
    return _shift(tree.body, lead)


def _shift(tree: ast.expr, lead: int) -> ast.expr:
    if lead:
        for node in ast.walk(tree):
            if hasattr(node, "col_offset") and getattr(node, "lineno", 1) == 1:
                node.col_offset += lead
    return tree


def _shape(root: ast.expr, lead: int) -> None:
    """Reject every construct outside the whitelist, and trees too large or too deep."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        off = getattr(node, "col_offset", 0) + lead
        if count > MAX_NODES:
            raise ExprError(
                0,
                "ADV312",
                f"The expression has more than {MAX_NODES} parts; split it into derived facts.",
            )
        if depth > MAX_DEPTH:
            raise ExprError(
                off,
                "ADV312",
                f"The expression nests deeper than {MAX_DEPTH} levels; split it into derived "
                "facts.",
            )
        # The most common nodes first, checked as the general path below checks them (the
        # same test, the same error) without its chain of isinstance tests: a name, a number
        # or string, arithmetic, a comparison, and/or/not, if-else, a list.
        n: Any = node
        cls = type(n)
        if cls is ast.Name:
            if not n.id.startswith("_"):
                continue  # its only child is its context (Load)
        elif cls is ast.Constant:
            kind = type(n.value)
            if kind is str or kind is bool:
                continue
            if (kind is int or kind is float) and not _literal_limit(n.value):
                continue
        elif (
            cls in _PLAIN
            or (cls is ast.BinOp and type(n.op) in _ARITHMETIC)
            or (cls is ast.UnaryOp and type(n.op) is not ast.Invert)
            or (cls is ast.Compare and not any(type(op) in _IDENTITY for op in n.ops))
        ):
            stack.extend((child, depth + 1) for child in _CHILDREN[cls](n))
            continue
        problem = _forbidden(node)
        if problem:
            raise ExprError(off, *problem)
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, int | float)
            and not isinstance(node.value, bool)
        ):
            limit = _literal_limit(node.value)
            if limit:
                raise ExprError(off, "ADV316", limit)
        if isinstance(node, ast.Attribute):
            name = dotted_name(node)
            if name is None:
                raise ExprError(
                    off,
                    "ADV302",
                    "Attribute access is not allowed; only dotted fact names such as "
                    "'data.air_gapped' may contain dots.",
                )
            if any(part.startswith("_") for part in name.split(".")):
                raise ExprError(
                    off,
                    "ADV303",
                    f"The name {name!r} has a part starting with '_'; such names are not "
                    "allowed. Use a fact id.",
                )
            continue  # a dotted name is a leaf
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            raise ExprError(
                off,
                "ADV303",
                f"The name {node.id!r} starts with '_'; such names are not allowed. Use a fact id.",
            )
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id.startswith("_"):
                raise ExprError(
                    off,
                    "ADV303",
                    f"The name {func.id!r} starts with '_'; such names are not allowed.",
                )
            if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
                what = dotted_name(func) if isinstance(func, ast.Attribute | ast.Name) else None
                shown = f"{what!r}" if what else "this"
                raise ExprError(
                    off,
                    "ADV304",
                    f"Calling {shown} is not allowed; the functions available are "
                    f"{', '.join(sorted(FUNCTIONS))}.",
                )
            if node.keywords:
                raise ExprError(
                    off, "ADV317", f"{func.id}() takes no keyword arguments; pass them in order."
                )
            for arg in node.args:
                stack.append((arg, depth + 1))
            continue
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            exp = node.right
            value = _literal_number(exp)
            if value is None:
                raise ExprError(
                    off,
                    "ADV310",
                    "The exponent of '**' must be a literal number; write the power out.",
                )
            if abs(value) > MAX_EXPONENT:
                raise ExprError(
                    off,
                    "ADV310",
                    f"The exponent {value} is too large (the limit is {MAX_EXPONENT}); "
                    "use a smaller literal.",
                )
        children = _CHILDREN.get(type(node))
        if children is not None:
            # the allowed nodes' expression children, in ast.iter_child_nodes' order (so the
            # same problem is found first), without its walk over every field
            stack.extend((child, depth + 1) for child in children(node))
            continue
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr_context | ast.operator | ast.cmpop | ast.boolop):
                continue
            if isinstance(child, ast.unaryop):
                continue
            stack.append((child, depth + 1))


_ARITHMETIC = frozenset({ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod})
"""The binary operators _shape lets through unchecked ('**' has its exponent checked)."""
_PLAIN = frozenset({ast.BoolOp, ast.IfExp, ast.List, ast.Tuple})
"""Allowed nodes with nothing of their own to check (their children are)."""
_IDENTITY = frozenset({ast.Is, ast.IsNot})

_CHILDREN: dict[type[ast.AST], Callable[[Any], list[ast.expr]]] = {
    ast.BoolOp: lambda n: n.values,
    ast.UnaryOp: lambda n: [n.operand],
    ast.BinOp: lambda n: [n.left, n.right],
    ast.Compare: lambda n: [n.left, *n.comparators],
    ast.IfExp: lambda n: [n.test, n.body, n.orelse],
    ast.Constant: lambda n: [],
    ast.Name: lambda n: [],
    ast.List: lambda n: n.elts,
    ast.Tuple: lambda n: n.elts,
}
"""Per allowed node type, its children that _shape walks: what ast.iter_child_nodes yields
for it less the operator and context nodes (Load, Add, Lt, And, Not...), in the same order."""


MAX_LITERAL = 1e300
"""The largest number an expression may write: beyond, arithmetic on it leaves float range
(``1e400`` is already infinity), and no figure advisor weighs comes near it."""
MAX_WHOLE_LITERAL = 10**18


def _literal_limit(value: int | float) -> str:
    """Why a number literal is refused, or ``""``."""
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > MAX_LITERAL:
            return (
                "This number is beyond the range expressions compute with (at most 1e300 "
                "either way; 1e400 would be infinity); write a smaller number."
            )
        return ""
    if abs(value) > MAX_WHOLE_LITERAL:
        return (
            "This whole number has more than 18 digits; write it as a decimal such as 1e21 "
            "(at most 1e300)."
        )
    return ""


def _literal_number(node: ast.expr) -> float | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _literal_number(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            return None
        if isinstance(node.value, int) and abs(node.value) > MAX_WHOLE_LITERAL:
            return math.inf  # refused where the literal itself is checked; never converted
        return float(node.value)
    return None


def _forbidden(node: ast.AST) -> tuple[str, str] | None:
    allowed = (
        ast.BoolOp,
        ast.UnaryOp,
        ast.BinOp,
        ast.Compare,
        ast.IfExp,
        ast.Constant,
        ast.Name,
        ast.Attribute,
        ast.Call,
        ast.List,
        ast.Tuple,
        ast.Load,
    )
    if isinstance(node, allowed):
        if isinstance(node, ast.Subscript):  # pragma: no cover - not in allowed
            pass
        if isinstance(node, ast.BinOp) and type(node.op) not in (
            ast.Add,
            ast.Sub,
            ast.Mult,
            ast.Div,
            ast.FloorDiv,
            ast.Mod,
            ast.Pow,
        ):
            return (
                "ADV316",
                "Bitwise operators and '@' are not allowed; use arithmetic, comparisons "
                "and 'and'/'or'/'not'.",
            )
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
            return ("ADV316", "The '~' operator is not allowed; use 'not' for booleans.")
        if isinstance(node, ast.Compare) and any(
            isinstance(op, ast.Is | ast.IsNot) for op in node.ops
        ):
            return ("ADV316", "'is' and 'is not' are not allowed; compare with '==' or '!='.")
        if isinstance(node, ast.Constant) and type(node.value) not in (int, float, str, bool):
            shown = "None" if node.value is None else type(node.value).__name__
            return (
                "ADV316",
                f"The literal {shown} is not allowed; use numbers, strings, True and False.",
            )
        return None
    if isinstance(node, ast.Subscript):
        return ("ADV305", "Subscripts ('x[...]') are not allowed; name the fact you need.")
    if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        return ("ADV306", "Comprehensions are not allowed; write the condition out.")
    if isinstance(node, ast.Lambda):
        return ("ADV307", "Lambdas are not allowed; expressions cannot define functions.")
    if isinstance(node, ast.NamedExpr):
        return ("ADV308", "Assignment expressions (':=') are not allowed; use a derived fact.")
    if isinstance(node, ast.JoinedStr | ast.FormattedValue):
        return ("ADV309", "f-strings are not allowed; use a plain string literal.")
    if isinstance(node, ast.Starred):
        return ("ADV316", "Starred arguments ('*x') are not allowed.")
    if isinstance(node, ast.Dict | ast.Set):
        return ("ADV316", "Dict and set literals are not allowed; use a list such as ['a', 'b'].")
    if isinstance(node, ast.Await | ast.Yield | ast.YieldFrom):
        return ("ADV316", "'await' and 'yield' are not allowed in an expression.")
    if isinstance(node, ast.Slice):
        return ("ADV305", "Slices are not allowed.")
    return ("ADV316", f"{type(node).__name__} is not allowed in an expression.")


class _Checker:
    def __init__(self, text: str, env: Mapping[str, FactInfo]) -> None:
        self.text = text
        self.env = env
        self.names: set[str] = set()

    def fail(self, node: ast.AST, code: str, message: str) -> ExprError:
        return ExprError(_offset(self.text, node), code, message)

    def type_of(self, node: ast.expr) -> str:
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool):
                return BOOL
            if isinstance(value, int | float):
                return NUMBER
            return STR
        if isinstance(node, ast.Name | ast.Attribute):
            name = dotted_name(node)
            assert name is not None  # _shape guarantees it
            if name in _ALIASES:
                return BOOL
            info = self.env.get(name)
            if info is None:
                raise self.fail(node, "ADV313", _unknown_name_message(name, self.env))
            self.names.add(name)
            return info.type
        if isinstance(node, ast.BoolOp):
            for operand in node.values:
                self.expect(operand, BOOL, "'and' and 'or' combine conditions")
            return BOOL
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                self.expect(node.operand, BOOL, "'not' negates a condition")
                return BOOL
            self.expect(node.operand, NUMBER, "a sign applies to numbers")
            return NUMBER
        if isinstance(node, ast.BinOp):
            self.expect(node.left, NUMBER, "arithmetic works on numbers")
            self.expect(node.right, NUMBER, "arithmetic works on numbers")
            return NUMBER
        if isinstance(node, ast.IfExp):
            self.expect(node.test, BOOL, "the condition of 'x if c else y' is a condition")
            left = self.type_of(node.body)
            right = self.type_of(node.orelse)
            if left != right:
                raise self.fail(
                    node,
                    "ADV314",
                    f"Both branches of 'if ... else' must have the same type; here they are "
                    f"{left} and {right}.",
                )
            return left
        if isinstance(node, ast.Compare):
            self.compare(node)
            return BOOL
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.List | ast.Tuple):
            kinds = {self.type_of(e) for e in node.elts}
            if not node.elts:
                return LIST_STR
            if kinds == {STR}:
                return LIST_STR
            if kinds == {NUMBER}:
                return LIST_NUM
            raise self.fail(
                node, "ADV314", "A list must hold only strings or only numbers, not a mix."
            )
        raise self.fail(node, "ADV316", f"{type(node).__name__} is not allowed.")

    def expect(self, node: ast.expr, wanted: str, why: str) -> None:
        got = self.type_of(node)
        if got != wanted:
            raise self.fail(
                node,
                "ADV314",
                f"Expected a {wanted} here but {_describe(node, self.text)} is a {got}: {why}.",
            )

    def call(self, node: ast.Call) -> str:
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        _fn, lo, hi, arg_type, result = FUNCTIONS[name]
        if not lo <= len(node.args) <= hi:
            count = f"{lo}" if lo == hi else f"{lo} to {hi}"
            raise self.fail(
                node,
                "ADV317",
                f"{name}() takes {count} arguments, not {len(node.args)}.",
            )
        for arg in node.args:
            got = self.type_of(arg)
            if arg_type == "list":
                if not got.startswith("list"):
                    raise self.fail(arg, "ADV314", f"{name}() takes a list, not a {got}.")
            elif got != arg_type:
                raise self.fail(arg, "ADV314", f"{name}() takes numbers, not a {got}.")
        return result

    def compare(self, node: ast.Compare) -> None:
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            lt, rt = self.type_of(left), self.type_of(right)
            symbol = _CMP_SYMBOL[type(op)]
            if isinstance(op, ast.In | ast.NotIn):
                if not rt.startswith("list"):
                    raise self.fail(
                        right,
                        "ADV314",
                        f"The right side of '{symbol}' must be a list or a multiple-choice "
                        f"answer, but it is a {rt}.",
                    )
                element = STR if rt == LIST_STR else NUMBER
                if lt != element:
                    raise self.fail(
                        left,
                        "ADV314",
                        f"A {lt} cannot be in a {rt}; compare like with like.",
                    )
                self.literals_fit(left, right)
                self.literals_fit(right, left)
            elif isinstance(op, ast.Eq | ast.NotEq):
                if lt.startswith("list") or rt.startswith("list"):
                    raise self.fail(
                        node,
                        "ADV314",
                        f"'{symbol}' cannot compare lists; test members with 'in' or count "
                        "them with len().",
                    )
                if lt != rt:
                    raise self.fail(
                        node,
                        "ADV314",
                        f"'{symbol}' compares a {lt} with a {rt}; both sides must have the "
                        "same type (quote strings, do not quote numbers).",
                    )
                self.literals_fit(left, right)
                self.literals_fit(right, left)
            else:
                for side, kind in ((left, lt), (right, rt)):
                    if kind != NUMBER:
                        raise self.fail(
                            side,
                            "ADV314",
                            f"'{symbol}' orders numbers, but {_describe(side, self.text)} is a "
                            f"{kind}.",
                        )
            left = right

    def literals_fit(self, fact_side: ast.expr, literal_side: ast.expr) -> None:
        """A string literal compared with a choice fact must be one of its options."""
        if not isinstance(fact_side, ast.Name | ast.Attribute):
            return
        name = dotted_name(fact_side)
        info = self.env.get(name or "")
        if info is None or not info.options:
            return
        literals: list[ast.Constant] = []
        if isinstance(literal_side, ast.Constant) and isinstance(literal_side.value, str):
            literals.append(literal_side)
        elif isinstance(literal_side, ast.List | ast.Tuple):
            literals.extend(
                e
                for e in literal_side.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            )
        for lit in literals:
            if lit.value not in info.options:
                hint = did_you_mean(str(lit.value), info.options)
                raise self.fail(
                    lit,
                    "ADV315",
                    f"{lit.value!r} is not a value of {name}; its values are "
                    f"{', '.join(info.options)}.{hint}",
                )


def _describe(node: ast.expr, text: str) -> str:
    segment = ast.get_source_segment(text.strip(), node)
    return f"'{segment}'" if segment and len(segment) < 60 else "this part"


def _unknown_name_message(name: str, env: Mapping[str, FactInfo]) -> str:
    hint = did_you_mean(name, env)
    if name in ("True", "False", "None", "null", "none"):
        return f"{name!r} is not a known name; write True or False."
    return (
        f"{name!r} is not a question id, derived fact or computed fact.{hint} "
        "Check the spelling or define it under 'facts:'."
    )


def check(text: str, env: Mapping[str, FactInfo], want: str | None = None) -> Checked:
    """Parse and type-check ``text``; ``want`` is the type the expression must have."""
    tree = parse(text)
    checker = _Checker(text, env)
    kind = checker.type_of(tree)
    if want is not None and kind != want:
        raise ExprError(
            _offset(text, tree),
            "ADV319",
            f"This expression must give a {want}, but it gives a {kind}."
            + (" Compare it with something, e.g. '> 0'." if want == BOOL else ""),
        )
    return Checked(text, tree, kind, frozenset(checker.names))


# --- the fast path: Python source from a checked tree ----------------------------------------


def to_python(tree: ast.expr, local: Mapping[str, str]) -> str:
    """Python source for a checked tree; fact names become the locals given in ``local``."""
    if isinstance(tree, ast.Constant):
        return repr(tree.value)
    if isinstance(tree, ast.Name | ast.Attribute):
        name = dotted_name(tree)
        assert name is not None
        if name in _ALIASES:
            return repr(_ALIASES[name])
        return local[name]
    if isinstance(tree, ast.BoolOp):
        joiner = " and " if isinstance(tree.op, ast.And) else " or "
        return "(" + joiner.join(to_python(v, local) for v in tree.values) + ")"
    if isinstance(tree, ast.UnaryOp):
        symbol = {ast.Not: "not ", ast.USub: "-", ast.UAdd: "+"}[type(tree.op)]
        return f"({symbol}{to_python(tree.operand, local)})"
    if isinstance(tree, ast.BinOp):
        a, b = to_python(tree.left, local), to_python(tree.right, local)
        op = type(tree.op)
        if op in _BIN_SYMBOL:
            return f"({a} {_BIN_SYMBOL[op]} {b})"
        # Always through the helpers: a literal divisor is safe from zero but not from a
        # dividend beyond float range (an integer product), which the helpers make total.
        if op is ast.Div:
            return f"_div({a}, {b})"
        if op is ast.FloorDiv:
            return f"_fdiv({a}, {b})"
        if op is ast.Mod:
            return f"_mod({a}, {b})"
        return f"_pow({a}, {b})"
    if isinstance(tree, ast.Compare):
        parts = [to_python(tree.left, local)]
        for cmp, right in zip(tree.ops, tree.comparators, strict=True):
            rhs = to_python(right, local)
            if (
                isinstance(cmp, ast.In | ast.NotIn)
                and isinstance(right, ast.List | ast.Tuple)
                and all(isinstance(e, ast.Constant) for e in right.elts)
            ):
                # A set display of constants after 'in' compiles to a frozenset constant.
                members = sorted({repr(e.value) for e in right.elts if isinstance(e, ast.Constant)})
                rhs = "{" + ", ".join(members) + "}"
            parts.append(f"{_CMP_SYMBOL[type(cmp)]} {rhs}")
        return "(" + " ".join(parts) + ")"
    if isinstance(tree, ast.IfExp):
        return (
            f"({to_python(tree.body, local)} if {to_python(tree.test, local)} "
            f"else {to_python(tree.orelse, local)})"
        )
    if isinstance(tree, ast.Call):
        assert isinstance(tree.func, ast.Name)
        args = ", ".join(to_python(a, local) for a in tree.args)
        return f"_fn_{tree.func.id}({args})"
    if isinstance(tree, ast.List | ast.Tuple):
        inner = ", ".join(to_python(e, local) for e in tree.elts)
        return f"({inner},)" if tree.elts else "()"
    raise TypeError(f"unchecked node {type(tree).__name__}")  # pragma: no cover


# One definition of each operator, shared by the closures and the reference interpreter the
# tests compare them with (tests/helpers/evaluate3.py), so the two cannot drift apart.
# Comparisons go through bool() so both give exactly True or False whatever a value's __eq__
# returns.
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: bool(a == b),
    ast.NotEq: lambda a, b: bool(a != b),
    ast.Lt: lambda a, b: bool(a < b),
    ast.LtE: lambda a, b: bool(a <= b),
    ast.Gt: lambda a, b: bool(a > b),
    ast.GtE: lambda a, b: bool(a >= b),
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: _div,
    ast.FloorDiv: _fdiv,
    ast.Mod: _mod,
    ast.Pow: _pow,
}


# --- the partial path, compiled: three-valued logic as closures built once -------------------

Eval3 = Callable[[Mapping[str, Any]], Any]
"""A compiled three-valued expression: values in, a value or UNKNOWN out."""


def compile3(tree: ast.expr) -> Eval3:
    """A checked tree evaluated with three-valued logic (a missing fact makes its part
    UNKNOWN, Kleene logic), with the tree walk done once, here.

    The node dispatch, the dotted-name joins and the operator lookups that a tree walk repeats
    on every call happen at compile time; a call runs only the closures of the nodes it
    reaches. Results equal the reference walk's (tests/helpers/evaluate3.py) on every input,
    UNKNOWN included, and subexpressions
    are evaluated in the same order and skipped in the same places, so an exception from a
    runtime helper surfaces (or not) exactly as it would there.
    """
    if isinstance(tree, ast.Constant):
        return _constant(tree.value)
    if isinstance(tree, ast.Name | ast.Attribute):
        name = dotted_name(tree)
        assert name is not None
        return _constant(_ALIASES[name]) if name in _ALIASES else _read(name)
    if isinstance(tree, ast.BoolOp):
        parts = tuple(compile3(v) for v in tree.values)
        return _bool_op(parts, isinstance(tree.op, ast.And))
    if isinstance(tree, ast.IfExp):
        return _if_else(compile3(tree.test), compile3(tree.body), compile3(tree.orelse))
    if isinstance(tree, ast.Compare):
        return _comparison(tree)
    if isinstance(tree, ast.UnaryOp):
        return _unary(type(tree.op), compile3(tree.operand))
    if isinstance(tree, ast.BinOp):
        return _binary(_BINARY[type(tree.op)], compile3(tree.left), compile3(tree.right))
    if isinstance(tree, ast.Call):
        assert isinstance(tree.func, ast.Name)
        return _call(FUNCTIONS[tree.func.id][0], tuple(compile3(a) for a in tree.args))
    if isinstance(tree, ast.List | ast.Tuple):
        literal = _literal(tree)
        if literal is not None:
            return _constant(literal[0])
        return _sequence(tuple(compile3(e) for e in tree.elts))
    raise TypeError(f"unchecked node {type(tree).__name__}")  # pragma: no cover


def _literal(tree: ast.expr) -> tuple[Any] | None:
    """``(value,)`` when ``tree`` has the same value on every call, else None.

    Only constants and lists of constants qualify: folding them cannot raise, and a list
    literal is an immutable tuple, so sharing one across calls is indistinguishable from
    building it anew as the reference walk does.
    """
    if isinstance(tree, ast.Constant):
        return (tree.value,)
    if isinstance(tree, ast.Name | ast.Attribute):
        alias = _ALIASES.get(dotted_name(tree) or "")
        return None if alias is None else (alias,)
    if isinstance(tree, ast.List | ast.Tuple) and all(
        isinstance(e, ast.Constant) for e in tree.elts
    ):
        return (tuple(e.value for e in tree.elts if isinstance(e, ast.Constant)),)
    return None


def _constant(value: Any) -> Eval3:
    def constant(values: Mapping[str, Any]) -> Any:
        return value

    return constant


def _read(name: str) -> Eval3:
    def read(values: Mapping[str, Any]) -> Any:
        return values.get(name, UNKNOWN)

    return read


def _bool_op(parts: tuple[Eval3, ...], is_and: bool) -> Eval3:
    # The first operand that settles the result (False for 'and', True for 'or') wins even
    # past an UNKNOWN one, and operands after it are skipped, as in the reference walk.
    settles = not is_and

    def bool_op(values: Mapping[str, Any]) -> Any:
        unknown = False
        for part in parts:
            v = part(values)
            if v is UNKNOWN:
                unknown = True
            elif bool(v) is settles:
                return settles
        return UNKNOWN if unknown else is_and

    return bool_op


def _if_else(test: Eval3, body: Eval3, orelse: Eval3) -> Eval3:
    # An undecided test still gives a value when both branches agree on it.
    def if_else(values: Mapping[str, Any]) -> Any:
        t = test(values)
        if t is UNKNOWN:
            a, b = body(values), orelse(values)
            return a if a is not UNKNOWN and a == b else UNKNOWN
        return body(values) if t else orelse(values)

    return if_else


def _comparison(tree: ast.Compare) -> Eval3:
    if len(tree.ops) > 1:
        return _chain(
            compile3(tree.left),
            tuple(
                (_COMPARE[type(op)], compile3(right))
                for op, right in zip(tree.ops, tree.comparators, strict=True)
            ),
        )
    cmp = _COMPARE[type(tree.ops[0])]
    right = tree.comparators[0]
    name = dotted_name(tree.left) if isinstance(tree.left, ast.Name | ast.Attribute) else None
    literal = _literal(right)
    if name is not None and name not in _ALIASES and literal is not None:
        return _fact_against(name, cmp, literal[0])
    return _binary(cmp, compile3(tree.left), compile3(right))


def _chain(left: Eval3, tests: tuple[tuple[Callable[[Any, Any], bool], Eval3], ...]) -> Eval3:
    # 'a < b < c': a False link decides even when another link is UNKNOWN, so every operand
    # is evaluated until a link is known to fail.
    def chain(values: Mapping[str, Any]) -> Any:
        a = left(values)
        result: Any = True
        for cmp, right in tests:
            b = right(values)
            if a is UNKNOWN or b is UNKNOWN:
                result = UNKNOWN
            elif not cmp(a, b):
                return False
            a = b
        return result

    return chain


def _fact_against(name: str, cmp: Callable[[Any, Any], bool], literal: Any) -> Eval3:
    # 'fact <op> literal' is most conditions in a rule set: read the fact inline and skip the
    # closures of both operands.
    def fact_against(values: Mapping[str, Any]) -> Any:
        a = values.get(name, UNKNOWN)
        if a is UNKNOWN:
            return UNKNOWN
        return cmp(a, literal)

    return fact_against


def _unary(op: type[ast.unaryop], operand: Eval3) -> Eval3:
    def negate(values: Mapping[str, Any]) -> Any:
        v = operand(values)
        return UNKNOWN if v is UNKNOWN else not v

    def minus(values: Mapping[str, Any]) -> Any:
        v = operand(values)
        return UNKNOWN if v is UNKNOWN else -v

    def plus(values: Mapping[str, Any]) -> Any:
        v = operand(values)
        return UNKNOWN if v is UNKNOWN else +v

    return negate if op is ast.Not else minus if op is ast.USub else plus


def _binary(fn: Callable[[Any, Any], Any], left: Eval3, right: Eval3) -> Eval3:
    # An operator or a single comparison: both operands are read, UNKNOWN if either is.
    def binary(values: Mapping[str, Any]) -> Any:
        a, b = left(values), right(values)
        if a is UNKNOWN or b is UNKNOWN:
            return UNKNOWN
        return fn(a, b)

    return binary


def _call(fn: Callable[..., Any], args: tuple[Eval3, ...]) -> Eval3:
    def call(values: Mapping[str, Any]) -> Any:
        got = [arg(values) for arg in args]
        for v in got:
            if v is UNKNOWN:
                return UNKNOWN
        return fn(*got)

    return call


def _sequence(elements: tuple[Eval3, ...]) -> Eval3:
    def sequence(values: Mapping[str, Any]) -> Any:
        got = tuple(element(values) for element in elements)
        for v in got:
            if v is UNKNOWN:
                return UNKNOWN
        return got

    return sequence
