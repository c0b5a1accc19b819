"""Fuzzing: expressions and rule sets that pass the checker never make evaluation raise.

Profiles (``HYPOTHESIS_PROFILE``): ``ci`` (default; derandomized, >= 20,000 expressions and
2,000 rule sets, cheap cases) and ``nightly`` (random, ten times more). See docs/engine.md,
"Fuzzing".
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import pytest
from helpers.evaluate3 import evaluate3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.expr.language import (
    NUMBER,
    RUNTIME,
    UNKNOWN,
    ExprError,
    FactInfo,
    check,
    compile3,
    to_python,
)

settings.register_profile(
    "ci", derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile(
    "nightly", deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
NIGHTLY = os.environ.get("HYPOTHESIS_PROFILE") == "nightly"

# Each example checks a batch of expressions: hypothesis overhead per example is far above
# the cost of checking and evaluating one small expression.
EXPR_EXAMPLES, EXPR_BATCH = (200, 10) if not NIGHTLY else (2000, 10)
RULESET_EXAMPLES = 40 if not NIGHTLY else 2000

ENV = {
    "a.n": FactInfo(NUMBER),
    "a.m": FactInfo(NUMBER),
    "a.k": FactInfo(NUMBER),
    "a.b": FactInfo("bool"),
    "a.c": FactInfo("str", ("x", "y", "z")),
}
EDGE_NUMBERS = [0, 1, -1, 0.5, 2, 10**18, -(10**18), 1e300, -1e300, 1e-300, 5e-324, 64, -64]


def _numbers() -> st.SearchStrategy[str]:
    leaf = st.one_of(
        st.sampled_from(["a.n", "a.m", "a.k", "len(['p', 'q'])"]),
        st.sampled_from(EDGE_NUMBERS).map(repr),
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300).map(
            repr
        ),
    )

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binop = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "//", "%"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        )
        power = st.tuples(inner, st.sampled_from(["2", "0.5", "-1", "64", "-64", "3"])).map(
            lambda t: f"({t[0]} ** {t[1]})"
        )
        call1 = st.tuples(st.sampled_from(["abs", "ceil", "floor", "log10", "round"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"
        )
        call2 = st.tuples(st.sampled_from(["min", "max", "round"]), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        )
        clamp = st.tuples(inner, inner, inner).map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})")
        cond = st.tuples(inner, _bools_leaf(inner), inner).map(
            lambda t: f"({t[0]} if {t[1]} else {t[2]})"
        )
        neg = inner.map(lambda e: f"(-{e})")
        return st.one_of(binop, power, call1, call2, clamp, cond, neg)

    return st.recursive(leaf, grow, max_leaves=8)


def _bools_leaf(numbers: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    compare = st.tuples(numbers, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), numbers).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    choice = st.sampled_from(["a.c == 'x'", "a.c in ['y', 'z']", "a.c != 'z'"])
    return st.one_of(st.sampled_from(["a.b", "True", "not a.b"]), compare, choice)


NUMBERS = _numbers()
BOOLS = st.recursive(
    _bools_leaf(NUMBERS),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        inner.map(lambda e: f"(not {e})"),
    ),
    max_leaves=4,
)
VALUES = st.fixed_dictionaries(
    {
        "a.n": st.sampled_from(EDGE_NUMBERS) | st.floats(allow_nan=False, allow_infinity=False),
        "a.m": st.sampled_from(EDGE_NUMBERS) | st.integers(-(10**15), 10**15),
        "a.k": st.sampled_from([0, 0.0, -0.0, 1e308, 2**53]),
        "a.b": st.booleans(),
        "a.c": st.sampled_from(["x", "y", "z"]),
    }
)
checked_count = {"expressions": 0, "rulesets": 0}


def _evaluate_every_way(text: str, values: dict[str, Any]) -> None:
    try:
        checked = check(text, ENV)
    except ExprError:
        return  # refused with a code: fine, only what passes must evaluate
    checked_count["expressions"] += 1
    local = {name: f"f[{name!r}]" for name in checked.names}
    namespace: dict[str, Any] = {"__builtins__": {}, **RUNTIME}
    exec(compile(f"_e = lambda f: {to_python(checked.tree, local)}", "<fuzz>", "exec"), namespace)
    fast = namespace["_e"](values)
    slow = evaluate3(checked.tree, values)
    closures = compile3(checked.tree)(values)
    partial = dict(values)
    partial.pop("a.n")
    evaluate3(checked.tree, partial)  # with a missing fact: UNKNOWN, never an exception
    compile3(checked.tree)(partial)
    for other in (slow, closures):
        same = other == fast or (
            isinstance(fast, float)
            and isinstance(other, float)
            and math.isnan(fast)
            and math.isnan(other)
        )
        assert same, (text, values, fast, other)
    assert fast is not UNKNOWN


@settings(max_examples=EXPR_EXAMPLES)
@given(st.lists(st.one_of(NUMBERS, BOOLS), min_size=EXPR_BATCH, max_size=EXPR_BATCH), VALUES)
def test_checked_expressions_never_raise(texts: list[str], values: dict[str, Any]) -> None:
    for text in texts:
        _evaluate_every_way(text, values)


RULE_TEMPLATE = """\
categories:
  - id: cost
    weight: {weight}
facts:
  - id: fuzz.x
    expr: "{fact}"
rules:
{rules}
"""


def _rule(i: int, when: str, points: float, spec: str) -> str:
    return (
        f"  - id: fuzz-{i}\n"
        f"    category: cost\n"
        f'    when: "{when}"\n'
        f"    score: {{self_host: {points!r}, hybrid: {-points!r}}}\n"
        f'    because: "x is {{fuzz.x{spec}}} and input {{usage.monthly_input_tokens}}"\n'
        f"    source: article:A4\n"
    )


NAMES = [
    "usage.monthly_input_tokens",
    "usage.monthly_output_tokens",
    "ops.engineer_annual_cost_usd",
]
RULE_NUMBERS = st.one_of(
    st.sampled_from([*NAMES, "fuzz.x"]),
    st.sampled_from(["0", "1", "1e300", "-1e300", "1e-300", "0.5"]),
)
RULE_EXPR = st.recursive(
    RULE_NUMBERS,
    lambda inner: (
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "//", "%"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        )
        | inner.map(lambda e: f"round({e}, {e})")
        | inner.map(lambda e: f"log10({e})")
    ),
    max_leaves=4,
)
RULE_SETS = st.tuples(
    st.sampled_from(["1", "0", "1000000", "fuzz.x", "fuzz.x * 1e300", "0 - fuzz.x"]),
    RULE_EXPR,
    st.lists(
        st.tuples(
            st.tuples(RULE_EXPR, st.sampled_from(["<", ">", "==", "!="]), RULE_EXPR).map(" ".join),
            st.sampled_from([1.0, -3.0, 1e6, -1e6, 0.25]),
            st.sampled_from(["", ":,.0f", ":>50", ":.50e", ":.1%", ":g"]),
        ),
        min_size=1,
        max_size=3,
    ),
)
ANSWER_SETS = st.fixed_dictionaries(
    {},
    optional={
        "usage.monthly_input_tokens": st.sampled_from([0, 10, 1e6, 1e15]),
        "usage.monthly_output_tokens": st.sampled_from([0, 1e15]),
        "ops.engineer_annual_cost_usd": st.sampled_from([0, 1e7]),
    },
)


@pytest.fixture(scope="module")
def base_bundle() -> Any:
    from advisor.load.bundle import load_bundle

    return load_bundle()


def _compile(base: Any, text: str) -> Any:
    """Layer generated rule text over the default rule set, through the real checks."""
    import copy

    from advisor.engine.ruleset import compile_bundle
    from advisor.load.bundle import _add_rules
    from advisor.load.yamlsafe import parse_text
    from advisor.problems import AdvisorError

    bundle = copy.copy(base)
    for name in (
        "rules",
        "rule_origin",
        "categories",
        "category_origin",
        "facts",
        "fact_origin",
        "sources",
        "source_origin",
    ):
        setattr(bundle, name, dict(getattr(base, name)))
    bundle.problems = []
    try:
        _add_rules(bundle, parse_text(text, "fuzz.yaml"), 1)
        return compile_bundle(bundle)
    except AdvisorError:
        return None


@settings(max_examples=RULESET_EXAMPLES)
@given(RULE_SETS, ANSWER_SETS)
def test_rule_sets_that_pass_check_evaluate_without_raising(
    base_bundle: Any, spec: tuple[str, str, list[tuple[str, float, str]]], answers: dict[str, Any]
) -> None:
    weight, fact, rules = spec
    text = RULE_TEMPLATE.format(
        weight=json.dumps(weight),
        fact=fact,
        rules="".join(_rule(i, when, points, fmt) for i, (when, points, fmt) in enumerate(rules)),
    )
    ruleset = _compile(base_bundle, text)
    if ruleset is None:
        return  # refused with located problems: only what passes must evaluate
    checked_count["rulesets"] += 1
    decision = ruleset.evaluate(answers)
    json.dumps(decision.to_dict(), allow_nan=False)  # always valid JSON
    assert all(math.isfinite(v) for v in decision.scores.values())
    for fired in decision.fired:
        assert len(fired.because) <= 10_100


def test_fuzzers_exercised_enough_cases() -> None:
    """Runs after the two properties (file order): most generated cases pass the checker, so
    the properties are not vacuous."""
    if checked_count["expressions"] == 0:
        pytest.skip("run with the property tests")
    assert checked_count["expressions"] >= EXPR_EXAMPLES * EXPR_BATCH // 2
    assert checked_count["rulesets"] >= RULESET_EXAMPLES // 4
