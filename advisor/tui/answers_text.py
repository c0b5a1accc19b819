"""Saving answers into the user's own file: only the text of what changed changes.

An answers file is the user's document: it has comments (why the figures are what they are),
a ``# yaml-language-server: $schema=`` line for their editor, their key order and their
notation (``2.5B``). Rewriting it from the parsed data would lose all of that, so a save edits
the existing text in place:

- an answer whose value changed has that value's text replaced (a comment after it stays);
- a new answer is appended as one line under ``answers:``, indented like its neighbours;
- a cleared answer's line is removed;
- ``meta:`` fields are edited the same way (a ``meta:`` block is added above ``answers:`` when
  there was none).

Positions come from PyYAML's node marks (``yaml.compose``), so no second YAML parser is needed.
The edited text is parsed back and compared with what was meant to be saved; when anything
differs, or the file has a shape this editor does not handle (flow mappings, no ``answers:``
block), the caller writes the whole file instead (:func:`advisor.load.answers.dump_answers`):
an answer is never lost to keep a comment.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from advisor.load.ranges import Range, same_answer
from advisor.load.values import format_quantity, parse_quantity

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet
    from advisor.model.files import Meta


def number_text(value: float | int, short: bool) -> str:
    """A number as a person would write it: 2.5B for a large round quantity (when ``short``
    and three digits say it exactly), else the exact figure, never ``2500000000.0``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        if short and abs(value) >= 10_000:
            text = format_quantity(value)
            try:
                if parse_quantity(text) == value:
                    return text
            except ValueError:
                pass
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def scalar_text(value: Any, short: bool = False) -> str:
    """YAML text of one value on one line (flow style)."""
    import yaml

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Range):  # before float: a range is saved as typed, not as its likely
        return value.text()
    if isinstance(value, int | float):
        return number_text(value, short)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(scalar_text(v) for v in value) + "]"
    if value is None:
        return "null"
    text: str = yaml.safe_dump(str(value), default_flow_style=True, width=1_000_000)
    text = text.rstrip("\n")
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    return text


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """Index just past the newline ending the line that holds ``index`` (or the text's end)."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _value_span(text: str, value: Any) -> tuple[int, int]:
    """Start and end of a value node's own text (without the whitespace a block value drags)."""
    start, end = value.start_mark.index, value.end_mark.index
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return start, end


def _typed(ruleset: RuleSet, qid: str, raw: Any) -> Any:
    question = ruleset.questions.get(qid)
    if question is None:
        return raw
    try:
        from advisor.load.values import coerce_answer

        return coerce_answer(question, raw)
    except Exception:  # an answer the rule set refuses counts as changed
        return object()


def edit_answers_text(
    original: str, values: dict[str, Any], meta: Meta | None, ruleset: RuleSet
) -> str | None:
    """``original`` with only the changed answers and meta fields edited; None when the file's
    shape is not one this editor handles (the caller then writes the whole file)."""
    import yaml

    try:
        root = yaml.compose(original, Loader=yaml.SafeLoader)
        data = yaml.safe_load(original)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style or not isinstance(data, dict):
        return None
    nodes = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    if "answers" not in nodes:
        return None
    answers_node = nodes["answers"][1]
    if not isinstance(answers_node, yaml.MappingNode) or answers_node.flow_style:
        return None
    if not answers_node.value:
        return None
    raw_answers = data.get("answers") or {}
    # Edits as (start, end, replacement), applied from the end so earlier indices hold.
    edits: list[tuple[int, int, str]] = []

    def block_edits(
        node: Any, raw: dict[str, Any], wanted: dict[str, Any], same: Any, short: Any
    ) -> None:
        indent = node.value[0][0].start_mark.column
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in wanted:
                start = _line_start(original, key_node.start_mark.index)
                end = _line_end(original, _value_span(original, value_node)[1])
                edits.append((start, end, ""))
            elif not same(key, raw.get(key), wanted[key]):
                start, end = _value_span(original, value_node)
                new = scalar_text(wanted[key], short(key))
                if isinstance(value_node, yaml.CollectionNode) and not value_node.flow_style:
                    # A block list becomes a flow list on the key's line.
                    start = key_node.end_mark.index
                    new = ": " + new
                elif value_node.start_mark.index == value_node.end_mark.index:
                    new = " " + new if original[start - 1 : start] == ":" else new
                edits.append((start, end, new))
        present = {k.value for k, _ in node.value}
        added = [k for k in wanted if k not in present]
        if added:
            last_value = node.value[-1][1]
            at = _line_end(original, _value_span(original, last_value)[1])
            lines = "".join(
                f"{' ' * indent}{scalar_text(k)}: {scalar_text(wanted[k], short(k))}\n"
                for k in added
            )
            prefix = "" if at == 0 or original[at - 1] == "\n" else "\n"
            edits.append((at, at, prefix + lines))

    block_edits(
        answers_node,
        raw_answers,
        values,
        lambda k, old, new: same_answer(_typed(ruleset, k, old), new),
        # A changed number is written in full (any YAML reader gets a number); the user's
        # own notation stays on every answer not changed.
        lambda _k: False,
    )

    wanted_meta = meta.model_dump(exclude_none=True, mode="json") if meta else {}
    raw_meta = data.get("meta")
    if "meta" in nodes:
        meta_node = nodes["meta"][1]
        if isinstance(meta_node, yaml.MappingNode) and meta_node.value and not meta_node.flow_style:
            from advisor.model.files import Meta as MetaModel

            def same_meta(key: str, old: Any, new: Any) -> bool:
                try:
                    dumped = MetaModel(**{key: old}).model_dump(mode="json")
                except Exception:
                    return False
                return bool(dumped.get(key) == new)

            block_edits(meta_node, raw_meta or {}, wanted_meta, same_meta, lambda _k: False)
        elif wanted_meta != (raw_meta or {}):
            return None
    elif wanted_meta:
        at = _line_start(original, nodes["answers"][0].start_mark.index)
        indent = answers_node.value[0][0].start_mark.column
        block = "meta:\n" + "".join(
            f"{' ' * indent}{k}: {scalar_text(v)}\n" for k, v in wanted_meta.items()
        )
        edits.append((at, at, block))

    text = original
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + new + text[end:]
    if not _same_content(text, values, wanted_meta, ruleset):
        return None
    return text


def _same_content(
    text: str, values: dict[str, Any], wanted_meta: dict[str, Any], ruleset: RuleSet
) -> bool:
    """Whether ``text`` reads back as exactly the answers and meta meant to be saved."""
    import yaml

    from advisor.model.files import Meta as MetaModel

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    if not isinstance(data, dict):
        return False
    answers = data.get("answers") or {}
    if not isinstance(answers, dict) or set(answers) != set(values):
        return False
    if any(not same_answer(_typed(ruleset, k, answers[k]), v) for k, v in values.items()):
        return False
    try:
        meta = MetaModel(**(data.get("meta") or {})).model_dump(exclude_none=True, mode="json")
    except Exception:
        return False
    return bool(meta == wanted_meta)


def answers_file_text(
    path: Any, values: dict[str, Any], meta: Meta | None, ruleset: RuleSet
) -> str:
    """The text to save at ``path``: the existing file edited in place where possible, else
    the whole file written afresh in questionnaire order."""
    from pathlib import Path

    from advisor.load.answers import dump_answers

    try:
        original = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        original = None
    if original is not None and original.strip():
        edited = edit_answers_text(original, values, meta, ruleset)
        if edited is not None:
            return edited
    return dump_answers(values, meta, list(ruleset.questions))


__all__ = ["answers_file_text", "edit_answers_text", "number_text", "scalar_text"]
