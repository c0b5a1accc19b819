"""A pydantic mirror of ``Decision.to_dict()``: the JSON contract as a schema.

Only used to print and validate the schema (``advisor schema decision``); the engine builds
plain frozen dataclasses, which are cheaper. The same schema covers the JSON report
(``advisor report --format json``), which is the decision contract plus a ``report`` object.

Every model allows extra keys: the contract grows by adding keys, never by renaming them, so
a consumer validating with an older schema keeps working. Keys added after the first version
have defaults, so older documents stay valid too.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.model.parts import (
    SCHEMA_VERSION,
    ConfidenceBasis,
    Costs,
    FlipPoint,
    ModelEntry,
    Option,
    Percentiles,
    Probabilities,
    Tornado,
)


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class FiredModel(_Open):
    id: str
    category: str
    because: str
    source: list[str]
    effects: dict[str, Any]
    weight: float


class PendingModel(_Open):
    id: str
    needs: list[str]


class AuditModel(_Open):
    advisor_version: str
    rules_digest: str
    catalog_as_of: str


class NoteModel(_Open):
    """A risk or an action raised by a rule."""

    rule: str
    text: str


# --- the report's fields --------------------------------------------------------------------


class ReasonGroupModel(_Open):
    category: str
    title: str
    weight: float
    rules: list[str] = Field(description="ids of the fired rules of this category")


class ClauseModel(_Open):
    term: str
    where: str = Field(description="where the clause is in the licence text")
    detail: str = ""


class SourceModel(_Open):
    id: str = Field(description="e.g. article:A4, license:llama-4")
    kind: str
    title: str
    text: str | None = Field(default=None, description="the quoted text of the source")
    url: str | None = None
    clauses: list[ClauseModel] = Field(
        default_factory=list, description="for a licence: the clauses it names"
    )


class CurvePointModel(_Open):
    tokens: float = Field(description="input + output tokens a month")
    stay_hosted: float | None = None
    hybrid: float | None = None
    self_host: float | None = None
    deployment: str = ""
    today: bool = False
    breakeven: bool = False


class CostCurveModel(_Open):
    points: list[CurvePointModel]
    today_tokens: float
    breakeven_tokens: float | None = None
    input_share: float | None = None
    method: str = ""


class StepModel(_Open):
    title: str = ""
    text: str
    rule: str = ""


class ReportModel(_Open):
    """What the JSON report adds to the decision (``advisor report --format json``)."""

    format_version: int = Field(ge=1)
    generated_at: str = Field(
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
        description="UTC; fixed by SOURCE_DATE_EPOCH for reproducible reports",
    )
    title: str
    meta: dict[str, str] = Field(default_factory=dict)
    questionnaire_title: str = ""
    recommendation_label: str = ""
    confidence_label: Literal["high", "moderate", "low"]
    summary: str
    reasons_by_category: list[ReasonGroupModel] = Field(default_factory=list)
    sources: list[SourceModel] = Field(default_factory=list)
    cost_curve: CostCurveModel | None = None
    risks: list[NoteModel] = Field(default_factory=list)
    next_steps: list[StepModel] = Field(default_factory=list)
    what_could_change: list[str] = Field(default_factory=list)
    defaults_used: list[str] = Field(default_factory=list)


# --- the contract ---------------------------------------------------------------------------


class TieModel(_Open):
    options: list[Option]
    broken_by: str


class DecisionModel(_Open):
    """The decision contract: keys may be added in later versions, never renamed."""

    schema_version: int = Field(
        default=1, description=f"version of this contract (this advisor writes {SCHEMA_VERSION})"
    )
    recommendation: Option | None = Field(
        description="null when every option is vetoed: nothing is allowed"
    )
    scores: dict[Option, float]
    vetoed: dict[Option, list[str]]
    confidence: float = Field(ge=0, le=1)
    fired: list[FiredModel]
    pending: list[PendingModel]
    costs: Costs
    models: list[ModelEntry]
    audit: AuditModel
    ranking: list[Option] = Field(default_factory=list, description="best first")
    all_vetoed: bool = False
    tie: TieModel | None = Field(
        default=None, description="the best open options tied; broken_by names the tie-break"
    )
    weights: dict[str, float] = Field(default_factory=dict, description="per category")
    not_fired: list[str] = Field(default_factory=list)
    defaults_used: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    risks: list[NoteModel] = Field(default_factory=list)
    actions: list[NoteModel] = Field(default_factory=list)
    answers: dict[str, Any] = Field(default_factory=dict)
    confidence_basis: ConfidenceBasis = Field(
        default="margin",
        description="margin: completeness x score margin of a point evaluation, not a "
        "probability; probability: the share of Monte Carlo samples that agree",
    )
    probabilities: Probabilities | None = Field(
        default=None, description="Monte Carlo (advisor evaluate --samples N --seed S)"
    )
    cost_percentiles: dict[Option, Percentiles] | None = Field(
        default=None, description="P10/P50/P90 of each option's horizon cost over the samples"
    )
    sensitivity: list[FlipPoint] | None = Field(
        default=None, description="flip points: what would change the recommendation, closest first"
    )
    tornado: Tornado | None = Field(
        default=None, description="the horizon-cost ratio of the two leading options per input band"
    )
    report: ReportModel | None = Field(
        default=None, description="present in reports (advisor report --format json)"
    )
