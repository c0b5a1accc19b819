"""Problems found in user files, and the one exception that carries them.

Every problem has a stable code (``ADV1xx`` YAML, ``ADV2xx`` schema, ``ADV3xx`` expressions,
``ADV4xx`` references and semantics, ``ADV5xx`` answers, ``ADV6xx`` catalog, ``ADV7xx`` tests)
and a location, so that editors, CI annotations and people can all jump to it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int = 0  # 1-based; 0 when unknown
    column: int = 0  # 1-based; 0 when unknown

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        if self.column <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

    def shifted(self, columns: int) -> Location:
        """The location ``columns`` characters further along the same line."""
        if self.line <= 0:
            return self
        return Location(self.file, self.line, max(1, self.column + columns))


@dataclass(frozen=True)
class Problem:
    location: Location
    code: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else "warning: "
        return f"{self.location}: {self.code}: {tag}{self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class AdvisorError(Exception):
    """Raised when user input cannot be used; ``problems`` says every reason found."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def fail(location: Location, code: str, message: str) -> AdvisorError:
    return AdvisorError([Problem(location, code, message)])


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the closest of ``candidates`` to a misspelt ``word``, or ``""``;
    every "not known" message ends with it."""
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" Did you mean {close[0]!r}?" if close else ""
