"""The Markdown report (``--format md``): CommonMark with GitHub-style tables."""

from __future__ import annotations

from advisor.report.context import ReportContext
from advisor.report.templating import markdown_env, tidy_markdown


def render(ctx: ReportContext) -> str:
    return tidy_markdown(markdown_env().get_template("report.md.j2").render(ctx=ctx))
