"""Pydantic models of the catalog: hosted prices, open models, licences, GPUs, throughput,
modelling assumptions. Every entry is dated (``as_of``) and sourced (``source``).

A catalog file is a mapping of sections to lists of entries with an ``id``; layers merge by
(section, id), so one figure can be overridden with a two-line entry. :class:`CatalogFile` is the
schema of one file (no cross-checks); :class:`Catalog` is the merged whole, cross-checked.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]

Tier = Literal["simple", "general", "reasoning", "frontier"]
Region = Literal["us", "cn", "eu", "uk", "other"]
Modality = Literal["text", "image", "audio", "video"]

TIER_LEVEL: dict[str, int] = {"simple": 1, "general": 2, "reasoning": 3, "frontier": 4}
"""Quality tiers in order; a model meets a capability need when its level is at least the
need's level (the questionnaire's ``usage.capability_need`` uses the same four names)."""

SECTIONS = (
    "hosted_models",
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

    def dates(self) -> tuple[_dt.date, ...]:
        """Every date this entry carries (some entries date their prices separately)."""
        return (self.as_of,)


class HostedModel(Entry):
    """A hosted API model and its list prices in USD per 1M tokens."""

    name: Text
    provider: Text
    litellm_key: Text
    input_usd_per_1m: NonNegative
    output_usd_per_1m: NonNegative
    cached_input_usd_per_1m: NonNegative | None = None
    context_tokens: Annotated[int, Field(gt=0)] | None = None
    reasoning: bool = False
    # capability class (sourced); absent: the cost model falls back to usage.capability_need
    tier: Tier | None = None
    tier_source: str | None = None


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
    derivative_naming_prefix: str | None = None
    derivative_naming_clause: str | None = None
    eu_multimodal_restriction: bool = False
    eu_multimodal_clause: str | None = None
    redistribution_conditions: tuple[str, ...] = ()
    redistribution_clause: str | None = None
    hosted_service_is_distribution: bool = False
    acceptable_use_policy: str | None = None
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


class Assumption(Entry):
    """A modelling constant (not a fact): a value with its unit and the reasoning behind it."""

    value: float
    unit: Text


class CatalogFile(BaseModel):
    """The schema of one catalog file: any subset of the sections."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hosted_models: tuple[HostedModel, ...] = ()
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
        have = {a.id for a in self.assumptions}
        missing = [a for a in REQUIRED if a not in have]
        if missing:
            problems.append(
                "assumptions lacks " + ", ".join(missing) + "; the cost model reads them"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self
