"""Which open models this organisation may use (licence terms, policy) and which fit the work.

Licence terms are data (``licenses`` entries); :func:`terms_of` reads them into
:class:`LicenceTerms` once per catalog and :func:`assess` applies them the same way for every
model. A term bars a model when:

- ``commercial_use`` is false (advisor advises businesses, so it assumes commercial use);
- ``mau_cap`` is set and ``org.monthly_active_users`` exceeds it;
- ``eu_multimodal_restriction`` is true, the model is multimodal and ``org.hq_region`` is eu;
- ``attribution`` or ``derivative_naming_prefix`` is set, the organisation redistributes the
  model or derivatives (``licensing.redistributes_model``) and cannot accept attribution
  (``licensing.attribution_acceptable`` false);
- ``attribution_scope`` is product_or_service (Llama's §1.b.i "Built with Llama": any product
  or service that contains the model or makes it available, not only redistribution) and the
  organisation cannot accept attribution; with an ``attribution_mau_threshold`` (Kimi K2's
  display duty) only when ``org.monthly_active_users`` is above it (below, the duty is reported
  as an obligation that binds above the revenue threshold);
- ``aup_prohibited_uses`` names a field of use listed in ``org.intended_use`` (Llama's
  acceptable-use policy: military, nuclear, espionage, ITAR, critical infrastructure, ...);
- the model's origin is in ``licensing.excluded_origins`` (procurement policy, not licence);
- a rule excluded it (``exclude_models``), with the rule's reason.

Every bar is a sentence naming the licence and the clause's location. Terms that bind without
barring (redistribution conditions, acceptable-use policies, a licensor's right to restrict use)
are reported as obligations. A clause whose answer is missing is listed under ``pending`` and
does not bar the model yet (the result is provisional).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from advisor.catalog.schema import TIER_LEVEL, License, OpenModel

ORIGIN_NAMES = {
    "us": "the United States",
    "cn": "China",
    "eu": "the European Union",
    "uk": "the United Kingdom",
    "other": "elsewhere",
}
LEVEL_NAMES = {level: name for name, level in TIER_LEVEL.items()}

MAU = "org.monthly_active_users"
HQ = "org.hq_region"
REDISTRIBUTES = "licensing.redistributes_model"
ATTRIBUTION_OK = "licensing.attribution_acceptable"
EXCLUDED_ORIGINS = "licensing.excluded_origins"
NEED = "usage.capability_need"
INTENDED_USE = "org.intended_use"
MULTIMODAL = "usage.needs_multimodal"


class Eligibility(NamedTuple):
    """A model's standing under its licence and the organisation's policies (read-only; the
    lists are shared with the JSON of the models list)."""

    eligible: bool
    reasons: list[str]
    obligations: list[str]
    pending: list[str]
    bars: list[str]  # which kinds of term barred it: mau, eu_multimodal, attribution, ...


@dataclass(frozen=True, slots=True)
class LicenceTerms:
    """One model's licence terms turned into the sentences :func:`assess` may report. Built once
    per catalog (``Prepared.terms``); every field comes from the licence entry's data."""

    origin: str
    cap: int | None
    mau_reason: str  # completed with the organisation's MAU
    non_commercial: str | None
    eu_reason: str | None  # set when the licence has the EU clause and the model is multimodal
    attribution_reason: str | None  # set when attribution or naming terms exist
    attribution_obligation: str | None
    redistribution: str | None  # obligation when shipping weights
    always: tuple[str, ...]  # obligations whatever the answers
    origin_reason: str
    any_product: bool = False  # the attribution binds any product or service (not only shipping)
    attribution_mau: int | None = None  # the attribution binds only above this MAU
    below_threshold_obligation: str | None = None
    aup_uses: frozenset[str] = frozenset()
    aup_reason: str = ""  # completed with the uses named
    naming: str | None = None  # naming duty when shipping, if the attribution binds any product


def terms_of(model: OpenModel, lic: License) -> LicenceTerms:
    conditions = "; ".join(lic.redistribution_conditions)
    demands = []
    if lic.attribution:
        demands.append(f'display "{lic.attribution}" ({lic.attribution_clause})')
    if lic.derivative_naming_prefix:
        demands.append(
            f'name a distributed derivative model with the prefix "{lic.derivative_naming_prefix}"'
            f" ({lic.derivative_naming_clause})"
        )
    demand = " and ".join(demands)
    always: list[str] = []
    if lic.hosted_service_is_distribution and conditions:
        always.append(
            f"{lic.name}, {lic.redistribution_clause}: offering {model.name} to others as a "
            f"hosted service counts as distribution, so {conditions}."
        )
    if lic.acceptable_use_policy:
        always.append(
            f"{lic.name}: the acceptable-use policy applies ({lic.acceptable_use_policy})."
        )
    if lic.licensor_may_restrict_use:
        always.append(f"{lic.name}, {lic.licensor_restriction_clause}.")
    where = ORIGIN_NAMES.get(model.origin, model.origin)
    any_product = lic.attribution_scope == "product_or_service" and lic.attribution is not None
    size = ""
    if lic.attribution_mau_threshold is not None:
        size = f" with more than {lic.attribution_mau_threshold:,} monthly active users"
        if lic.attribution_monthly_revenue_usd_threshold is not None:
            size += (
                f" or more than {lic.attribution_monthly_revenue_usd_threshold:,.0f} USD "
                "monthly revenue"
            )
    product_reason = (
        f"{lic.name}, {lic.attribution_clause}: any product or service{size} that contains "
        f'{model.name} or makes it available must display "{lic.attribution}"; the '
        "organisation cannot accept that attribution."
    )
    return LicenceTerms(
        origin=model.origin,
        cap=lic.mau_cap,
        mau_reason=(
            f"{lic.name}, {lic.mau_cap_clause}: above {lic.mau_cap:,} monthly active users "
            f"{lic.mau_cap_effect}; the organisation has "
            if lic.mau_cap is not None
            else ""
        ),
        non_commercial=(
            None
            if lic.commercial_use
            else f"{lic.name}, {lic.commercial_use_clause}: commercial use is not permitted, and "
            f"advisor assumes {model.name} would serve the business."
        ),
        eu_reason=(
            f"{lic.name}, {lic.eu_multimodal_clause}: {model.name} is multimodal, and the "
            "licence grants no rights to the release's multimodal models to a company whose "
            "principal place of business is in the European Union, whatever modality it uses."
            if lic.eu_multimodal_restriction and model.multimodal
            else None
        ),
        attribution_reason=product_reason
        if any_product
        else (
            f"{lic.name}: a product that distributes {model.name} or a derivative must {demand}; "
            "the organisation redistributes the model and cannot accept that attribution."
            if demand
            else None
        ),
        attribution_obligation=(
            f"{lic.name}, {lic.attribution_clause}: any product or service{size} that contains "
            f'{model.name} or makes it available must display "{lic.attribution}".'
            if any_product
            else (f"{lic.name}: shipping the model obliges you to {demand}." if demand else None)
        ),
        redistribution=(
            f"{lic.name}, {lic.redistribution_clause}: when shipping the weights or a "
            f"derivative, {conditions}."
            if conditions
            else None
        ),
        always=tuple(always),
        origin_reason=(
            f"Procurement policy ({EXCLUDED_ORIGINS}): models from {where} are excluded, and "
            f"{model.name} comes from {where}."
        ),
        any_product=any_product,
        attribution_mau=lic.attribution_mau_threshold,
        below_threshold_obligation=(
            f"{lic.name}, {lic.attribution_clause}: a product or service above the revenue "
            f'threshold must display "{lic.attribution}" even below the user threshold.'
            if lic.attribution_monthly_revenue_usd_threshold is not None
            else None
        ),
        aup_uses=frozenset(lic.aup_prohibited_uses),
        aup_reason=(
            f"{lic.name}, {lic.aup_clause}; {model.name} may not be used for the intended use "
            if lic.aup_prohibited_uses
            else ""
        ),
        naming=(
            f"{lic.name}: shipping a derivative model obliges you to name it with the prefix "
            f'"{lic.derivative_naming_prefix}" ({lic.derivative_naming_clause}).'
            if any_product and lic.derivative_naming_prefix
            else None
        ),
    )


class Answers(NamedTuple):
    """The answers the licence terms read (None: unanswered)."""

    mau: float | None
    hq: str | None
    redistributes: bool | None
    attribution_ok: bool | None
    excluded_origins: tuple[str, ...] | None
    intended_use: tuple[str, ...] | None = None

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> Answers:
        origins = values.get(EXCLUDED_ORIGINS)
        uses = values.get(INTENDED_USE)
        return cls(
            values.get(MAU),
            values.get(HQ),
            values.get(REDISTRIBUTES),
            values.get(ATTRIBUTION_OK),
            tuple(origins) if origins is not None else None,
            tuple(uses) if uses is not None else None,
        )


def assess(t: LicenceTerms, a: Answers, excluded: Sequence[str] = ()) -> Eligibility:
    reasons: list[str] = []
    obligations: list[str] = []
    pending: list[str] = []
    bars: list[str] = []
    if t.non_commercial:
        bars.append("non_commercial")
        reasons.append(t.non_commercial)
    if t.cap is not None:
        if a.mau is None:
            pending.append(MAU)
        elif a.mau > t.cap:
            bars.append("mau")
            reasons.append(f"{t.mau_reason}{int(a.mau):,}.")
    if t.eu_reason:
        if a.hq is None:
            pending.append(HQ)
        elif a.hq == "eu":
            bars.append("eu_multimodal")
            reasons.append(t.eu_reason)
    shipped = a.redistributes
    if t.any_product and t.attribution_reason:
        binds: bool | None = True
        if t.attribution_mau is not None:
            binds = None if a.mau is None else a.mau > t.attribution_mau
            if binds is None:
                pending.append(MAU)
        if binds and a.attribution_ok is None:
            pending.append(ATTRIBUTION_OK)
        elif binds and not a.attribution_ok:
            bars.append("attribution")
            reasons.append(t.attribution_reason)
            shipped = False
        elif binds and t.attribution_obligation:
            obligations.append(t.attribution_obligation)
        elif binds is False and t.below_threshold_obligation:
            obligations.append(t.below_threshold_obligation)
        if shipped and t.naming:
            obligations.append(t.naming)
    elif t.attribution_reason:
        if shipped is None:
            pending.append(REDISTRIBUTES)
        elif shipped and a.attribution_ok is None:
            pending.append(ATTRIBUTION_OK)
        elif shipped and not a.attribution_ok:
            bars.append("attribution")
            reasons.append(t.attribution_reason)
            shipped = False  # barred: no obligations to list
        elif shipped and t.attribution_obligation:
            obligations.append(t.attribution_obligation)
    if shipped and t.redistribution:
        obligations.append(t.redistribution)
    obligations.extend(t.always)
    if a.excluded_origins is None:
        pending.append(EXCLUDED_ORIGINS)
    elif t.origin in a.excluded_origins:
        bars.append("origin")
        reasons.append(t.origin_reason)
    if t.aup_uses:
        if a.intended_use is None:
            pending.append(INTENDED_USE)
        else:
            hit = [u for u in a.intended_use if u in t.aup_uses]
            if hit:
                bars.append("aup")
                reasons.append(f"{t.aup_reason}({', '.join(hit)}).")
    for why in excluded:
        bars.append("rule")
        reasons.append(why)
    return Eligibility(not bars, reasons, obligations, pending, bars)


def fit_table(
    model: OpenModel, level: int, deployable: bool
) -> dict[tuple[int | None, bool | None], tuple[bool | None, list[str]]]:
    """Does the model meet the capability need, for every need level (None while the need is
    unanswered) and every multimodal answer (None, False, True)? ``deployable`` false: it fits
    no catalog GPU, so it meets no need. Built once per catalog (``Prepared.fits``), each
    sentence formatted once for the entries that report it; the lists are read-only."""
    text_only = (
        None if model.multimodal else f"{model.name} reads text only; the workload needs images."
    )
    no_gpu = None if deployable else f"{model.name} fits no catalog GPU within one host."
    out: dict[tuple[int | None, bool | None], tuple[bool | None, list[str]]] = {}
    for need in (None, *TIER_LEVEL.values()):
        by_need: bool | None = True
        first: tuple[str, ...] = ()
        if need is None:
            by_need = None
        elif level < need:
            by_need = False
            first = (
                f"Quality tier {model.quality_tier!r} is below the {LEVEL_NAMES[need]!r} need "
                f"({model.quality_source}).",
            )
        else:
            first = (
                f"Quality tier {model.quality_tier!r} meets the {LEVEL_NAMES[need]!r} need "
                f"({model.quality_source}).",
            )
        for mm in (None, False, True):
            meets = by_need
            reasons = list(first)
            if mm is None:
                meets = None if meets is not False else False
            elif mm and text_only is not None:
                meets = False
                reasons.append(text_only)
            if no_gpu is not None:
                meets = False
                reasons.append(no_gpu)
            out[need, mm] = (meets, reasons)
    return out
