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

One month's bill of one model (USD), in this order, each step a modifier of the breakdown
(:func:`modified_bill`, shared with the managed endpoints' bill):

1. list: input tokens x input price + output tokens x output price, per 1M tokens;
2. long context: when the model has a long-context tier and the workload's typical prompt
   (``usage.context_typical_tokens`` x the input share of the monthly tokens,
   :func:`typical_prompt`) is above its threshold, every request is re-priced: input (and
   cached input) x ``long_context_input_multiplier``, output x
   ``long_context_output_multiplier``;
3. prompt cache: ``cache share`` of the input tokens at the cached-input price instead of the
   input price (no effect when the model has no cached price);
4. Batch API: ``batch share`` of the traffic (input and output) at ``batch_discount_pct`` off;
5. regional processing: ``regional_uplift_pct`` on top when the residency answer asks for a data
   zone (``data.residency`` eu or in_country with ``data.regional_endpoint``) and the model
   charges for it;
6. negotiated discount: the discount agreed with the model's provider (``discount.<provider>``,
   else ``usage.negotiated_discount_percent`` for the current model's provider) off the rest.

The long-context tier applies to the whole workload or not at all: the typical prompt stands for
every request (the questionnaire asks for no distribution of prompt lengths), and the vendors'
rule re-prices a whole request above the threshold.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from advisor.catalog.schema import TIER_LEVEL, Catalog, HostedModel
from advisor.model.parts import HostedMonth, Modifier, SwitchHosted

BATCH_SHARE = "usage.batch_share_percent"
CACHE_SHARE = "usage.cached_input_share_percent"
DISCOUNT = "usage.negotiated_discount_percent"
DISCOUNT_GATE = "discount.negotiated"
DISCOUNT_PREFIX = "discount."
TYPICAL_CONTEXT = "usage.context_typical_tokens"
INPUT_TOKENS = "usage.monthly_input_tokens"
OUTPUT_TOKENS = "usage.monthly_output_tokens"
RESIDENCY = "data.residency"
REGIONAL = "data.regional_endpoint"

_KEYS: dict[str, str] = {}


def provider_key(provider: str) -> str:
    """The provider's key in question ids: the company, the first word of its name, in lower
    case letters and digits (``"OVHcloud AI Endpoints"`` -> ``"ovhcloud"``), so
    ``discount.ovhcloud`` holds the discount agreed with OVHcloud for all its services."""
    key = _KEYS.get(provider)
    if key is None:
        first = provider.split()[0] if provider.split() else provider
        key = _KEYS[provider] = "".join(c for c in first.lower() if c.isalnum())
    return key


def discount_question(provider: str) -> str:
    """The id of the question asking for the discount agreed with ``provider``."""
    return DISCOUNT_PREFIX + provider_key(provider)


def typical_prompt(values: Mapping[str, Any]) -> float:
    """The workload's typical prompt in tokens: ``usage.context_typical_tokens`` (a prompt plus
    its answer) times the input share of the monthly tokens; 0 when either is unanswered."""
    typical = values.get(TYPICAL_CONTEXT)
    inp, out = values.get(INPUT_TOKENS), values.get(OUTPUT_TOKENS)
    if typical is None or inp is None or out is None or float(inp) + float(out) <= 0:
        return 0.0
    return float(typical) * float(inp) / (float(inp) + float(out))


class Priced(Protocol):
    """What a bill reads of an offer: a hosted model or a managed endpoint (which publishes no
    long-context tier and no regional uplift: its properties say None)."""

    @property
    def provider(self) -> str: ...
    @property
    def input_usd_per_1m(self) -> float: ...
    @property
    def output_usd_per_1m(self) -> float: ...
    @property
    def cached_input_usd_per_1m(self) -> float | None: ...
    @property
    def batch_discount_pct(self) -> float | None: ...
    @property
    def regional_uplift_pct(self) -> float | None: ...
    @property
    def long_context_threshold_tokens(self) -> int | None: ...
    @property
    def long_context_input_multiplier(self) -> float | None: ...
    @property
    def long_context_output_multiplier(self) -> float | None: ...


@dataclass(frozen=True, slots=True)
class BillTerms:
    """The answers that modify a bill (shares as fractions 0 to 1, discounts in percent)."""

    batch_share: float = 0.0
    cache_share: float = 0.0
    # (provider key, percent off) for each provider with a negotiated discount
    discounts: tuple[tuple[str, float], ...] = ()
    regional: bool = False
    # the workload's typical prompt in tokens (0: unknown), for the long-context tiers
    prompt_tokens: float = 0.0
    # What-if scales of the list prices (advisor.catalog.derivation.Scales; 1 = the catalog's):
    # ``price_scale`` multiplies this bill's prices, ``managed_scale`` those of the managed
    # endpoints billed with the same shares. Every modifier is proportional, so the bill is too.
    price_scale: float = 1.0
    managed_scale: float = 1.0

    def discount_for(self, provider: str) -> float:
        """Percent off the list prices of ``provider`` (0 without an agreement)."""
        if not self.discounts:
            return 0.0
        key = provider_key(provider)
        for k, pct in self.discounts:
            if k == key:
                return pct
        return 0.0

    def managed(self) -> BillTerms:
        """The terms of a managed endpoint's bill: the same shares, discounts and prompt, no
        regional uplift (an EU endpoint's price already is the region's), the managed scale."""
        return BillTerms(
            self.batch_share,
            self.cache_share,
            self.discounts,
            False,
            self.prompt_tokens,
            price_scale=self.managed_scale,
        )

    @classmethod
    def of(cls, values: Mapping[str, Any], provider: str | None) -> BillTerms:
        """The terms of the answers; ``provider`` is the current model's, which
        ``usage.negotiated_discount_percent`` applies to unless its own question gives more
        than 0."""

        def pct(qid: str) -> float:
            return min(max(float(values.get(qid) or 0.0), 0.0), 100.0)

        regional = values.get(RESIDENCY) in ("eu", "in_country") and bool(
            values.get(REGIONAL, False)
        )
        found: dict[str, float] = {}
        if values.get(DISCOUNT_GATE):
            for qid in values:
                if qid.startswith(DISCOUNT_PREFIX) and qid != DISCOUNT_GATE and pct(qid) > 0:
                    found[qid[len(DISCOUNT_PREFIX) :]] = pct(qid)
        current = provider_key(provider) if provider is not None else None
        if current is not None and current not in found and pct(DISCOUNT) > 0:
            found[current] = pct(DISCOUNT)
        return cls(
            batch_share=pct(BATCH_SHARE) / 100.0,
            cache_share=pct(CACHE_SHARE) / 100.0,
            discounts=tuple(sorted(found.items())),
            regional=regional,
            prompt_tokens=typical_prompt(values),
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


def modified_bill(
    o: Priced, inp: float, out: float, t: BillTerms
) -> tuple[float, float, tuple[Modifier, ...]]:
    """(total, list, modifiers) of one month of ``inp`` input and ``out`` output tokens on
    ``o`` (module doc, steps 1-6): the one place the modifiers are applied, for hosted models
    and managed endpoints alike. Each modifier's effect is on the running bill, in order."""
    scale = t.price_scale
    pin, pout = o.input_usd_per_1m, o.output_usd_per_1m
    list_usd = (inp * pin + out * pout) * scale / 1e6
    mods: list[Modifier] = []
    running = list_usd
    input_factor = 1.0  # the long-context multiplier of input, which the cached price shares
    threshold = o.long_context_threshold_tokens
    if threshold is not None and t.prompt_tokens > threshold:
        mi = o.long_context_input_multiplier or 1.0
        mo = o.long_context_output_multiplier or 1.0
        effect = (inp * pin * (mi - 1.0) + out * pout * (mo - 1.0)) * scale / 1e6
        mods.append(
            _mod(
                "long context",
                100.0,
                effect,
                f"the typical prompt (about {t.prompt_tokens:,.0f} tokens) is above the "
                f"{threshold:,}-token threshold: input x{mi:g}, output x{mo:g}",
            )
        )
        running += effect
        input_factor = mi
    if t.cache_share > 0:
        cached = o.cached_input_usd_per_1m
        effect = (
            0.0
            if cached is None
            else -inp * t.cache_share * (pin - cached) * input_factor * scale / 1e6
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
        bpct = o.batch_discount_pct
        effect = 0.0 if bpct is None else -running * t.batch_share * bpct / 100.0
        mods.append(
            _mod(
                "batch API",
                t.batch_share * 100.0,
                effect,
                f"{t.batch_share:.0%} of traffic through the Batch API "
                + (f"at {bpct:g} % off" if bpct is not None else "(none offered: no effect)"),
            )
        )
        running += effect
    uplift = o.regional_uplift_pct
    if t.regional and uplift:
        effect = running * uplift / 100.0
        mods.append(
            _mod(
                "regional processing",
                uplift,
                effect,
                f"the data zone asked for costs {uplift:g} % more",
            )
        )
        running += effect
    dpct = t.discount_for(o.provider)
    if dpct > 0:
        effect = -running * dpct / 100.0
        mods.append(
            _mod(
                "negotiated discount",
                dpct,
                effect,
                f"{dpct:g} % off {o.provider}'s list prices",
            )
        )
        running += effect
    return running, list_usd, tuple(mods)


def bill(h: HostedModel, inp: float, out: float, t: BillTerms) -> Bill:
    """The monthly bill of ``h`` for these tokens (module doc, steps 1-6)."""
    _total, list_usd, mods = modified_bill(h, inp, out, t)
    return Bill(h, list_usd, mods)


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
    *,
    detail: bool = True,
) -> Plan:
    """Price ``h`` month by month over ``horizon`` months from ``start`` (module doc).

    ``factors``: each month's volume over today's (the growth path; missing months: 1). A
    hosted bill is linear in the tokens, so a month costs its model's bill at today's volume
    times its factor. ``detail=False`` leaves ``months`` empty (the totals are the same): the
    search for the cheapest switch compares totals only."""
    n = max(1, math.ceil(horizon - 1e-9))
    base = _ym(start)
    if not detail:
        return _totals(catalog_hosted, h, inp, out, horizon, start, t, factors, n, base)
    bills: dict[str, Bill] = {}
    months: list[HostedMonth] = []
    total = 0.0
    switch: int | None = None
    first: Bill | None = None
    totals: dict[str, float] = {}
    # the serving model changes only at a shutdown: months before the first one need no lookup
    stable = _ym(h.shutdown) - base if h.shutdown is not None else n
    n_factors = len(factors)
    for i in range(n):
        model = h if i < stable else serving(catalog_hosted, h, base + i)
        b = bills.get(model.id)
        if b is None:
            b = bills[model.id] = bill(model, inp, out, t)
            totals[model.id] = b.total
        weight = min(1.0, horizon - i) if horizon > i else 0.0
        usd = totals[model.id] * (factors[i] if i < n_factors else 1.0)
        total += usd * weight
        if first is None:
            first = b
        if switch is None and model.id != h.id:
            switch = i + 1
        if detail:
            months.append({"month": month_label(start, i), "model": model.id, "usd": round(usd, 2)})
    assert first is not None
    shut = h.shutdown is not None and h.shutdown <= start
    return Plan(h, tuple(months), first, total, switch, shut)


def _totals(
    catalog_hosted: Mapping[str, HostedModel],
    h: HostedModel,
    inp: float,
    out: float,
    horizon: float,
    start: _dt.date,
    t: BillTerms,
    factors: Sequence[float],
    n: int,
    base: int,
) -> Plan:
    """:func:`plan` without the months: the same sums, month weights times volume factors
    added per serving model (the model changes only at a shutdown)."""
    wf = [
        (min(1.0, horizon - i) if horizon > i else 0.0) * (factors[i] if i < len(factors) else 1.0)
        for i in range(n)
    ]
    first = bill(serving(catalog_hosted, h, base), inp, out, t)
    stable = min(n, _ym(h.shutdown) - base) if h.shutdown is not None else n
    total = first.total * sum(wf[:stable]) if stable > 0 else 0.0
    switch: int | None = None
    totals = {first.model.id: first.total}
    for i in range(max(stable, 0), n):
        model = serving(catalog_hosted, h, base + i)
        if model.id not in totals:
            totals[model.id] = bill(model, inp, out, t).total
        total += totals[model.id] * wf[i]
        if switch is None and model.id != h.id:
            switch = i + 1
    shut = h.shutdown is not None and h.shutdown <= start
    return Plan(h, (), first, total, switch, shut)


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
    best: Plan | None = None
    for h in catalog_hosted.values():
        if TIER_LEVEL[h.tier] < level:
            continue
        if h.shutdown is not None and h.shutdown <= start:
            continue
        if need_regional and h.regional_uplift_pct is None:
            continue
        p = plan(catalog_hosted, h, inp, out, horizon, start, t, factors, detail=False)
        if best is None or p.horizon_usd < best.horizon_usd - 1e-9:
            best = p
    if best is None:
        return None
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
