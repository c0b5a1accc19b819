"""Reports people sign off: one renderer per format over the same Decision.

``render_report(decision, ruleset, fmt, meta=None, generated_at=None)`` is the whole public
API. Each format is one module in this package exposing ``render(ctx: ReportContext) -> str``,
registered in :data:`REGISTRY`; adding a format is adding a module and a line there. Renderer
modules (and Jinja2) are imported only when a report of that format is rendered,
so importing :mod:`advisor.report` costs nothing.

Output is deterministic: the same decision, rule set and meta give byte-identical text except
the generated-at time, which ``generated_at`` or the ``SOURCE_DATE_EPOCH`` environment variable
fixes.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as _dt

    from advisor.engine.ruleset import RuleSet
    from advisor.model.decision import Decision
    from advisor.model.files import Meta


@dataclass(frozen=True)
class ReportFormat:
    """One report format, registered once in :data:`REGISTRY`; the CLI and the TUI read it."""

    name: str
    module: str  # the module of this package holding its ``render(ctx)``
    extension: str  # of the file it is written to, without the dot
    label: str
    extra: str | None  # the optional extra it needs (None: the core is enough)
    needs: tuple[str, ...] = ()  # the packages it imports beyond the standard library


REGISTRY: dict[str, ReportFormat] = {
    f.name: f
    for f in (
        ReportFormat("md", "markdown", "md", "Markdown", None, ("jinja2",)),
        ReportFormat(
            "html", "html", "html", "one self-contained page with charts", None, ("jinja2",)
        ),
        ReportFormat(
            "json", "jsonfmt", "json", "the decision contract plus the report's fields", None
        ),
        ReportFormat(
            "adr", "adr", "adr.md", "an Architecture Decision Record, MADR", None, ("jinja2",)
        ),
    )
}

FORMATS: tuple[str, ...] = tuple(REGISTRY)
"""The formats ``render_report`` knows, in the order the CLI lists them."""


DISTRIBUTION = "llm-hosting-advisor"
"""The name this project is published under on PyPI (``advisor`` there is another project)."""


class ReportDependencyError(RuntimeError):
    """A format needs a package that is missing from this installation."""


def render_report(
    decision: Decision,
    ruleset: RuleSet,
    fmt: str,
    meta: Meta | dict[str, Any] | None = None,
    generated_at: _dt.datetime | str | None = None,
) -> str:
    """The report of ``decision`` in format ``fmt`` (one of :data:`FORMATS`) as text.

    ``meta`` is the answers file's meta block (title, organisation, author, date, notes) as a
    :class:`advisor.model.files.Meta` or a dict. ``generated_at`` defaults to ``SOURCE_DATE_EPOCH``
    when set, else the current UTC time.

    Raises ValueError for an unknown format and :class:`ReportDependencyError` when the
    format's packages are missing (a trimmed install; they are core dependencies).
    """
    if fmt not in REGISTRY:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    _require(fmt)
    from advisor.report.context import build_context

    module = importlib.import_module(f".{REGISTRY[fmt].module}", __name__)
    ctx = build_context(decision, ruleset, meta, generated_at)
    text: str = module.render(ctx)
    return text


def _require(fmt: str) -> None:
    import importlib.util

    missing = [name for name in REGISTRY[fmt].needs if importlib.util.find_spec(name) is None]
    if missing:
        raise ReportDependencyError(
            f"The {fmt} report needs {' and '.join(missing)}, which is not installed; "
            f"reinstall the project with its dependencies: pip install '{DISTRIBUTION}'."
        )


__all__ = [
    "DISTRIBUTION",
    "FORMATS",
    "REGISTRY",
    "ReportDependencyError",
    "ReportFormat",
    "render_report",
]
