"""``advisor catalog import-prices FILE``: refresh hosted prices from a litellm price map.

The price map is litellm's ``model_prices_and_context_window.json``: model key -> costs per
token (``input_cost_per_token``, ``output_cost_per_token``, ``cache_read_input_token_cost``).
Each ``hosted_models`` entry names its key in ``litellm_key`` (else its ``id`` is tried).

The catalog files are edited as text, value by value, at the positions the YAML parser reports,
so comments, order and layout stay as they were; each file is written atomically (temporary
file, then ``os.replace``). Every entry found in the map gets the map's date as ``as_of`` and a
``source`` naming the map, as its prices were checked against it even where they did not change.

An entry whose ``as_of`` is newer than the map's date is left alone (its figures were read on
a vendor page after the map was made) and reported as a warning. litellm's
``deprecation_date`` becomes the entry's ``shutdown``; the schema wants a successor
(``replaced_by``) with every shutdown, so a date for an entry without one is reported as a
warning instead of written.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from advisor.problems import AdvisorError, Location, Problem

FIELDS = (
    ("input_usd_per_1m", "input_cost_per_token"),
    ("output_usd_per_1m", "output_cost_per_token"),
    ("cached_input_usd_per_1m", "cache_read_input_token_cost"),
)


@dataclass(frozen=True)
class PriceChange:
    file: str
    model: str
    field: str
    old: float | str | None
    new: float | str


class PriceChanges(list[PriceChange]):
    """The changes of an import, and ``warnings``: sentences about entries left alone."""

    def __init__(self, changes: list[PriceChange], warnings: list[str]) -> None:
        super().__init__(changes)
        self.warnings = warnings


def _date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _per_1m(cost_per_token: Any) -> float | None:
    if isinstance(cost_per_token, bool) or not isinstance(cost_per_token, int | float):
        return None
    return float(round(float(cost_per_token) * 1e6, 6))


def _fmt(value: float | str) -> str:
    return value if isinstance(value, str) else repr(float(value))


def _read_map(price_map: Path) -> dict[str, Any]:
    try:
        data = json.loads(price_map.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AdvisorError(
            [
                Problem(
                    Location(str(price_map)),
                    "ADV605",
                    f"The price map cannot be read as JSON ({exc}); give litellm's "
                    "model_prices_and_context_window.json.",
                )
            ]
        ) from None
    if not isinstance(data, dict):
        raise AdvisorError(
            [
                Problem(
                    Location(str(price_map)),
                    "ADV605",
                    "The price map must be a JSON object of model keys to prices (litellm's "
                    "format).",
                )
            ]
        )
    return data


def _scalar(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return yaml.safe_load(node.value) if node.style is None else node.value
    return None


def _edits_for_file(
    text: str,
    path: Path,
    prices: dict[str, Any],
    today: _dt.date,
    source: str,
    warnings: list[str] | None = None,
) -> tuple[list[tuple[int, int, str]], list[PriceChange]]:
    """Text edits (start, end, replacement) and the changes they make, for one file.
    ``today`` is the price map's date; sentences about entries left alone go to ``warnings``."""
    warned = warnings if warnings is not None else []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise AdvisorError(
            [Problem(Location(str(path)), "ADV101", f"This catalog file is not valid YAML: {exc}")]
        ) from None
    if not isinstance(root, yaml.MappingNode):
        return [], []
    edits: list[tuple[int, int, str]] = []
    changes: list[PriceChange] = []
    for key, section in root.value:
        if _scalar(key) != "hosted_models" or not isinstance(section, yaml.SequenceNode):
            continue
        for entry in section.value:
            if not isinstance(entry, yaml.MappingNode):
                continue
            fields = {str(_scalar(k)): (k, v) for k, v in entry.value}
            model_id = str(_scalar(fields["id"][1])) if "id" in fields else None
            if model_id is None:
                continue
            key_name = _scalar(fields["litellm_key"][1]) if "litellm_key" in fields else model_id
            record = prices.get(str(key_name))
            if not isinstance(record, dict):
                continue
            where = f"{path}:{entry.start_mark.line + 1}:{entry.start_mark.column + 1}"
            dated = _date(_scalar(fields["as_of"][1])) if "as_of" in fields else None
            if dated is not None and dated > today:
                warned.append(
                    f"{where}: {model_id} is dated {dated.isoformat()}, after the price map's "
                    f"{today.isoformat()}; its figures were kept. Import a newer map, or give "
                    "its date with --map-date."
                )
                continue
            updates: list[tuple[str, float | str]] = []
            for ours, theirs in FIELDS:
                new = _per_1m(record.get(theirs))
                if new is None:
                    continue
                old = _scalar(fields[ours][1]) if ours in fields else None
                same = (
                    isinstance(old, int | float)
                    and not isinstance(old, bool)
                    and abs(float(old) - new) <= 1e-9 * max(1.0, abs(new))
                )
                if same:
                    continue
                updates.append((ours, new))
                changes.append(PriceChange(str(path), model_id, ours, old, new))
            retires = _date(record.get("deprecation_date"))
            if retires is not None:
                old_d = _date(_scalar(fields["shutdown"][1])) if "shutdown" in fields else None
                successor = _scalar(fields["replaced_by"][1]) if "replaced_by" in fields else None
                if old_d == retires:
                    pass
                elif successor is None:
                    warned.append(
                        f"{where}: the price map gives {model_id} the deprecation date "
                        f"{retires.isoformat()}, but the entry names no successor "
                        "(replaced_by), which a shutdown needs; shutdown was not written. Add "
                        "the successor the vendor names, then import again."
                    )
                else:
                    updates.append(("shutdown", retires.isoformat()))
                    changes.append(
                        PriceChange(
                            str(path),
                            model_id,
                            "shutdown",
                            None if old_d is None else old_d.isoformat(),
                            retires.isoformat(),
                        )
                    )
            if not updates and dated == today:
                continue  # checked, same figures, same date: keep the source it names
            for name, text_value in (("as_of", today.isoformat()), ("source", source)):
                old_v = _scalar(fields[name][1]) if name in fields else None
                old_s = old_v.isoformat() if isinstance(old_v, _dt.date) else old_v
                if old_s != text_value:
                    updates.append((name, text_value))
                    if name == "as_of":
                        changes.append(PriceChange(str(path), model_id, name, old_s, text_value))
            for name, value in updates:
                rendered = _fmt(value) if name != "source" else _quote(str(value), entry.flow_style)
                if name in fields:
                    node = fields[name][1]
                    end = node.end_mark.index
                    while end > node.start_mark.index and text[end - 1] in "\r\n":
                        end -= 1  # a block scalar's span ends after its line break
                    edits.append((node.start_mark.index, end, rendered))
                else:
                    edits.append(_insertion(text, entry, name, rendered))
    return edits, changes


def _quote(text: str, flow: bool) -> str:
    """A YAML scalar for ``text``: plain if it reads back the same, else single-quoted."""
    plain = "#" not in text and "\n" not in text and not (flow and any(c in text for c in ",[]{}"))
    try:
        if plain and yaml.safe_load(text) == text:
            return text
    except yaml.YAMLError:
        pass
    return "'" + text.replace("'", "''") + "'"


def _insertion(
    text: str, entry: yaml.MappingNode, name: str, rendered: str
) -> tuple[int, int, str]:
    """Add ``name: rendered`` to an entry that lacks it: a new line in block style, or a new
    pair before the closing brace in flow style."""
    if entry.flow_style:
        end = entry.end_mark.index - 1  # the closing brace
        return end, end, f", {name}: {rendered}"
    last_key, last_value = entry.value[-1]
    indent = " " * last_key.start_mark.column
    end = last_value.end_mark.index
    while end > last_value.start_mark.index and text[end - 1] in " \t\r\n":
        end -= 1  # a block scalar's span runs to the start of the next line
    line_end = text.find("\n", end)
    at = len(text) if line_end < 0 else line_end
    return at, at, f"\n{indent}{name}: {rendered}"


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def import_prices(
    price_map: Path,
    catalog_dir: Path,
    today: _dt.date,
    source: str | None = None,
    map_date: _dt.date | None = None,
) -> PriceChanges:
    """Update the hosted prices and shutdown dates of every ``catalog_dir/*.yaml`` from
    ``price_map`` in place.

    ``map_date`` is the date of the map's figures (default ``today``): entries dated after it
    are kept, and imported entries get it as ``as_of``. Returns the changes (prices that moved,
    shutdown dates, ``as_of`` dates), in file and entry order, with ``warnings`` about entries
    left alone. ``source`` defaults to a sentence naming the map file and the dates.
    """
    prices = _read_map(price_map)
    dated = map_date or today
    src = source or (
        f"litellm price map {price_map.name}"
        + (f" of {dated.isoformat()}" if map_date is not None else "")
        + f", imported {today.isoformat()}"
    )
    out: list[PriceChange] = []
    warnings: list[str] = []
    for path in sorted(catalog_dir.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "hosted_models" not in text:
            continue  # parsing is the slow part; most catalog files hold other sections
        edits, changes = _edits_for_file(text, path, prices, dated, src, warnings)
        if not edits:
            continue
        # from the end backwards, so earlier offsets stay valid; insertions at one place keep
        # their order
        order = sorted(range(len(edits)), key=lambda i: (edits[i][0], i), reverse=True)
        for i in order:
            start, end, replacement = edits[i]
            text = text[:start] + replacement + text[end:]
        _write_atomic(path, text)
        out.extend(changes)
    return PriceChanges(out, warnings)


def format_changes(changes: list[PriceChange]) -> str:
    """One line per hosted model: its price changes and its new date."""
    warnings = [f"warning: {w}" for w in getattr(changes, "warnings", [])]
    if not changes:
        if warnings:
            return "\n".join([*warnings, "Nothing changed."]) + "\n"
        return "No hosted model of the catalog is in the price map; nothing changed.\n"
    by_model: dict[tuple[str, str], list[PriceChange]] = {}
    for change in changes:
        by_model.setdefault((change.file, change.model), []).append(change)
    lines: list[str] = []
    moved = 0
    for (file, model), items in by_model.items():
        parts = []
        retire = ""
        for c in items:
            if c.field == "as_of":
                continue
            old = "none" if c.old is None else _fmt(c.old)
            if c.field == "shutdown":
                retire = f"; shutdown {old} -> {_fmt(c.new)}"
                continue
            parts.append(f"{c.field} {old} -> {_fmt(c.new)}")
        dated = next((c for c in items if c.field == "as_of"), None)
        if parts:
            moved += 1
        what = ("; ".join(parts) if parts else "prices unchanged") + retire
        when = f" (as_of {dated.old} -> {dated.new})" if dated else ""
        lines.append(f"{Path(file).name}: {model}: {what}{when}")
    lines.append(f"{moved} of {len(by_model)} hosted models changed price.")
    return "\n".join([*lines, *warnings]) + "\n"
