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
# what staying hosted is priced on: the cheaper of staying on the current model and moving now,
# each with its one-offs of changing model (engineer time), so the choice reads the engineer cost
STAY = (*HOSTED, "ops.engineer_annual_cost_usd")
LICENCE = (
    "org.hq_region",
    "org.monthly_active_users",
    "licensing.redistributes_model",
    "licensing.attribution_acceptable",
    "licensing.excluded_origins",
)
# org.intended_use is not among LICENCE's needs: unanswered, the acceptable-use clause is pending
# on the models concerned (they are provisional), which must not hold back every cost figure.
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
MANAGED = (*TOKENS, *LICENCE, *FIT, "data.residency")

BASES = ("viable", "not_eligible", "below_need")


def _n(needs: tuple[str, ...], description: str, unit: str | None = None) -> FactSpec:
    return FactSpec("number", needs, description, unit)


FACT_SPECS: dict[str, FactSpec] = {
    # --- volumes and the hosted side ---
    "cost.monthly_tokens": _n(TOKENS, "Input plus output tokens a month.", "tokens"),
    "cost.hosted_monthly_usd": _n(
        STAY,
        "Month 1 of the hosted bill on cost.hosted_month1_model (the current model, its "
        "successor if it has shut down, or the model staying hosted moves to now) with the "
        "bill's modifiers (cache, batch, regional uplift, discount); the frontier share on a "
        "frontier model when that model is rated below it, as in the hybrid.",
        "USD",
    ),
    "cost.hosted_horizon_usd": _n(
        (*STAY, *HORIZON),
        "Hosted cost over strategy.horizon_months, month by month, on the cheaper of staying on "
        "the current model (the successor's prices from the month it shuts down) and moving "
        "now to the provider's cheapest model of the tier (cost.hosted_moves_now), with the "
        "one-offs of changing model (cost.hosted_change_usd); the frontier share on a frontier "
        "model in the months the serving model is rated below it.",
        "USD",
    ),
    "cost.hosted_month1_model": FactSpec(
        "str",
        STAY,
        "The hosted model staying hosted is priced on in month 1: the current model, its "
        "successor when it has shut down, or the model it moves to now.",
    ),
    "cost.hosted_moves_now": FactSpec(
        "bool",
        (*STAY, *HORIZON),
        "Staying hosted is priced as moving in month 1 to cost.hosted_month1_model, the same "
        "provider's cheapest model of the current model's tier or higher and of the needed "
        "capability, because that costs less over the horizon, its one-off included, than "
        "staying on the current model (and its successor from its shutdown on).",
    ),
    "cost.hosted_change_usd": _n(
        (*STAY, *HORIZON),
        "The one-offs of changing hosted model included in cost.hosted_horizon_usd: "
        "hosted_model_change_engineer_months of engineering per change (a move now, a "
        "shutdown within the horizon); 0 without a change.",
        "USD",
    ),
    "cost.hosted_routing_usd": _n(
        (*STAY, *HORIZON),
        "The router staying hosted needs when it keeps the frontier share on a frontier model "
        "and the rest on another (hybrid_routing_engineer_months, once, as the hybrid carries "
        "it), included in cost.hosted_horizon_usd; 0 without a split.",
        "USD",
    ),
    "cost.hosted_current_horizon_usd": _n(
        (*STAY, *HORIZON),
        "What staying on the current model (its successor from its shutdown on) costs over "
        "the horizon, its one-offs included: cost.hosted_horizon_usd unless staying hosted "
        "moves now.",
        "USD",
    ),
    "cost.frontier_split_percent": _n(
        (),
        "The frontier share (usage.frontier_share) from which it is real: kept on a frontier "
        "model in every option that keeps it, and moving everything to open weights left out "
        "(assumption frontier_share_split_percent); below it, it rides along.",
        "%",
    ),
    "cost.hosted_frontier_share_percent": _n(
        STAY,
        "The share of the tokens that staying hosted bills on a frontier model in month 1 "
        "(usage.frontier_share, when it is at least cost.frontier_split_percent and the month-1 "
        "model is rated below cost.hosted_frontier_model; else 0: the month-1 model serves it). "
        "Unanswered, the share is 0.",
        "%",
    ),
    "cost.hosted_frontier_model": FactSpec(
        "str",
        STAY,
        "The hosted model that serves the frontier share in month 1 of staying hosted: the "
        "hybrid's frontier model when the month-1 model is rated below it, else the month-1 "
        "model.",
    ),
    "cost.hosted_frontier_monthly_usd": _n(
        STAY,
        "Month 1 of the frontier share's bill on cost.hosted_frontier_model, included in "
        "cost.hosted_monthly_usd (0 when the month-1 model serves it).",
        "USD",
    ),
    "cost.hosted_shut_down": FactSpec(
        "bool", HOSTED, "The current model was shut down before the evaluation date."
    ),
    "cost.hosted_shutdown_within_horizon": FactSpec(
        "bool",
        (*HOSTED, *HORIZON),
        "The current model shuts down within the horizon (after the evaluation date).",
    ),
    "cost.hosted_switch_month": _n(
        (*HOSTED, *HORIZON), "The month (1 = first) from which the successor is billed.", "month"
    ),
    "cost.hosted_successor": FactSpec(
        "str", HOSTED, "The successor the vendor names for the current model, if any."
    ),
    "cost.hosted_shutdown_date": FactSpec(
        "str", HOSTED, "The current model's shutdown date (YYYY-MM-DD), if announced."
    ),
    "cost.switch_hosted_model": FactSpec(
        "str",
        HOSTED,
        "The cheapest hosted model over the horizon of the current model's tier or higher and "
        "at least the needed capability.",
    ),
    "cost.switch_hosted_monthly_usd": _n(
        HOSTED, "Month 1 of the bill on cost.switch_hosted_model.", "USD"
    ),
    "cost.switch_hosted_horizon_usd": _n(
        (*STAY, *HORIZON),
        "The horizon's bill on cost.switch_hosted_model, with the one-offs of changing model.",
        "USD",
    ),
    "cost.switch_hosted_to_hosted_ratio": _n(
        (*STAY, *HORIZON),
        "Horizon cost of switching hosted model / of staying hosted as priced "
        "(cost.hosted_horizon_usd).",
        "ratio",
    ),
    # --- managed open weights (see advisor.catalog.managed) ---
    "cost.managed_open_available": FactSpec(
        "bool",
        MANAGED,
        "A managed endpoint serves an eligible open model that meets the need in an allowed "
        "region.",
    ),
    "cost.managed_open_monthly_usd": _n(
        MANAGED, "Monthly cost of the cheapest allowed managed open-weight endpoint.", "USD"
    ),
    "cost.managed_open_horizon_usd": _n(
        (*MANAGED, *HORIZON, "ops.engineer_annual_cost_usd"),
        "The managed endpoint's cost over the horizon, with the one-off migration.",
        "USD",
    ),
    "cost.managed_open_migration_usd": _n(
        ("ops.engineer_annual_cost_usd",),
        "One-off cost of moving the workload to the open model on a managed API (prompt "
        "adaptation, evaluation, integration).",
        "USD",
    ),
    "cost.managed_open_to_hosted_ratio": _n(
        (*MANAGED, *STAY), "Managed open cost / hosted cost (month 1).", "ratio"
    ),
    "cost.managed_open_model": FactSpec("str", MANAGED, "The open model of that endpoint."),
    "cost.managed_open_endpoint": FactSpec("str", MANAGED, "The endpoint's catalog id."),
    "cost.hosted_usd_per_1m_tokens": _n(
        STAY, "Hosted cost per 1M tokens of this workload's input/output mix.", "USD"
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
    "cost.self_host_available": FactSpec(
        "bool",
        SELF,
        "A deployment in the catalog can serve these answers (an eligible open model whose "
        "context holds the longest prompt plus answer, on a GPU that holds it), so "
        "self-hosting is costed.",
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
    "cost.breakeven_month": _n(
        VERSUS,
        "The first month of the horizon in which the cumulative self-hosted cost is no more "
        "than the cumulative hosted cost along the volume path; absent when none is.",
        "month",
    ),
    "cost.growth_factor": _n(
        ("usage.volume_growth",),
        "Volume at the horizon's end over today's (usage.volume_growth).",
        "ratio",
    ),
    "cost.oncall_rota_size": _n(
        ("ops.oncall_24x7",),
        "People a sustainable 24x7 on-call rota needs (assumption ops_oncall_rota_size).",
        "people",
    ),
    "cost.oncall_fte": _n(
        ("ops.oncall_24x7",),
        "Engineers (FTE) a 24x7 on-call rota costs (rota size x share of each).",
        "FTE",
    ),
    "cost.gpus_total_at_horizon": _n(
        SELF, "GPUs of the chosen deployment in the last month of the volume path.", "GPUs"
    ),
    "cost.frontier_model": FactSpec(
        "str", HYBRID, "The hosted model that serves the hybrid's frontier share."
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
    "cost.hybrid_open_via": FactSpec(
        "str",
        HYBRID,
        "How the hybrid's open share runs: self_host or managed_open, whichever is cheaper "
        "and allowed.",
        options=("self_host", "managed_open"),
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
    "models.aup_blocked": FactSpec(
        "bool",
        ("org.intended_use",),
        "An acceptable-use policy (Llama's) prohibits the intended use for at least one model.",
    ),
    "models.origin_blocked_count": _n(
        ("licensing.excluded_origins",), "Models barred by the excluded origins.", "models"
    ),
}
"""The computed facts. ``str``/``list`` facts naming models or GPUs carry no ``options`` here,
because a layer may add models; :func:`fact_specs` fills them in for a given catalog."""

_MODEL_FACTS = (
    "cost.self_host_model",
    "cost.managed_open_model",
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
    hosted = tuple(h.id for h in catalog.hosted_models)
    for name in ("cost.hosted_successor", "cost.switch_hosted_model", "cost.hosted_month1_model"):
        out[name] = replace(out[name], options=hosted)
    out["cost.managed_open_endpoint"] = replace(
        out["cost.managed_open_endpoint"], options=tuple(e.id for e in catalog.managed_endpoints)
    )
    out["cost.self_host_gpu"] = replace(
        out["cost.self_host_gpu"], options=tuple(g.id for g in catalog.gpus)
    )
    return out


NEEDS: dict[str, frozenset[str]] = {k: frozenset(v.needs) for k, v in FACT_SPECS.items()}
ALL_INPUTS: frozenset[str] = frozenset().union(*NEEDS.values())
