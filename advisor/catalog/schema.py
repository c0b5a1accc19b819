"""Pydantic models of the catalog: hosted prices, open models, licences, GPUs, throughput,
modelling assumptions. Every entry is dated (``as_of``) and sourced (``source``).

A catalog file is a mapping of sections to lists of entries with an ``id``; layers merge by
(section, id), so one figure can be overridden with a two-line entry. :class:`CatalogFile` is the
schema of one file (no cross-checks); :class:`Catalog` is the merged whole, cross-checked.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
FIGURE_MAX = 1e15
"""No catalog figure (a price, a size, a rate) comes near this; beyond it is a typo."""
Positive = Annotated[float, Field(gt=0, le=FIGURE_MAX, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, le=FIGURE_MAX, allow_inf_nan=False)]

Tier = Literal["simple", "general", "reasoning", "frontier"]
Region = Literal["us", "cn", "eu", "uk", "other"]
ServingRegion = Literal["us", "eu", "cn", "ca", "uk", "global"]
"""Where a managed endpoint runs inference; ``global``: the provider may route anywhere."""
Verified = bool | Literal["partial"]
Modality = Literal["text", "image", "audio", "video"]

TIER_LEVEL: dict[str, int] = {"simple": 1, "general": 2, "reasoning": 3, "frontier": 4}
"""Quality tiers in order; a model meets a capability need when its level is at least the
need's level (the questionnaire's ``usage.capability_need`` uses the same four names)."""

SECTIONS = (
    "hosted_models",
    "managed_endpoints",
    "exchange_rates",
    "open_models",
    "licenses",
    "gpus",
    "throughput",
    "engine_support",
    "assumptions",
)


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    as_of: _dt.date
    source: Text
    note: str | None = None
    # true: read on the vendor's own page; partial: some fields secondary; false: secondary only
    verified: Verified | None = None

    def dates(self) -> tuple[_dt.date, ...]:
        """Every date this entry carries (some entries date their prices separately)."""
        return (self.as_of,)


class HostedModel(Entry):
    """A hosted API model: its capability tier, lifecycle and prices in USD per 1M tokens.

    Lifecycle: ``shutdown`` is the date the vendor stops serving the model; from that month on
    the cost model prices the traffic at ``replaced_by`` (the successor the vendor names).
    Price modifiers: ``batch_discount_pct`` (Batch API), ``cached_input_usd_per_1m`` (prompt
    cache), ``regional_uplift_pct`` (regional processing / data-zone surcharge, None: no regional
    option offered) and the long-context tier (kept as data; the questionnaire does not ask for
    the share of long requests, so the cost model does not apply it)."""

    name: Text
    provider: Text
    tier: Tier
    tier_source: Text | None = None
    litellm_key: Text | None = None
    released: _dt.date | None = None
    deprecated: _dt.date | None = None
    shutdown: _dt.date | None = None
    replaced_by: Slug | None = None
    lifecycle_source: Text | None = None
    input_usd_per_1m: NonNegative
    output_usd_per_1m: NonNegative
    cached_input_usd_per_1m: NonNegative | None = None
    batch_discount_pct: Annotated[float, Field(ge=0, le=100)] | None = None
    long_context_threshold_tokens: Annotated[int, Field(gt=0)] | None = None
    long_context_input_multiplier: Positive | None = None
    long_context_output_multiplier: Positive | None = None
    regional_uplift_pct: Annotated[float, Field(ge=0, le=1000)] | None = None
    context_tokens: Annotated[int, Field(gt=0)] | None = None
    modalities: tuple[Modality, ...] = ("text",)
    reasoning: bool = False

    @model_validator(mode="after")
    def _lifecycle_in_order(self) -> HostedModel:
        if self.shutdown is not None and self.replaced_by is None:
            raise ValueError(
                f"shutdown is {self.shutdown.isoformat()} but replaced_by is missing; name the "
                "successor the vendor gives, so the traffic can be priced after the shutdown"
            )
        if self.replaced_by == self.id:
            raise ValueError("replaced_by names the model itself; name its successor")
        return self


class ManagedEndpoint(Entry):
    """An open-weight model served as a managed (per-token) API: the model vendor's own API, a
    cloud model garden, an inference provider or an EU provider. Prices in USD per 1M tokens
    (EUR-quoted prices converted at the catalog's exchange rate, the EUR figures kept)."""

    provider: Text
    provider_kind: Literal["model_vendor", "cloud_garden", "inference_provider", "eu_provider"]
    model: Slug
    provider_model_id: Text
    input_usd_per_1m: NonNegative
    output_usd_per_1m: NonNegative
    cached_input_usd_per_1m: NonNegative | None = None
    input_eur_per_1m: NonNegative | None = None
    output_eur_per_1m: NonNegative | None = None
    price_currency: Literal["USD", "EUR"] = "USD"
    batch_discount_pct: Annotated[float, Field(ge=0, le=100)] | None = None
    regions: tuple[ServingRegion, ...] = Field(min_length=1)
    data_terms: Text
    data_terms_source: Text | None = None  # None: the provider's data terms were not found

    # The bill (advisor.catalog.hosted.modified_bill) reads these of every offer: no endpoint
    # publishes a long-context tier, and an EU endpoint's price already is the region's.
    @property
    def regional_uplift_pct(self) -> float | None:
        return None

    @property
    def long_context_threshold_tokens(self) -> int | None:
        return None

    @property
    def long_context_input_multiplier(self) -> float | None:
        return None

    @property
    def long_context_output_multiplier(self) -> float | None:
        return None


class ExchangeRate(Entry):
    """A dated exchange rate: ``rate`` units of ``quote`` per 1 ``base`` (EUR/USD 1.17: one euro
    is 1.17 dollars), fixed on ``fixing_date``."""

    base: Literal["EUR", "USD"]
    quote: Literal["EUR", "USD"]
    rate: Positive
    fixing_date: _dt.date
    refresh_from: Text | None = None


class OpenModel(Entry):
    """An open-weight model: size, serving precision, capability, origin and licence."""

    name: Text
    family: Text
    params_total_b: Positive
    params_active_b: Positive
    context_tokens: Annotated[int, Field(gt=0)]
    modalities: tuple[Modality, ...] = ("text",)
    reasoning: bool = False
    quality_tier: Tier
    quality_source: Text
    origin: Region
    license: Slug
    serving_precision: Literal["bf16", "fp8", "int4", "mxfp4"]
    weight_bytes_per_param: Positive
    kv_kib_per_token: Positive
    kv_source: Text

    @model_validator(mode="after")
    def _active_within_total(self) -> OpenModel:
        if self.params_active_b > self.params_total_b:
            raise ValueError(
                f"params_active_b ({self.params_active_b:g}) exceeds params_total_b "
                f"({self.params_total_b:g}); active parameters are part of the total"
            )
        return self

    @property
    def multimodal(self) -> bool:
        return any(m != "text" for m in self.modalities)


class License(Entry):
    """A licence's terms as data; the eligibility code reads these fields generically."""

    name: Text
    spdx: str | None = None
    text_location: Text
    commercial_use: bool = True
    commercial_use_clause: str | None = None
    mau_cap: Annotated[int, Field(gt=0)] | None = None
    mau_cap_clause: str | None = None
    mau_cap_effect: str | None = None
    attribution: str | None = None
    attribution_clause: str | None = None
    # redistribution: the attribution binds whoever ships the weights; product_or_service: it
    # binds any product or service that contains the model or makes it available (Llama §1.b.i)
    attribution_scope: Literal["redistribution", "product_or_service"] = "redistribution"
    # a display duty that binds only above a size (Kimi K2's modified MIT): MAU or revenue
    attribution_mau_threshold: Annotated[int, Field(gt=0)] | None = None
    attribution_monthly_revenue_usd_threshold: Positive | None = None
    derivative_naming_prefix: str | None = None
    derivative_naming_clause: str | None = None
    eu_multimodal_restriction: bool = False
    eu_multimodal_clause: str | None = None
    redistribution_conditions: tuple[str, ...] = ()
    redistribution_clause: str | None = None
    hosted_service_is_distribution: bool = False
    acceptable_use_policy: str | None = None
    # fields of use the acceptable-use policy prohibits, as values of org.intended_use
    aup_prohibited_uses: tuple[Slug, ...] = ()
    aup_clause: str | None = None
    licensor_may_restrict_use: bool = False
    licensor_restriction_clause: str | None = None

    @model_validator(mode="after")
    def _clauses_located(self) -> License:
        """Every term that can bar or bind a user must say where its clause is."""
        terms = (
            ("mau_cap", self.mau_cap is not None, "mau_cap_clause"),
            ("attribution", self.attribution is not None, "attribution_clause"),
            (
                "derivative_naming_prefix",
                self.derivative_naming_prefix is not None,
                "derivative_naming_clause",
            ),
            ("eu_multimodal_restriction", self.eu_multimodal_restriction, "eu_multimodal_clause"),
            ("aup_prohibited_uses", bool(self.aup_prohibited_uses), "aup_clause"),
            ("commercial_use: false", not self.commercial_use, "commercial_use_clause"),
            (
                "licensor_may_restrict_use",
                self.licensor_may_restrict_use,
                "licensor_restriction_clause",
            ),
        )
        for name, applies, clause in terms:
            if applies and not getattr(self, clause):
                raise ValueError(f"{name} is set, so give {clause}: where the clause is")
        return self


class Gpu(Entry):
    """A GPU: specifications (``as_of``/``source``), rental and purchase prices (dated apart)."""

    name: Text
    memory_gb: Positive
    bandwidth_tb_s: Positive
    bf16_tflops: Positive
    fp8_tflops: Positive | None = None
    tdp_w: Positive
    rent_usd_per_hour: Positive
    rent_usd_per_hour_low: Positive | None = None
    rent_usd_per_hour_high: Positive | None = None
    rent_as_of: _dt.date
    rent_source: Text
    purchase_usd: Positive
    purchase_as_of: _dt.date
    purchase_source: Text
    # how the GPUs of one host talk: tensor parallelism over PCIe is capped and penalised
    interconnect: Literal["nvlink", "pcie"] = "nvlink"
    interconnect_gb_s: Positive | None = None
    interconnect_source: str | None = None
    # GPUs in one host: a replica never spans hosts (multi-node serving is not modelled)
    gpus_per_node: Annotated[int, Field(ge=1, le=64)] = 8

    def dates(self) -> tuple[_dt.date, ...]:
        return (self.as_of, self.rent_as_of, self.purchase_as_of)


class Throughput(Entry):
    """One measured point: total output tokens/s of a replica of ``gpus`` GPUs at one shape."""

    model: Slug
    gpu: Slug
    gpus: Annotated[int, Field(ge=1, le=64)]
    precision: Text
    input_tokens: Annotated[int, Field(gt=0)]
    output_tokens: Annotated[int, Field(gt=0)]
    output_tokens_per_s: Positive
    concurrency: Annotated[int, Field(gt=0)] | None = None
    engine: str | None = None
    engine_version: str | None = None
    parallelism: str | None = None
    total_tokens_per_s: Positive | None = None
    dataset: str | None = None


class EngineSupport(Entry):
    """Whether a serving engine runs a weight precision on some GPUs: a GPU is offered for a
    model only where some engine supports the model's precision on it (``supported: true``),
    or where the catalog says nothing about that pair."""

    engine: Slug
    precision: Slug
    gpus: tuple[Slug, ...]
    supported: Literal["true", "false", "partial"]


_SMALLEST = 1e-9  # "more than zero" for a figure the cost model divides by or takes the log of
_FRACTION = (0.0, 1.0, "a fraction")
_SHARE = (_SMALLEST, 1.0, "a fraction above zero: the cost model divides by it")
_COUNT = (1.0, 1e6, "at least one")
_AMOUNT = (0.0, FIGURE_MAX, "zero or more")
_DIVISOR = (_SMALLEST, FIGURE_MAX, "above zero: the cost model divides by it")
_EXPONENT = (-10.0, 10.0, "an exponent")
ASSUMPTION_RANGES: dict[str, tuple[float, float, str]] = {
    "memory_overhead_fraction": (0.0, 10.0, "a fraction of weight memory"),
    "kv_cache_tokens_per_replica": _DIVISOR,
    "max_gpus_per_replica": (1.0, 1024.0, "at least one GPU"),
    "request_output_tokens": _DIVISOR,
    "measured_shape_tolerance": (1.0, 1e6, "a factor of at least 1 (1: exact shapes only)"),
    "roofline_kv_exponent": _EXPONENT,
    "roofline_moe_compute_exponent": _EXPONENT,
    "roofline_compute_efficiency": _SHARE,
    "derating_default": _SHARE,
    "derating_strict": _SHARE,
    "derating_relaxed": _SHARE,
    "latency_strict_ms": _AMOUNT,
    "latency_relaxed_ms": _AMOUNT,
    "target_utilisation": _SHARE,
    "min_replicas": _COUNT,
    "min_replicas_24x7": _COUNT,
    "cloud_overhead_fraction": _AMOUNT,
    # At least one month: capital is spread over amortisation_years x 12 months.
    "amortisation_years": (1.0 / 12.0, 100.0, "at least one month (1/12 year)"),
    "on_prem_capex_overhead_fraction": _AMOUNT,
    "on_prem_facility_fraction_per_year": _AMOUNT,
    "power_usd_per_kwh": _AMOUNT,
    "pue": (1.0, 10.0, "a power usage effectiveness of 1 or more"),
    "power_draw_fraction": _FRACTION,
    "hybrid_remainder_max_level": (1.0, 4.0, "a quality tier level from 1 to 4"),
}
"""Allowed values of the assumptions the cost model reads; an id not listed here takes any
finite figure of at most 1e15, or above zero when its name says it divides (see below)."""


def assumption_range(aid: str) -> tuple[float, float, str]:
    """(low, high, why) for an assumption id."""
    if aid in ASSUMPTION_RANGES:
        return ASSUMPTION_RANGES[aid]
    if aid.startswith("roofline_k_"):
        return _DIVISOR
    if aid.startswith("pattern_") and aid.endswith("_active_hours"):
        return (1.0, 744.0, "hours in a month, 1 to 744")
    if aid.startswith("pattern_") and aid.endswith("_peak_factor"):
        return (1.0, 1e6, "a peak over average of at least 1")
    if aid.startswith(("ops_fte_", "migration_", "hybrid_routing_")):
        return _AMOUNT
    return (-FIGURE_MAX, FIGURE_MAX, "a finite figure")


class Assumption(Entry):
    """A modelling constant (not a fact): a value with its unit and the reasoning behind it."""

    value: Annotated[float, Field(allow_inf_nan=False, ge=-FIGURE_MAX, le=FIGURE_MAX)]
    unit: Text

    @field_validator("value")
    @classmethod
    def _in_range(cls, value: float, info: ValidationInfo) -> float:
        low, high, why = assumption_range(str(info.data.get("id", "")))
        if not low <= value <= high:
            raise ValueError(f"{info.data.get('id')} must be from {low:g} to {high:g} ({why})")
        return value


class CatalogFile(BaseModel):
    """The schema of one catalog file: any subset of the sections."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hosted_models: tuple[HostedModel, ...] = ()
    managed_endpoints: tuple[ManagedEndpoint, ...] = ()
    exchange_rates: tuple[ExchangeRate, ...] = ()
    open_models: tuple[OpenModel, ...] = ()
    licenses: tuple[License, ...] = ()
    gpus: tuple[Gpu, ...] = ()
    throughput: tuple[Throughput, ...] = ()
    engine_support: tuple[EngineSupport, ...] = ()
    assumptions: tuple[Assumption, ...] = ()


class Catalog(CatalogFile):
    """The merged catalog of all layers, with its cross-references checked."""

    @model_validator(mode="after")
    def _cross_check(self) -> Catalog:
        from advisor.catalog.assumptions import REQUIRED

        problems: list[str] = []
        for section in SECTIONS:
            seen: set[str] = set()
            for entry in getattr(self, section):
                if entry.id in seen:
                    problems.append(f"{section}: the id {entry.id!r} appears twice; keep one")
                seen.add(entry.id)
        licences = {lic.id for lic in self.licenses}
        models = {m.id for m in self.open_models}
        gpus = {g.id for g in self.gpus}
        for m in self.open_models:
            if m.license not in licences:
                problems.append(
                    f"open model {m.id!r} names the licence {m.license!r}, which is not in "
                    f"licenses (known: {', '.join(sorted(licences))})"
                )
        # throughput rows naming a model or GPU the catalog lacks are kept as data and skipped
        # by the cost model (prepare.usable_rows): measurements often arrive before the entry
        _ = models, gpus
        hosted = {h.id: h for h in self.hosted_models}
        for h in self.hosted_models:
            if h.replaced_by is not None and h.replaced_by not in hosted:
                problems.append(
                    f"hosted model {h.id!r} names the successor {h.replaced_by!r}, which is not "
                    "in hosted_models; add it or correct replaced_by"
                )
        for h in self.hosted_models:
            seen_chain = {h.id}
            nxt = h.replaced_by
            while nxt is not None and nxt in hosted:
                if nxt in seen_chain:
                    problems.append(
                        f"hosted model {h.id!r}: the replaced_by chain loops at {nxt!r}"
                    )
                    break
                seen_chain.add(nxt)
                nxt = hosted[nxt].replaced_by
        for e in self.managed_endpoints:
            if e.model not in models:
                problems.append(
                    f"managed endpoint {e.id!r} serves the unknown open model {e.model!r}; add "
                    "it to open_models (the endpoint inherits its tier and licence)"
                )
        have = {a.id for a in self.assumptions}
        missing = [a for a in REQUIRED if a not in have]
        if missing:
            problems.append(
                "assumptions lacks " + ", ".join(missing) + "; the cost model reads them"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self
