"""The reference semantics of the expression language's three-valued path: a plain tree walk.

It used to live in advisor/expr/language.py, where nothing but the tests called it. The engine
runs :func:`advisor.expr.language.compile3`; the property tests check that its closures give
what this walk gives on every input, so a change to either that alters a result fails them.
It reuses the language's operator tables, as compile3 does.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from advisor.expr.language import (
    _ALIASES,
    _BINARY,
    _COMPARE,
    FUNCTIONS,
    UNKNOWN,
    dotted_name,
)


def evaluate3(tree: ast.expr, values: Mapping[str, Any]) -> Any:
    """Evaluate a checked tree; a missing fact makes its part UNKNOWN (Kleene logic)."""
    if isinstance(tree, ast.Constant):
        return tree.value
    if isinstance(tree, ast.Name | ast.Attribute):
        name = dotted_name(tree)
        assert name is not None
        if name in _ALIASES:
            return _ALIASES[name]
        return values.get(name, UNKNOWN)
    if isinstance(tree, ast.BoolOp):
        is_and = isinstance(tree.op, ast.And)
        unknown = False
        for sub in tree.values:
            v = evaluate3(sub, values)
            if v is UNKNOWN:
                unknown = True
            elif bool(v) is not is_and:
                return not is_and
        return UNKNOWN if unknown else is_and
    if isinstance(tree, ast.IfExp):
        test = evaluate3(tree.test, values)
        if test is UNKNOWN:
            a, b = evaluate3(tree.body, values), evaluate3(tree.orelse, values)
            return a if a is not UNKNOWN and a == b else UNKNOWN
        return evaluate3(tree.body if test else tree.orelse, values)
    if isinstance(tree, ast.Compare):
        left = evaluate3(tree.left, values)
        result: Any = True
        for op, right_node in zip(tree.ops, tree.comparators, strict=True):
            right = evaluate3(right_node, values)
            if left is UNKNOWN or right is UNKNOWN:
                result = UNKNOWN
            elif result is not False and not _compare(op, left, right):
                return False
            left = right
        return result
    children = (
        [tree.operand]
        if isinstance(tree, ast.UnaryOp)
        else [tree.left, tree.right]
        if isinstance(tree, ast.BinOp)
        else list(tree.args)
        if isinstance(tree, ast.Call)
        else list(tree.elts)
        if isinstance(tree, ast.List | ast.Tuple)
        else []
    )
    args = [evaluate3(c, values) for c in children]
    if any(a is UNKNOWN for a in args):
        return UNKNOWN
    if isinstance(tree, ast.UnaryOp):
        unary = type(tree.op)
        return (not args[0]) if unary is ast.Not else (-args[0] if unary is ast.USub else +args[0])
    if isinstance(tree, ast.BinOp):
        return _binop(type(tree.op), args[0], args[1])
    if isinstance(tree, ast.Call):
        assert isinstance(tree.func, ast.Name)
        return FUNCTIONS[tree.func.id][0](*args)
    if isinstance(tree, ast.List | ast.Tuple):
        return tuple(args)
    raise TypeError(f"unchecked node {type(tree).__name__}")  # pragma: no cover


def _compare(op: ast.cmpop, a: Any, b: Any) -> bool:
    return _COMPARE[type(op)](a, b)


def _binop(op: type[ast.operator], a: Any, b: Any) -> Any:
    return _BINARY[op](a, b)
