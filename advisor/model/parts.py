"""The typed parts of a Decision: options, costs, models, audit.

Why TypedDict and not dataclasses or pydantic: these parts *are* the JSON contract
(``Decision.to_dict()``), built once per evaluation on the hot path (an evaluation costs
microseconds; see benchmarks/). A TypedDict is a plain dict at run time, so building and
serialising costs nothing extra, while mypy checks every read in the TUI, the reports and
the CLI against the one definition here. The pydantic mirror in
:mod:`advisor.model.decision_json` validates documents and prints the JSON Schema.

Keys marked ``NotRequired`` are absent in some decisions (for instance the hybrid's
deployment when all traffic needs the frontier); ``None`` values mean "not computable with
these answers" and are documented where they occur.
"""

from __future__ import annotations

from typing import Literal, NotRequired, get_args

# typing_extensions (a pydantic dependency): pydantic builds the JSON Schema from these on
# Python 3.11, which needs its TypedDict rather than typing's.
from typing_extensions import TypedDict

Option = Literal["stay_hosted", "managed_open", "hybrid", "self_host"]
"""The options a decision weighs, in the documented tie-break order."""

OPTIONS: tuple[Option, ...] = get_args(Option)
"""The options in tie-break order: on equal scores the earlier one wins, because it asks the
organisation to change less. ``managed_open`` comes before ``hybrid``: it swaps one API for
another (no GPUs, no routing between two kinds of model, no serving team), while the hybrid
adds a router and an open-weight deployment beside the hosted API."""

SCHEMA_VERSION = 4
"""Version of the decision's JSON contract (docs/engine.md has each version's changes). 4:
``costs.stay_hosted`` is priced on the cheaper of staying on the current model and moving now
(``path``), with the one-offs of changing model; the ``costs.hosted`` alias is gone."""

Basis = Literal["viable", "not_eligible", "below_need"]
ThroughputBasis = Literal["measured", "interpolated", "estimated"]


class Assumption(TypedDict):
    id: str
    value: float
    unit: str
    as_of: str
    source: str


class Workload(TypedDict):
    monthly_input_tokens: float
    monthly_output_tokens: float
    input_output_ratio: float
    shape: str
    traffic_pattern: str
    active_hours_per_month: float
    peak_factor: float
    peak_output_tokens_per_s: float
    derating: float
    derating_basis: str
    target_utilisation: float
    min_replicas: int


class Modifier(TypedDict):
    """One step of the hosted bill (see advisor.catalog.hosted): its share or rate in percent
    and its effect on month 1's bill in USD (negative: a saving)."""

    name: str
    percent: float
    monthly_usd: float
    note: str


class HostedMonth(TypedDict):
    month: str  # YYYY-MM
    model: str  # the model serving that month (the successor after a shutdown)
    usd: float


class SwitchHosted(TypedDict):
    """The "switch hosted model" row: the cheapest hosted model of the current model's tier or
    higher over the horizon."""

    model: str
    name: str
    provider: str
    tier: str
    monthly_usd: float
    # the bills over the horizon plus the one-offs of changing model (None: they need the
    # unanswered engineer cost)
    horizon_usd: float | None
    input_usd_per_1m: float
    output_usd_per_1m: float
    switch_month: int | None
    successor: str | None
    as_of: str
    source: str
    # the frontier share kept on a frontier model, as for staying hosted (None: not split)
    frontier_model: NotRequired[str | None]
    frontier_share_percent: NotRequired[float | None]
    change_usd: NotRequired[float | None]  # the one-offs of changing model in horizon_usd
    routing_usd: NotRequired[float | None]  # the router of a frontier split, in horizon_usd


HostedPath = Literal["current", "move"]
"""How staying hosted is priced: on the current model (and its successor from its shutdown on),
or moving now to the same provider's cheapest model of the tier (advisor.catalog.hosted)."""


class HostedCost(TypedDict):
    """``costs.stay_hosted``. ``model``, ``month1_model``, ``months``, ``monthly_usd`` and
    ``horizon_usd`` describe the plan priced (``path``); ``current_model``, ``successor``,
    ``shutdown``, ``shut_down`` and ``switch_month`` the current model's lifecycle."""

    model: str
    input_usd_per_1m: float
    output_usd_per_1m: float
    monthly_usd: float
    horizon_usd: float | None
    as_of: str
    source: str
    current_model: NotRequired[str]
    tier: NotRequired[str]
    provider: NotRequired[str]
    start_date: NotRequired[str]  # the evaluation date (the hosted prices' newest as_of)
    month1_model: NotRequired[str]  # the model billed in month 1 (successor if shut down)
    successor: NotRequired[str | None]
    shutdown: NotRequired[str | None]
    shut_down: NotRequired[bool]
    switch_month: NotRequired[int | None]  # 1-based month the successor takes over
    list_monthly_usd: NotRequired[float]  # month 1 at list prices, before the modifiers
    modifiers: NotRequired[list[Modifier]]
    months: NotRequired[list[HostedMonth]]
    switch_hosted: NotRequired[SwitchHosted | None]
    monthly_path_usd: NotRequired[list[float]]  # month by month over the horizon (growth)
    # the frontier share kept on a frontier model, as in the hybrid, in the months the serving
    # model is rated below it (None: no share, or every month's model is rated as high):
    # monthly_usd = list_monthly_usd + the modifiers + frontier_monthly_usd
    frontier_model: NotRequired[str | None]
    frontier_share_percent: NotRequired[float | None]
    frontier_monthly_usd: NotRequired[float | None]  # month 1's share (None: not split then)
    path: NotRequired[HostedPath]
    changes: NotRequired[int]  # changes of hosted model in the plan priced, over the horizon
    # their one-offs, included in horizon_usd (None: they need the unanswered engineer cost)
    change_usd: NotRequired[float | None]
    change_engineer_months: NotRequired[float]  # per change
    # the router when the plan keeps the frontier share on a frontier model and the rest on
    # another (hybrid_routing_engineer_months, as the hybrid), included in horizon_usd
    routing_usd: NotRequired[float | None]
    current_monthly_usd: NotRequired[float]  # month 1 staying on the current model
    current_horizon_usd: NotRequired[float | None]  # the horizon on it, one-offs included


class ManagedCost(TypedDict):
    """``costs.managed_open``: the whole workload on an open-weight model through a managed API,
    the cheapest allowed endpoint for a model of at least the needed tier."""

    endpoint: str
    provider: str
    provider_kind: str
    model: str
    regions: list[str]
    input_usd_per_1m: float
    output_usd_per_1m: float
    price_currency: str
    monthly_usd: float  # month 1 per-token bill, after the modifiers
    list_monthly_usd: float  # month 1 at list prices, before the modifiers
    horizon_usd: float | None  # the per-token bills along the volume path plus the migration
    modifiers: list[Modifier]
    # the one-off cost of moving to the open model (prompts, evaluation, integration), None
    # when the engineer cost is unanswered; of migration_engineer_months engineer-months
    migration_usd: float | None
    migration_engineer_months: float
    data_terms: str
    data_terms_source: str | None
    as_of: str
    source: str
    candidates: int  # endpoints that qualified


class ThroughputBand(TypedDict):
    """Output tokens/s of a replica: pessimistic, likely, optimistic (equal when measured)."""

    low: float
    likely: float
    high: float


class PathMonth(TypedDict):
    """One month of the self-hosted deployment along the volume path."""

    month: int
    monthly_tokens: float
    replicas: int
    gpus_total: int
    monthly_usd: float


class TierChoice(TypedDict):
    """The capability tier the replacement must reach, the chosen model and the runner-up."""

    needed: str
    needed_basis: str
    model: str
    model_tier: str
    runner_up: str | None
    runner_up_gpu: str | None
    runner_up_monthly_usd: float | None


class CostParts(TypedDict):
    gpu: float
    power_overhead: float
    people: float
    migration: float


class Deployment(TypedDict):
    model: str
    gpu: str
    gpus_per_replica: int
    replicas: int
    gpus_total: int
    utilisation: float
    throughput_source: Literal["measured", "estimated"]
    estimated: bool
    throughput_tokens_per_s: float
    usable_tokens_per_s: float
    throughput_basis: ThroughputBasis
    measured_point: str | None
    measured_points: list[str]
    shape: str
    gpu_source: str
    price_basis: str
    gpu_hourly_usd: float | None
    rent_as_of: str | None
    purchase_usd: float | None
    purchase_as_of: str | None
    engineers_fte: float
    throughput_band: NotRequired[ThroughputBand]
    throughput_error_note: NotRequired[str]


class SelfHostCost(TypedDict):
    monthly_usd: float
    horizon_usd: float
    usd_per_1m_tokens: float | None
    basis: Basis
    basis_note: str
    viable: bool
    breakdown: CostParts
    deployment: Deployment
    tier: NotRequired[TierChoice]
    path: NotRequired[list[PathMonth]]


class HybridCost(TypedDict):
    frontier_share_percent: float
    frontier_model: NotRequired[str]
    monthly_path_usd: NotRequired[list[float]]
    hosted_part_usd: float
    self_hosted_part_usd: float
    open_part_usd: NotRequired[float]
    open_via: NotRequired[Literal["self_host", "managed_open"]]
    managed_endpoint: NotRequired[str]
    monthly_usd: float
    horizon_usd: float
    note: NotRequired[str]
    remainder_need: NotRequired[str]
    basis: NotRequired[Basis]
    viable: NotRequired[bool]
    breakdown: NotRequired[CostParts]
    deployment: NotRequired[Deployment]


class Breakeven(TypedDict):
    reachable: bool
    current_monthly_tokens: float
    monthly_tokens: NotRequired[int]
    monthly_output_tokens: NotRequired[int]
    multiple_of_current: NotRequired[float | None]
    model: NotRequired[str]
    gpu: NotRequired[str]
    gpus_per_replica: NotRequired[int]
    estimated: NotRequired[bool]
    month: NotRequired[int | None]  # first month whose cumulative self-hosted cost <= hosted
    growth_factor: NotRequired[float]
    # the share of requests needing the frontier that self-hosting everything would serve
    # below that need (0 when the share is below cost.frontier_split_percent): the API keeps
    # it on a frontier model, so the break-even then compares unlike service
    frontier_share_percent: NotRequired[float]


class Ratios(TypedDict, total=False):
    self_host_to_hosted: float | None
    hybrid_to_hosted: float | None
    managed_open_to_hosted: float | None


class ExchangeRate(TypedDict):
    """The rate the report's second currency uses: 1 ``code`` = ``usd_per_unit`` USD."""

    code: str
    usd_per_unit: float
    fixing_date: str
    as_of: str
    source: str


class Costs(TypedDict):
    """``decision.costs``: what each option costs, and what the figures rest on.

    The per-option entries are keyed by the option's own name (:data:`Option`); an entry is
    ``None`` when the answers do not allow computing it yet (``pending`` says which)."""

    currency: str
    pending: list[str]
    workload: Workload | None
    stay_hosted: HostedCost | None
    self_host: SelfHostCost | None
    hybrid: HybridCost | None
    managed_open: NotRequired[ManagedCost | None]
    report_currency: NotRequired[str]
    exchange_rate: NotRequired[ExchangeRate | None]
    breakeven: Breakeven | None
    ratios: Ratios | None
    horizon_months: float | None
    estimated: bool
    notes: list[str]
    assumptions: list[Assumption]


class DeploymentSummary(TypedDict):
    gpu: str
    gpus_per_replica: int
    throughput_source: Literal["measured", "estimated"]


class ModelEntry(TypedDict):
    """One open model of the catalog, with its eligibility for these answers."""

    id: str
    name: str
    license: str
    license_name: str
    origin: str
    origin_name: str
    quality_tier: str
    reasoning: bool
    modalities: list[str]
    eligible: bool
    provisional: bool
    pending: list[str]
    reasons: list[str]
    obligations: list[str]
    meets_need: bool | None
    fit_reasons: list[str]
    viable: bool
    estimated_monthly_usd: float | None
    estimated: bool
    deployment: DeploymentSummary | None


class Audit(TypedDict):
    advisor_version: str
    rules_digest: str
    catalog_as_of: str


class Tie(TypedDict):
    """Open options that share the best score, and the rule that picked among them."""

    options: list[Option]
    broken_by: str


# the order of OPTIONS, which asks the organisation to change less first (the engine's ranking
# keeps it among equal scores)
TIE_BREAK = "the option that changes least, in the order " + ", then ".join(OPTIONS)


# --- robustness (advisor.scenarios.robust.assess; docs/engine.md, "Confidence") -------------

ConfidenceBasis = Literal["margin", "probability"]
"""What ``decision.confidence`` is: ``margin`` (a point evaluation: completeness x score margin,
not a probability) or ``probability`` (the share of Monte Carlo samples that recommend the
option; ``probabilities`` says over how many)."""


class Band(TypedDict):
    """An input's range: a stated answer range or a catalog assumption's factor band."""

    low: float
    likely: float
    high: float


class Probabilities(TypedDict):
    """The Monte Carlo behind a probability: how many samples, the seed, what was drawn."""

    samples: int
    seed: int
    distribution: str  # "PERT": beta with shape 4 between low and high around likely
    agree: int  # samples whose recommendation is the decision's
    unanimous: bool  # every sample agrees: the only case shown as "all N samples agree"
    options: dict[Option, float]  # share of samples recommending each option
    inputs: dict[str, Band]  # answer id or catalog.* assumption -> its band


class Percentiles(TypedDict):
    """P10 / P50 / P90 of an option's horizon cost over the samples (USD)."""

    p10: float
    p50: float
    p90: float


class FlipPoint(TypedDict):
    """A value of one input at which the recommendation changes, the rest kept."""

    fact: str  # question id, or catalog.hosted_price / managed_price / gpu_price / throughput
    current: float | str | bool
    flips_at: float | str | bool
    to: Option | None  # None: every option vetoed there
    direction: Literal["up", "down", "choice"]
    closeness: float  # |log10(flips_at / current)| for numbers; steps/span; 1 for a choice


class TornadoBar(TypedDict):
    fact: str
    low: float
    high: float
    ratio_low: float  # horizon-cost ratio of the two leading options at the band's low end
    ratio_high: float


class Tornado(TypedDict):
    """How each input's band moves the horizon-cost ratio numerator / denominator."""

    numerator: Option
    denominator: Option
    ratio: float
    bars: list[TornadoBar]


class Note(TypedDict):
    """A risk or an action raised by a rule."""

    rule: str
    text: str


class Effects(TypedDict, total=False):
    """What a fired rule did: points per option, vetoes, excluded models, report notes."""

    score: dict[Option, float]
    veto: list[Option]
    exclude_models: list[str]
    risk: str
    action: str
