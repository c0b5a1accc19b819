"""Reporters for ``advisor diff``: text, json, and markdown for a pull-request comment."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from advisor.cli.formats import Registry

if TYPE_CHECKING:  # the CLI reads REPORTERS at start-up; the engine loads only when diffing
    from advisor.scenarios.diff import DefinitionChanges, DiffResult, ScenarioDiff

REPORTERS: Registry[DiffResult] = Registry("diff")

MAX_ROWS = 50  # a pull-request comment stays readable (and under GitHub's 65,536 characters)


def num(value: float) -> str:
    return format(round(value, 3), "g")


def delta(before: float, after: float) -> str:
    d = after - before
    return f"{'+' if d >= 0 else '-'}{num(abs(d))}"


def headline(result: DiffResult) -> str:
    n, m = len(result.scenarios), len(result.changed)
    if not n:
        return "no scenarios to compare"
    if not m:
        return f"no decision changes ({n} scenario{'s' if n != 1 else ''} compared)"
    flips = sum(1 for s in result.changed if s.recommendation or s.validity)
    head = f"{m} of {n} decision{'s' if n != 1 else ''} change"
    if flips:
        return f"{head}, {flips} recommendation{'s' if flips != 1 else ''} among them"
    return f"{head}, no recommendation"


def _scores_only(s: ScenarioDiff) -> bool:
    return not (
        s.recommendation
        or s.validity
        or s.fired_added
        or s.fired_removed
        or s.vetoed_added
        or s.vetoed_removed
    )


def _weight(s: ScenarioDiff) -> int:
    """Recommendation flips and refused answers first, then vetoes, then rules fired."""
    if s.recommendation or s.validity:
        return 0
    return 1 if (s.vetoed_added or s.vetoed_removed) else 2


def definition_lines(d: DefinitionChanges, code: str = "") -> list[str]:
    def ids(items: tuple[str, ...]) -> str:
        shown = ", ".join(f"{code}{i}{code}" for i in items[:10])
        return shown + (f" and {len(items) - 10} more" if len(items) > 10 else "")

    out = []
    for label, items in (
        ("rules added", d.rules_added),
        ("rules removed", d.rules_removed),
        ("rules modified", d.rules_modified),
        ("rules switched off", d.rules_disabled),
        ("rules switched back on", d.rules_enabled),
        ("categories changed", d.categories),
        ("derived facts changed", d.facts),
        ("questions changed", d.questions),
        ("catalog entries changed", d.catalog),
    ):
        if items:
            out.append(f"{label}: {ids(items)}")
    return out


def summary_line(result: DiffResult) -> str:
    return f"{len(result.scenarios)} scenarios, {len(result.changed)} changed"


@REPORTERS.register("text", extension="txt", label="plain text")
class TextReporter:
    def render(self, result: DiffResult) -> str:
        lines = [str(p) for p in result.problems]
        lines.append(f"base: {', '.join(result.base_dirs)}  ({result.base_digest[:15]})")
        lines.append(f"new:  {', '.join(result.new_dirs)}  ({result.new_digest[:15]})")
        for line in definition_lines(result.definitions):
            lines.append(f"  {line}")
        for s in result.changed:
            lines.append(f"{s.scenario.location}: {s.scenario.label}")
            lines.extend(f"  {item}" for item in _items(s, code=""))
        lines.append(headline(result))
        lines.append(summary_line(result))
        return "\n".join(lines) + "\n"


def _items(s: ScenarioDiff, code: str, arrow: str = "->") -> list[str]:
    c, a = code, arrow
    out: list[str] = []
    if s.validity:
        out.append(f"answers: {s.validity[0]} {a} {s.validity[1]}")
    if s.recommendation:
        out.append(f"recommendation: {c}{s.recommendation[0]}{c} {a} {c}{s.recommendation[1]}{c}")
    if s.scores:
        parts = [
            f"{c}{o}{c} {num(b)} {a} {num(n)} ({delta(b, n)})" for o, (b, n) in s.scores.items()
        ]
        out.append("scores: " + "; ".join(parts))
    for rid in s.fired_added:
        reason = s.because(rid)
        out.append(f"now fires: {c}{rid}{c}" + (f": {reason}" if reason else ""))
    for rid in s.fired_removed:
        reason = s.because(rid)
        out.append(f"no longer fires: {c}{rid}{c}" + (f" (was: {reason})" if reason else ""))
    if s.vetoed_added:
        out.append("now vetoed: " + ", ".join(f"{c}{o}{c}" for o in s.vetoed_added))
    if s.vetoed_removed:
        out.append("no longer vetoed: " + ", ".join(f"{c}{o}{c}" for o in s.vetoed_removed))
    return out


@REPORTERS.register("json", extension="json", label="JSON")
class JsonReporter:
    def render(self, result: DiffResult) -> str:
        body: dict[str, Any] = {
            "changed": len(result.changed),
            "scenarios": len(result.scenarios),
            "epsilon": result.epsilon,
            "base": {"rules": list(result.base_dirs), "digest": result.base_digest},
            "new": {"rules": list(result.new_dirs), "digest": result.new_digest},
            "definitions": result.definitions.to_dict(),
            "problems": [p.to_dict() for p in result.problems],
            "results": [s.to_dict() for s in result.scenarios],
        }
        return json.dumps(body, indent=2) + "\n"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return _html(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _html(text: str) -> str:
    """Text from rule files shown in a comment: no raw HTML gets through."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _code(text: str, cell: bool = False) -> str:
    """A code span; inside a table cell a '|' must be escaped even there (GFM)."""
    inner = text.replace("`", "'")
    return "`" + (inner.replace("|", "\\|") if cell else inner) + "`"


@REPORTERS.register("markdown", extension="md", label="Markdown for a pull-request comment")
class MarkdownReporter:
    """A pull-request comment: a headline, the rule-set changes, a table of the decisions whose
    outcome changes (recommendation, vetoes, rules fired, validity) with their details folded
    away, and the decisions that change only in their scores folded in a second table."""

    def render(self, result: DiffResult) -> str:
        out = [f"### advisor diff: {headline(result)}", ""]
        base = ", ".join(_code(d) for d in result.base_dirs)
        new = ", ".join(_code(d) for d in result.new_dirs)
        out.append(
            f"Base: {base} ({_code(result.base_digest[:15])}) · New: {new} "
            f"({_code(result.new_digest[:15])})"
        )
        out.append("")
        defs = definition_lines(result.definitions, code="`")
        if defs:
            out.append("**Rule set:** " + "; ".join(defs) + ".")
            out.append("")
        if result.problems:
            out.append("**Problems:**")
            out.extend(f"- {_cell(str(p))}" for p in result.problems)
            out.append("")
        major = sorted((s for s in result.changed if not _scores_only(s)), key=_weight)
        minor = [s for s in result.changed if _scores_only(s)]
        if major:
            out.extend(self._table(major))
            out.append("<details>")
            out.append(f"<summary>Details of {len(major)} changed outcomes</summary>")
            out.append("")
            for s in major[:MAX_ROWS]:
                out.append(f"**{_cell(s.scenario.label)}** ({_code(str(s.scenario.location))})")
                out.extend(f"- {_html(item)}" for item in _items(s, code="`", arrow="→"))
                out.append("")
            out.append("</details>")
            out.append("")
        if minor:
            out.append("<details>")
            noun = "decision changes" if len(minor) == 1 else "decisions change"
            out.append(f"<summary>{len(minor)} more {noun} only in scores</summary>")
            out.append("")
            out.extend(self._table(minor))
            out.append("</details>")
            out.append("")
        return "\n".join(out)

    def _table(self, rows: list[ScenarioDiff]) -> list[str]:
        out = [
            "| Scenario | Recommendation | Scores | Rules fired |",
            "| --- | --- | --- | --- |",
        ]
        for s in rows[:MAX_ROWS]:
            cells = (
                f"{_cell(s.scenario.label)}<br>{_code(str(s.scenario.location), cell=True)}",
                self._recommendation(s),
                self._scores(s),
                self._fired(s),
            )
            out.append("| " + " | ".join(cells) + " |")
        if len(rows) > MAX_ROWS:
            out.append(f"| … and {len(rows) - MAX_ROWS} more | | | |")
        out.append("")
        return out

    @staticmethod
    def _recommendation(s: ScenarioDiff) -> str:
        if s.validity:
            return _cell(f"answers: {s.validity[0]} → {s.validity[1]}")
        if s.recommendation:
            return f"{_code(s.recommendation[0])} → **{_code(s.recommendation[1])}**"
        d = s.new.decision
        return f"{_code(d.recommendation or 'no allowed option')} (same)" if d else ""

    @staticmethod
    def _scores(s: ScenarioDiff) -> str:
        return "<br>".join(
            f"{_code(o)} {num(b)} → {num(n)} ({delta(b, n)})" for o, (b, n) in s.scores.items()
        )

    @staticmethod
    def _fired(s: ScenarioDiff) -> str:
        parts = [f"+{_code(r, cell=True)}" for r in s.fired_added]
        parts += [f"−{_code(r, cell=True)}" for r in s.fired_removed]
        parts += [f"vetoed +{_code(o)}" for o in s.vetoed_added]
        parts += [f"vetoed −{_code(o)}" for o in s.vetoed_removed]
        return " ".join(parts)
