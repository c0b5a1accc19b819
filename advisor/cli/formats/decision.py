"""Reporters for ``advisor evaluate`` (text summary, json contract)."""

from __future__ import annotations

import json

from advisor.cli.formats import Registry
from advisor.model.decision import Decision

REPORTERS: Registry[Decision] = Registry("decision")

LABELS = {
    "stay_hosted": "Stay on the hosted API",
    "hybrid": "Hybrid split",
    "self_host": "Self-host",
}


def money(value: object) -> str:
    return f"{value:,.0f} USD" if isinstance(value, int | float) else "n/a"


@REPORTERS.register("text", extension="txt", label="a plain-text summary")
class TextReporter:
    def render(self, d: Decision) -> str:
        out = [
            f"Recommendation: {LABELS.get(d.recommendation, d.recommendation)} "
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
        rows = [
            (label, (costs.get(key) or {}).get("monthly_usd"))
            for key, label in (
                ("hosted", "hosted API"),
                ("hybrid", "hybrid"),
                ("self_host", "self-hosted"),
            )
        ]
        if any(v is not None for _, v in rows):
            out.append("")
            out.append("Monthly cost:")
            for label, value in rows:
                if value is not None:
                    out.append(f"  {label:<12} {money(value)}")
            deployment = (costs.get("self_host") or {}).get("deployment") or {}
            if deployment.get("model"):
                estimated = " (throughput estimated)" if deployment.get("estimated") else ""
                out.append(
                    f"  self-hosted on {deployment.get('replicas')} x "
                    f"{deployment.get('gpus_per_replica')} {deployment.get('gpu')} running "
                    f"{deployment['model']}{estimated}"
                )
            breakeven = (costs.get("breakeven") or {}).get("monthly_tokens")
            if isinstance(breakeven, int | float):
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
