"""Reporters for ``advisor test`` (text, json)."""

from __future__ import annotations

import json
from typing import Any

from ..testing import TestRun


def summary_line(run: TestRun) -> str:
    return f"{run.passed} passed, {run.failed} failed"


def uncovered(run: TestRun) -> list[tuple[str, str]]:
    out = []
    for rid, (fired, quiet) in run.coverage().items():
        if not fired and not quiet:
            out.append((rid, "never seen firing nor not firing"))
        elif not fired:
            out.append((rid, "never seen firing"))
        elif not quiet:
            out.append((rid, "never seen not firing"))
    return out


class TextReporter:
    def __init__(self, coverage: bool = False) -> None:
        self.coverage = coverage

    def render(self, run: TestRun) -> str:
        lines: list[str] = [str(p) for p in run.problems]
        for r in run.results:
            if r.passed:
                continue
            lines.append(f"FAIL {r.location}: {r.name}")
            if r.error is not None:
                lines.append(f"  {r.error}")
            for failure in r.failures:
                lines.append(f"  {failure}")
            if r.decision is not None:
                fired = ", ".join(sorted(r.decision.fired_ids)) or "none"
                lines.append(f"  rules that fired: {fired}")
        if self.coverage:
            lines.append(f"rule coverage: {run.coverage_percent():.1f}%")
            for rid, why in uncovered(run):
                lines.append(f"  uncovered: {rid}: {why}")
        lines.append(summary_line(run))
        return "\n".join(lines) + "\n"


class JsonReporter:
    def __init__(self, coverage: bool = False) -> None:
        self.coverage = coverage

    def render(self, run: TestRun) -> str:
        body: dict[str, Any] = {
            "passed": run.passed,
            "failed": run.failed,
            "problems": [p.to_dict() for p in run.problems],
            "results": [
                {
                    "name": r.name,
                    "file": r.location.file,
                    "line": r.location.line,
                    "passed": r.passed,
                    "failures": list(r.failures),
                    "error": r.error.to_dict() if r.error else None,
                    "recommendation": r.decision.recommendation if r.decision else None,
                    "fired": sorted(r.decision.fired_ids) if r.decision else [],
                    "seconds": round(r.seconds, 6),
                }
                for r in run.results
            ],
        }
        if self.coverage:
            body["coverage"] = {
                "percent": round(run.coverage_percent(), 2),
                "rules": {
                    rid: {"fired": f, "not_fired": q} for rid, (f, q) in run.coverage().items()
                },
                "uncovered": [rid for rid, _ in uncovered(run)],
            }
        return json.dumps(body, indent=2) + "\n"


REPORTERS: dict[str, type] = {"text": TextReporter, "json": JsonReporter}
