"""Findings about layered rules directories (``advisor check --rules A --rules B``).

A later layer may replace anything of an earlier one by id, and an id that no earlier layer has
is simply new. What a platform team wants to hear about is an override that does nothing:

* ADV415 (warning): a rule, category, fact, source, question or catalog entry repeated
  unchanged from an earlier layer, or a rule switched off that an earlier layer already
  switches off. Such a copy changes nothing today and silently pins the old definition when the
  earlier layer (say, advisor's defaults) is updated.
* ADV416 (error): a catalog entry meant as an override (it gives only a few fields) whose id no
  earlier layer has, so it is a new, incomplete entry; usually a typo in the id.

(``disabled: true`` on an id no earlier layer defines is ADV402, found by the loader.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.load.bundle import Bundle, Origin, load_bundle
from advisor.problems import AdvisorError, Problem, did_you_mean

_GROUPS = (
    ("rule", "rules", "rule_origin"),
    ("category", "categories", "category_origin"),
    ("derived fact", "facts", "fact_origin"),
    ("source", "sources", "source_origin"),
)


def layer_findings(dirs: list[Path] | None, bundle: Bundle) -> list[Problem]:
    """Findings for each layer after the first, against the stack below it."""
    if not dirs or len(dirs) < 2:
        return []
    stacks: list[Bundle] = []
    for k in range(1, len(dirs)):
        try:
            stacks.append(load_bundle(dirs[:k]))
        except AdvisorError:
            return []  # the full load reports these problems already
    stacks.append(bundle)
    out: list[Problem] = []
    for k in range(1, len(dirs)):
        before, after = stacks[k - 1], stacks[k]
        out.extend(_repeated(before, after, k))
        out.extend(_repeated_questions(before, after, k))
        out.extend(_repeated_catalog(before, after, k))
        out.extend(_new_incomplete_catalog(before, after, k))
    return out


def _repeated(before: Bundle, after: Bundle, layer: int) -> list[Problem]:
    out: list[Problem] = []
    for noun, table_name, origin_name in _GROUPS:
        old: dict[str, Any] = getattr(before, table_name)
        new: dict[str, Any] = getattr(after, table_name)
        old_origin: dict[str, Origin] = getattr(before, origin_name)
        new_origin: dict[str, Origin] = getattr(after, origin_name)
        for item_id, item in new.items():
            origin = new_origin[item_id]
            if origin.layer != layer or item_id not in old or old[item_id] != item:
                continue
            earlier = old_origin[item_id].loc("id")
            if noun == "rule" and item.disabled:
                message = (
                    f"The rule {item_id!r} is already switched off at {earlier}; this "
                    "'disabled: true' changes nothing. Remove it."
                )
            else:
                message = (
                    f"The {noun} {item_id!r} repeats its definition at {earlier} unchanged, so "
                    "this override changes nothing, and it would hide later changes of the "
                    "earlier layer. Remove it, or change what you mean to change."
                )
            out.append(Problem(origin.loc("id"), "ADV415", message, "warning"))
    return out


def _repeated_questions(before: Bundle, after: Bundle, layer: int) -> list[Problem]:
    out: list[Problem] = []
    old = before.questions
    for qid, question in after.questions.items():
        origin = after.question_origin[qid]
        if origin.layer == layer and old.get(qid) == question:
            earlier = before.question_origin[qid].loc("id")
            out.append(
                Problem(
                    origin.loc("id"),
                    "ADV415",
                    f"The question {qid!r} repeats its definition at {earlier} unchanged, so "
                    "this override changes nothing; remove it.",
                    "warning",
                )
            )
    return out


def _entries(bundle: Bundle, section: str) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in bundle.catalog_data.get(section, [])}


def _written(after: Bundle, section: str, eid: str, layer: int) -> list[str]:
    """The fields of a catalog entry that ``layer`` itself writes."""
    origins = after.catalog_origin.get((section, eid), {})
    return [k for k, o in origins.items() if k not in ("", "id") and o.layer == layer]


def _repeated_catalog(before: Bundle, after: Bundle, layer: int) -> list[Problem]:
    out: list[Problem] = []
    for section in after.catalog_data:
        old = _entries(before, section)
        for eid, entry in _entries(after, section).items():
            origins = after.catalog_origin.get((section, eid), {})
            id_origin = origins.get("id")
            if eid not in old or id_origin is None or id_origin.layer != layer:
                continue
            fields = _written(after, section, eid, layer)
            if all(old[eid].get(f) == entry.get(f) for f in fields):
                shown = ", ".join(fields) if fields else "no field"
                out.append(
                    Problem(
                        id_origin.loc(),
                        "ADV415",
                        f"The catalog override of {section} {eid!r} repeats the earlier "
                        f"values unchanged ({shown}), so it changes nothing; remove it.",
                        "warning",
                    )
                )
    return out


def _new_incomplete_catalog(before: Bundle, after: Bundle, layer: int) -> list[Problem]:
    from pydantic import ValidationError

    from advisor.catalog.schema import CatalogFile

    out: list[Problem] = []
    for section in after.catalog_data:
        old = _entries(before, section)
        for eid, entry in _entries(after, section).items():
            origins = after.catalog_origin.get((section, eid), {})
            first = origins.get("")
            if eid in old or first is None or first.layer != layer:
                continue
            try:
                CatalogFile.model_validate({section: [entry]})
                continue
            except ValidationError as exc:
                missing = [
                    str(err["loc"][-1])
                    for err in exc.errors(include_url=False)
                    if err["type"] == "missing"
                ]
            if not missing:
                continue  # a complete entry with a bad value: ADV603 says what is wrong
            hint = did_you_mean(eid, sorted(old))
            out.append(
                Problem(
                    origins.get("id", first).loc(),
                    "ADV416",
                    f"No earlier layer has {section} {eid!r}, so this is a new entry, not an "
                    f"override, and it lacks {', '.join(missing)}.{hint} To override figures, "
                    "use the id of an existing entry; to add an entry, give every required field.",
                )
            )
    return out
