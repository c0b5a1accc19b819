"""The facts the cost and licence models compute (``cost.*``, ``models.*``) and what each needs.

Rules are written against these names; ``needs`` lists the answers a fact reads, so the
engine can report a rule that reads it as pending while one of them is unanswered.
"""

from __future__ import annotations

from dataclasses import replace

from advisor.catalog.schema import Catalog
from advisor.model.factspec import FactSpec

TOKENS = ("usage.monthly_input_tokens", "usage.monthly_output_tokens")
HOSTED = (*TOKENS, "usage.current_model")
LICENCE = (
    "org.hq_region",
    "org.monthly_active_users",
    "licensing.redistributes_model",
    "licensing.attribution_acceptable",
    "licensing.excluded_origins",
)
FIT = ("usage.capability_need", "usage.needs_multimodal")
OPS = (
    "usage.traffic_pattern",
    "ops.gpu_source",
    "ops.oncall_24x7",
    "ops.engineer_annual_cost_usd",
    "strategy.horizon_months",
)
SELF = (*TOKENS, *OPS, *LICENCE, *FIT)
VERSUS = (*SELF, "usage.current_model")
HYBRID = (*VERSUS, "usage.frontier_share")
HORIZON = ("strategy.horizon_months",)

BASES = ("viable", "not_eligible", "below_need")


def _n(needs: tuple[str, ...], description: str, unit: str | None = None) -> FactSpec:
    return FactSpec("number", needs, description, unit)


FACT_SPECS: dict[str, FactSpec] = {
    # --- volumes and the hosted side ---
    "cost.monthly_tokens": _n(TOKENS, "Input plus output tokens a month.", "tokens"),
    "cost.hosted_monthly_usd": _n(
        HOSTED, "The current hosted model's list prices times the monthly tokens.", "USD"
    ),
    "cost.hosted_horizon_usd": _n(
        (*HOSTED, *HORIZON), "Hosted cost over strategy.horizon_months.", "USD"
    ),
    "cost.hosted_usd_per_1m_tokens": _n(
        HOSTED, "Hosted cost per 1M tokens of this workload's input/output mix.", "USD"
    ),
    "cost.hosted_cheaper_models": FactSpec(
        "list",
        (*HOSTED, "usage.capability_need"),
        "Hosted models of the same provider at most half the current model's price for this "
        "workload that may meet the need: any for simple work; reasoning models for general or "
        "reasoning work on a reasoning model; none otherwise. Cheapest first.",
    ),
    "cost.hosted_cheaper_count": _n(
        (*HOSTED, "usage.capability_need"), "How many cost.hosted_cheaper_models.", "models"
    ),
    "cost.hosted_cheaper_monthly_usd": _n(
        (*HOSTED, "usage.capability_need"),
        "The cheapest hosted model that may do the work, a month, for this workload: the first "
        "of cost.hosted_cheaper_models, or the current model when there is none.",
        "USD",
    ),
    # --- self-hosting: the cheapest deployment (see cost.self_host_basis) ---
    "cost.self_host_monthly_usd": _n(
        SELF, "Monthly cost of the cheapest viable self-hosted deployment, all in.", "USD"
    ),
    "cost.self_host_horizon_usd": _n(SELF, "Self-hosted cost over the horizon.", "USD"),
    "cost.self_host_usd_per_1m_tokens": _n(
        SELF, "Self-hosted cost per 1M tokens of this workload's mix, all in.", "USD"
    ),
    "cost.self_host_gpu_monthly_usd": _n(SELF, "GPU rental or amortisation a month.", "USD"),
    "cost.self_host_power_overhead_monthly_usd": _n(
        SELF, "Cloud egress/storage/network overhead, or power and facility on premises.", "USD"
    ),
    "cost.self_host_people_monthly_usd": _n(SELF, "Engineers running the service.", "USD"),
    "cost.migration_monthly_usd": _n(
        SELF, "One-off migration effort spread over the horizon, a month.", "USD"
    ),
    "cost.engineers_needed": _n(SELF, "Engineers (full-time equivalents) to run it.", "FTE"),
    "cost.gpus_total": _n(SELF, "GPUs at peak (replicas x GPUs per replica).", "GPUs"),
    "cost.replicas": _n(SELF, "Replicas at peak.", "replicas"),
    "cost.gpus_per_replica": _n(SELF, "GPUs per replica of the chosen deployment.", "GPUs"),
    "cost.utilisation": _n(
        SELF, "Average load over usable capacity of the paid GPU-hours, 0 to 1.", "fraction"
    ),
    "cost.self_host_model": FactSpec(
        "str", SELF, "The open model of the cheapest deployment (see cost.self_host_basis)."
    ),
    "cost.self_host_gpu": FactSpec("str", SELF, "The GPU type of the cheapest deployment."),
    "cost.self_host_basis": FactSpec(
        "str",
        SELF,
        "viable: an eligible model that meets the need; not_eligible: none is, so the cheapest "
        "capable model barred by licence or policy; below_need: no model meets the need, so the "
        "strongest eligible one.",
        options=BASES,
    ),
    "cost.self_host_viable": FactSpec(
        "bool", SELF, "The self-hosted figures rest on an eligible model that meets the need."
    ),
    "cost.throughput_estimated": FactSpec(
        "bool", SELF, "The chosen deployment's throughput is a roofline estimate, not measured."
    ),
    # --- comparisons ---
    "cost.savings_monthly_usd": _n(VERSUS, "Hosted minus self-hosted, a month.", "USD"),
    "cost.self_host_to_hosted_ratio": _n(VERSUS, "Self-hosted cost / hosted cost.", "ratio"),
    "cost.breakeven_monthly_tokens": _n(
        VERSUS,
        "Monthly tokens (same input/output mix) at which self-hosting costs what the API does; "
        "absent when no volume gets there (see cost.breakeven_reachable).",
        "tokens",
    ),
    "cost.breakeven_reachable": FactSpec(
        "bool", VERSUS, "Some monthly volume makes self-hosting as cheap as the API."
    ),
    "cost.breakeven_to_current_ratio": _n(
        VERSUS, "Break-even volume / current volume (below 1: already past it).", "ratio"
    ),
    "cost.hybrid_monthly_usd": _n(
        HYBRID, "Frontier share hosted at current prices, the rest self-hosted, a month.", "USD"
    ),
    "cost.hybrid_horizon_usd": _n(HYBRID, "Hybrid cost over the horizon.", "USD"),
    "cost.hybrid_to_hosted_ratio": _n(HYBRID, "Hybrid cost / hosted cost.", "ratio"),
    "cost.hybrid_self_host_model": FactSpec(
        "str", HYBRID, "The open model serving the non-frontier share in the hybrid."
    ),
    # --- models ---
    "models.eligible_count": _n(LICENCE, "Open models the licences and policies allow.", "models"),
    "models.capable_count": _n(FIT, "Open models that meet the capability need.", "models"),
    "models.viable_count": _n((*LICENCE, *FIT), "Eligible and capable open models.", "models"),
    "models.any_viable": FactSpec("bool", (*LICENCE, *FIT), "At least one viable open model."),
    "models.eligible": FactSpec("list", LICENCE, "Ids of the eligible open models."),
    "models.capable": FactSpec("list", FIT, "Ids of the capable open models."),
    "models.viable": FactSpec("list", (*LICENCE, *FIT), "Ids of the viable open models."),
    "models.best_viable": FactSpec(
        "str",
        (*LICENCE, *FIT),
        "The viable model of the highest quality tier (cheaper first, then catalog order).",
    ),
    "models.eu_multimodal_blocked": FactSpec(
        "bool", ("org.hq_region",), "A licence's EU multimodal clause bars at least one model."
    ),
    "models.llama_eu_blocked": FactSpec(
        "bool",
        ("org.hq_region",),
        "Same as models.eu_multimodal_blocked (in the default catalog: Llama 4's clause).",
    ),
    "models.mau_blocked": FactSpec(
        "bool", ("org.monthly_active_users",), "A licence's MAU cap bars at least one model."
    ),
    "models.attribution_blocked": FactSpec(
        "bool",
        ("licensing.redistributes_model", "licensing.attribution_acceptable"),
        "Attribution or naming terms bar at least one model (redistribution without "
        "acceptable attribution).",
    ),
    "models.origin_blocked_count": _n(
        ("licensing.excluded_origins",), "Models barred by the excluded origins.", "models"
    ),
}
"""The computed facts. ``str``/``list`` facts naming models or GPUs carry no ``options`` here,
because a layer may add models; :func:`fact_specs` fills them in for a given catalog."""

_MODEL_FACTS = (
    "cost.self_host_model",
    "cost.hybrid_self_host_model",
    "models.eligible",
    "models.capable",
    "models.viable",
    "models.best_viable",
)


def fact_specs(catalog: Catalog) -> dict[str, FactSpec]:
    """FACT_SPECS with the catalog's model and GPU ids as options, for literal checks."""
    models = tuple(m.id for m in catalog.open_models)
    out = dict(FACT_SPECS)
    for name in _MODEL_FACTS:
        out[name] = replace(out[name], options=models)
    out["cost.self_host_gpu"] = replace(
        out["cost.self_host_gpu"], options=tuple(g.id for g in catalog.gpus)
    )
    return out


NEEDS: dict[str, frozenset[str]] = {k: frozenset(v.needs) for k, v in FACT_SPECS.items()}
ALL_INPUTS: frozenset[str] = frozenset().union(*NEEDS.values())
