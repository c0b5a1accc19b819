"""Problems found in user files, the one table of their codes, and the exception that carries them.

Every problem has a stable code (``ADV1xx`` files and YAML, ``ADV2xx`` schema, ``ADV3xx``
expressions, ``ADV4xx`` references and semantics, ``ADV5xx`` answers, ``ADV6xx`` catalog) and a
location, so that editors, CI annotations and people can all jump to it.

:data:`CODES` is the one table of codes: each has a short name and a one-line description (SARIF
rule metadata), its usual severity, and its exit class. The exit class decides the exit code of
every command (:class:`Exit`): input that cannot be read at all ("unreadable": a missing file or
folder, not YAML, too large, not UTF-8, an output that cannot be written) exits 2; anything found
in input that was read ("problem") exits 1. A :class:`Problem` with a code missing here is a
programming error and is refused when it is made.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

Severity = Literal["error", "warning"]
ExitClass = Literal["unreadable", "problem"]


class Exit(IntEnum):
    """The exit codes of every command, defined once."""

    OK = 0
    PROBLEMS = (
        1  # invalid rules or answers, failing tests, a changed decision with --fail-on-change
    )
    UNREADABLE = 2  # usage errors and input that cannot be read at all (see ``ExitClass``)


@dataclass(frozen=True)
class Code:
    code: str
    name: str  # CamelCase, for SARIF ``rules[].name``
    description: str  # one line: the kind of finding, not the message
    severity: Severity  # how it is usually reported; a Problem states its own
    exit_class: ExitClass

    @property
    def exit(self) -> Exit:
        return Exit.UNREADABLE if self.exit_class == "unreadable" else Exit.PROBLEMS


def _code(code: str, name: str, text: str, severity: Severity, exit_class: ExitClass) -> Code:
    return Code(code, name, text, severity, exit_class)


CODES: dict[str, Code] = {
    c.code: c
    for c in (
        _code(
            "ADV100", "FileUnreadable", "A file or folder cannot be read.", "error", "unreadable"
        ),
        _code("ADV101", "InvalidYaml", "The file is not valid YAML.", "error", "unreadable"),
        _code(
            "ADV102", "YamlAlias", "YAML anchors and aliases are not allowed.", "error", "problem"
        ),
        _code("ADV103", "DuplicateKey", "A mapping key appears twice.", "error", "problem"),
        _code("ADV104", "YamlTag", "YAML tags are not allowed.", "error", "problem"),
        _code(
            "ADV105",
            "MultipleDocuments",
            "A file holds more than one YAML document.",
            "error",
            "problem",
        ),
        _code("ADV106", "ComplexKey", "A mapping key is a list or mapping.", "error", "problem"),
        _code("ADV107", "TooDeep", "The file nests too deeply.", "error", "problem"),
        _code("ADV108", "TooLarge", "The file is over the size limit.", "error", "unreadable"),
        _code("ADV109", "NotUtf8", "The file is not UTF-8 text.", "error", "unreadable"),
        _code(
            "ADV110", "NoRulesDirectory", "A rules directory does not exist.", "error", "unreadable"
        ),
        _code(
            "ADV111",
            "NoQuestionnaire",
            "The base rules directory has no questionnaire.",
            "error",
            "problem",
        ),
        _code(
            "ADV112",
            "BadScalar",
            "A value looks like a date or number but is not a valid one.",
            "error",
            "problem",
        ),
        _code(
            "ADV113",
            "NumberOutOfRange",
            "A number is not finite or beyond the range advisor uses.",
            "error",
            "problem",
        ),
        _code("ADV114", "NoCatalog", "A base rule set has no catalog.", "error", "problem"),
        _code(
            "ADV120", "OutputUnwritable", "An output file cannot be written.", "error", "unreadable"
        ),
        _code("ADV201", "UnknownKey", "A key is not allowed at this place.", "error", "problem"),
        _code("ADV202", "MissingKey", "A required key is missing.", "error", "problem"),
        _code("ADV203", "InvalidValue", "A value does not fit its field.", "error", "problem"),
        _code(
            "ADV301", "ExpressionSyntax", "An expression is not valid syntax.", "error", "problem"
        ),
        _code(
            "ADV302",
            "AttributeAccess",
            "Attribute access is not allowed in expressions.",
            "error",
            "problem",
        ),
        _code(
            "ADV303",
            "PrivateName",
            "Names starting with '_' are not allowed in expressions.",
            "error",
            "problem",
        ),
        _code(
            "ADV304",
            "ForbiddenCall",
            "Only the listed functions may be called.",
            "error",
            "problem",
        ),
        _code("ADV305", "Subscript", "Subscripts and slices are not allowed.", "error", "problem"),
        _code("ADV306", "Comprehension", "Comprehensions are not allowed.", "error", "problem"),
        _code("ADV307", "Lambda", "Lambdas are not allowed.", "error", "problem"),
        _code(
            "ADV308", "Assignment", "Assignment expressions are not allowed.", "error", "problem"
        ),
        _code("ADV309", "FString", "f-strings are not allowed.", "error", "problem"),
        _code(
            "ADV310",
            "Exponent",
            "The exponent of '**' must be a small literal.",
            "error",
            "problem",
        ),
        _code(
            "ADV311",
            "ExpressionTooLong",
            "An expression is over the length limit.",
            "error",
            "problem",
        ),
        _code(
            "ADV312",
            "ExpressionTooDeep",
            "An expression is too large or nests too deeply.",
            "error",
            "problem",
        ),
        _code("ADV313", "UnknownName", "An expression names an unknown fact.", "error", "problem"),
        _code("ADV314", "TypeMismatch", "An expression mixes types.", "error", "problem"),
        _code(
            "ADV315",
            "UnknownOption",
            "A literal is not an option of the choice it is compared with.",
            "error",
            "problem",
        ),
        _code(
            "ADV316",
            "ForbiddenConstruct",
            "An operator or literal is not allowed.",
            "error",
            "problem",
        ),
        _code("ADV317", "BadArguments", "A function gets the wrong arguments.", "error", "problem"),
        _code(
            "ADV319", "WrongResultType", "An expression gives the wrong type.", "error", "problem"
        ),
        _code("ADV401", "DuplicateId", "An id is defined twice.", "error", "problem"),
        _code(
            "ADV402",
            "DisablesNothing",
            "A rule switches off a rule no earlier layer defines.",
            "warning",
            "problem",
        ),
        _code(
            "ADV403", "UnknownCategory", "A rule names an undefined category.", "error", "problem"
        ),
        _code(
            "ADV404", "IncompleteRule", "A rule lacks a category or a reason.", "error", "problem"
        ),
        _code(
            "ADV405",
            "BadDependency",
            "Derived facts form a cycle, or a rule reads what it must not.",
            "error",
            "problem",
        ),
        _code(
            "ADV406",
            "BadWeight",
            "A category weight is negative or not finite.",
            "error",
            "problem",
        ),
        _code("ADV407", "NoSource", "A rule cites no source.", "warning", "problem"),
        _code("ADV408", "UnknownSource", "A rule cites an undefined source.", "error", "problem"),
        _code(
            "ADV409",
            "UnknownModel",
            "A rule excludes a model the catalog does not have.",
            "error",
            "problem",
        ),
        _code(
            "ADV410", "NoEffect", "A rule has no effect or can never fire.", "warning", "problem"
        ),
        _code("ADV411", "UnusedFact", "A derived fact is not used.", "warning", "problem"),
        _code(
            "ADV412",
            "BadPlaceholder",
            "A 'because' text has a bad placeholder.",
            "error",
            "problem",
        ),
        _code(
            "ADV413",
            "NeverFires",
            "A rule's condition can never hold for any answers.",
            "warning",
            "problem",
        ),
        _code(
            "ADV414",
            "NeverAsked",
            "A question's ask_if can never hold, so it is never asked.",
            "warning",
            "problem",
        ),
        _code(
            "ADV415",
            "RedundantOverride",
            "A later layer repeats an earlier definition unchanged.",
            "warning",
            "problem",
        ),
        _code(
            "ADV416",
            "NewIncompleteCatalogEntry",
            "A catalog override names an entry no layer has.",
            "error",
            "problem",
        ),
        _code(
            "ADV417",
            "QuestionTypeChanged",
            "A layer changes the type of an earlier question.",
            "error",
            "problem",
        ),
        _code(
            "ADV419",
            "QuestionRetyped",
            "A layer changes the type of an earlier question on purpose (retype: true).",
            "warning",
            "problem",
        ),
        _code(
            "ADV420",
            "PlaceholderNotFilled",
            "A risk or action text names a fact in braces, which only 'because' texts fill in.",
            "warning",
            "problem",
        ),
        _code(
            "ADV418",
            "BadScoreFact",
            "A rule's score names a fact that is not a number.",
            "error",
            "problem",
        ),
        _code(
            "ADV501",
            "UnknownQuestion",
            "An answer names a question that does not exist.",
            "error",
            "problem",
        ),
        _code("ADV502", "WrongAnswerType", "An answer has the wrong type.", "error", "problem"),
        _code(
            "ADV503",
            "UnknownAnswerOption",
            "An answer is not an option of its question.",
            "error",
            "problem",
        ),
        _code(
            "ADV504",
            "AnswerOutOfRange",
            "An answer is outside its question's range.",
            "error",
            "problem",
        ),
        _code(
            "ADV601",
            "BadCatalogSection",
            "A catalog file has an unknown or malformed section.",
            "error",
            "problem",
        ),
        _code("ADV602", "BadCatalogEntry", "A catalog entry has no text id.", "error", "problem"),
        _code(
            "ADV603",
            "InvalidCatalogEntry",
            "A catalog entry does not fit its schema.",
            "error",
            "problem",
        ),
        _code(
            "ADV604",
            "StaleFigure",
            "A catalog figure is older than the staleness limit.",
            "warning",
            "problem",
        ),
        _code(
            "ADV605",
            "PriceMapUnreadable",
            "A price map cannot be read as a JSON object of prices.",
            "error",
            "unreadable",
        ),
        _code(
            "ADV606",
            "HostedModelRetiring",
            "A hosted model is shut down, or shuts down within the default horizon.",
            "warning",
            "problem",
        ),
    )
}


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

    def __post_init__(self) -> None:
        # A code outside the table would reach users without a name, a description or an exit
        # class; refuse it where it is made so that a test catches it, not a user.
        if self.code not in CODES:
            raise ValueError(f"{self.code!r} is not in advisor.problems.CODES; add it there.")

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

    @property
    def exit_code(self) -> Exit:
        """2 when every error is of the unreadable class (nothing could be read), else 1."""
        return exit_code(self.errors)


def exit_code(problems: Iterable[Problem]) -> Exit:
    """The exit code for ``problems`` found: 2 only when there is at least one and every one of
    them is of the unreadable class, else 1 (the caller decides what no problem at all means)."""
    classes = {CODES[p.code].exit_class for p in problems}
    return Exit.UNREADABLE if classes == {"unreadable"} else Exit.PROBLEMS


def describe(code: str) -> tuple[str, str]:
    """(name, description) of a problem code, for SARIF rule metadata."""
    entry = CODES[code]
    return entry.name, entry.description


def fail(location: Location, code: str, message: str) -> AdvisorError:
    return AdvisorError([Problem(location, code, message)])


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the closest of ``candidates`` to a misspelt ``word``, or ``""``;
    every "not known" message ends with it."""
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" Did you mean {close[0]!r}?" if close else ""
