"""Rules directories -> validated models, layered, with the location of every node.

A rules directory holds ``questionnaire.yaml``, rule files (``*.yaml``), ``catalog/*.yaml`` and
``tests/*.yaml``. Several directories stack: a later one replaces an earlier one's rules,
categories, facts, sources and questions by id, switches rules off with ``disabled: true``,
and overrides catalog figures field by field.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from advisor.catalog.schema import SECTIONS
from advisor.load.yamlsafe import Document, PathKey, load_file
from advisor.model.files import (
    AnswersFile,
    Category,
    DerivedFact,
    Question,
    QuestionnaireFile,
    Rule,
    RulesFile,
    Section,
    SourceRef,
    TestsFile,
)
from advisor.problems import AdvisorError, Location, Problem, did_you_mean

M = TypeVar("M", bound=BaseModel)

QUESTIONNAIRE = "questionnaire.yaml"
CATALOG_DIR = "catalog"
DEFAULT_ALIAS = "@default"  # names the packaged rule set in a --rules stack
TESTS_DIR = "tests"
# The catalog's sections are defined once, with its models.
CATALOG_SECTIONS = SECTIONS


def default_rules_dir() -> Path:
    """The rule set shipped with advisor: package data when installed, ``rules/`` in a checkout."""
    package = Path(__file__).resolve().parent.parent  # advisor/
    packaged = package / "default_rules"
    if (packaged / QUESTIONNAIRE).is_file():
        return packaged
    return package.parent / "rules"


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working directory where possible."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return rel if not rel.startswith("..") else str(path)


class Origin(NamedTuple):
    """Where a node came from: the document, its path inside it and the layer index.

    A named tuple, not a dataclass: the catalog records one per field (some 15,000 for the
    defaults), and a tuple is several times cheaper to make."""

    doc: Document
    path: PathKey
    layer: int

    def loc(self, *sub: str | int, key: bool = False) -> Location:
        return self.doc.loc((*self.path, *sub), key=key)

    def text_loc(self, sub: str | int, offset: int) -> Location:
        return self.doc.text_loc((*self.path, sub), offset)


@dataclass
class Bundle:
    """Everything loaded from a stack of rules directories, before compilation."""

    dirs: tuple[Path, ...]
    title: str | None = None
    sections: list[Section] = field(default_factory=list)
    section_origin: dict[str, Origin] = field(default_factory=dict)
    question_origin: dict[str, Origin] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    rule_origin: dict[str, Origin] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    category_origin: dict[str, Origin] = field(default_factory=dict)
    facts: dict[str, DerivedFact] = field(default_factory=dict)
    fact_origin: dict[str, Origin] = field(default_factory=dict)
    sources: dict[str, SourceRef] = field(default_factory=dict)
    source_origin: dict[str, Origin] = field(default_factory=dict)
    catalog_data: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    catalog_origin: dict[tuple[str, str], dict[str, Origin]] = field(default_factory=dict)
    test_files: list[Path] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    digest: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for s in self.sections for q in s.questions}


# --- pydantic errors -> located problems -----------------------------------------------------


def validate(model: type[M], doc: Document, data: Any = None, base: PathKey = ()) -> M:
    """Validate ``data`` (default: the whole document) as ``model``; locate every error."""
    payload = doc.data if data is None else data
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise AdvisorError(_problems(exc, doc, base, model)) from None


def _problems(
    exc: ValidationError, doc: Document, base: PathKey, model: type[BaseModel]
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[PathKey] = set()
    for err in exc.errors(include_url=False):
        raw_loc = tuple(err["loc"])
        # Union members add their class name to the path; keep only real keys and indexes.
        loc = tuple(p for p in raw_loc if isinstance(p, int) or not _is_union_tag(p))
        path = (*base, *loc)
        if any(path[: len(s)] == s for s in seen):
            continue  # one problem per node: the first union member's complaint suffices
        seen.add(path)
        kind = err["type"]
        where = ".".join(str(p) for p in loc) or "the file"
        if kind == "extra_forbidden":
            allowed = _allowed_keys(model, loc[:-1])
            hint = did_you_mean(str(loc[-1]), allowed)
            message = (
                f"The key {loc[-1]!r} is not allowed here.{hint} "
                f"Allowed keys: {', '.join(allowed)}."
                if allowed
                else f"The key {loc[-1]!r} is not allowed here; remove it."
            )
            problems.append(Problem(doc.loc(path, key=True), "ADV201", message))
        elif kind == "missing":
            problems.append(
                Problem(
                    doc.loc(path[:-1]),
                    "ADV202",
                    f"The required key {loc[-1]!r} is missing here; add it.",
                )
            )
        else:
            value = err.get("input")
            shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
            if len(shown) > 60:
                shown = shown[:57] + "..."
            problems.append(
                Problem(
                    doc.loc(path),
                    "ADV203",
                    f"{where}: {shown} is not valid: {_sentence(err['msg'])}",
                )
            )
    return problems


def _is_union_tag(part: str | int) -> bool:
    if not isinstance(part, str):
        return False
    return (
        part[:1].isupper()
        or part.startswith(("function-", "constrained-", "list[", "tuple[", "dict["))
        or part in ("str", "int", "float", "bool", "date", "none", "literal")
        or "[" in part
    )


def _sentence(msg: str) -> str:
    msg = msg.strip()
    if msg.lower().startswith("value error, "):
        msg = msg[len("value error, ") :]
    msg = msg[:1].lower() + msg[1:]
    return msg if msg.endswith(".") else msg + "."


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the model found at ``loc`` inside ``model`` (best effort)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        info = fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
        if current is None:
            return []
    return sorted(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


# --- loading a stack of directories ----------------------------------------------------------


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_bundle(dirs: Iterable[Path] | None = None) -> Bundle:
    """Load and layer the rules directories (the packaged defaults when none are given).

    Raises AdvisorError with every problem found; warnings are kept in ``bundle.problems``.
    """
    stack = (
        tuple(default_rules_dir() if str(d) == DEFAULT_ALIAS else d for d in dirs)
        if dirs
        else (default_rules_dir(),)
    )
    if stack[0].is_dir() and not (stack[0] / QUESTIONNAIRE).is_file():
        # A company layer given alone sits on the packaged defaults: only a complete rule set
        # (one with a questionnaire) can stand at the bottom of a stack.
        stack = (default_rules_dir(), *stack)
    bundle = Bundle(dirs=stack)
    errors: list[Problem] = []
    hasher = hashlib.sha256()
    for layer, folder in enumerate(stack):
        if not folder.is_dir():
            errors.append(
                Problem(
                    Location(display_path(folder)),
                    "ADV110",
                    "The rules directory does not exist; check the --rules path.",
                )
            )
            continue
        files = _yaml_files(folder)
        catalog_files = _yaml_files(folder / CATALOG_DIR)
        if layer == 0 and not (folder / QUESTIONNAIRE).is_file():
            errors.append(
                Problem(
                    Location(display_path(folder)),
                    "ADV111",
                    f"The base rules directory has no {QUESTIONNAIRE}; add one or put this "
                    "directory after the defaults with another --rules.",
                )
            )
        base_key = _base_key(folder, [*files, *catalog_files]) if layer == 0 else None
        if base_key is not None and _restore_base(bundle, base_key, hasher):
            bundle.test_files.extend(_yaml_files(folder / TESTS_DIR))
            continue
        for path in [*files, *catalog_files]:
            name = display_path(path)
            try:
                doc = load_file(path, name, cached=True)
            except AdvisorError as exc:
                errors.extend(exc.problems)
                continue
            rel = path.relative_to(folder).as_posix()
            hasher.update(f"{layer}:{rel}\n".encode())
            hasher.update(path.read_bytes())
            bundle.files.append(name)
            try:
                if path.parent.name == CATALOG_DIR and path.parent != folder:
                    _add_catalog(bundle, doc, layer)
                elif path.name == QUESTIONNAIRE:
                    _add_questionnaire(bundle, doc, layer)
                else:
                    _add_rules(bundle, doc, layer)
            except AdvisorError as exc:
                errors.extend(exc.problems)
        if base_key is not None and not errors:
            if len(_BASES) >= 8:
                _BASES.pop(next(iter(_BASES)))
            _BASES[base_key] = (_snapshot(bundle), base_key[3])
        bundle.test_files.extend(_yaml_files(folder / TESTS_DIR))
    if not errors and not bundle.catalog_data:
        base = stack[0]
        errors.append(
            Problem(
                Location(display_path(base / QUESTIONNAIRE), 1, 1),
                "ADV114",
                f"This rules directory has its own {QUESTIONNAIRE}, so it stands alone as a "
                f"base rule set, but no layer has a {CATALOG_DIR}/ folder; add one, or put the "
                f"defaults first (--rules {DEFAULT_ALIAS} --rules {display_path(base)}).",
            )
        )
    if errors:
        raise AdvisorError(errors + [p for p in bundle.problems])
    bundle.digest = "sha256:" + hasher.hexdigest()
    return bundle


# The base layer (usually the packaged defaults) as loaded, by folder, working directory (the
# names in locations are relative to it) and the text of its files: every command, each layer
# prefix ``check`` compares, and test suites load it again and again, and merging its catalog
# records an origin for each of some 15,000 fields.
_BaseKey = tuple[str, str, str, tuple[tuple[str, bytes], ...]]
_BASES: dict[_BaseKey, tuple[Bundle, tuple[tuple[str, bytes], ...]]] = {}


def _base_key(folder: Path, paths: list[Path]) -> _BaseKey | None:
    """The base layer's identity: its folder, the working directory and its files' text."""
    try:
        texts = tuple((path.relative_to(folder).as_posix(), path.read_bytes()) for path in paths)
    except OSError:
        return None  # the loader reports what cannot be read
    digest = hashlib.sha256(b"".join(f"{rel}\n".encode() + data for rel, data in texts))
    return (str(folder.resolve()), os.getcwd(), digest.hexdigest(), texts)


def _snapshot(bundle: Bundle) -> Bundle:
    """A copy whose tables a later layer may change without touching ``bundle``: the models
    and Documents inside are never changed in place, the containers holding them are."""
    return Bundle(
        dirs=bundle.dirs,
        title=bundle.title,
        sections=list(bundle.sections),
        section_origin=dict(bundle.section_origin),
        question_origin=dict(bundle.question_origin),
        rules=dict(bundle.rules),
        rule_origin=dict(bundle.rule_origin),
        categories=dict(bundle.categories),
        category_origin=dict(bundle.category_origin),
        facts=dict(bundle.facts),
        fact_origin=dict(bundle.fact_origin),
        sources=dict(bundle.sources),
        source_origin=dict(bundle.source_origin),
        catalog_data={k: list(v) for k, v in bundle.catalog_data.items()},
        catalog_origin={k: dict(v) for k, v in bundle.catalog_origin.items()},
        test_files=list(bundle.test_files),
        files=list(bundle.files),
        problems=list(bundle.problems),
    )


def _restore_base(bundle: Bundle, key: _BaseKey, hasher: Any) -> bool:
    """Fill ``bundle`` from the remembered base layer when its files are unchanged."""
    found = _BASES.get(key)
    if found is None:
        return False
    saved, texts = found
    for rel, data in texts:  # the bundle's digest covers these files as when parsed
        hasher.update(f"0:{rel}\n".encode())
        hasher.update(data)
    copy = _snapshot(saved)
    for name in (
        "title",
        "sections",
        "section_origin",
        "question_origin",
        "rules",
        "rule_origin",
        "categories",
        "category_origin",
        "facts",
        "fact_origin",
        "sources",
        "source_origin",
        "catalog_data",
        "catalog_origin",
        "files",
        "problems",
    ):
        setattr(bundle, name, getattr(copy, name))
    return True


def _empty_mapping(doc: Document) -> bool:
    return doc.data is None


def _add_questionnaire(bundle: Bundle, doc: Document, layer: int) -> None:
    if _empty_mapping(doc):
        return
    parsed = validate(QuestionnaireFile, doc)
    if parsed.title:
        bundle.title = parsed.title
    problems: list[Problem] = []
    index = {s.id: i for i, s in enumerate(bundle.sections)}
    seen_here: dict[str, Location] = {}
    earlier = bundle.questions
    for si, section in enumerate(parsed.sections):
        origin = Origin(doc, ("sections", si), layer)
        for qi, question in enumerate(section.questions):
            q_origin = Origin(doc, ("sections", si, "questions", qi), layer)
            before = earlier.get(question.id)
            if before is not None and before.type != question.type and question.retype:
                first = bundle.question_origin[question.id].loc("type")
                bundle.problems.append(
                    Problem(
                        q_origin.loc("retype"),
                        "ADV419",
                        f"The question {question.id!r} was a {before.type} question (at "
                        f"{first}) and this layer makes it a {question.type} one; every rule, "
                        "fact and cost figure that reads it was written for the old type. "
                        "Check each of them, or add a new question with its own id instead.",
                        "warning",
                    )
                )
            elif before is not None and before.type != question.type:
                # Rules, facts and the cost model were written against the earlier type: a
                # number read as a bool would weigh `true` as one token.
                first = bundle.question_origin[question.id].loc("type")
                problems.append(
                    Problem(
                        q_origin.loc("type"),
                        "ADV417",
                        f"The question {question.id!r} is a {before.type} question (at "
                        f"{first}); a later layer cannot make it a {question.type} one. Keep "
                        f"'type: {before.type}', add a new question with its own id, or say "
                        "'retype: true' on this question if the change is meant.",
                    )
                )
                continue
            if question.id in seen_here:
                problems.append(
                    Problem(
                        q_origin.loc("id"),
                        "ADV401",
                        f"The question id {question.id!r} is used twice (first at "
                        f"{seen_here[question.id]}); give each question its own id.",
                    )
                )
            seen_here[question.id] = q_origin.loc("id")
            bundle.question_origin[question.id] = q_origin
        if section.id in index:
            merged = _merge_questions(bundle.sections[index[section.id]], section)
            bundle.sections[index[section.id]] = merged
        else:
            index[section.id] = len(bundle.sections)
            bundle.sections.append(section)
            bundle.section_origin[section.id] = origin
    if problems:
        raise AdvisorError(problems)


def _merge_questions(base: Section, layer: Section) -> Section:
    replaced = {q.id: q for q in layer.questions}
    kept = [replaced.pop(q.id, q) for q in base.questions]
    kept.extend(q for q in layer.questions if q.id in replaced)
    return base.model_copy(
        update={
            "questions": tuple(kept),
            "title": layer.title or base.title,
            "description": layer.description or base.description,
        }
    )


def _add_rules(bundle: Bundle, doc: Document, layer: int) -> None:
    if _empty_mapping(doc):
        return
    parsed = validate(RulesFile, doc)
    problems: list[Problem] = []
    groups: list[tuple[str, tuple[Any, ...], dict[str, Any], dict[str, Origin]]] = [
        ("rules", parsed.rules, bundle.rules, bundle.rule_origin),
        ("categories", parsed.categories, bundle.categories, bundle.category_origin),
        ("facts", parsed.facts, bundle.facts, bundle.fact_origin),
        ("sources", parsed.sources, bundle.sources, bundle.source_origin),
    ]
    for key, items, table, origins in groups:
        for i, item in enumerate(items):
            origin = Origin(doc, (key, i), layer)
            previous = origins.get(item.id)
            if previous is not None and previous.layer == layer:
                problems.append(
                    Problem(
                        origin.loc("id"),
                        "ADV401",
                        f"The id {item.id!r} is already defined at {previous.loc('id')}; "
                        "ids must be unique within a rules directory (a later --rules "
                        "directory may replace it).",
                    )
                )
                continue
            if previous is None and layer > 0 and key == "rules" and item.disabled:
                bundle.problems.append(
                    Problem(
                        origin.loc("id"),
                        "ADV402",
                        f"The rule {item.id!r} switches off a rule that no earlier rules "
                        "directory defines; check the id.",
                        "warning",
                    )
                )
            table[item.id] = item
            origins[item.id] = origin
    if problems:
        raise AdvisorError(problems)


def _add_catalog(bundle: Bundle, doc: Document, layer: int) -> None:
    if _empty_mapping(doc):
        return
    data = doc.data
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise AdvisorError(
            [
                Problem(
                    doc.loc(()),
                    "ADV601",
                    "A catalog file must be a mapping of sections ("
                    + ", ".join(CATALOG_SECTIONS)
                    + ") to lists of entries.",
                )
            ]
        )
    for section, entries in data.items():
        if section not in CATALOG_SECTIONS:
            hint = did_you_mean(str(section), CATALOG_SECTIONS)
            problems.append(
                Problem(
                    doc.loc((section,), key=True),
                    "ADV601",
                    f"{section!r} is not a catalog section.{hint} Sections: "
                    + ", ".join(CATALOG_SECTIONS)
                    + ".",
                )
            )
            continue
        if not isinstance(entries, list):
            problems.append(
                Problem(doc.loc((section,)), "ADV601", f"{section} must be a list of entries.")
            )
            continue
        target = bundle.catalog_data.setdefault(section, [])
        index = {e["id"]: i for i, e in enumerate(target)}
        seen_here: set[str] = set()
        for i, entry in enumerate(entries):
            path: PathKey = (section, i)
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                problems.append(
                    Problem(
                        doc.loc(path),
                        "ADV602",
                        f"Each {section} entry must be a mapping with a text 'id'.",
                    )
                )
                continue
            eid = entry["id"]
            if eid in seen_here:
                problems.append(
                    Problem(
                        doc.loc((*path, "id")),
                        "ADV401",
                        f"The {section} id {eid!r} appears twice in this layer; keep one.",
                    )
                )
                continue
            seen_here.add(eid)
            origins = bundle.catalog_origin.setdefault((section, eid), {})
            for key in entry:
                origins[key] = Origin(doc, (*path, key), layer)
            origins.setdefault("", Origin(doc, path, layer))
            if eid in index:
                merged = dict(target[index[eid]])
                merged.update(entry)
                target[index[eid]] = merged
            else:
                index[eid] = len(target)
                target.append(dict(entry))
    if problems:
        raise AdvisorError(problems)


def catalog_location(bundle: Bundle, section: str, index: int, field_name: str | None) -> Location:
    """Where the merged catalog entry ``section[index]`` (or one of its fields) was written."""
    entries = bundle.catalog_data.get(section, [])
    if index >= len(entries):
        return Location(bundle.files[0] if bundle.files else "catalog")
    origins = bundle.catalog_origin.get((section, entries[index]["id"]), {})
    origin = origins.get(field_name or "") or origins.get("")
    if origin is None:  # pragma: no cover - every entry records its origin
        return Location("catalog")
    return origin.loc()


# --- answers and scenario files ---------------------------------------------------------------


def load_answers_file(path: Path) -> tuple[AnswersFile, Document]:
    doc = load_file(path, display_path(path))
    if doc.data is None:
        return AnswersFile(), doc
    return validate(AnswersFile, doc), doc


def load_tests_file(path: Path) -> tuple[TestsFile, Document]:
    doc = load_file(path, display_path(path))
    return validate(TestsFile, doc), doc
