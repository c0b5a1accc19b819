"""JSON Schemas of every file format, generated from the pydantic models (for editors and CI)."""

from __future__ import annotations

from typing import Any

KINDS = ("rules", "questionnaire", "answers", "tests", "catalog", "decision")


def json_schema(kind: str) -> dict[str, Any]:
    from pydantic import TypeAdapter

    from . import schema

    if kind == "rules":
        model: Any = schema.RulesFile
    elif kind == "questionnaire":
        model = schema.QuestionnaireFile
    elif kind == "answers":
        model = schema.AnswersFile
    elif kind == "tests":
        model = schema.TestsFile
    elif kind == "catalog":
        from .catalog.schema import CatalogFile

        model = CatalogFile
    elif kind == "decision":
        from .decision_schema import DecisionModel

        model = DecisionModel
    else:
        raise ValueError(f"unknown schema kind {kind!r}; choose one of {', '.join(KINDS)}")
    out = TypeAdapter(model).json_schema()
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out.setdefault("title", f"advisor {kind} file")
    return out
