"""The reporters of ``advisor check``'s result (text, json, github, sarif)."""

from __future__ import annotations

import json

from advisor.check.result import CheckResult
from advisor.cli.formats import Registry

REPORTERS: Registry[CheckResult] = Registry("check")


@REPORTERS.register("text", extension="txt", label="plain text, one problem a line")
class TextReporter:
    def render(self, result: CheckResult) -> str:
        lines = [str(p) for p in sorted(result.problems, key=lambda p: p.location)]
        n_err = len(result.errors)
        n_warn = len([p for p in result.problems if not result.is_error(p)])
        counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
        if result.ok:
            summary = f"ok: {len(result.files)} files checked ({counts})"
        else:
            summary = f"{n_err} error{'s' if n_err != 1 else ''} in {len(result.files)} files"
        if n_warn:
            summary += f", {n_warn} warning{'s' if n_warn != 1 else ''}"
        lines.append(summary)
        return "\n".join(lines) + "\n"


@REPORTERS.register("json", extension="json", label="JSON")
class JsonReporter:
    def render(self, result: CheckResult) -> str:
        body = {
            "ok": result.ok,
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "files": result.files,
            "counts": result.counts,
            "problems": [p.to_dict() for p in result.problems],
        }
        return json.dumps(body, indent=2) + "\n"


def github_escape(text: str, *, prop: bool = False) -> str:
    """Escape text for a GitHub workflow command (data, or a property value)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


@REPORTERS.register("github", extension="txt", label="GitHub Actions annotations")
class GithubReporter:
    """GitHub Actions workflow commands: each problem becomes an annotation on its line."""

    def render(self, result: CheckResult) -> str:
        lines = []
        for p in result.problems:
            level = "error" if result.is_error(p) else "warning"
            loc = p.location
            props = [f"file={github_escape(loc.file, prop=True)}"]
            if loc.line:
                props.append(f"line={loc.line}")
            if loc.column:
                props.append(f"col={loc.column}")
            props.append(f"title={github_escape(p.code, prop=True)}")
            lines.append(f"::{level} {','.join(props)}::{github_escape(p.message)}")
        lines.append(TextReporter().render(result).rstrip("\n").splitlines()[-1])
        return "\n".join(lines) + "\n"


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def sarif_uri(file: str) -> str:
    """A SARIF artifact URI. Relative paths stay relative (code scanning resolves them against
    the repository root), with forward slashes and percent-encoding; absolute ones are file:
    URIs."""
    from pathlib import PurePosixPath, PureWindowsPath
    from urllib.parse import quote

    if PureWindowsPath(file).drive:
        return PureWindowsPath(file).as_uri()
    if PurePosixPath(file).is_absolute():
        return PurePosixPath(file).as_uri()
    return quote(file.replace("\\", "/"))


@REPORTERS.register("sarif", extension="sarif", label="SARIF 2.1.0 for code scanning")
class SarifReporter:
    """SARIF 2.1.0 (code scanning): one run, a ``rules[]`` entry per problem code found.

    ``--strict`` reports every finding at level ``error`` (but the packaged catalog's staleness,
    unless ``--strict-defaults``). Columns count characters
    (``columnKind: unicodeCodePoints``), which is what the YAML reader measures.
    """

    def render(self, result: CheckResult) -> str:
        from advisor import __version__
        from advisor.problems import describe

        codes = sorted({p.code for p in result.problems})
        index = {code: i for i, code in enumerate(codes)}
        rules = []
        for code in codes:
            name, text = describe(code)
            default = (
                "error"
                if any(result.is_error(p) for p in result.problems if p.code == code)
                else "warning"
            )
            rules.append(
                {
                    "id": code,
                    "name": name,
                    "shortDescription": {"text": text},
                    "defaultConfiguration": {"level": default},
                }
            )
        results = []
        for p in sorted(result.problems, key=lambda p: (p.location, p.code)):
            level = "error" if result.is_error(p) else "warning"
            physical: dict[str, object] = {
                "artifactLocation": {"uri": sarif_uri(p.location.file)},
            }
            if p.location.line > 0:
                region: dict[str, int] = {"startLine": p.location.line}
                if p.location.column > 0:
                    region["startColumn"] = p.location.column
                physical["region"] = region
            results.append(
                {
                    "ruleId": p.code,
                    "ruleIndex": index[p.code],
                    "level": level,
                    "message": {"text": p.message},
                    "locations": [{"physicalLocation": physical}],
                }
            )
        log = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "advisor",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "rules": rules,
                        }
                    },
                    "columnKind": "unicodeCodePoints",
                    "invocations": [{"executionSuccessful": not result.unreadable}],
                    "artifacts": [{"location": {"uri": sarif_uri(f)}} for f in result.files],
                    "results": results,
                }
            ],
        }
        return json.dumps(log, indent=2) + "\n"
