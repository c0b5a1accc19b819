"""The Architecture Decision Record (``--format adr``), following MADR.

Sections in MADR's order: Context and Problem Statement, Decision Drivers, Considered Options,
Decision Outcome (with Consequences and Confirmation), Pros and Cons of the Options, More
Information. The status block is MADR's bullet-list form rather than YAML front matter, so
the record renders the same in any Markdown viewer. Status is always ``proposed``: people
accept a decision, a program does not.

Pros and cons are the fired rules seen from each option: points for it are pros, points
against it or a veto are cons; the cost comparison adds one line per option.
"""

from __future__ import annotations

from typing import Any

from advisor.present.labels import option_label
from advisor.present.numbers import is_number, money, percent, tokens
from advisor.report.context import ReportContext
from advisor.report.templating import markdown_env, tidy_markdown


def pros_and_cons(ctx: ReportContext) -> list[dict[str, Any]]:
    """For each option: {option, label, score, vetoed, good: [...], bad: [...], neutral}."""
    d = ctx.decision
    cur = ctx.currency
    out = []
    costs = ctx.costs.get("options", {})
    hosted = costs.get("stay_hosted", {}).get("monthly")
    for row in ctx.scores:
        option = row["option"]
        good: list[dict[str, str]] = []
        bad: list[dict[str, str]] = []
        for rule in d.fired:
            score = float((rule.effects.get("score") or {}).get(option, 0.0))
            if option in (rule.effects.get("veto") or ()):
                bad.append({"text": f"ruled out: {rule.because}", "rule": rule.id})
            elif score > 0:
                good.append({"text": rule.because, "rule": rule.id})
            elif score < 0:
                bad.append({"text": rule.because, "rule": rule.id})
        monthly = costs.get(option, {}).get("monthly")
        neutral = ""
        if is_number(monthly) and option != "stay_hosted" and is_number(hosted) and hosted:
            line = {
                "text": f"it costs about {money(monthly, cur)} a month, "
                f"{percent(monthly / hosted)} of the hosted API's {money(hosted, cur)}",
                "rule": "",
            }
            (good if monthly < hosted else bad).append(line)
        elif is_number(monthly):
            neutral = f"it costs about {money(monthly, cur)} a month at today's volume"
        switch = costs.get("switch_hosted", {})
        if option == "stay_hosted" and is_number(switch.get("monthly")):
            # staying hosted includes switching to the cheapest hosted model of the tier
            neutral += (
                f"{'; ' if neutral else ''}switching hosted model ({switch.get('note')}) "
                f"would cost about {money(switch.get('monthly'), cur)} a month"
            )
        out.append(
            {
                "option": option,
                "label": option_label(option),
                "score": row["score"],
                "vetoed": row["vetoed"],
                "good": good,
                "bad": bad,
                "neutral": neutral,
            }
        )
    order = ("stay_hosted", "managed_open", "hybrid", "self_host")
    out.sort(key=lambda o: order.index(o["option"]) if o["option"] in order else 9)
    return out


def context_lines(ctx: ReportContext) -> list[str]:
    """Facts of the situation for the Context section, from the answers and the costs."""
    answers = ctx.decision.answers
    cur = ctx.currency
    lines: list[str] = []
    inp, out = answers.get("usage.monthly_input_tokens"), answers.get("usage.monthly_output_tokens")
    model = answers.get("usage.current_model")
    if is_number(inp) and is_number(out):
        text = (
            f"The workload sends {tokens(inp)} input and receives {tokens(out)} output tokens "
            "a month"
        )
        if model:
            text += f", mostly on {model}"
        # today's model's bill (staying hosted may be priced on another model: its path)
        stay = ctx.decision.costs["stay_hosted"]
        hosted = (
            stay.get("current_monthly_usd", stay.get("monthly_usd")) if stay is not None else None
        )
        if is_number(hosted):
            text += f", which costs about {money(hosted, cur)} in the first month"
        lines.append(text + ".")
    wanted = {
        "usage.capability_need": "Quality needed",
        "usage.frontier_share": "Share needing frontier quality",
        "data.sensitivity": "Data sensitivity",
        "data.residency": "Data residency",
        "data.air_gapped": "Air-gapped",
        "ops.ml_engineers": "Engineers who could run serving",
        "strategy.horizon_months": "Planning horizon",
    }
    rows = {row["id"]: row for section in ctx.answers for row in section["rows"]}
    for qid, label in wanted.items():
        row = rows.get(qid)
        if row and row["status"] in ("answered", "default") and row["text"]:
            default = " (default)" if row["status"] == "default" else ""
            lines.append(f"{label}: {row['text']}{default}.")
    if cur.converted:
        lines.append(f"Amounts in {cur.rate_text} (source: {cur.source}).")
    return lines


def render(ctx: ReportContext) -> str:
    template = markdown_env().get_template("adr.md.j2")
    text = template.render(
        ctx=ctx,
        options=pros_and_cons(ctx),
        context_lines=context_lines(ctx),
        a6=next((s for s in ctx.sources if s["id"] == "article:A6"), None),
        drivers=sorted(ctx.categories, key=lambda c: (-c["weight"], c["title"])),
        date=ctx.meta.get("date") or ctx.generated_at[:10],
    )
    return tidy_markdown(text)
