"""The result of ``advisor check`` and its reporters (text, json, github)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..errors import Problem


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    strict: bool = False
    unreadable: bool = False  # a file or folder could not be read at all (exit 2)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error" or self.strict]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


class TextReporter:
    def render(self, result: CheckResult) -> str:
        lines = [str(p) for p in sorted(result.problems, key=lambda p: p.location)]
        n_err, n_warn = (
            len(result.errors),
            len(result.warnings) - (len(result.warnings) if result.strict else 0),
        )
        counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
        if result.ok:
            summary = f"ok: {len(result.files)} files checked ({counts})"
        else:
            summary = f"{n_err} error{'s' if n_err != 1 else ''} in {len(result.files)} files"
        if n_warn:
            summary += f", {n_warn} warning{'s' if n_warn != 1 else ''}"
        lines.append(summary)
        return "\n".join(lines) + "\n"


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


class GithubReporter:
    """GitHub Actions workflow commands: each problem becomes an annotation on its line."""

    def render(self, result: CheckResult) -> str:
        lines = []
        for p in result.problems:
            level = "error" if (p.severity == "error" or result.strict) else "warning"
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


REPORTERS: dict[str, type] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
}
