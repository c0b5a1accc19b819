"""Reporters for ``advisor evaluate`` (text summary, json contract)."""

from __future__ import annotations

import json

from advisor.cli.formats import Registry
from advisor.model.decision import Decision
from advisor.present.curve import cost_entry
from advisor.present.labels import OPTIONS, option_label, short_label
from advisor.present.numbers import money

REPORTERS: Registry[Decision] = Registry("decision")


@REPORTERS.register("text", extension="txt", label="a plain-text summary")
class TextReporter:
    def render(self, d: Decision) -> str:
        out = [
            f"Recommendation: {option_label(d.recommendation)} "
            f"({d.recommendation}), confidence {d.confidence:.0%}",
        ]
        if d.all_vetoed:
            out.append("  Every option is vetoed; the answers contradict each other (see vetoes).")
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
        rows = [(short_label(o), cost_entry(costs, o).get("monthly_usd")) for o in OPTIONS]
        if any(v is not None for _, v in rows):
            out.append("")
            out.append("Monthly cost:")
            for label, value in rows:
                if value is not None:
                    out.append(f"  {label:<12} {money(value)}")
            self_host = costs["self_host"]
            if self_host is not None:
                deployment = self_host["deployment"]
                estimated = " (throughput estimated)" if deployment["estimated"] else ""
                out.append(
                    f"  self-hosted on {deployment['replicas']} x "
                    f"{deployment['gpus_per_replica']} {deployment['gpu']} running "
                    f"{deployment['model']}{estimated}"
                )
            found = costs["breakeven"]
            breakeven = found.get("monthly_tokens") if found is not None else None
            if breakeven is not None:
                out.append(f"  self-hosting breaks even at {breakeven:,.0f} tokens a month")
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


@REPORTERS.register("json", extension="json", label="the JSON decision contract")
class JsonReporter:
    def render(self, d: Decision) -> str:
        return json.dumps(d.to_dict(), indent=2, sort_keys=False, default=str) + "\n"
