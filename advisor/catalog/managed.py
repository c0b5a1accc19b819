"""``managed_open``: the workload on an open-weight model through a managed API.

An endpoint (``managed_endpoints`` in the catalog) serves one open model; it qualifies when

- its model is eligible (licence and policy, as for self-hosting: see
  :mod:`advisor.catalog.licensing`) and meets the capability need (tier and images);
- it runs where the data may go: with ``data.residency`` eu only endpoints with an ``eu`` region
  qualify; with in_country or on_prem none does (no endpoint is pinned to a country); without a
  residency requirement any region does.

The cheapest qualifying endpoint for the month's tokens is chosen (catalog order on a tie). Its
bill is the hosted bill's (:func:`advisor.catalog.hosted.modified_bill`) with the managed terms:
prompt cache, Batch API and the discount negotiated with the endpoint's provider apply; the
regional uplift does not (an EU endpoint's price already is the region's) and no endpoint has a
long-context tier. Endpoints carry no lifecycle in the catalog, so every month of the horizon
costs the same per token. No GPU operations and no serving team are costed: that is the point of
the option.

Moving to an open model is not free, though: prompts must be adapted and evaluated on the new
model and the integration changed. :func:`migration_usd` prices that once, as
``migration_engineer_months_managed`` engineer-months at ``ops.engineer_annual_cost_usd`` / 12;
it is part of the horizon total (``horizon_usd``), not of the monthly bill, and the hybrid's
managed share carries it spread over the horizon like the self-hosted migration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.catalog.hosted import BillTerms, modified_bill, scaled_modifiers
from advisor.catalog.schema import ManagedEndpoint
from advisor.model.parts import ManagedCost, Modifier

RESIDENCY = "data.residency"
ENGINEER_COST = "ops.engineer_annual_cost_usd"
MIGRATION = "migration_engineer_months_managed"


def migration_usd(assumptions: Mapping[str, float], values: Mapping[str, Any]) -> float | None:
    """The one-off cost of moving the workload to an open model on a managed API (module doc);
    None when the engineer cost is unanswered."""
    annual = values.get(ENGINEER_COST)
    if annual is None:
        return None
    return assumptions[MIGRATION] * float(annual) / 12.0


def region_allows(endpoint: ManagedEndpoint, residency: str | None) -> bool:
    """May this endpoint process data under the residency answer (module doc)?"""
    if residency in (None, "none"):
        return True
    if residency == "eu":
        return "eu" in endpoint.regions
    return False


@dataclass(frozen=True, slots=True)
class Choice:
    endpoint: ManagedEndpoint
    monthly_usd: float
    list_usd: float
    modifiers: tuple[Modifier, ...]
    candidates: int

    def scaled(self, factor: float) -> Choice:
        """The same endpoint with every figure of its bill times ``factor`` (a price level)."""
        return Choice(
            self.endpoint,
            self.monthly_usd * factor,
            self.list_usd * factor,
            scaled_modifiers(self.modifiers, factor),
            self.candidates,
        )


def endpoint_bill(
    e: ManagedEndpoint, inp: float, out: float, t: BillTerms
) -> tuple[float, float, tuple[Modifier, ...]]:
    """(total, list, modifiers) of one month on endpoint ``e``: the hosted bill's modifiers
    (:func:`advisor.catalog.hosted.modified_bill`) with the managed terms."""
    return modified_bill(e, inp, out, t)


def choose(
    endpoints: Sequence[ManagedEndpoint],
    allowed_models: Mapping[str, bool],
    residency: str | None,
    inp: float,
    out: float,
    t: BillTerms,
) -> Choice | None:
    """The cheapest endpoint whose model is allowed (eligible and capable) and whose region the
    residency answer allows; None when there is none."""
    best: Choice | None = None
    count = 0
    for e in endpoints:
        if not allowed_models.get(e.model, False) or not region_allows(e, residency):
            continue
        count += 1
        total, list_usd, mods = endpoint_bill(e, inp, out, t)
        if best is None or total < best.monthly_usd - 1e-12:
            best = Choice(e, total, list_usd, mods, 0)
    if best is None:
        return None
    return Choice(best.endpoint, best.monthly_usd, best.list_usd, best.modifiers, count)


def managed_json(
    c: Choice, weight: float | None, migration: float | None = None, months: float = 0.0
) -> ManagedCost:
    """``costs.managed_open``: ``weight`` is the horizon's months weighted by volume (None
    without a horizon), ``migration`` the one-off migration cost (None: not costed) of
    ``months`` engineer-months."""
    e = c.endpoint
    horizon: float | None = None
    if weight is not None:
        horizon = round(c.monthly_usd * weight + (migration or 0.0), 2)
    return {
        "endpoint": e.id,
        "provider": e.provider,
        "provider_kind": e.provider_kind,
        "model": e.model,
        "regions": list(e.regions),
        "input_usd_per_1m": e.input_usd_per_1m,
        "output_usd_per_1m": e.output_usd_per_1m,
        "price_currency": e.price_currency,
        "monthly_usd": round(c.monthly_usd, 2),
        "list_monthly_usd": round(c.list_usd, 2),
        "horizon_usd": horizon,
        "modifiers": [{**m, "monthly_usd": round(m["monthly_usd"], 2)} for m in c.modifiers],
        "migration_usd": round(migration, 2) if migration is not None else None,
        "migration_engineer_months": months,
        "data_terms": e.data_terms,
        "data_terms_source": e.data_terms_source,
        "as_of": e.as_of.isoformat(),
        "source": e.source,
        "candidates": c.candidates,
    }


def residency_of(values: Mapping[str, Any]) -> str | None:
    r = values.get(RESIDENCY)
    return str(r) if r is not None else None
