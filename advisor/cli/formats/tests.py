"""Reporters for ``advisor test``: text, json, junit (Jenkins, GitLab) and github (annotations).

Every reporter takes ``coverage`` (report rule coverage) and renders a :class:`TestRun`. The
last line of the text and github formats is the plain ``N passed, N failed`` that CI systems
read.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from advisor.cli.formats import Registry
from advisor.cli.formats.check import github_escape

if TYPE_CHECKING:  # importing the engine here would slow every command's start-up
    from advisor.problems import Location, Problem
    from advisor.scenarios.runner import CaseResult, TestRun

REPORTERS: Registry[TestRun] = Registry("tests")


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


def rule_location(run: TestRun, rule_id: str) -> Location | None:
    """Where a rule is defined, when the run knows it (``TestRun.rule_locations``)."""
    locations: dict[str, Location] = getattr(run, "rule_locations", None) or {}
    return locations.get(rule_id)


def case_details(r: CaseResult) -> list[str]:
    """What a reader needs beside the failures: what the decision actually was."""
    d = r.decision
    if d is None:
        return []
    scores = ", ".join(f"{k} {v:g}" for k, v in d.scores.items())
    vetoed = "; ".join(f"{o} by {', '.join(ids)}" for o, ids in d.vetoed.items()) or "none"
    return [
        f"recommendation: {d.recommendation} (scores {scores})",
        f"vetoed: {vetoed}",
        f"rules that fired: {', '.join(sorted(d.fired_ids)) or 'none'}",
    ]


@REPORTERS.register("text", extension="txt", label="plain text")
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
                where = rule_location(run, rid)
                prefix = f"{where}: " if where else ""
                lines.append(f"  uncovered: {prefix}{rid}: {why}")
        lines.append(summary_line(run))
        return "\n".join(lines) + "\n"


@REPORTERS.register("json", extension="json", label="JSON")
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


# --- JUnit XML -------------------------------------------------------------------------------

# Characters XML 1.0 cannot carry at all, even escaped; a message holding one would make the
# whole report unreadable to Jenkins.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _XML_ILLEGAL.sub("?", text)


def _seconds(value: float) -> str:
    return f"{max(0.0, value):.6f}"


@REPORTERS.register("junit", extension="xml", label="JUnit XML for Jenkins and GitLab")
class JunitReporter:
    """JUnit XML as Jenkins (junit plugin) and GitLab (artifacts:reports:junit) read it.

    One ``<testsuite>`` per scenario file, one ``<testcase>`` per scenario with
    ``classname`` = the file and ``name`` = the scenario's name; a failed expectation is a
    ``<failure>`` (message: the expectations that failed, each with expected and actual), an
    answer the rule set refuses is an ``<error>``; a file that cannot be loaded is a suite with
    one errored case. With coverage, a last suite carries the figures as properties.
    """

    def __init__(self, coverage: bool = False) -> None:
        self.coverage = coverage

    def render(self, run: TestRun) -> str:
        import xml.etree.ElementTree as ET

        root = ET.Element("testsuites", name="advisor test")
        suites: dict[str, ET.Element] = {}
        totals = {"tests": 0, "failures": 0, "errors": 0}
        times: dict[str, float] = {}
        counts: dict[str, dict[str, int]] = {}

        def suite_for(file: str) -> ET.Element:
            if file not in suites:
                shown = _xml_text(file)
                suites[file] = ET.SubElement(root, "testsuite", name=shown, file=shown)
                counts[file] = {"tests": 0, "failures": 0, "errors": 0}
                times[file] = 0.0
            return suites[file]

        for problem in run.problems:
            file = problem.location.file
            suite = suite_for(file)
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_xml_text(file),
                name="(the file cannot be loaded)",
                file=_xml_text(file),
                line=str(problem.location.line),
                time=_seconds(0.0),
            )
            self._error(case, problem)
            counts[file]["tests"] += 1
            counts[file]["errors"] += 1
        for r in run.results:
            file = r.location.file
            suite = suite_for(file)
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_xml_text(file),
                name=_xml_text(r.name),
                file=_xml_text(file),
                line=str(r.location.line),
                time=_seconds(r.seconds),
            )
            counts[file]["tests"] += 1
            times[file] += r.seconds
            if r.error is not None:
                self._error(case, r.error)
                counts[file]["errors"] += 1
            elif r.failures:
                message = "; ".join(r.failures)
                failure = ET.SubElement(
                    case, "failure", message=_xml_text(message), type="ExpectationFailed"
                )
                body = [f"{r.location}: {r.name}", *r.failures, *case_details(r)]
                failure.text = _xml_text("\n".join(body))
                counts[file]["failures"] += 1
        for file, suite in suites.items():
            c = counts[file]
            suite.set("tests", str(c["tests"]))
            suite.set("failures", str(c["failures"]))
            suite.set("errors", str(c["errors"]))
            suite.set("skipped", "0")
            suite.set("time", _seconds(times[file]))
            for key in totals:
                totals[key] += c[key]
        if self.coverage:
            suite = ET.SubElement(
                root,
                "testsuite",
                name="rule coverage",
                tests="0",
                failures="0",
                errors="0",
                skipped="0",
                time=_seconds(0.0),
            )
            props = ET.SubElement(suite, "properties")
            cov = run.coverage()
            both = sum(1 for f, q in cov.values() if f and q)
            for name, value in (
                ("coverage.percent", f"{run.coverage_percent():.2f}"),
                ("coverage.rules", str(len(cov))),
                ("coverage.covered", str(both)),
            ):
                ET.SubElement(props, "property", name=name, value=value)
            out = ET.SubElement(suite, "system-out")
            lines = [f"rule coverage: {run.coverage_percent():.1f}%"]
            lines += [f"uncovered: {rid}: {why}" for rid, why in uncovered(run)]
            out.text = _xml_text("\n".join(lines))
        root.set("tests", str(totals["tests"]))
        root.set("failures", str(totals["failures"]))
        root.set("errors", str(totals["errors"]))
        root.set("skipped", "0")
        root.set("time", _seconds(sum(r.seconds for r in run.results)))
        ET.indent(root)
        text = ET.tostring(root, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"

    @staticmethod
    def _error(case: Any, problem: Problem) -> None:
        import xml.etree.ElementTree as ET

        error = ET.SubElement(
            case,
            "error",
            message=_xml_text(f"{problem.code}: {problem.message}"),
            type=problem.code,
        )
        error.text = _xml_text(str(problem))


# --- GitHub workflow commands ----------------------------------------------------------------


def _annotation(level: str, where: Location | None, title: str, message: str) -> str:
    props: list[str] = []
    if where is not None and where.file:
        props.append(f"file={github_escape(where.file, prop=True)}")
        if where.line:
            props.append(f"line={where.line}")
        if where.column:
            props.append(f"col={where.column}")
    props.append(f"title={github_escape(title, prop=True)}")
    return f"::{level} {','.join(props)}::{github_escape(message)}"


@REPORTERS.register("github", extension="txt", label="GitHub Actions annotations")
class GithubReporter:
    """GitHub Actions workflow commands: each failing scenario is an annotation on its line.

    Files that cannot be loaded and refused answers are errors at their exact place; with
    coverage, each uncovered rule is a warning (on its definition when the run knows it).
    """

    def __init__(self, coverage: bool = False) -> None:
        self.coverage = coverage

    def render(self, run: TestRun) -> str:
        lines: list[str] = []
        for p in run.problems:
            lines.append(_annotation("error", p.location, p.code, p.message))
        for r in run.results:
            if r.passed:
                continue
            if r.error is not None:
                lines.append(
                    _annotation(
                        "error",
                        r.error.location,
                        f"{r.error.code} in scenario: {r.name}",
                        r.error.message,
                    )
                )
                continue
            body = [*r.failures, *case_details(r)]
            lines.append(
                _annotation("error", r.location, f"Scenario failed: {r.name}", "\n".join(body))
            )
        if self.coverage:
            for rid, why in uncovered(run):
                lines.append(
                    _annotation(
                        "warning",
                        rule_location(run, rid),
                        f"Uncovered rule: {rid}",
                        f"The rule {rid} was {why} in the scenario tests; add a scenario.",
                    )
                )
            lines.append(f"rule coverage: {run.coverage_percent():.1f}%")
        lines.append(summary_line(run))
        return "\n".join(lines) + "\n"
