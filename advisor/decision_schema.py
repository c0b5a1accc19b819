"""A pydantic mirror of ``Decision.to_dict()``: the JSON contract as a schema.

Only used to print and validate the schema (``advisor schema decision``); the engine builds
plain frozen dataclasses, which are cheaper.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Option = Literal["stay_hosted", "hybrid", "self_host"]


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


class ModelEntry(_Open):
    id: str
    license: str
    eligible: bool
    reasons: list[str]


class AuditModel(_Open):
    advisor_version: str
    rules_digest: str
    catalog_as_of: str


class DecisionModel(_Open):
    """The decision contract: keys may be added in later versions, never renamed."""

    recommendation: Option
    scores: dict[Option, float]
    vetoed: dict[Option, list[str]]
    confidence: float = Field(ge=0, le=1)
    fired: list[FiredModel]
    pending: list[PendingModel]
    costs: dict[str, Any]
    models: list[ModelEntry]
    audit: AuditModel
