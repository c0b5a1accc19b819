"""A strict YAML reader that remembers where every value came from.

It walks the parser's event stream itself instead of composing a node graph, so that anchors
and aliases are refused before anything is expanded (no alias bombs), duplicate keys are caught,
and every value and key gets its line and column. libyaml's C parser is used where present.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from advisor.problems import Location, fail

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]

try:  # libyaml is an order of magnitude faster; PyYAML falls back to pure Python without it.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:timestamp",
}


_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


@dataclass
class Document:
    """Plain data (dicts, lists, scalars) and the position of each node by its path."""

    file: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    # For scalars: how many characters precede the value text (1 for quoted styles), so that
    # a column inside an expression string maps back to the file.
    styles: dict[PathKey, str] = field(default_factory=dict)

    def loc(self, path: PathKey, *, key: bool = False) -> Location:
        """The location of the node at ``path``; the nearest enclosing node if it has none."""
        table = self.key_positions if key else self.positions
        probe = tuple(path)
        while True:
            if probe in table:
                line, col = table[probe]
                return Location(self.file, line, col)
            if key and probe in self.positions:
                line, col = self.positions[probe]
                return Location(self.file, line, col)
            if not probe:
                return Location(self.file, 1, 1)
            probe = probe[:-1]

    def text_loc(self, path: PathKey, offset: int) -> Location:
        """The location of character ``offset`` inside the scalar at ``path`` (single-line text)."""
        base = self.loc(path)
        quote = 1 if self.styles.get(tuple(path)) in ("'", '"') else 0
        return base.shifted(offset + quote)


def _mark(event: Any) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _scalar_value(event: Any, file: str) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        if event.implicit[0]:
            tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        else:
            tag = "tag:yaml.org,2002:str"
    if tag not in _SCALAR_TAGS:
        line, col = _mark(event)
        raise fail(
            Location(file, line, col),
            "ADV104",
            f"The tag {tag!r} is not allowed; write plain values without tags.",
        )
    if tag == "tag:yaml.org,2002:str":
        return event.value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        value = _constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError, TypeError, yaml.YAMLError):
        # The resolver matched the shape of a date, timestamp or number whose value does not
        # exist (2024-02-30, '0x_', a 5,000-digit integer): say so here, with the fix.
        line, col = _mark(event)
        raise fail(
            Location(file, line, col),
            "ADV112",
            f"{_cut(event.value)} looks like a {tag.rsplit(':', 1)[-1]} but is not a "
            "valid one; correct it, or quote it to keep it as text.",
        ) from None
    if isinstance(value, float) and not math.isfinite(value):
        line, col = _mark(event)
        raise fail(
            Location(file, line, col),
            "ADV113",
            f"{_cut(event.value)} is not a finite number; write a number, or quote it "
            "to keep it as text.",
        )
    if isinstance(value, int) and abs(value) > sys.float_info.max:
        line, col = _mark(event)
        raise fail(
            Location(file, line, col),
            "ADV113",
            f"The integer of {len(event.value):,} characters is beyond the range of "
            "numbers advisor computes with (1e308); write a smaller number, or quote "
            "it to keep it as text.",
        )
    return value


def _cut(text: str) -> str:
    """A scalar's text for a message, cut short: a 900 KB value is not echoed whole."""
    return repr(text) if len(text) <= 60 else f"{text[:57]!r}... ({len(text):,} characters)"


def _key_text(key: Any) -> str:
    return key if isinstance(key, str) else str(key)


def parse_text(text: str, file: str) -> Document:
    """Parse YAML text into a Document; raise AdvisorError with located problems."""
    doc = Document(file=file, data=None)
    # Each frame: [container, path, pending_key (for mappings), key_mark]
    stack: list[list[Any]] = []
    seen_document = False
    try:
        event: Any
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event).__name__
            if kind in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
                continue
            if kind == "DocumentStartEvent":
                if seen_document:
                    line, col = _mark(event)
                    raise fail(
                        Location(file, line, col),
                        "ADV105",
                        "This file holds more than one YAML document; keep one document "
                        "per file (remove the extra '---').",
                    )
                seen_document = True
                continue
            if kind == "AliasEvent" or getattr(event, "anchor", None):
                line, col = _mark(event)
                raise fail(
                    Location(file, line, col),
                    "ADV102",
                    "Anchors and aliases (& and *) are not allowed; write the value out "
                    "in full where it is needed.",
                )
            if kind in ("SequenceEndEvent", "MappingEndEvent"):
                frame = stack.pop()
                _attach(doc, stack, frame[0], frame[1], file)
                continue
            # A value starts: find the path it will live at.
            if stack:
                top = stack[-1]
                if isinstance(top[0], dict):
                    if top[2] is _NO_KEY:
                        # This event is a key.
                        if kind != "ScalarEvent":
                            line, col = _mark(event)
                            raise fail(
                                Location(file, line, col),
                                "ADV106",
                                "A mapping key must be a plain value, not a list or mapping.",
                            )
                        key = _key_text(_scalar_value(event, file))
                        if key in top[4]:
                            line, col = _mark(event)
                            first = top[4].get(key)
                            where = f" (first at line {first[0]})" if first else ""
                            raise fail(
                                Location(file, line, col),
                                "ADV103",
                                f"The key {key!r} appears twice in this mapping{where}; "
                                "keep one of them.",
                            )
                        top[2] = key
                        top[3] = _mark(event)
                        top[4][key] = top[3]
                        continue
                    path = (*top[1], top[2])
                else:
                    path = (*top[1], len(top[0]))
            else:
                path = ()
            if len(path) > MAX_DEPTH:
                line, col = _mark(event)
                raise fail(
                    Location(file, line, col),
                    "ADV107",
                    f"The file nests deeper than {MAX_DEPTH} levels; flatten it.",
                )
            doc.positions[path] = _mark(event)
            if stack and isinstance(stack[-1][0], dict):
                doc.key_positions[path] = stack[-1][3]
            if kind == "ScalarEvent":
                doc.styles[path] = event.style or ""
                _attach(doc, stack, _scalar_value(event, file), path, file)
            elif event.tag not in (None, "!", _SEQ_TAG, _MAP_TAG):
                line, col = _mark(event)
                raise fail(
                    Location(file, line, col),
                    "ADV104",
                    f"The tag {event.tag!r} is not allowed; write plain values without tags.",
                )
            elif kind == "SequenceStartEvent":
                stack.append([[], path, _NO_KEY, None, {}])
            elif kind == "MappingStartEvent":
                stack.append([{}, path, _NO_KEY, None, {}])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        what = exc.problem or "invalid YAML"
        raise fail(
            Location(file, line, col),
            "ADV101",
            f"This is not valid YAML: {what}. Check indentation, colons and quotes here.",
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        raise fail(Location(file, 1, 1), "ADV101", f"This is not valid YAML: {exc}.") from None
    return doc


class _NoKey:
    pass


_NO_KEY = _NoKey()


def _attach(doc: Document, stack: list[list[Any]], value: Any, path: PathKey, file: str) -> None:
    if not stack:
        doc.data = value
        return
    top = stack[-1]
    if isinstance(top[0], dict):
        top[0][top[2]] = value
        top[2] = _NO_KEY
    else:
        top[0].append(value)


def read_text(path: Path, display: str | None = None) -> str:
    """Read a user file as UTF-8 with the size cap; problems name the file."""
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise fail(Location(name), "ADV100", f"The file cannot be read: {exc.strerror}.") from None
    if size > MAX_BYTES:
        raise fail(
            Location(name, 1, 1),
            "ADV108",
            f"The file is {size:,} bytes, over the limit of {MAX_BYTES:,} (1 MiB); "
            "split it into several files.",
        )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise fail(
            Location(name, 1, 1),
            "ADV109",
            f"The file is not UTF-8 text (byte {exc.start}); save it as UTF-8.",
        ) from None
    except OSError as exc:
        raise fail(Location(name), "ADV100", f"The file cannot be read: {exc.strerror}.") from None


def load_file(path: Path, display: str | None = None, *, cached: bool = False) -> Document:
    """Parse the YAML file at ``path``; problems name it ``display`` (default: the path).

    ``cached``: reuse the Document parsed earlier in this process from the same text
    (rules directories: the defaults are read by every command, by each layer prefix
    ``check`` compares, and by every case of the test suites; a copy of the catalog in
    another folder is the same text). A Document is never changed after parsing, so sharing
    it is safe; the same text under another name shares its data and positions and carries
    its own name; a file whose text changed is parsed again.
    """
    name = display or str(path)
    text = read_text(path, name)
    if not cached:
        return parse_text(text, name)
    doc = _PARSED.get(text)
    if doc is None:
        doc = parse_text(text, name)  # a refusal raises and is not cached
        if len(_PARSED) >= _PARSED_LIMIT:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[text] = doc
    elif doc.file != name:
        # positions are line and column in the text, the same whatever the file is called
        doc = replace(doc, file=name)
    return doc


_PARSED: dict[str, Document] = {}
_PARSED_LIMIT = 128
