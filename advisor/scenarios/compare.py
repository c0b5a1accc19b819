"""Compare two assessments: the answers that differ, each recommendation and its costs, and
which differences drive the change.

A difference *drives* the change when putting B's value of that one answer into A's answers
turns A's recommendation into B's (one swap at a time, decided by the engine itself); when the
two recommendations are the same there is no change to drive, though a swap that alone would
move A is still reported (``a_with_this_b_value``). When no single swap drives the change, the
change comes from differences together, and the result says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from advisor.engine.ruleset import RuleSet
from advisor.load.ranges import Range, exact_text
from advisor.model.decision import Decision
from advisor.model.parts import OPTIONS
from advisor.scenarios.probe import horizon_fact
from advisor.scenarios.robust import assess, probability


def _plain(value: Any) -> Any:
    return value.to_json() if isinstance(value, Range) else value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Range) or isinstance(b, Range):
        return _plain(a) == _plain(b) and type(a) is type(b)
    return bool(a == b)


def compare(
    rs: RuleSet,
    a: Mapping[str, Any],
    b: Mapping[str, Any],
    names: tuple[str, str] = ("A", "B"),
    samples: int = 0,
    seed: int = 0,
    describe: Callable[[Decision], str] = probability,
) -> dict[str, Any]:
    """``samples`` > 0: each side's confidence is its probability (advisor.scenarios.robust).
    ``describe``: the confidence in words (the CLI passes the reports' wording, which names
    the samples, the seed and what was drawn)."""
    da: Decision = rs.evaluate(a)
    db: Decision = rs.evaluate(b)
    if samples > 0:
        da = assess(rs, a, samples, seed, flips=False, decision=da)
        db = assess(rs, b, samples, seed, flips=False, decision=db)
    differs = [q for q in rs.questions if (q in a or q in b) and not _same(a.get(q), b.get(q))]
    changed = da.recommendation != db.recommendation
    rows = []
    for q in differs:
        swapped = dict(a)
        if q in b:
            swapped[q] = b[q]
        else:
            swapped.pop(q, None)
        to = rs.outcome(swapped).recommendation
        rows.append(
            {
                "question": q,
                "a": _plain(a.get(q)),
                "b": _plain(b.get(q)),
                "drives": changed and to == db.recommendation,
                "a_with_this_b_value": to,
                "alone_changes_a": to != da.recommendation,
            }
        )
    return {
        "names": list(names),
        "recommendations": [da.recommendation, db.recommendation],
        "confidence": [da.confidence, db.confidence],
        "confidence_basis": [da.confidence_basis, db.confidence_basis],
        "confidence_text": [describe(da), describe(db)],
        "changed": changed,
        "horizon_costs": [_costs(da), _costs(db)],
        "differences": rows,
        "drivers": [r["question"] for r in rows if r["drives"]],
        "together": changed and not any(r["drives"] for r in rows),
    }


def _costs(d: Decision) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for o in OPTIONS:
        v = d.facts.get(horizon_fact(o))
        out[o] = round(float(v), 2) if isinstance(v, int | float) else None
    return out


def render_text(result: dict[str, Any], markdown: bool = False) -> str:
    a, b = result["names"]
    ra, rb = result["recommendations"]
    ca, cb = result["confidence_text"]
    changed = result["changed"]
    lines: list[str] = []
    if markdown:
        lines += [f"# Compare {a} and {b}", ""]
        lines += ["| | " + a + " | " + b + " |", "|---|---|---|"]
        lines.append(f"| Recommendation | {ra} | {rb} |")
        lines.append(f"| Confidence | {ca} | {cb} |")
        for o in OPTIONS:
            x, y = result["horizon_costs"][0][o], result["horizon_costs"][1][o]
            lines.append(f"| {o} horizon cost (USD) | {_m(x)} | {_m(y)} |")
        lines += ["", "The recommendation " + ("changes." if changed else "is the same."), ""]
        lines += [
            "| Answer | " + a + " | " + b + " | Drives the change |",
            "|---|---|---|---|",
        ]
        for r in result["differences"]:
            lines.append(
                f"| {r['question']} | {_v(r['a'])} | {_v(r['b'])} | {_drives(r, a, changed)} |"
            )
    else:
        lines.append(f"{a}: {ra} ({ca})")
        lines.append(f"{b}: {rb} ({cb})")
        lines.append("The recommendation " + ("changes." if changed else "is the same."))
        width = max(16, len(a), len(b))
        lines += ["", f"Horizon cost (USD)  {a:>{width}} {b:>{width}}"]
        for o in OPTIONS:
            x, y = result["horizon_costs"][0][o], result["horizon_costs"][1][o]
            lines.append(f"  {o:<17} {_m(x):>{width}} {_m(y):>{width}}")
        lines += ["", f"Answers that differ ({len(result['differences'])}):"]
        for r in result["differences"]:
            note = _drives(r, a, changed)
            mark = "" if note == "no" else f"  <- {note}"
            lines.append(f"  {r['question']}: {_v(r['a'])} -> {_v(r['b'])}{mark}")
    if result["together"]:
        lines += ["", "No single difference changes the recommendation; they do it together."]
    return "\n".join(lines) + "\n"


def _drives(row: dict[str, Any], a: str, changed: bool) -> str:
    """Whether one difference drives the change, in words."""
    to = row["a_with_this_b_value"]
    if row["drives"]:
        return f"yes: alone it makes {a} {to}"
    if row["alone_changes_a"]:
        return f"no, though alone it would make {a} {to}"
    return "no"


def _v(value: Any) -> str:
    """An answer as a person would write it: 60M, 1B..6B, 0.5, gpt-4.1."""
    if isinstance(value, dict) and {"low", "high"} <= set(value):
        low, high, likely = float(value["low"]), float(value["high"]), value.get("likely")
        return Range(low, (low + high) / 2 if likely is None else float(likely), high).text()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float | int):
        return exact_text(float(value))
    if value is None:
        return "(unanswered)"
    if isinstance(value, list):
        return "[" + ", ".join(str(x) for x in value) + "]"
    return str(value)


def _m(x: float | None) -> str:
    return f"{x:,.0f}" if x is not None else "n/a"
