"""Reports people sign off: one renderer per format over the same Decision.

``render_report(decision, ruleset, fmt, meta=None, generated_at=None)`` is the whole public
API. Each format is one module in this package exposing ``render(ctx: ReportContext) -> str``,
named in :data:`_RENDERERS`; adding a format is adding a module and a line here. Renderer
modules (and Jinja2) are imported only when a report of that format is rendered,
so importing :mod:`advisor.report` costs nothing.

Output is deterministic: the same decision, rule set and meta give byte-identical text except
the generated-at time, which ``generated_at`` or the ``SOURCE_DATE_EPOCH`` environment variable
fixes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as _dt

    from advisor.engine.ruleset import RuleSet
    from advisor.model.decision import Decision
    from advisor.model.files import Meta

FORMATS: tuple[str, ...] = ("md", "html", "json", "adr")
"""The formats ``render_report`` knows, in the order the CLI lists them."""

# format name -> module of this package holding its ``render(ctx)``
_RENDERERS: dict[str, str] = {
    "md": "markdown",
    "html": "html",
    "json": "jsonfmt",
    "adr": "adr",
}

# What each format imports beyond the standard library. All of it is a core dependency of the
# llm-hosting-advisor distribution; the check stays for installs that were trimmed by hand.
EXTRA_NEEDED: dict[str, tuple[str, ...]] = {
    "md": ("jinja2",),
    "html": ("jinja2",),
    "json": (),
    "adr": ("jinja2",),
}

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
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    _require(fmt)
    from advisor.report.context import build_context

    module = importlib.import_module(f".{_RENDERERS[fmt]}", __name__)
    ctx = build_context(decision, ruleset, meta, generated_at)
    text: str = module.render(ctx)
    return text


def _require(fmt: str) -> None:
    import importlib.util

    missing = [name for name in EXTRA_NEEDED[fmt] if importlib.util.find_spec(name) is None]
    if missing:
        raise ReportDependencyError(
            f"The {fmt} report needs {' and '.join(missing)}, which is not installed; "
            f"reinstall the project with its dependencies: pip install '{DISTRIBUTION}'."
        )


__all__ = ["FORMATS", "ReportDependencyError", "render_report"]
