"""Answers files: read with located errors, written atomically so nothing typed is ever lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.files import write_text
from advisor.load.bundle import load_answers_file
from advisor.model.files import Meta
from advisor.problems import AdvisorError, Location

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet


@dataclass
class Answers:
    """Typed answers keyed by question id, and the file's ``meta`` block."""

    values: dict[str, Any] = field(default_factory=dict)
    meta: Meta = field(default_factory=Meta)
    path: Path | None = None


def load_answers(path: Path | str, ruleset: RuleSet) -> Answers:
    """Read and validate an answers file; raises AdvisorError naming file, line and column."""
    path = Path(path)
    parsed, doc = load_answers_file(path)

    def locate(qid: str, key: bool) -> Location:
        return doc.loc(("answers", qid), key=key)

    values = ruleset.validate_answers(parsed.answers, locate)
    return Answers(values, parsed.meta, path)


def dump_answers(answers: dict[str, Any], meta: Meta | None, order: list[str]) -> str:
    """YAML text of an answers file, answers in questionnaire order (stable diffs)."""
    import yaml

    ordered = {k: answers[k] for k in order if k in answers}
    ordered.update({k: v for k, v in answers.items() if k not in ordered})
    body: dict[str, Any] = {}
    meta_dict = meta.model_dump(exclude_none=True, mode="json") if meta else {}
    if meta_dict:
        body["meta"] = meta_dict
    body["answers"] = ordered
    header = "# advisor answers file: edit freely, or resume with `advisor run FILE`.\n"
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves the old file or the new one, whole.

    The one safe writer (:func:`advisor.files.write_text`) does the work: a read-only file or a
    folder is refused with :class:`advisor.files.OutputRefused`, an OSError; a missing folder is
    created, as a new assessment's path may name one.
    """
    write_text(path, text, make_folder=True)


def save_answers(
    path: Path | str, answers: dict[str, Any], meta: Meta | None, ruleset: RuleSet
) -> None:
    write_atomic(Path(path), dump_answers(answers, meta, list(ruleset.questions)))


__all__ = [
    "AdvisorError",
    "Answers",
    "dump_answers",
    "load_answers",
    "save_answers",
    "write_atomic",
]
