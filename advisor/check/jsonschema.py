"""JSON Schemas of every file format, generated from the pydantic models (for editors and CI).

``advisor schema KIND`` prints them; ``schemas/KIND.schema.json`` in the repository holds the
same text for the ``# yaml-language-server: $schema=...`` line at the top of a file (a test
keeps them in step). The schemas describe the shape of one file: what needs the other files
(unknown fact names, a rule's category, an override of a catalog entry) is for
``advisor check``.
"""

from __future__ import annotations

from typing import Any

KINDS = ("rules", "questionnaire", "answers", "tests", "catalog", "decision")

DESCRIPTIONS = {
    "rules": "Rules, derived facts, categories and sources of an advisor rules directory.",
    "questionnaire": "The questionnaire of an advisor rules directory (questionnaire.yaml).",
    "answers": "An advisor answers file: meta and the answers by question id.",
    "tests": "Scenario tests of advisor rules: named answers and the decision they expect.",
    "catalog": (
        "One catalog file of an advisor rules directory (catalog/*.yaml). Every section is "
        "optional, and an entry needs only its id here, so that a later layer can override "
        "one figure in a two-line entry; advisor check requires the full entry where no "
        "earlier layer has the id."
    ),
    "decision": "The JSON contract of an advisor decision (advisor evaluate --format json).",
}


def json_schema(kind: str) -> dict[str, Any]:
    from pydantic import TypeAdapter

    from advisor.model import files as schema

    if kind == "rules":
        model: Any = schema.RulesFile
    elif kind == "questionnaire":
        model = schema.QuestionnaireFile
    elif kind == "answers":
        model = schema.AnswersFile
    elif kind == "tests":
        model = schema.TestsFile
    elif kind == "catalog":
        from advisor.catalog.schema import CatalogFile

        model = CatalogFile
    elif kind == "decision":
        from advisor.model.decision_json import DecisionModel

        model = DecisionModel
    else:
        raise ValueError(f"unknown schema kind {kind!r}; choose one of {', '.join(KINDS)}")
    out = TypeAdapter(model).json_schema()
    if kind == "catalog":
        _entries_need_only_id(out)
    _one_or_many(out)
    _describe_fields(out)
    body: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"advisor {kind} file",
        "description": DESCRIPTIONS[kind],
    }
    for key, value in out.items():
        if key not in ("title", "description"):
            body[key] = value
    return body


def _entries_need_only_id(schema: dict[str, Any]) -> None:
    """Catalog entries in one file may be partial overrides: keep every field's type, but
    require only ``id`` (the merged catalog is checked in full by ``advisor check``)."""
    for definition in schema.get("$defs", {}).values():
        props = definition.get("properties", {})
        if "id" in props and "required" in definition:
            definition["required"] = ["id"]


# Fields whose validators also take a single value where the model's type says a list.
_ONE_OR_MANY = {("Rule", "veto"), ("Rule", "exclude_models")}


def _one_or_many(schema: dict[str, Any]) -> None:
    for model, name in _ONE_OR_MANY:
        prop = schema.get("$defs", {}).get(model, {}).get("properties", {}).get(name)
        if prop and prop.get("type") == "array":
            items = prop.pop("items")
            prop.pop("type")
            prop["anyOf"] = [items, {"type": "array", "items": items}]


# Hover help for editors: what each key means (the models carry the types).
FIELD_HELP: dict[tuple[str, str], str] = {
    ("Rule", "id"): "A unique id; a later rules directory replaces the rule with the same id.",
    ("Rule", "category"): "The category whose priority weight multiplies the score.",
    ("Rule", "when"): "The condition (an expression over answers and facts); true by default.",
    ("Rule", "score"): "Points per option when the rule fires: stay_hosted, hybrid, self_host.",
    ("Rule", "veto"): "Options ruled out when the rule fires.",
    ("Rule", "exclude_models"): "Open models (catalog ids) ruled out when the rule fires.",
    ("Rule", "risk"): "A risk to list in the report when the rule fires.",
    ("Rule", "action"): "An action to list in the report when the rule fires.",
    (
        "Rule",
        "because",
    ): "The reason a reader sees; may interpolate facts: {cost.hosted_monthly_usd:,.0f}.",
    (
        "Rule",
        "source",
    ): "Where the reasoning comes from: article:A4, license:llama-4#..., or your own.",
    ("Rule", "disabled"): "true switches off the rule of that id from an earlier rules directory.",
    (
        "Category",
        "weight",
    ): "A number, or an expression over the answers (e.g. strategy.priority_cost / 3).",
    ("DerivedFact", "expr"): "The expression that computes the fact from answers and other facts.",
    ("Question", "id"): "A dotted id, section.name; rules and answers refer to it.",
    ("Question", "type"): "choice, multi, number, integer, bool or text.",
    (
        "Question",
        "ask_if",
    ): "An expression over other answers: the question is skipped unless it holds.",
    ("Question", "default"): "The value used while the question is unanswered or skipped.",
    ("Question", "optional"): "true: an unanswered question does not count as missing.",
    ("Scenario", "answers"): "Answers by question id (values as in an answers file).",
    ("Scenario", "answers_file"): "An answers file to start from, relative to this file.",
    ("Expect", "recommendation"): "The expected option, or a list of acceptable options.",
    ("Expect", "fired"): "Rule ids that must fire.",
    ("Expect", "not_fired"): "Rule ids that must not fire.",
    ("Expect", "pending"): "Rule ids that must wait for answers.",
}


def _describe_fields(schema: dict[str, Any]) -> None:
    for (model, name), text in FIELD_HELP.items():
        prop = schema.get("$defs", {}).get(model, {}).get("properties", {}).get(name)
        if prop is not None:
            prop.setdefault("description", text)
