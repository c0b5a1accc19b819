"""The licence and capability view of every open model for one set of answers (memoised).

The view depends only on a handful of answers (MAU, headquarters, redistribution, attribution,
excluded origins, capability need, multimodal need) and on the rules' exclusions, which rarely
change between two evaluations (the TUI re-evaluates on every keystroke of a token volume), so
each catalog keeps the last views in ``Prepared.memo``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from advisor.catalog.licensing import (
    ATTRIBUTION_OK,
    EXCLUDED_ORIGINS,
    HQ,
    INTENDED_USE,
    MAU,
    MULTIMODAL,
    NEED,
    REDISTRIBUTES,
    Answers,
    Eligibility,
    assess,
)
from advisor.catalog.prepare import Prepared, keep, memo_of
from advisor.catalog.schema import TIER_LEVEL
from advisor.model.parts import Basis

# views and licence assessments kept per catalog (each of their own memo): a view holds a
# dict per model, so a bound, a few megabytes at most
MEMO_SIZE = 128


@dataclass(frozen=True)
class ModelView:
    need: int | None
    multimodal: bool | None
    eligibility: tuple[Eligibility, ...]
    eligible: tuple[bool, ...]
    meets: tuple[bool | None, ...]
    parts: tuple[dict[str, Any], ...]  # JSON of each model's licence and fit (read-only)
    facts: dict[str, Any]  # the models.* facts that do not depend on costs
    # (level needed, multimodal needed) -> basis and models for the self-hosted figures
    picks: dict[tuple[int, bool], tuple[Basis, list[int]] | None] = field(default_factory=dict)
    # other results that depend only on the view and a few answers, kept with it by the cost
    # model (the managed endpoints a need allows, their cheapest choice at unit prices)
    kept: dict[tuple[Any, ...], Any] = field(default_factory=dict)


def _key(values: Mapping[str, Any], excluded: Mapping[str, Sequence[str]]) -> tuple[Any, ...]:
    get = values.get  # looked up once: the key is computed on every evaluation
    origins = get(EXCLUDED_ORIGINS)
    return (
        "models",
        get(MAU),
        get(HQ),
        get(REDISTRIBUTES),
        get(ATTRIBUTION_OK),
        tuple(origins) if origins is not None else None,
        get(NEED),
        get(MULTIMODAL),
        tuple(values[INTENDED_USE]) if get(INTENDED_USE) is not None else None,
        tuple((k, tuple(v)) for k, v in sorted(excluded.items())) if excluded else (),
    )


def model_view(
    p: Prepared, values: Mapping[str, Any], excluded: Mapping[str, Sequence[str]]
) -> ModelView:
    key = _key(values, excluded)
    views = memo_of(p, "views")
    hit: ModelView | None = views.get(key)
    if hit is None:
        hit = _build(p, values, excluded)
        keep(views, key, hit, MEMO_SIZE)
    return hit


def _build(
    p: Prepared, values: Mapping[str, Any], excluded: Mapping[str, Sequence[str]]
) -> ModelView:
    need_answer = values.get(NEED)
    need = TIER_LEVEL.get(need_answer) if isinstance(need_answer, str) else None
    mm_answer = values.get(MULTIMODAL)
    mm = bool(mm_answer) if mm_answer is not None else None
    answers = Answers.of(values)
    # The licence assessments read the licence answers and the exclusions alone, not the
    # capability need or the multimodal answer the view's key also holds: kept per catalog by
    # those, so a view rebuilt for another need (a what-if variant, a TUI answer) assesses
    # no licence again. Eligibility lists are shared read-only, as the views' parts are.
    licences = memo_of(p, "licences")
    lkey = (
        answers,
        tuple((k, tuple(v)) for k, v in sorted(excluded.items())) if excluded else (),
    )
    elig: tuple[Eligibility, ...] | None = licences.get(lkey)
    if elig is None:
        elig = tuple(
            assess(p.terms[i], answers, excluded.get(m, ())) for i, m in enumerate(p.model_ids)
        )
        keep(licences, lkey, elig, MEMO_SIZE)
    meets_all: list[bool | None] = []
    parts: list[dict[str, Any]] = []
    for i, e in enumerate(elig):
        meets, fit = p.fits[i, need, mm]
        meets_all.append(meets)
        # model_json has every key already (prepare.VIEW_KEYS): a copy and eight stores keep
        # the entry's key order and cost a third of building the dict anew
        d = p.model_json[i].copy()
        d["eligible"] = e.eligible
        d["provisional"] = bool(e.pending)
        d["pending"] = e.pending
        d["reasons"] = e.reasons
        d["obligations"] = e.obligations
        d["meets_need"] = meets
        d["fit_reasons"] = fit
        d["viable"] = bool(e.eligible and meets)
        parts.append(d)
    ids = p.model_ids
    eligible = [ids[i] for i, e in enumerate(elig) if e.eligible]
    capable = [ids[i] for i, m in enumerate(meets_all) if m is True]
    viable = [ids[i] for i, e in enumerate(elig) if e.eligible and meets_all[i] is True]
    bars: list[str] = []
    for e in elig:
        bars.extend(e.bars)
    eu = "eu_multimodal" in bars
    facts: dict[str, Any] = {
        "models.eligible_count": len(eligible),
        "models.eligible": eligible,
        "models.capable_count": len(capable),
        "models.capable": capable,
        "models.viable_count": len(viable),
        "models.viable": viable,
        "models.any_viable": bool(viable),
        "models.eu_multimodal_blocked": eu,
        "models.llama_eu_blocked": eu,
        "models.mau_blocked": "mau" in bars,
        "models.attribution_blocked": "attribution" in bars,
        "models.origin_blocked_count": bars.count("origin"),
        "models.aup_blocked": "aup" in bars,
    }
    return ModelView(
        need=need,
        multimodal=mm,
        eligibility=elig,
        eligible=tuple(e.eligible for e in elig),
        meets=tuple(meets_all),
        parts=tuple(parts),
        facts=facts,
    )
