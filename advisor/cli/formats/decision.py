"""Reporters for ``advisor evaluate`` (text summary, json contract)."""

from __future__ import annotations

import json
import textwrap

from advisor.cli.formats import Registry
from advisor.model.decision import Decision
from advisor.present.costs_view import (
    breakeven_subject,
    cost_rows,
    modifier_lines,
    row_detail,
    switch_entry,
    throughput_text,
)
from advisor.present.labels import option_label
from advisor.present.numbers import currency_of, money, token_volume
from advisor.present.robustness import (
    confidence_meaning,
    confidence_text,
    flip_lines,
    probability_lines,
    tie_sentence,
)

REPORTERS: Registry[Decision] = Registry("decision")


@REPORTERS.register("text", extension="txt", label="a plain-text summary")
class TextReporter:
    def render(self, d: Decision) -> str:
        if d.recommendation is None:
            blocks = "; ".join(
                f"{o} by {', '.join(d.vetoed.get(o, []))}" for o in d.ranking if o in d.vetoed
            )
            out = [f"No allowed option: {blocks}."]
            out.append("  Every option is vetoed; change an answer behind one of these vetoes.")
        else:
            out = [
                f"Recommendation: {option_label(d.recommendation)} "
                f"({d.recommendation}), {confidence_text(d)}",
            ]
        tie = tie_sentence(d)
        if tie:
            out.append(f"  {tie}")
        out.append("")
        out.append("Scores:")
        top = max((abs(v) for v in d.scores.values()), default=1.0) or 1.0
        for option in d.ranking:
            score = d.scores[option]
            bar = "#" * max(0, round(20 * score / top)) if score > 0 else ""
            veto = f"  vetoed by {', '.join(d.vetoed[option])}" if option in d.vetoed else ""
            out.append(f"  {option:<12} {score:>7.1f}  {bar}{veto}")
        reasons = d.top_reasons(5)
        if reasons:
            out.append("")
            out.append("Top reasons:")
            for r in reasons:
                src = f" [{', '.join(r.source)}]" if r.source else ""
                out.append(f"  - {r.because}{src} ({r.id})")
        if d.vetoed:
            out.append("")
            out.append("Vetoes:")
            by_id = {r.id: r for r in d.fired}
            for option, ids in d.vetoed.items():
                for rid in ids:
                    out.append(f"  - {option}: {by_id[rid].because} ({rid})")
        costs = d.costs
        hosted, hybrid, self_host = costs["stay_hosted"], costs["hybrid"], costs["self_host"]
        managed = costs.get("managed_open")
        switch = switch_entry(costs) or None
        warnings = _lifecycle_warnings(hosted)
        if warnings:
            out.append("")
            out.extend(f"Warning: {w}" for w in warnings)
        rows = [row for row in cost_rows(costs) if row.monthly is not None]
        if rows:
            out.append("")
            cur = currency_of(costs)
            rate = f"; {cur.rate_text}" if cur.converted else ""
            out.append(f"Monthly cost (month 1; horizon total{rate}):")
            width = max(len(row.label) for row in rows)
            for row in rows:
                out.append(
                    f"  {row.label:<{width}} {money(row.monthly, cur):>16}   "
                    f"{money(row.horizon, cur):>18} over the horizon"
                )
            if hosted is not None and "current_model" in hosted:
                out.append(f"  hosted: {row_detail('stay_hosted', hosted)}")
            out.extend(f"  {line}" for line in modifier_lines(costs))
            if switch is not None:
                out.append(f"  switch hosted: {row_detail('switch_hosted', switch)}")
            if managed is not None:
                out.append(f"  managed open: {row_detail('managed_open', managed, None, cur)}")
            if hybrid is not None and "open_via" in hybrid:
                out.append(f"  hybrid: {row_detail('hybrid', hybrid)}")
            if self_host is not None:
                deployment = self_host["deployment"]
                out.append(
                    f"  self-hosted on {deployment['replicas']} x "
                    f"{deployment['gpus_per_replica']} {deployment['gpu']} running "
                    f"{deployment['model']}; {throughput_text(deployment).lower()}"
                )
            found = costs["breakeven"]
            breakeven = found.get("monthly_tokens") if found is not None else None
            who = breakeven_subject(costs, start=False)
            if breakeven is not None:
                out.append(f"  {who} breaks even at {token_volume(breakeven)} a month")
            month = costs["breakeven"].get("month") if costs["breakeven"] else None
            horizon = costs.get("horizon_months")
            if month is not None and horizon is not None:
                # cumulative costs along the volume path (issue 13)
                out.append(f"  {who} breaks even in month {month} of {horizon:g}")
        if d.probabilities is not None:
            out += ["", "Probability of each recommendation:"]
            out += probability_lines(d)
            out += ["", *textwrap.wrap(confidence_meaning(d), 96)]
        if d.sensitivity is not None:
            out += ["", "What would change this:"]
            out += flip_lines(d) or ["  nothing within x0.1..x10 of any input"]
        if d.pending:
            out.append("")
            out.append(f"Pending: {len(d.pending)} rules wait for answers:")
            for p in d.pending[:10]:
                out.append(f"  - {p.id} needs {', '.join(p.needs)}")
        if d.defaults_used:
            out.append("")
            out.append(
                f"Defaults used for {len(d.defaults_used)} unanswered questions: "
                + ", ".join(d.defaults_used)
            )
        return "\n".join(out) + "\n"


def _lifecycle_warnings(hosted: object) -> list[str]:
    """The shutdown warning for the user's current model (the catalog's ADV606, per answer)."""
    if not isinstance(hosted, dict) or not hosted.get("shutdown"):
        return []
    current, successor = hosted.get("current_model"), hosted.get("successor")
    if hosted.get("shut_down"):
        return [
            f"{current} was shut down on {hosted['shutdown']} (ADV606); it is priced at "
            + (
                f"{hosted.get('month1_model')}, which costs less than its successor {successor}."
                if hosted.get("path") == "move"
                else f"its successor {successor}."
            )
        ]
    month = hosted.get("switch_month")
    if month and hosted.get("path") == "move":
        return [
            f"{current} shuts down on {hosted['shutdown']} (ADV606); staying hosted is priced as "
            f"moving to {hosted.get('month1_model')} in month 1, which costs less than waiting."
        ]
    if month:
        return [
            f"{current} shuts down on {hosted['shutdown']} (ADV606); from month {month} it is "
            f"priced at its successor {successor}."
        ]
    return []


@REPORTERS.register("json", extension="json", label="the JSON decision contract")
class JsonReporter:
    def render(self, d: Decision) -> str:
        return json.dumps(d.to_dict(), indent=2, sort_keys=False, default=str) + "\n"
