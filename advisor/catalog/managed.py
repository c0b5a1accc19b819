"""``managed_open``: the workload on an open-weight model through a managed API.

An endpoint (``managed_endpoints`` in the catalog) serves one open model; it qualifies when

- its model is eligible (licence and policy, as for self-hosting: see
  :mod:`advisor.catalog.licensing`) and meets the capability need (tier and images);
- it runs where the data may go: with ``data.residency`` eu only endpoints with an ``eu`` region
  qualify; with in_country or on_prem none does (no endpoint is pinned to a country); without a
  residency requirement any region does.

The cheapest qualifying endpoint for the month's tokens is chosen (catalog order on a tie). Its
bill applies the prompt cache and the Batch API like the hosted bill (:func:`advisor.catalog
.hosted.bill`: steps 1-3); the negotiated discount is for the current hosted provider and the
regional uplift is already in an EU endpoint's price, so neither applies. Endpoints carry no
lifecycle in the catalog, so every month of the horizon costs the same. No GPU operations and no
serving team are costed: that is the point of the option; the effort of moving prompts to an
open model is the same as for self-hosting and is weighed by the rules, not priced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.catalog.hosted import BillTerms
from advisor.catalog.schema import ManagedEndpoint
from advisor.model.parts import ManagedCost, Modifier

RESIDENCY = "data.residency"


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


def endpoint_bill(
    e: ManagedEndpoint, inp: float, out: float, t: BillTerms
) -> tuple[float, float, tuple[Modifier, ...]]:
    """(total, list, modifiers) of one month on endpoint ``e``: cache and batch as for hosted."""
    scale = t.price_scale
    list_usd = (inp * e.input_usd_per_1m + out * e.output_usd_per_1m) * scale / 1e6
    mods: list[Modifier] = []
    running = list_usd
    if t.cache_share > 0:
        cached = e.cached_input_usd_per_1m
        effect = (
            0.0
            if cached is None
            else -inp * t.cache_share * (e.input_usd_per_1m - cached) * scale / 1e6
        )
        mods.append(
            {
                "name": "prompt cache",
                "percent": round(t.cache_share * 100.0, 4),
                "monthly_usd": effect,
                "note": "cached input price "
                + (f"{cached:g} USD/1M" if cached is not None else "not offered: no effect"),
            }
        )
        running += effect
    if t.batch_share > 0:
        pct = e.batch_discount_pct
        effect = 0.0 if pct is None else -running * t.batch_share * pct / 100.0
        mods.append(
            {
                "name": "batch API",
                "percent": round(t.batch_share * 100.0, 4),
                "monthly_usd": effect,
                "note": f"{pct:g} % off" if pct is not None else "no batch discount published",
            }
        )
        running += effect
    return running, list_usd, tuple(mods)


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


def managed_json(c: Choice, horizon: float | None) -> ManagedCost:
    e = c.endpoint
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
        "horizon_usd": round(c.monthly_usd * horizon, 2) if horizon is not None else None,
        "modifiers": [{**m, "monthly_usd": round(m["monthly_usd"], 2)} for m in c.modifiers],
        "data_terms": e.data_terms,
        "data_terms_source": e.data_terms_source,
        "as_of": e.as_of.isoformat(),
        "source": e.source,
        "candidates": c.candidates,
    }


def residency_of(values: Mapping[str, Any]) -> str | None:
    r = values.get(RESIDENCY)
    return str(r) if r is not None else None
