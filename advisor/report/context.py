"""Everything a report says, computed once from the Decision and the RuleSet.

Every renderer (Markdown, HTML, JSON, ADR) reads the same :class:`ReportContext`, so the four
formats cannot disagree about a figure or a reason. The context holds plain data (dicts, lists,
strings, numbers): text is *not* escaped here; each renderer escapes for its own format.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from advisor.load.ranges import Range
from advisor.present.effects import effects_text
from advisor.present.labels import OPTIONS, option_label
from advisor.present.numbers import USD, Currency, currency_of, is_number, money, number, tokens
from advisor.present.robustness import (
    confidence_meaning,
    confidence_text,
    fact_label,
    percentile_rows,
    tie_sentence,
    tornado_rows,
    value_text,
)
from advisor.present.text import sentence

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet
    from advisor.model.decision import Decision, FiredRule
    from advisor.model.files import Meta

REPORT_FORMAT_VERSION = 1


@dataclass
class ReportContext:
    """The report's content; see :func:`build_context`."""

    title: str
    meta: dict[str, str]
    generated_at: str
    questionnaire_title: str
    recommendation: str
    recommendation_label: str
    confidence: float
    confidence_label: str
    summary: str
    summary_parts: list[str]
    all_vetoed: bool
    scores: list[dict[str, Any]]
    vetoes: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    costs: dict[str, Any]
    curve: dict[str, Any] | None
    models: list[dict[str, Any]]
    risks: list[dict[str, Any]]
    next_steps: list[dict[str, Any]]
    what_could_change: list[str]
    pending: list[dict[str, Any]]
    answers: list[dict[str, Any]]
    audit: dict[str, Any]
    decision: Decision
    option_labels: dict[str, str] = field(
        default_factory=lambda: {o: row.long for o, row in OPTIONS.items()}
    )
    # The one-screen summary: a few sentences of prose (at most BRIEF_WORDS words), the top
    # reasons as bullets; the costs table beside them comes from ``costs``.
    brief: str = ""
    top_reasons: list[dict[str, str]] = field(default_factory=list)
    # What the confidence is, in words (present/robustness.confidence_text): never a bare "%".
    confidence_text: str = ""
    # "What would change this": the flip points (decision.sensitivity), closest first, as
    # {fact, input, today, flips_at, to, to_label, direction}; empty when not assessed.
    flips: list[dict[str, Any]] = field(default_factory=list)
    # The report currency (strategy.report_currency at the catalog's dated rate): every amount
    # the report shows is converted to it, and the rate is stated where money is shown.
    currency: Currency = USD
    # What the confidence means, in a paragraph (present/robustness.confidence_meaning).
    confidence_meaning: str = ""
    # The tornado chart's data as rows (present/robustness.tornado_rows), and the two options
    # whose horizon-cost ratio it shows; empty when flip points were not assessed.
    tornado: list[dict[str, str]] = field(default_factory=list)
    tornado_options: tuple[str, str] | None = None
    tornado_ratio: str = ""
    # P10 / P50 / P90 of each option's horizon cost over the samples (percentile_rows).
    percentiles: list[dict[str, Any]] = field(default_factory=list)

    def report_fields(self) -> dict[str, Any]:
        """The ``report`` object of the JSON format (see docs/reports.md)."""
        return {
            "format_version": REPORT_FORMAT_VERSION,
            "generated_at": self.generated_at,
            "title": self.title,
            "meta": dict(self.meta),
            "questionnaire_title": self.questionnaire_title,
            "recommendation_label": self.recommendation_label,
            "confidence_label": self.confidence_label,
            "summary": self.summary,
            "reasons_by_category": [
                {
                    "category": c["id"],
                    "title": c["title"],
                    "weight": c["weight"],
                    "rules": [r["id"] for r in c["reasons"]],
                }
                for c in self.categories
            ],
            "sources": [
                {k: s[k] for k in ("id", "kind", "title", "text", "url", "clauses")}
                for s in self.sources
            ],
            "cost_curve": self.curve,
            "risks": self.risks,
            "next_steps": self.next_steps,
            "what_could_change": self.what_could_change,
            "defaults_used": [
                row["id"]
                for sec in self.answers
                for row in sec["rows"]
                if row["status"] == "default"
            ],
        }


# --- building -------------------------------------------------------------------------------


def generated_at_text(generated_at: _dt.datetime | str | None) -> str:
    """ISO 8601 UTC time of generation: the argument, else SOURCE_DATE_EPOCH, else now."""
    if isinstance(generated_at, str):
        return generated_at
    if generated_at is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch:
            try:
                generated_at = _dt.datetime.fromtimestamp(int(epoch), _dt.UTC)
            except (ValueError, OverflowError, OSError):
                generated_at = None
        if generated_at is None:
            generated_at = _dt.datetime.now(_dt.UTC)
    if generated_at.tzinfo is None:
        generated_at = generated_at.replace(tzinfo=_dt.UTC)
    return generated_at.astimezone(_dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _meta_dict(meta: Meta | dict[str, Any] | None) -> dict[str, str]:
    if meta is None:
        return {}
    raw = meta if isinstance(meta, dict) else meta.model_dump(exclude_none=True)
    out: dict[str, str] = {}
    for key in ("title", "organisation", "author", "date", "notes"):
        value = raw.get(key)
        if value is not None and str(value).strip():
            out[key] = str(value).strip()
    # Unknown keys are kept (sorted, so output stays deterministic).
    for key in sorted(k for k in raw if k not in out and raw[k] is not None):
        if key not in ("title", "organisation", "author", "date", "notes"):
            out[key] = str(raw[key])
    return out


def build_context(
    decision: Decision,
    ruleset: RuleSet,
    meta: Meta | dict[str, Any] | None = None,
    generated_at: _dt.datetime | str | None = None,
) -> ReportContext:
    from advisor.report.costs import cost_curve, cost_summary

    meta_d = _meta_dict(meta)
    questionnaire_title = sentence(ruleset.title or "Hosted API or self-hosted open models?")
    title = meta_d.get("title") or (
        f"{meta_d['organisation']}: LLM hosting decision"
        if "organisation" in meta_d
        else "LLM hosting decision"
    )
    scores = _scores(decision)
    categories = _categories(decision, ruleset)
    sources = _sources(decision, ruleset)
    costs = cost_summary(decision, ruleset)
    curve = cost_curve(decision, ruleset, costs)
    gen = generated_at_text(generated_at)
    summary_parts = _summary(decision, scores, costs)
    audit = {
        "advisor_version": str(decision.audit.get("advisor_version", "")),
        "rules_digest": str(decision.audit.get("rules_digest", "")),
        "catalog_as_of": str(decision.audit.get("catalog_as_of", "")),
        "generated_at": gen,
    }
    return ReportContext(
        title=title,
        meta=meta_d,
        generated_at=gen,
        questionnaire_title=questionnaire_title,
        recommendation=decision.recommendation or "none",
        recommendation_label=(
            option_label(decision.recommendation)
            if decision.recommendation
            else "No allowed option"
        ),
        confidence=decision.confidence,
        confidence_label=confidence_label(decision.confidence),
        summary=" ".join(summary_parts),
        summary_parts=summary_parts,
        all_vetoed=decision.all_vetoed,
        scores=scores,
        vetoes=_vetoes(decision),
        categories=categories,
        sources=sources,
        costs=costs,
        curve=curve,
        models=_models(decision, ruleset),
        currency=currency_of(decision.costs),
        risks=[{"rule": r.get("rule", ""), "text": r.get("text", "")} for r in decision.risks],
        next_steps=_next_steps(decision, costs),
        what_could_change=_what_could_change(decision, scores, costs),
        pending=[{"id": p.id, "needs": list(p.needs)} for p in decision.pending],
        answers=_answers(decision, ruleset),
        audit=audit,
        decision=decision,
        brief=_brief(decision, scores),
        confidence_text=confidence_text(decision),
        flips=_flips(decision, ruleset),
        confidence_meaning=confidence_meaning(decision),
        tornado=[
            {**row, "input": _input_label(ruleset, row["fact"])} for row in tornado_rows(decision)
        ],
        tornado_options=(
            (
                option_label(decision.tornado["numerator"]),
                option_label(decision.tornado["denominator"]),
            )
            if decision.tornado
            else None
        ),
        tornado_ratio=f"{decision.tornado['ratio']:.2f}" if decision.tornado else "",
        percentiles=percentile_rows(decision),
        top_reasons=[
            {"rule": r.id, "text": sentence(r.because or r.title or r.id)}
            for r in decision.top_reasons(3)
        ],
    )


FLIP_ROWS = 15
"""The report's flip-point table: the closest flips (the JSON carries them all)."""


def _input_label(rs: RuleSet, fact: str) -> str:
    """The question as asked (not its id twice); a catalog assumption by its name."""
    question = rs.questions.get(fact)
    return question.prompt if question is not None else fact_label(fact)


def _flips(d: Decision, rs: RuleSet) -> list[dict[str, Any]]:
    out = []
    for e in (d.sensitivity or ())[:FLIP_ROWS]:
        to = e["to"]
        out.append(
            {
                "fact": e["fact"],
                "input": _input_label(rs, e["fact"]),
                "today": value_text(e["fact"], e["current"]),
                "flips_at": value_text(e["fact"], e["flips_at"]),
                "to": to or "none",
                "to_label": option_label(to) if to else "No allowed option",
                "direction": e["direction"],
            }
        )
    return out


def confidence_label(confidence: float) -> str:
    if confidence >= 0.75:
        return "high"
    if confidence >= 0.5:
        return "moderate"
    return "low"


def _scores(d: Decision) -> list[dict[str, Any]]:
    rows = []
    for rank, option in enumerate(d.ranking or tuple(d.scores), start=1):
        rows.append(
            {
                "option": option,
                "label": option_label(option),
                "score": float(d.scores.get(option, 0.0)),
                "rank": rank,
                "vetoed": option in d.vetoed,
                "veto_rules": list(d.vetoed.get(option, [])),
                "recommended": option == d.recommendation and not d.all_vetoed,
            }
        )
    return rows


def _vetoes(d: Decision) -> list[dict[str, Any]]:
    """One entry per vetoing rule, naming every option it rules out (in option order)."""
    order = list(OPTIONS)
    by_rule: dict[str, list[str]] = {}
    for option in sorted(d.vetoed, key=lambda o: order.index(o) if o in order else len(order)):
        for rid in d.vetoed[option]:
            by_rule.setdefault(rid, []).append(option)
    rules = {r.id: r for r in d.fired}
    out = []
    for rid, options in by_rule.items():
        rule = rules.get(rid)
        out.append(
            {
                "rule": rid,
                "options": options,
                "labels": " and ".join(option_label(o) for o in options),
                "because": rule.because if rule else "",
                "source": list(rule.source) if rule else [],
            }
        )
    return out


def _categories(d: Decision, rs: RuleSet) -> list[dict[str, Any]]:
    cats = getattr(rs.bundle, "categories", {}) or {}
    order = list(cats)
    grouped: dict[str, list[FiredRule]] = {}
    for rule in d.fired:
        grouped.setdefault(rule.category, []).append(rule)
    out = []
    for cid in sorted(grouped, key=lambda c: (order.index(c) if c in order else len(order), c)):
        category = cats.get(cid)
        reasons = []
        for rule in grouped[cid]:
            reasons.append(
                {
                    "id": rule.id,
                    "title": rule.title,
                    "because": rule.because,
                    "effects": effects_text(rule),
                    "sources": [_source_short(s, rs) for s in rule.source],
                    "weight": rule.weight,
                }
            )
        out.append(
            {
                "id": cid,
                "title": (category.title if category and category.title else cid.capitalize()),
                "weight": float(d.weights.get(cid, grouped[cid][0].weight)),
                "reasons": reasons,
            }
        )
    return out


def _source_short(source_id: str, rs: RuleSet) -> dict[str, Any]:
    ref = rs.bundle.sources.get(source_id)
    kind, _, key = source_id.partition(":")
    title = ref.title if ref else None
    if title is None and kind == "license":
        lic = _licence(rs, key)
        title = lic.name if lic is not None else None
    return {"id": source_id, "label": key or source_id, "title": title or source_id}


def _licence(rs: RuleSet, key: str) -> Any:
    lic_id = key.split("#", 1)[0]
    for lic in getattr(rs.catalog, "licenses", ()) or ():
        if lic.id == lic_id:
            return lic
    return None


# Licence fields that name a clause, with what the clause is about.
LICENCE_CLAUSES: tuple[tuple[str, str], ...] = (
    ("commercial_use_clause", "Commercial use"),
    ("mau_cap_clause", "Monthly active users cap"),
    ("attribution_clause", "Attribution"),
    ("derivative_naming_clause", "Naming of derivatives"),
    ("eu_multimodal_clause", "EU multimodal restriction"),
    ("redistribution_clause", "Redistribution"),
    ("licensor_restriction_clause", "Licensor may restrict use"),
)


def licence_clauses(lic: Any) -> list[dict[str, str]]:
    """The clauses a catalog licence entry names: [{term, where, detail}]."""
    out: list[dict[str, str]] = []
    for attr, term in LICENCE_CLAUSES:
        where = getattr(lic, attr, None)
        if not where:
            continue
        detail = ""
        if attr == "mau_cap_clause" and getattr(lic, "mau_cap", None):
            detail = f"above {number(lic.mau_cap)} monthly active users"
            if getattr(lic, "mau_cap_effect", None):
                detail += f": {lic.mau_cap_effect}"
        elif attr == "attribution_clause" and getattr(lic, "attribution", None):
            detail = f'display "{lic.attribution}"'
        elif attr == "derivative_naming_clause" and getattr(lic, "derivative_naming_prefix", None):
            detail = f'derivative names begin with "{lic.derivative_naming_prefix}"'
        elif attr == "redistribution_clause" and getattr(lic, "redistribution_conditions", None):
            detail = "; ".join(lic.redistribution_conditions)
        out.append({"term": term, "where": str(where), "detail": " ".join(detail.split())})
    aup = getattr(lic, "acceptable_use_policy", None)
    if aup:
        out.append({"term": "Acceptable use policy", "where": str(aup), "detail": ""})
    return out


def _sources(d: Decision, rs: RuleSet) -> list[dict[str, Any]]:
    """Every source cited by a fired rule, once, in order of first citation."""
    seen: dict[str, dict[str, Any]] = {}
    for rule in d.fired:
        for sid in rule.source:
            if sid in seen:
                seen[sid]["cited_by"].append(rule.id)
                continue
            kind, _, key = sid.partition(":")
            ref = rs.bundle.sources.get(sid)
            entry: dict[str, Any] = {
                "id": sid,
                "kind": kind if key else "other",
                "label": key or sid,
                "title": ref.title if ref else sid,
                "text": (" ".join(ref.text.split()) if ref and ref.text else None),
                "url": ref.url if ref else None,
                "citation": " ".join(ref.citation.split()) if ref and ref.citation else None,
                "shipped_copy": ref.shipped_copy if ref else None,
                "clauses": [],
                "cited_by": [rule.id],
            }
            if kind == "license":
                lic = _licence(rs, key)
                if lic is not None:
                    entry["title"] = ref.title if ref else lic.name
                    entry["clauses"] = licence_clauses(lic)
                    entry["location"] = getattr(lic, "text_location", None)
                    entry["as_of"] = str(getattr(lic, "as_of", "") or "")
                    if entry["text"] is None:
                        entry["text"] = f"{lic.name}; text at {lic.text_location}."
            seen[sid] = entry
    return sorted(seen.values(), key=_source_order)


_KIND_ORDER = ("article", "license", "ref", "practice", "facts")


def _source_order(entry: dict[str, Any]) -> tuple[int, str]:
    kind = entry["kind"]
    return (_KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER), entry["id"])


def _models(d: Decision, rs: RuleSet) -> list[dict[str, Any]]:
    licences = {lic.id: lic for lic in getattr(rs.catalog, "licenses", ()) or ()}
    cur = currency_of(d.costs)
    out = []
    for m in d.models:
        lic = licences.get(m["license"])
        monthly = m["estimated_monthly_usd"]
        out.append(
            {
                "id": m["id"],
                "name": m["name"] or m["id"],
                "license": m["license"],
                "license_name": lic.name if lic is not None else m["license"],
                "eligible": m["eligible"],
                "fit": m["meets_need"],
                "fit_notes": list(m["fit_reasons"]),
                "reasons": list(m["reasons"]),
                "monthly_usd": monthly,
                "monthly": money(monthly, cur) if monthly is not None else "n/a",
                "deployment": _deployment_text(m["deployment"]),
            }
        )
    # Eligible first, then cheapest, then by id: a stable, useful order.
    out.sort(
        key=lambda r: (
            not r["eligible"],
            r["fit"] is False,
            r["monthly_usd"] if r["monthly_usd"] is not None else float("inf"),
            r["id"],
        )
    )
    return out


def _deployment_text(dep: Any) -> str:
    if not isinstance(dep, dict):
        return ""
    gpu = dep.get("gpu")
    n = dep.get("gpus_per_replica")
    replicas = dep.get("replicas")
    if not gpu:
        return ""
    from advisor.report.costs import replicas_in_words

    return replicas_in_words(replicas, n, str(gpu)) if replicas and n else str(gpu)


# --- narrative ------------------------------------------------------------------------------


BRIEF_WORDS = 80
"""The most words of prose the one-screen summary may hold (a CTO reads it whole)."""


def _margin(d: Decision, scores: list[dict[str, Any]]) -> str | None:
    """How clear the recommendation is, in a sentence: the tie and how it was broken, or how
    many points the runner-up trails by; None without an open runner-up."""
    tie = tie_sentence(d)
    if tie:
        return tie
    open_rows = [r for r in scores if not r["vetoed"] and r["option"] != d.recommendation]
    top = next((r for r in scores if r["option"] == d.recommendation), None)
    if not open_rows or top is None:
        return None
    gap = top["score"] - open_rows[0]["score"]
    return (
        f"The runner-up, {open_rows[0]['label']}, scores {number(round(gap, 2))} "
        f"point{'s' if gap != 1 else ''} less."
    )


def _brief(d: Decision, scores: list[dict[str, Any]]) -> str:
    """The summary's prose: the decision and how clear it is. The reasons and the costs follow
    as bullets and a table, so they are not repeated here."""
    if d.all_vetoed:
        return (
            "Every option is vetoed: the answers contradict each other, so nothing is "
            "recommended. Revisit the answers behind the vetoes before deciding."
        )
    # the confidence is said in words in the headline above it (confidence_text)
    parts = [f"{option_label(d.recommendation or '')} is recommended."]
    margin = _margin(d, scores)
    if margin:
        parts.append(margin)
    vetoed = [option_label(o) for o in OPTIONS if o in d.vetoed]
    if vetoed:
        parts.append("Ruled out: " + " and ".join(vetoed) + ".")
    if d.pending:
        parts.append(
            f"{len(d.pending)} rule{'s' if len(d.pending) != 1 else ''} still wait for answers, "
            "so the advice may change."
        )
    text = " ".join(parts)
    words = text.split()
    if len(words) > BRIEF_WORDS:  # never in practice; the bound is what the layout relies on
        text = " ".join(words[:BRIEF_WORDS]).rstrip(".,;") + "…"
    return text


def _summary(d: Decision, scores: list[dict[str, Any]], costs: dict[str, Any]) -> list[str]:
    """The executive summary's paragraph as sentences: the decision, then why."""
    cur = currency_of(d.costs)
    if d.all_vetoed:
        return [
            "No allowed option. Every option is vetoed ("
            + "; ".join(f"{o} by {', '.join(v)}" for o, v in d.vetoed.items())
            + ").",
            "Revisit the answers behind the vetoes before deciding.",
        ]
    parts = [f"{option_label(d.recommendation or '')} is recommended ({confidence_text(d)})."]
    reasons = d.top_reasons(3)
    if reasons:
        parts.append("Mainly because: " + " ".join(sentence(r.because) for r in reasons))
    margin = _margin(d, scores)
    if margin:
        parts.append(margin)
    vetoed = [option_label(o) for o in OPTIONS if o in d.vetoed]
    if vetoed:
        parts.append("Ruled out: " + " and ".join(vetoed) + ".")
    mine = costs.get("options", {}).get(d.recommendation, {})
    hosted = costs.get("options", {}).get("stay_hosted", {})
    if (
        is_number(mine.get("monthly"))
        and d.recommendation != "stay_hosted"
        and is_number(hosted.get("monthly"))
    ):
        parts.append(
            f"It costs about {money(mine['monthly'], cur)} a month against "
            f"{money(hosted['monthly'], cur)} on the hosted API."
        )
    elif is_number(mine.get("monthly")):
        parts.append(f"It costs about {money(mine['monthly'], cur)} a month.")
    if d.pending:
        parts.append(
            f"{len(d.pending)} rule{'s' if len(d.pending) != 1 else ''} still wait for answers, "
            "so the advice may change."
        )
    return parts


# The phases a migration away from the hosted API goes through, whatever the rules add.
MIGRATION_STEPS: tuple[tuple[str, str], ...] = (
    (
        "Evaluate",
        "Run the eligible candidate models ({models}) on a sample of real prompts against the "
        "current hosted model; agree the quality bar and the latency target before comparing.",
    ),
    (
        "Pilot",
        "Serve a small share of non-critical traffic from the self-hosted deployment "
        "({deployment}) for a few weeks; measure quality, latency, GPU utilisation and the "
        "real cost per 1M tokens against the estimate in this report.",
    ),
    (
        "Cut over",
        "Move traffic in steps ({scope}), each gated on the pilot's measures; keep the on-call "
        "rota and the runbooks in place before the first step.",
    ),
    (
        "Roll back",
        "Keep the hosted API account, keys and prompts working until the cut-over has held for a "
        "full billing cycle; define the signals (quality drop, error rate, cost overrun) that "
        "send traffic back, and rehearse switching back once.",
    ),
)


MANAGED_STEPS: tuple[tuple[str, str], ...] = (
    (
        "Evaluate",
        "Run {models} through {endpoint} on a sample of real prompts against the current hosted "
        "model; agree the quality bar and the latency target, and read the provider's data terms "
        "and regions before comparing.",
    ),
    (
        "Pilot",
        "Send a small share of non-critical traffic to {endpoint} for a few weeks; measure "
        "quality, latency, rate limits and the real bill against the estimate in this report.",
    ),
    (
        "Cut over",
        "Move traffic in steps (for example 10 %, 50 %, 100 %), each gated on the pilot's "
        "measures; keep prompts portable so another endpoint of the same weights can take over.",
    ),
    (
        "Roll back",
        "Keep the hosted API account, keys and prompts working until the cut-over has held for a "
        "full billing cycle; define the signals (quality drop, error rate, cost overrun) that "
        "send traffic back, and rehearse switching back once.",
    ),
)


def _next_steps(d: Decision, costs: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = [
        {"title": "", "text": a.get("text", ""), "rule": a.get("rule", "")} for a in d.actions
    ]
    if d.recommendation in ("hybrid", "self_host") and not d.all_vetoed:
        # The candidates to evaluate: models that qualify (licence and need), cheapest first.
        ranked = sorted(
            (m for m in d.models if m.get("viable", m.get("eligible"))),
            key=lambda m: (
                m.get("estimated_monthly_usd")
                if is_number(m.get("estimated_monthly_usd"))
                else float("inf"),
                str(m.get("id")),
            ),
        )
        eligible = [str(m.get("name") or m.get("id")) for m in ranked]
        deployment = costs.get("deployment") or {}
        dep_text = deployment.get("text") or "the cheapest viable deployment"
        models = ", ".join(eligible[:4]) if eligible else "the open models the licences allow"
        scope = (
            "the share that does not need frontier quality; frontier traffic stays hosted"
            if d.recommendation == "hybrid"
            else "for example 10 %, 50 %, 100 %"
        )
        for title, template in MIGRATION_STEPS:
            steps.append(
                {
                    "title": title,
                    "text": template.format(models=models, deployment=dep_text, scope=scope),
                    "rule": "",
                }
            )
    elif d.recommendation == "managed_open" and not d.all_vetoed:
        managed = d.costs.get("managed_open") if isinstance(d.costs, dict) else None
        model = str(managed.get("model")) if managed else "the eligible open models"
        endpoint = (
            f"the managed endpoint {managed.get('endpoint')} ({managed.get('provider')})"
            if managed
            else "a managed endpoint whose regions the answers allow"
        )
        for title, template in MANAGED_STEPS:
            steps.append(
                {
                    "title": title,
                    "text": template.format(models=model, endpoint=endpoint),
                    "rule": "",
                }
            )
    elif d.recommendation == "stay_hosted" and not d.all_vetoed:
        be = costs.get("breakeven_tokens")
        text = "Review this decision when prices change or the volume grows"
        if is_number(be):
            who = costs.get("breakeven_subject_inline") or "self-hosting"
            text += f"; {who} breaks even near {tokens(be)} tokens a month"
        steps.append({"title": "Review", "text": text + ".", "rule": ""})
    return steps


def _what_could_change(
    d: Decision, scores: list[dict[str, Any]], costs: dict[str, Any]
) -> list[str]:
    out: list[str] = []
    open_rows = [r for r in scores if not r["vetoed"]]
    if len(open_rows) >= 2:
        gap = open_rows[0]["score"] - open_rows[1]["score"]
        out.append(
            f"The margin over {open_rows[1]['label']} is {number(round(gap, 2))} "
            "weighted points; a change in priorities of that size would reverse the order."
        )
    be = costs.get("breakeven_tokens")
    today = costs.get("today_tokens")
    if is_number(be) and is_number(today) and today > 0:
        ratio = be / today
        where = "above" if ratio > 1 else "below"
        out.append(
            f"{costs.get('breakeven_subject') or 'Self-hosting'} breaks even at {tokens(be)} "
            f"tokens a month, {number(round(ratio, 2))}x "
            f"today's {tokens(today)} ({where} today's volume)."
        )
    if d.pending:
        needs = sorted({q for p in d.pending for q in p.needs})
        out.append("Unanswered questions could still move the decision: " + ", ".join(needs) + ".")
    if d.defaults_used:
        n = len(d.defaults_used)
        out.append(
            (f"{n} answers are defaults" if n != 1 else "1 answer is a default")
            + ", not the organisation's own (marked in the appendix)."
        )
    out.append(
        "Prices and throughput are dated catalog figures (see the assumptions); "
        "re-run the report when they change."
    )
    return out


def _answer_text(question: Any, value: Any) -> str:
    if value is None:
        return ""
    labels = {o.value: o.label for o in getattr(question, "options", ()) or ()}
    if question.type == "choice":
        return str(labels.get(value, value))
    if question.type == "multi":
        items = [labels.get(v, str(v)) for v in value] if isinstance(value, list) else [str(value)]
        return ", ".join(items) if items else "none"
    if question.type == "bool":
        return "yes" if value else "no"
    if question.type in ("number", "integer") and is_number(value):
        unit = question.unit or ""
        if isinstance(value, Range):  # the band as stated, and the value the decision uses
            low, high, likely = (_number_text(unit, v) for v in (value.low, value.high, value))
            suffix = "" if unit == "USD" else (" %" if unit == "%" else f" {unit}".rstrip())
            return f"{low}..{high}{suffix} (a range; likely {likely})"
        return _number_text(unit, value) + (
            "" if unit == "USD" else (" %" if unit == "%" else f" {unit}".rstrip())
        )
    return str(value)


def _number_text(unit: str, value: float) -> str:
    if unit.startswith("token"):
        return tokens(float(value))
    if unit == "USD":
        return money(float(value))
    return number(float(value) if isinstance(value, Range) else value)


def _answers(d: Decision, rs: RuleSet) -> list[dict[str, Any]]:
    try:
        asked = rs.asked(d.answers)
    except Exception:  # a report must render even if ask_if evaluation fails on odd answers
        asked = {}
    defaults = set(d.defaults_used)
    out = []
    for section in rs.sections:
        rows = []
        for q in section.questions:
            value = d.answers.get(q.id)
            if not asked.get(q.id, True):
                status = "not asked"
            elif q.id in defaults:
                status = "default"
            elif value is None:
                status = "unanswered"
            else:
                status = "answered"
            rows.append(
                {
                    "id": q.id,
                    "prompt": q.prompt,
                    "value": value,
                    "text": _answer_text(q, value) if status != "not asked" else "",
                    "status": status,
                }
            )
        out.append({"id": section.id, "title": section.title, "rows": rows})
    return out
