"""The strict YAML reader: every rejection names file, line and column with a stable code."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.load.yamlsafe import MAX_BYTES, load_file, parse_text
from advisor.problems import AdvisorError


def problem(text: str) -> tuple[str, int, int, str]:
    with pytest.raises(AdvisorError) as info:
        parse_text(text, "f.yaml")
    p = info.value.problems[0]
    assert p.message.endswith((".", "?")), p.message
    return p.code, p.location.line, p.location.column, p.message


def test_positions_of_values_and_keys() -> None:
    doc = parse_text("a:\n  b: [1, 2]\n  c: 'x'\n", "f.yaml")
    assert doc.data == {"a": {"b": [1, 2], "c": "x"}}
    assert doc.loc(("a", "b", 1)).line == 2
    assert doc.loc(("a", "b", 1)).column == 10
    assert doc.loc(("a", "c"), key=True).column == 3
    # a column inside a quoted scalar skips the quote
    assert doc.text_loc(("a", "c"), 0).column == 7


def test_syntax_error_is_located() -> None:
    code, line, col, message = problem("a: [1, 2\nb: 3\n")
    assert code == "ADV101"
    assert line >= 1 and col >= 1
    assert "not valid YAML" in message


def test_anchors_and_aliases_are_refused_before_expansion() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    code, line, col, _ = problem(bomb)
    assert (code, line, col) == ("ADV102", 1, 4)


def test_alias_alone_is_refused() -> None:
    assert problem("a: 1\nb: *x\n")[0] in ("ADV101", "ADV102")


def test_duplicate_keys_are_errors() -> None:
    code, line, col, message = problem("a: 1\nb: 2\na: 3\n")
    assert (code, line, col) == ("ADV103", 3, 1)
    assert "first at line 1" in message


def test_python_tags_are_refused() -> None:
    code, line, _, _ = problem("a: !!python/object/apply:os.system ['ls']\n")
    assert code == "ADV104" and line == 1


def test_several_documents_are_refused() -> None:
    assert problem("a: 1\n---\nb: 2\n")[0] == "ADV105"


def test_non_scalar_keys_are_refused() -> None:
    assert problem("? [a, b]\n: 1\n")[0] == "ADV106"


def test_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * (MAX_BYTES + 1))
    with pytest.raises(AdvisorError) as info:
        load_file(big)
    assert info.value.problems[0].code == "ADV108"
    assert "1 MiB" in info.value.problems[0].message


def test_not_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(AdvisorError) as info:
        load_file(bad)
    assert info.value.problems[0].code == "ADV109"


def test_scalars_resolve_like_yaml_1_1() -> None:
    doc = parse_text("a: 1\nb: 2.5\nc: true\nd: null\ne: '1'\nf: 2026-07-24\ng: 1e9\n", "f.yaml")
    assert doc.data["a"] == 1 and doc.data["b"] == 2.5 and doc.data["c"] is True
    assert doc.data["d"] is None and doc.data["e"] == "1"
    assert str(doc.data["f"]) == "2026-07-24"
    assert doc.data["g"] == "1e9"  # YAML 1.1 needs a dot; answers coerce it as a quantity


def test_deep_nesting_is_refused() -> None:
    assert problem("a: " + "[" * 70 + "]" * 70 + "\n")[0] == "ADV107"
