"""Reporters: one class per output format, chosen by name from one registry per result type.

A reporter renders one kind of result (a check, a decision, a test run, a diff) to text; it
registers itself once, where it is defined, with its name (the ``--format`` value), the file
extension its output takes, a label for help texts, and the optional extra it needs (None
for the core)::

    @REPORTERS.register("sarif", extension="sarif", label="SARIF 2.1.0 for code scanning")
    class SarifReporter: ...

Adding a format is adding such a class; the CLI's ``--format`` choices and help come from the
registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

Result = TypeVar("Result", contravariant=True)
R = TypeVar("R")


class Reporter(Protocol[Result]):
    """Renders one result to the text written to stdout or ``-o FILE``."""

    def render(self, result: Result, /) -> str: ...


@dataclass(frozen=True)
class Format(Generic[R]):
    name: str
    extension: str  # without the dot
    label: str
    extra: str | None  # the optional extra it needs (pip install 'llm-hosting-advisor[EXTRA]')
    factory: Callable[..., Reporter[R]]


class Registry(Mapping[str, Callable[..., Reporter[R]]]):
    """The formats of one result type, in registration order; maps a name to its factory."""

    def __init__(self, result: str) -> None:
        self.result = result
        self.formats: dict[str, Format[R]] = {}

    def register(
        self, name: str, *, extension: str, label: str, extra: str | None = None
    ) -> Callable[[type[Any]], type[Any]]:
        def add(cls: type[Any]) -> type[Any]:
            if name in self.formats:
                raise ValueError(f"the {self.result} format {name!r} is registered twice")
            self.formats[name] = Format(name, extension, label, extra, cls)
            return cls

        return add

    def __getitem__(self, name: str) -> Callable[..., Reporter[R]]:
        return self.formats[name].factory

    def __iter__(self) -> Iterator[str]:
        return iter(self.formats)

    def __len__(self) -> int:
        return len(self.formats)

    def help(self) -> str:
        return "; ".join(f"{f.name} ({f.label})" for f in self.formats.values())
