"""The result of ``advisor check``: owned by the check stage, rendered by ``cli.formats.check``."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.problems import Problem


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    strict: bool = False
    unreadable: bool = False  # a file or folder could not be read at all (exit 2)
    # Warnings --strict leaves as warnings: staleness of the packaged default catalog, which a
    # user cannot edit (--strict-defaults empties it).
    exempt_from_strict: frozenset[Problem] = frozenset()

    def is_error(self, p: Problem) -> bool:
        return p.severity == "error" or (self.strict and p not in self.exempt_from_strict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if self.is_error(p)]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors
