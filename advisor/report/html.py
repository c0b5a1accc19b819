"""The HTML report (``--format html``): one self-contained page.

Inline CSS (``report.css``) and inline SVG charts; no script, no web font, no image or link
that the browser would fetch (a Content-Security-Policy of ``default-src 'none'`` says so to
the browser too). Jinja2 autoescapes every piece of text; only the stylesheet and the SVG
produced by :mod:`advisor.report.charts` and :mod:`advisor.report.robust_charts` are
inserted as markup.
"""

from __future__ import annotations

from functools import lru_cache

from advisor.report.charts import cost_chart, scores_chart
from advisor.report.context import ReportContext
from advisor.report.robust_charts import cost_distribution_chart, tornado_chart
from advisor.report.templating import HERE, html_env


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return (HERE / "report.css").read_text(encoding="utf-8").strip()


def render(ctx: ReportContext) -> str:
    charts = {
        "scores": scores_chart(ctx.scores),
        "cost": cost_chart(ctx.curve, currency=ctx.currency) if ctx.curve else None,
        "tornado": tornado_chart(ctx.decision.tornado),
        "distribution": cost_distribution_chart(
            ctx.decision.cost_percentiles, ctx.decision.recommendation, currency=ctx.currency
        ),
    }
    template = html_env().get_template("report.html.j2")
    return str(template.render(ctx=ctx, charts=charts, css=stylesheet()))
