"""Jinja2 environments for the report templates (``templates/`` beside this module).

Two environments, both escaping by default so no template can forget to:

* HTML: Jinja's autoescape; every ``{{ }}`` is HTML-escaped unless marked safe (only the
  inline SVG charts and the stylesheet are, and they are produced by this package).
* Markdown: ``finalize`` passes every ``{{ }}`` value through :func:`advisor.present.text.md`,
  which backslash-escapes Markdown markup and inline HTML, unless the value is ``Markup``
  (made by this package's filters: code spans, figures).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from advisor.present import labels, numbers
from advisor.present import text as t

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"


def _filters(markup: Any, markdown: bool) -> dict[str, Any]:
    """Filters shared by both environments; in Markdown, figures come back as Markup."""

    def safe(fn: Any) -> Any:
        if not markdown:
            return fn
        return lambda *a, **k: markup(fn(*a, **k))

    def code(value: Any) -> Any:
        return markup(t.md_code(value)) if markdown else value

    def cell(value: Any) -> Any:
        return markup(t.md_cell(value)) if markdown else value

    from jinja2 import pass_context

    @pass_context
    def money(context: Any, value: Any, currency: Any = None) -> Any:
        # the report's currency (ReportContext.currency): every amount is USD in the data
        ctx = context.get("ctx")
        cur = currency or getattr(ctx, "currency", None) or numbers.USD
        text = numbers.money(value, cur)
        return markup(text) if markdown else text

    return {
        "money": money,
        "tokens": safe(numbers.tokens),
        "percent": safe(numbers.percent),
        "share": safe(numbers.share),
        "num": safe(numbers.number),
        "points": safe(numbers.points),
        "label": labels.option_label,
        "lowerfirst": t.lower_first,
        "short": labels.short_label,
        "code": code,
        "cell": cell,
        "yesno": safe(lambda v: "n/a" if v is None else ("yes" if v else "no")),
    }


def _environment(markdown: bool) -> Any:
    """The Jinja2 environment of one output language: HTML autoescapes, Markdown escapes
    through ``finalize`` (Markup passes as it is)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    def finalize(value: Any) -> Any:
        if isinstance(value, Markup):
            return str(value)
        if value is None:
            return ""
        return t.md(value)

    extra: dict[str, Any] = {"finalize": finalize} if markdown else {}
    cache = _bytecode_cache()
    if cache is not None:
        extra["bytecode_cache"] = cache
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=not markdown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **extra,
    )
    env.filters.update(_filters(Markup, markdown=markdown))
    return env


@lru_cache(maxsize=1)
def _bytecode_cache() -> Any:
    """Compiled templates kept between runs: compiling the HTML template is most of what a
    report adds to a decision (about 0.1 s of a 0.3 s process; benchmarks/README.md). Jinja2's
    cache lives in a per-user folder of the temp directory that it creates private (0700) and
    refuses if another user owns it; entries are keyed by the template's source checksum, so an
    edited template is never served stale. None when no such folder can be used."""
    try:
        from jinja2 import FileSystemBytecodeCache

        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=1)
def html_env() -> Any:
    return _environment(markdown=False)


@lru_cache(maxsize=1)
def markdown_env() -> Any:
    return _environment(markdown=True)


def tidy_markdown(text: str) -> str:
    """Collapse runs of blank lines that template blocks leave behind; end with one newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and out and not out[-1]:
            continue
        out.append(line)
    while out and not out[0]:
        out.pop(0)
    return "\n".join(out).rstrip("\n") + "\n"
