"""What staying hosted costs over the horizon: month by month, with the model's lifecycle and
the bill's modifiers.

The evaluation date is the catalog's newest ``as_of`` date (:func:`start_date`), not the wall
clock: the same answers and catalog give the same decision on any day. Month 1 is the calendar
month of that date; the horizon runs ``strategy.horizon_months`` months from there (a fractional
horizon counts the last month by its fraction).

Lifecycle: in each month the traffic runs on the current model unless it has shut down by then;
from the calendar month of its ``shutdown`` date on, it runs on ``replaced_by`` (and on that
model's successor once that one shuts down too). A model already shut down at the start is
priced at its successor from month 1, with a note naming the date.

One month's bill of one model (USD), in this order, each step a modifier of the breakdown:

1. list: input tokens x input price + output tokens x output price, per 1M tokens;
2. prompt cache: ``cache share`` of the input tokens at the cached-input price instead of the
   input price (no effect when the model has no cached price);
3. Batch API: ``batch share`` of the traffic (input and output) at ``batch_discount_pct`` off;
4. regional processing: ``regional_uplift_pct`` on top when the residency answer asks for a data
   zone (``data.residency`` eu or in_country with ``data.regional_endpoint``) and the model
   charges for it;
5. negotiated discount: ``discount %`` off the bill of a model of the current model's provider
   (one percentage for that provider, not one per provider).

The long-context tier is kept in the catalog but not applied: the questionnaire does not ask for
the share of requests above the threshold.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.catalog.schema import TIER_LEVEL, Catalog, HostedModel
from advisor.model.parts import HostedMonth, Modifier, SwitchHosted

BATCH_SHARE = "usage.batch_share_percent"
CACHE_SHARE = "usage.cached_input_share_percent"
DISCOUNT = "usage.negotiated_discount_percent"
RESIDENCY = "data.residency"
REGIONAL = "data.regional_endpoint"


@dataclass(frozen=True, slots=True)
class BillTerms:
    """The answers that modify a hosted bill (shares as fractions 0 to 1)."""

    batch_share: float = 0.0
    cache_share: float = 0.0
    discount_pct: float = 0.0
    discount_provider: str | None = None
    regional: bool = False

    @classmethod
    def of(cls, values: Mapping[str, Any], provider: str | None) -> BillTerms:
        def share(qid: str) -> float:
            return min(max(float(values.get(qid) or 0.0), 0.0), 100.0) / 100.0

        regional = values.get(RESIDENCY) in ("eu", "in_country") and bool(
            values.get(REGIONAL, False)
        )
        return cls(
            batch_share=share(BATCH_SHARE),
            cache_share=share(CACHE_SHARE),
            discount_pct=share(DISCOUNT) * 100.0,
            discount_provider=provider,
            regional=regional,
        )


@dataclass(frozen=True, slots=True)
class Bill:
    """One month's bill of one model: the list price and each modifier's effect (USD)."""

    model: HostedModel
    list_usd: float
    modifiers: tuple[Modifier, ...]

    @property
    def total(self) -> float:
        return self.list_usd + sum(m["monthly_usd"] for m in self.modifiers)


def bill(h: HostedModel, inp: float, out: float, t: BillTerms) -> Bill:
    """The monthly bill of ``h`` for these tokens (module doc, steps 1-5)."""
    list_usd = (inp * h.input_usd_per_1m + out * h.output_usd_per_1m) / 1e6
    mods: list[Modifier] = []
    running = list_usd
    if t.cache_share > 0:
        cached = h.cached_input_usd_per_1m
        effect = (
            0.0 if cached is None else -inp * t.cache_share * (h.input_usd_per_1m - cached) / 1e6
        )
        mods.append(
            _mod(
                "prompt cache",
                t.cache_share * 100.0,
                effect,
                f"{t.cache_share:.0%} of input at the cached price "
                + (f"{cached:g} USD/1M" if cached is not None else "(none listed: no effect)"),
            )
        )
        running += effect
    if t.batch_share > 0:
        pct = h.batch_discount_pct
        effect = 0.0 if pct is None else -running * t.batch_share * pct / 100.0
        mods.append(
            _mod(
                "batch API",
                t.batch_share * 100.0,
                effect,
                f"{t.batch_share:.0%} of traffic through the Batch API "
                + (f"at {pct:g} % off" if pct is not None else "(none offered: no effect)"),
            )
        )
        running += effect
    if t.regional and h.regional_uplift_pct:
        effect = running * h.regional_uplift_pct / 100.0
        mods.append(
            _mod(
                "regional processing",
                h.regional_uplift_pct,
                effect,
                f"the data zone asked for costs {h.regional_uplift_pct:g} % more",
            )
        )
        running += effect
    if t.discount_pct > 0 and h.provider == t.discount_provider:
        effect = -running * t.discount_pct / 100.0
        mods.append(
            _mod(
                "negotiated discount",
                t.discount_pct,
                effect,
                f"{t.discount_pct:g} % off {h.provider}'s list prices",
            )
        )
    return Bill(h, list_usd, tuple(mods))


def _mod(name: str, percent: float, effect: float, note: str) -> Modifier:
    return {"name": name, "percent": round(percent, 4), "monthly_usd": effect, "note": note}


def start_date(catalog: Catalog) -> _dt.date:
    """The evaluation date: the newest ``as_of`` of the hosted prices (else of the catalog)."""
    dates = [h.as_of for h in catalog.hosted_models]
    if not dates:
        from advisor.catalog.freshness import catalog_as_of

        text = catalog_as_of(catalog)
        return _dt.date.fromisoformat(text) if text else _dt.date(2026, 12, 1)
    return max(dates)


@functools.lru_cache(maxsize=4096)
def month_label(start: _dt.date, index: int) -> str:
    """'YYYY-MM' of month ``index`` (0-based) counted from the start's month."""
    y, m = divmod(start.year * 12 + start.month - 1 + index, 12)
    return f"{y:04d}-{m + 1:02d}"


def _ym(d: _dt.date) -> int:
    return d.year * 12 + d.month - 1


def serving(hosted: Mapping[str, HostedModel], h: HostedModel, month: int) -> HostedModel:
    """The model serving the traffic in month number ``month`` (year*12 + month-1): ``h``
    unless it has shut down by then, else its successor (followed along the chain)."""
    seen = 0
    while h.shutdown is not None and _ym(h.shutdown) <= month and h.replaced_by in hosted:
        h = hosted[h.replaced_by]  # type: ignore[index]  # checked by `in` above
        seen += 1
        if seen > len(hosted):  # pragma: no cover - the catalog forbids loops
            break
    return h


@dataclass(frozen=True, slots=True)
class Plan:
    """A hosted model priced over the horizon."""

    current: HostedModel
    months: tuple[HostedMonth, ...]
    first: Bill  # month 1's bill (on the successor when the current model has shut down)
    horizon_usd: float
    switch_month: int | None  # 1-based month from which a successor serves, within the horizon
    shut_down: bool  # already shut down at the start

    @property
    def successor(self) -> str | None:
        return self.current.replaced_by


def plan(
    catalog_hosted: Mapping[str, HostedModel],
    h: HostedModel,
    inp: float,
    out: float,
    horizon: float,
    start: _dt.date,
    t: BillTerms,
    factors: Sequence[float] = (),
) -> Plan:
    """Price ``h`` month by month over ``horizon`` months from ``start`` (module doc).

    ``factors``: each month's volume over today's (the growth path; missing months: 1). A
    hosted bill is linear in the tokens, so a month costs its model's bill at today's volume
    times its factor."""
    n = max(1, math.ceil(horizon - 1e-9))
    base = _ym(start)
    bills: dict[str, tuple[Bill, float]] = {}
    months: list[HostedMonth] = []
    total = 0.0
    switch: int | None = None
    first: Bill | None = None
    for i in range(n):
        model = serving(catalog_hosted, h, base + i)
        known = bills.get(model.id)
        if known is None:
            one = bill(model, inp, out, t)
            known = bills[model.id] = (one, one.total)
        b, monthly = known
        weight = min(1.0, horizon - i) if horizon > i else 0.0
        usd = monthly * (factors[i] if i < len(factors) else 1.0)
        total += usd * weight
        if first is None:
            first = b
        if switch is None and model.id != h.id:
            switch = i + 1
        months.append({"month": month_label(start, i), "model": model.id, "usd": round(usd, 2)})
    assert first is not None
    shut = h.shutdown is not None and h.shutdown <= start
    return Plan(h, tuple(months), first, total, switch, shut)


def _cumulative_weights(horizon: float, factors: Sequence[float]) -> list[float]:
    """Running sums of each month's volume factor times its share of the horizon (the last
    month may count in part), as :func:`plan` weighs the months."""
    n = max(1, math.ceil(horizon - 1e-9))
    cum = [0.0]
    for i in range(n):
        weight = min(1.0, horizon - i) if horizon > i else 0.0
        cum.append(cum[-1] + (factors[i] if i < len(factors) else 1.0) * weight)
    return cum


def horizon_total(
    catalog_hosted: Mapping[str, HostedModel],
    h: HostedModel,
    inp: float,
    out: float,
    start: _dt.date,
    t: BillTerms,
    cum: Sequence[float],
) -> float:
    """``plan(...).horizon_usd`` up to rounding, without building the months: one bill per
    model along the successor chain, times the weights of the months it serves (``cum`` from
    :func:`_cumulative_weights`). The cheapest switch compares every hosted model this way;
    only the winner's months are built."""
    n = len(cum) - 1
    base = _ym(start)
    total = 0.0
    i = 0
    while i < n:
        model = serving(catalog_hosted, h, base + i)
        j = n
        if model.shutdown is not None and model.replaced_by in catalog_hosted:
            j = min(n, max(i + 1, _ym(model.shutdown) - base))
        total += bill(model, inp, out, t).total * (cum[j] - cum[i])
        i = j
    return total


def cheapest_switch(
    catalog_hosted: Mapping[str, HostedModel],
    current: HostedModel,
    inp: float,
    out: float,
    horizon: float,
    start: _dt.date,
    t: BillTerms,
    need_regional: bool,
    factors: Sequence[float] = (),
) -> tuple[Plan, SwitchHosted] | None:
    """The cheapest hosted model of the current model's tier or higher over the horizon, among
    models still served at the start (a shut-down model is its successor); with a residency
    need, only models that offer regional processing. Ties go to catalog order."""
    level = TIER_LEVEL[current.tier]
    cum = _cumulative_weights(horizon, factors)
    winner: HostedModel | None = None
    lowest = math.inf
    for h in catalog_hosted.values():
        if TIER_LEVEL[h.tier] < level:
            continue
        if h.shutdown is not None and h.shutdown <= start:
            continue
        if need_regional and h.regional_uplift_pct is None:
            continue
        total = horizon_total(catalog_hosted, h, inp, out, start, t, cum)
        if winner is None or total < lowest - 1e-9:
            winner, lowest = h, total
    if winner is None:
        return None
    best = plan(catalog_hosted, winner, inp, out, horizon, start, t, factors)
    m = best.current
    row: SwitchHosted = {
        "model": m.id,
        "name": m.name,
        "provider": m.provider,
        "tier": m.tier,
        "monthly_usd": round(best.first.total, 2),
        "horizon_usd": round(best.horizon_usd, 2),
        "input_usd_per_1m": m.input_usd_per_1m,
        "output_usd_per_1m": m.output_usd_per_1m,
        "switch_month": best.switch_month,
        "successor": m.replaced_by,
        "as_of": m.as_of.isoformat(),
        "source": m.source,
    }
    return best, row


def affected(
    hosted: Sequence[HostedModel], today: _dt.date, horizon_months: int
) -> list[tuple[HostedModel, str]]:
    """Hosted models whose shutdown has passed ("passed") or falls within ``horizon_months``
    of ``today`` ("within"), in catalog order."""
    end = _ym(today) + horizon_months
    out: list[tuple[HostedModel, str]] = []
    for h in hosted:
        if h.shutdown is None:
            continue
        if h.shutdown <= today:
            out.append((h, "passed"))
        elif _ym(h.shutdown) < end:
            out.append((h, "within"))
    return out
