"""Reporters for ``advisor evaluate`` (text summary, json contract)."""

from __future__ import annotations

import json

from advisor.model.decision import Decision

LABELS = {
    "stay_hosted": "Stay on the hosted API",
    "hybrid": "Hybrid split",
    "self_host": "Self-host",
}


def money(value: object) -> str:
    return f"{value:,.0f} USD" if isinstance(value, int | float) else "n/a"


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
                f"Recommendation: {LABELS.get(d.recommendation, d.recommendation)} "
                f"({d.recommendation}), confidence {d.confidence:.0%}",
            ]
        if d.tie:
            out.append(
                f"  Tie between {', '.join(d.tie['options'])}, broken by {d.tie['broken_by']}."
            )
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
        rows = [
            ("hosted API", hosted["monthly_usd"] if hosted else None),
            ("hybrid", hybrid["monthly_usd"] if hybrid else None),
            ("self-hosted", self_host["monthly_usd"] if self_host else None),
        ]
        if any(v is not None for _, v in rows):
            out.append("")
            out.append("Monthly cost:")
            for label, value in rows:
                if value is not None:
                    out.append(f"  {label:<12} {money(value)}")
            if self_host is not None:
                deployment = self_host["deployment"]
                estimated = " (throughput estimated)" if deployment["estimated"] else ""
                out.append(
                    f"  self-hosted on {deployment['replicas']} x "
                    f"{deployment['gpus_per_replica']} {deployment['gpu']} running "
                    f"{deployment['model']}{estimated}"
                )
            breakeven = (
                costs["breakeven"]["monthly_tokens"]
                if costs["breakeven"] and "monthly_tokens" in costs["breakeven"]
                else None
            )
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


class JsonReporter:
    def render(self, d: Decision) -> str:
        return json.dumps(d.to_dict(), indent=2, sort_keys=False, default=str) + "\n"


REPORTERS: dict[str, type] = {"text": TextReporter, "json": JsonReporter}
