"""The expression language: what it accepts, what it refuses and why, and that both
evaluation paths agree."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from helpers.evaluate3 import evaluate3
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.expr.language import (
    BOOL,
    LIST_STR,
    NUMBER,
    RUNTIME,
    STR,
    UNKNOWN,
    ExprError,
    FactInfo,
    check,
    compile3,
    to_python,
)

ENV = {
    "usage.tokens": FactInfo(NUMBER),
    "usage.share": FactInfo(NUMBER),
    "data.air_gapped": FactInfo(BOOL),
    "data.residency": FactInfo(STR, ("none", "eu", "in_country", "on_prem")),
    "licensing.excluded_origins": FactInfo(LIST_STR, ("cn", "us", "eu")),
    "org.name": FactInfo(STR),
}

# (expression, expected code): every escape attempt and malformed input is refused at load.
REJECTED = [
    ("__import__('os').system('ls')", "ADV304"),
    ("__import__('os')", "ADV303"),
    ("().__class__.__bases__[0].__subclasses__()", "ADV304"),
    ("usage.tokens.__class__", "ADV303"),
    ("data.__dict__", "ADV303"),
    ("open('/etc/passwd')", "ADV304"),
    ("eval('1')", "ADV304"),
    ("exec('x=1')", "ADV304"),
    ("getattr(usage, 'tokens')", "ADV304"),
    ("globals()", "ADV304"),
    ("compile('1', 'x', 'eval')", "ADV304"),
    ("usage.tokens.bit_length()", "ADV304"),
    ("'abc'.upper()", "ADV304"),
    ("(1).real", "ADV302"),
    ("licensing.excluded_origins[0]", "ADV305"),
    ("licensing.excluded_origins[0:1]", "ADV305"),
    ("[x for x in licensing.excluded_origins]", "ADV306"),
    ("any(x for x in [1])", "ADV304"),
    ("{x for x in [1]}", "ADV306"),
    ("(lambda: 1)()", "ADV304"),
    ("lambda: 1", "ADV307"),
    ("(x := 1)", "ADV308"),
    ("f'{usage.tokens}'", "ADV309"),
    ("10 ** 10 ** 10", "ADV310"),
    ("2 ** usage.tokens", "ADV310"),
    ("2 ** 1000", "ADV310"),
    ("usage.tokens > 1 and " * 60 + "True", "ADV311"),
    ("(1 + " * 40 + "1" + ")" * 40 + " > 0", "ADV312"),
    ("-" * 40 + "1 > 0", "ADV312"),
    ("usage.tokns > 5", "ADV313"),
    ("nonexistent", "ADV313"),
    ("usage.tokens > 'many'", "ADV314"),
    ("data.residency == 3", "ADV314"),
    ("data.air_gapped + 1 > 0", "ADV314"),
    ("not usage.tokens", "ADV314"),
    ("usage.tokens and data.air_gapped", "ADV314"),
    ("data.residency == 'europe'", "ADV315"),
    ("data.residency in ['eu', 'onprem']", "ADV315"),
    ("'china' in licensing.excluded_origins", "ADV315"),
    ("{'a': 1}", "ADV316"),
    ("usage.tokens is None", "ADV316"),
    ("usage.tokens | 1", "ADV316"),
    ("~usage.tokens", "ADV316"),
    ("None", "ADV316"),
    ("b'bytes'", "ADV316"),
    ("*usage.tokens", "ADV301"),
    ("usage.tokens >", "ADV301"),
    ("import os", "ADV301"),
    ("x = 1", "ADV301"),
    ("usage.tokens > 1; usage.tokens < 2", "ADV301"),
    ("min(usage.tokens)", "ADV317"),
    ("round(usage.tokens, ndigits=2)", "ADV317"),
    ("usage.tokens + 1", "ADV319"),
    ("org.name in 'abc'", "ADV314"),
    ("1 if data.air_gapped else 'a'", "ADV314"),
]


@pytest.mark.parametrize(("text", "code"), REJECTED)
def test_rejected_with_a_stable_code(text: str, code: str) -> None:
    with pytest.raises(ExprError) as info:
        check(text, ENV, BOOL)
    assert info.value.code == code, info.value.message
    assert info.value.message.endswith((".", "?"))


def test_at_least_thirty_rejections_are_tabled() -> None:
    assert len(REJECTED) >= 30


def test_did_you_mean_for_names_and_options() -> None:
    with pytest.raises(ExprError) as info:
        check("usage.tokns > 5", ENV, BOOL)
    assert "Did you mean 'usage.tokens'?" in info.value.message
    with pytest.raises(ExprError) as info:
        check("data.residency == 'on-prem'", ENV, BOOL)
    assert "Did you mean 'on_prem'?" in info.value.message


def test_error_offset_points_at_the_bad_part() -> None:
    with pytest.raises(ExprError) as info:
        check("data.air_gapped or usage.tokns > 5", ENV, BOOL)
    assert info.value.offset == len("data.air_gapped or ")


ACCEPTED = [
    ("data.air_gapped", {"data.air_gapped": True}, True),
    (
        "usage.tokens > 1e9 and not data.air_gapped",
        {"usage.tokens": 2e9, "data.air_gapped": False},
        True,
    ),
    ("data.residency in ['eu', 'on_prem']", {"data.residency": "eu"}, True),
    ("'cn' in licensing.excluded_origins", {"licensing.excluded_origins": ["us"]}, False),
    ("len(licensing.excluded_origins) >= 2", {"licensing.excluded_origins": ["us", "cn"]}, True),
    ("min(usage.tokens, 10) / 0 > 1", {"usage.tokens": 5}, True),
    ("0 < usage.share <= 100", {"usage.share": 100}, True),
    (
        "(usage.tokens if data.air_gapped else 0) > 0",
        {"usage.tokens": 3, "data.air_gapped": False},
        False,
    ),
    ("clamp(usage.tokens, 0, 10) == 10", {"usage.tokens": 99}, True),
    ("2 ** 10 == 1024", {}, True),
    ("usage.tokens % 0 == 0", {"usage.tokens": 7}, True),
    ("true and not false", {}, True),
    ("ceil(usage.tokens / 3) == 2", {"usage.tokens": 4}, True),
]


@pytest.mark.parametrize(("text", "values", "expected"), ACCEPTED)
def test_both_paths_agree(text: str, values: dict[str, object], expected: bool) -> None:
    checked = check(text, ENV, BOOL)
    assert evaluate3(checked.tree, values) is expected
    local = {name: f"f[{name!r}]" for name in checked.names}
    code = to_python(checked.tree, local)
    assert eval(code, {"__builtins__": {}, **RUNTIME}, {"f": values}) is expected


def test_unknowns_follow_kleene_logic() -> None:
    both = check("data.air_gapped or usage.tokens > 5", ENV, BOOL)
    assert evaluate3(both.tree, {"data.air_gapped": True}) is True
    assert evaluate3(both.tree, {"data.air_gapped": False}) is UNKNOWN
    assert evaluate3(both.tree, {"usage.tokens": 1, "data.air_gapped": False}) is False
    conj = check("data.air_gapped and usage.tokens > 5", ENV, BOOL)
    assert evaluate3(conj.tree, {"data.air_gapped": False}) is False


def test_names_read_are_reported() -> None:
    checked = check("data.air_gapped or usage.tokens > 5", ENV, BOOL)
    assert checked.names == {"data.air_gapped", "usage.tokens"}


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_text_is_a_clean_error_or_a_valid_program(text: str) -> None:
    try:
        checked = check(text, ENV)
    except ExprError as exc:
        assert exc.code.startswith("ADV3")
        assert exc.message
        return
    local = {name: f"f[{name!r}]" for name in checked.names}
    compile(to_python(checked.tree, local), "<test>", "eval")


_atoms = st.sampled_from(
    ["usage.tokens", "usage.share", "1", "2.5", "0", "data.air_gapped", "True", "'eu'"]
)


@settings(max_examples=400, deadline=None)
@given(
    st.recursive(
        _atoms,
        lambda inner: st.tuples(
            inner,
            st.sampled_from([" + ", " - ", " * ", " / ", " > ", " == ", " and ", " or ", " % "]),
            inner,
        ).map(lambda t: f"({t[0]}{t[1]}{t[2]})"),
        max_leaves=12,
    ),
    st.floats(-1e6, 1e6),
    st.floats(-1e6, 1e6),
    st.booleans(),
)
def test_generated_programs_match_the_interpreter(text: str, a: float, b: float, g: bool) -> None:
    try:
        checked = check(text, ENV)
    except ExprError:
        return
    values = {"usage.tokens": a, "usage.share": b, "data.air_gapped": g}
    local = {name: f"f[{name!r}]" for name in checked.names}
    fast = eval(to_python(checked.tree, local), {"__builtins__": {}, **RUNTIME}, {"f": values})
    slow = evaluate3(checked.tree, values)
    assert fast == slow or (fast != fast and slow != slow)  # NaN equals nothing


# --- the compiled three-valued path matches the interpreter --------------------------------


def _outcome(run: Callable[[], Any]) -> tuple[str, Any]:
    """A result or the type of the exception raised: both paths must also fail alike."""
    try:
        return ("value", run())
    except Exception as exc:
        return ("raises", type(exc))


def _same(a: tuple[str, Any], b: tuple[str, Any]) -> bool:
    """Equal outcomes, where UNKNOWN equals only itself and NaN equals NaN."""
    if a[0] != b[0] or a[0] == "raises":
        return a == b
    x, y = a[1], b[1]
    if x is UNKNOWN or y is UNKNOWN:
        return x is y
    return type(x) is type(y) and (x == y or (x != x and y != y))


KLEENE = [
    # 'and': a False operand decides even when the other is missing, in either position.
    ("data.air_gapped and usage.tokens > 5", {"data.air_gapped": False}, False),
    ("usage.tokens > 5 and data.air_gapped", {"data.air_gapped": False}, False),
    ("usage.tokens > 5 and data.air_gapped", {"data.air_gapped": True}, UNKNOWN),
    ("data.air_gapped and usage.tokens > 5", {"data.air_gapped": True}, UNKNOWN),
    ("data.air_gapped and usage.tokens > 5", {"data.air_gapped": True, "usage.tokens": 9}, True),
    # 'or': a True operand decides.
    ("usage.tokens > 5 or data.air_gapped", {"data.air_gapped": True}, True),
    ("usage.tokens > 5 or data.air_gapped", {"data.air_gapped": False}, UNKNOWN),
    ("usage.tokens > 5 or data.air_gapped", {"data.air_gapped": False, "usage.tokens": 1}, False),
    ("true or usage.tokens > 1", {}, True),
    ("not data.air_gapped", {}, UNKNOWN),
    ("not data.air_gapped", {"data.air_gapped": False}, True),
    # An undecided test still gives the value both branches agree on.
    ("usage.tokens if data.air_gapped else usage.share", {"usage.tokens": 3, "usage.share": 3}, 3),
    (
        "usage.tokens if data.air_gapped else usage.share",
        {"usage.tokens": 3, "usage.share": 4},
        UNKNOWN,
    ),
    ("usage.tokens if data.air_gapped else usage.share", {"usage.tokens": 3}, UNKNOWN),
    ("usage.tokens if data.air_gapped else 1", {"data.air_gapped": True, "usage.tokens": 2}, 2),
    ("usage.tokens if data.air_gapped else 1", {"data.air_gapped": False}, 1),
    # Chains: a False link decides past an UNKNOWN one.
    ("0 < usage.tokens < usage.share", {"usage.tokens": -1}, False),
    ("usage.share < usage.tokens < 0", {"usage.tokens": 1}, False),
    ("usage.share < usage.tokens < 5", {"usage.tokens": 1}, UNKNOWN),
    ("0 < usage.share <= 100", {"usage.share": 100}, True),
    # Arithmetic, calls and lists propagate UNKNOWN.
    ("usage.tokens + 1", {}, UNKNOWN),
    ("-usage.tokens", {"usage.tokens": 2}, -2),
    ("min(usage.tokens, usage.share)", {"usage.tokens": 1}, UNKNOWN),
    ("max(usage.tokens, usage.share, 10)", {"usage.tokens": 1, "usage.share": 2}, 10),
    ("usage.tokens / 0", {"usage.tokens": 1}, math.inf),
    ("data.residency in ['eu', org.name]", {"data.residency": "eu"}, UNKNOWN),
    ("data.residency in ['eu', org.name]", {"data.residency": "eu", "org.name": "x"}, True),
    ("data.residency not in ['eu', 'on_prem']", {"data.residency": "eu"}, False),
    ("'cn' in licensing.excluded_origins", {}, UNKNOWN),
    ("len(licensing.excluded_origins)", {"licensing.excluded_origins": ["cn", "us"]}, 2),
]


@pytest.mark.parametrize(("text", "values", "expected"), KLEENE)
def test_compiled_closures_follow_kleene_logic(
    text: str, values: dict[str, Any], expected: Any
) -> None:
    tree = check(text, ENV).tree
    want = ("value", expected)
    assert _same(_outcome(lambda: evaluate3(tree, values)), want)
    assert _same(_outcome(lambda: compile3(tree)(values)), want)


def test_a_compiled_closure_is_reusable_across_values() -> None:
    fn = compile3(check("data.air_gapped and usage.tokens > 5", ENV, BOOL).tree)
    assert fn({"data.air_gapped": True}) is UNKNOWN
    assert fn({"data.air_gapped": True, "usage.tokens": 6}) is True
    assert fn({"data.air_gapped": False}) is False
    assert fn({}) is UNKNOWN


# Typed by construction, so every drawn program passes the checker and reaches both paths;
# built to a fixed depth so that programs stay small and quick to draw.
_CMP = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
_NUM_LEAVES = st.sampled_from(
    ["usage.tokens", "usage.share", "0", "1", "2.5", "-3", "len(licensing.excluded_origins)"]
)
_COND_LEAVES = st.sampled_from(
    [
        "data.air_gapped",
        "True",
        "false",
        "data.residency == 'eu'",
        "'cn' in licensing.excluded_origins",
        "data.residency in ['eu', 'on_prem']",
        "data.residency in [org.name, 'eu']",
        "org.name != 'x'",
    ]
)


def _numbers(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return _NUM_LEAVES
    num, cond = _numbers(depth - 1), _conditions(depth - 1)
    return st.one_of(
        _NUM_LEAVES,
        st.tuples(num, st.sampled_from(["+", "-", "*", "/", "//", "%"]), num).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(num, st.sampled_from(["2", "0.5", "-1"])).map(lambda t: f"({t[0]} ** {t[1]})"),
        st.tuples(st.sampled_from(["-", "+"]), num).map(lambda t: f"({t[0]}{t[1]})"),
        st.tuples(num, cond, num).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(num, min_size=2, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(st.sampled_from(["abs", "ceil", "floor", "log10", "round"]), num).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.tuples(num, num).map(lambda t: f"round({t[0]}, {t[1]})"),
        st.tuples(num, num, num).map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})"),
    )


def _conditions(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return _COND_LEAVES
    num, cond = _numbers(depth - 1), _conditions(depth - 1)
    return st.one_of(
        _COND_LEAVES,
        st.tuples(num, _CMP, num).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(num, _CMP, num, _CMP, num).map(lambda t: "(" + " ".join(t) + ")"),
        st.tuples(st.sampled_from([" and ", " or "]), st.lists(cond, min_size=2, max_size=4)).map(
            lambda t: "(" + t[0].join(t[1]) + ")"
        ),
        cond.map(lambda c: f"(not {c})"),
        st.tuples(cond, cond, cond).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(
            num, st.sampled_from(["in", "not in"]), st.lists(num, min_size=1, max_size=3)
        ).map(lambda t: f"({t[0]} {t[1]} [{', '.join(t[2])}])"),
    )


_PROGRAMS = st.one_of(_numbers(3), _conditions(3))
_number_value = st.one_of(
    st.floats(-1e6, 1e6),
    st.integers(-5, 5),
    st.sampled_from([0.0, math.inf, -math.inf, math.nan]),
)
_ENV_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "usage.tokens": _number_value,
    "usage.share": _number_value,
    "data.air_gapped": st.booleans(),
    "data.residency": st.sampled_from(["none", "eu", "in_country", "on_prem"]),
    "licensing.excluded_origins": st.lists(st.sampled_from(["cn", "us", "eu"]), unique=True),
    "org.name": st.sampled_from(["x", "eu"]),
}
# Each fact is absent or present with a value, so most draws leave some facts missing.
_partial_values = st.fixed_dictionaries(
    {}, optional={name: strategy for name, strategy in _ENV_VALUES.items()}
)


@settings(max_examples=400, deadline=None)
@given(_PROGRAMS, _partial_values)
def test_compiled_closures_match_the_interpreter(text: str, values: dict[str, Any]) -> None:
    try:
        tree = check(text, ENV).tree
    except ExprError as exc:
        assert exc.code in ("ADV311", "ADV312"), exc.message  # only the size limits refuse
        return
    fn = compile3(tree)
    expected = _outcome(lambda: evaluate3(tree, values))
    assert _same(_outcome(lambda: fn(values)), expected), (text, values, expected)
