"""JSON Schemas: generated from the models, shipped in schemas/, and every shipped YAML file
(rules, catalog, scenario tests, examples) validates against the schema of its kind."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from advisor.check.jsonschema import KINDS, json_schema
from advisor.load.yamlsafe import load_file

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
REGENERATE = (
    "regenerate them: for k in " + " ".join(KINDS) + "; do advisor schema $k -o "
    "schemas/$k.schema.json; done"
)


def kind_of(path: Path) -> str:
    """The file format of a shipped YAML file, from where it lives."""
    rel = path.relative_to(ROOT)
    parent = rel.parent.name
    if parent == "tests":
        return "tests"
    if parent == "catalog":
        return "catalog"
    if rel.name == "questionnaire.yaml":
        return "questionnaire"
    if rel.parts[0] == "rules" or len(rel.parts) > 2:
        return "rules"  # a rules directory (rules/, or a layer such as examples/company-policy)
    return "answers"  # examples/*.yaml


def shipped() -> list[Path]:
    files = [
        p
        for folder in (ROOT / "rules", ROOT / "examples")
        for p in folder.rglob("*")
        if p.suffix in (".yaml", ".yml") and p.is_file()
    ]
    return sorted(files)


def plain(data: Any) -> Any:
    """YAML data as JSON would carry it (dates become ISO text, as editors see them)."""
    return json.loads(json.dumps(data, default=str))


@pytest.fixture(scope="module")
def validators() -> dict[str, jsonschema.Draft202012Validator]:
    return {kind: jsonschema.Draft202012Validator(json_schema(kind)) for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_and_up_to_date(kind: str) -> None:
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    path = SCHEMAS / f"{kind}.schema.json"
    assert path.is_file(), f"{path} is missing; {REGENERATE}"
    assert json.loads(path.read_text(encoding="utf-8")) == schema, (
        f"{path.name} is out of date with `advisor schema {kind}`; {REGENERATE}"
    )


def test_there_are_shipped_files_of_every_input_kind() -> None:
    kinds = {kind_of(p) for p in shipped()}
    assert {"rules", "questionnaire", "catalog", "answers"} <= kinds


@pytest.mark.parametrize("path", shipped(), ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_file_validates(path: Path, validators: dict[str, Any]) -> None:
    kind = kind_of(path)
    data = plain(load_file(path).data)
    if data is None:
        return  # an empty file is allowed and means nothing
    errors = sorted(validators[kind].iter_errors(data), key=lambda e: list(e.absolute_path))
    shown = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]]
    assert not errors, f"{path} ({kind}):\n" + "\n".join(shown)


SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\s*$")


@pytest.mark.parametrize("path", shipped(), ids=lambda p: str(p.relative_to(ROOT)))
def test_schema_comment_points_at_the_right_schema(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [m for line in lines if line.startswith("#") and (m := SCHEMA_LINE.match(line))]
    if kind_of(path) == "answers":
        # An example answers file opens with its knowledge header (test_knowledge_examples), so
        # a $schema line there is optional and never first.
        assert lines and lines[0].startswith("# Expected recommendation: "), path
    else:
        assert lines and SCHEMA_LINE.match(lines[0]), (
            f"{path}: the first line must be '# yaml-language-server: $schema=...' naming "
            f"{kind_of(path)}.schema.json"
        )
    for match in found:
        target = (path.parent / match.group(1)).resolve()
        assert target.is_file(), f"{path}: the $schema line points at {target}, which is missing"
        assert target.name == f"{kind_of(path)}.schema.json", f"{path}: wrong schema {target.name}"


def test_schemas_are_strict_about_unknown_keys(validators: dict[str, Any]) -> None:
    rules = validators["rules"]
    ok = {"rules": [{"id": "r", "category": "cost", "when": "data.air_gapped", "veto": "hybrid"}]}
    assert not list(rules.iter_errors(ok))  # one option alone is accepted, as the loader does
    typo = {"rules": [{"id": "r", "categroy": "cost"}]}
    assert list(rules.iter_errors(typo))
    assert list(validators["answers"].iter_errors({"answer": {}}))


def test_catalog_schema_accepts_a_two_line_override(validators: dict[str, Any]) -> None:
    catalog = validators["catalog"]
    assert not list(
        catalog.iter_errors({"hosted_models": [{"id": "gpt-4o", "as_of": "2026-01-01"}]})
    )
    assert list(catalog.iter_errors({"hosted_models": [{"id": "gpt-4o", "input_usd_per_1m": -1}]}))
    assert list(catalog.iter_errors({"hosted_model": []}))


def test_a_decision_validates_against_the_decision_schema(validators: dict[str, Any]) -> None:
    from advisor.engine.ruleset import load_ruleset

    rs = load_ruleset()
    decision = rs.evaluate(rs.validate_answers({"data.air_gapped": True}))
    data = json.loads(json.dumps(decision.to_dict(), default=str))
    errors = list(validators["decision"].iter_errors(data))
    assert not errors, [e.message for e in errors[:3]]
