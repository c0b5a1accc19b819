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

Changing model: staying hosted is priced on the cheaper of two plans, staying on today's model
(and its successor from its shutdown on) or moving now to the cheapest model of the same
provider, of today's tier or higher and of the capability the work needs (:func:`cheapest_switch`
with ``provider``), so a retiring model's dearer months are not charged to staying hosted while
the other options are priced as moving in month 1. Every change of hosted model within the
horizon, forced by a shutdown or chosen, costs ``hosted_model_change_engineer_months`` of
engineering once (:func:`changes` counts them), and a plan that splits off the frontier share
(below) pays for its router once, as the hybrid does; the one-offs sit outside :class:`Plan`,
whose bills scale with the price level while they do not (advisor.catalog.derivation, ``Stay``).

Frontier share (:class:`FrontierSplit`): the requests that need frontier quality
(``usage.frontier_share``) stay on a frontier model whichever option serves the rest, so the
hosted option is priced as the hybrid is. In a month whose serving model is rated below the
frontier model (:data:`TIER_LEVEL`), the share's tokens are billed on the frontier model and the
rest on the serving model; in a month whose serving model is rated as high, all of it stays on
the serving model. Each part is one bill of the steps above, on its own tokens.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

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

    def scaled(self, price: float, managed: float | None = None) -> BillTerms:
        """These terms at other price levels (``managed`` None: the managed level kept).
        (dataclasses.replace does the same about ten times slower: the what-if path calls
        this once or twice per sample.)"""
        return BillTerms(
            self.batch_share,
            self.cache_share,
            self.discounts,
            self.regional,
            self.prompt_tokens,
            price,
            self.managed_scale if managed is None else managed,
        )

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

    def scaled(self, factor: float) -> Bill:
        """The bill at ``factor`` times the list prices: every modifier is proportional to
        the prices, so each figure is the same factor times this one's."""
        return Bill(self.model, self.list_usd * factor, scaled_modifiers(self.modifiers, factor))


def scaled_modifiers(modifiers: tuple[Modifier, ...], factor: float) -> tuple[Modifier, ...]:
    """Each modifier's effect times ``factor`` (a price level: every modifier is proportional
    to the prices)."""
    return tuple({**m, "monthly_usd": m["monthly_usd"] * factor} for m in modifiers)


def modified_bill(
    o: Priced, inp: float, out: float, t: BillTerms
) -> tuple[float, float, tuple[Modifier, ...]]:
    """(total, list, modifiers) of one month of ``inp`` input and ``out`` output tokens on
    ``o`` (module doc, steps 1-6): the one place the modifiers are applied, for hosted models
    and managed endpoints alike. Each modifier's effect is on the running bill, in order."""
    mods: list[Modifier] = []
    running, list_usd, _effects = _apply(o, inp, out, t, mods)
    return running, list_usd, tuple(mods)


def bill_total(o: Priced, inp: float, out: float, t: BillTerms) -> float:
    """``bill(o, inp, out, t).total`` to the last bit (the list price plus the sum of the
    effects, in order), without writing the modifiers' notes: the switch search needs the
    totals of every model of the tier and the breakdown of one."""
    _running, list_usd, effects = _apply(o, inp, out, t, None)
    return list_usd + sum(effects)


def _apply(
    o: Priced, inp: float, out: float, t: BillTerms, mods: list[Modifier] | None
) -> tuple[float, float, list[float]]:
    """(running total, list price, each modifier's effect) of :func:`modified_bill`, which
    ``mods`` (when given) receives the modifiers of, notes and all."""
    scale = t.price_scale
    pin, pout = o.input_usd_per_1m, o.output_usd_per_1m
    list_usd = (inp * pin + out * pout) * scale / 1e6
    effects: list[float] = []
    running = list_usd
    input_factor = 1.0  # the long-context multiplier of input, which the cached price shares
    threshold = o.long_context_threshold_tokens
    if threshold is not None and t.prompt_tokens > threshold:
        mi = o.long_context_input_multiplier or 1.0
        mo = o.long_context_output_multiplier or 1.0
        effect = (inp * pin * (mi - 1.0) + out * pout * (mo - 1.0)) * scale / 1e6
        effects.append(effect)
        if mods is not None:
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
        effects.append(effect)
        if mods is not None:
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
        effects.append(effect)
        if mods is not None:
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
        effects.append(effect)
        if mods is not None:
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
        effects.append(effect)
        if mods is not None:
            mods.append(
                _mod(
                    "negotiated discount",
                    dpct,
                    effect,
                    f"{dpct:g} % off {o.provider}'s list prices",
                )
            )
        running += effect
    return running, list_usd, effects


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


class Horizon:
    """The months of one horizon from one start, along one volume path, in a catalog: what
    every hosted plan of an evaluation shares. Built once per (catalog, start, horizon, growth
    path) and kept by the cost model, so a plan costs a few multiplications per model rather
    than a walk over the months (the hosted-plan search prices every model of the tier)."""

    __slots__ = (
        "_chains",
        "_prefix",
        "base",
        "factors",
        "horizon",
        "hosted",
        "labels",
        "n",
        "start",
        "weights",
        "wf",
    )

    def __init__(
        self,
        catalog_hosted: Mapping[str, HostedModel],
        start: _dt.date,
        horizon: float,
        factors: Sequence[float] = (),
    ) -> None:
        n = max(1, math.ceil(horizon - 1e-9))
        self.hosted = catalog_hosted
        self.start = start
        self.horizon = horizon
        self.n = n
        self.base = _ym(start)
        self.labels = tuple(month_label(start, i) for i in range(n))
        # a month counts by the share of it inside the horizon (the last one by its fraction)
        self.weights = tuple(min(1.0, horizon - i) if horizon > i else 0.0 for i in range(n))
        # each month's volume over today's (the growth path; missing months: 1)
        self.factors = tuple(factors[i] if i < len(factors) else 1.0 for i in range(n))
        self.wf = tuple(w * f for w, f in zip(self.weights, self.factors, strict=True))
        self._prefix: dict[int, float] = {}
        self._chains: dict[str, Chain] = {}

    def prefix(self, k: int) -> float:
        """``sum(wf[:k])``, by ``sum`` itself (so a total is the same to the last bit as the
        month-by-month sum it replaces), kept per ``k``: few months start a shutdown."""
        hit = self._prefix.get(k)
        if hit is None:
            hit = self._prefix[k] = sum(self.wf[:k])
        return hit

    def chain(self, h: HostedModel) -> Chain:
        """Who serves the traffic on ``h`` month by month (kept per model)."""
        hit = self._chains.get(h.id)
        if hit is None:
            # serving(h, month) walks on from where the previous month's walk ended: a model
            # shut down by one month is shut down by every later one
            # and a model serves until its own shutdown month: one step per run of months
            serving_models: list[HostedModel] = []
            runs: list[tuple[HostedModel, int, int]] = []
            switch: int | None = None
            n, i = self.n, 0
            current = serving(self.hosted, h, self.base)
            while i < n:
                end = n
                if current.shutdown is not None and current.replaced_by in self.hosted:
                    end = min(max(_ym(current.shutdown) - self.base, i + 1), n)
                serving_models.extend([current] * (end - i))
                if runs and runs[-1][0] is current:
                    runs[-1] = (current, runs[-1][1], end)
                else:
                    runs.append((current, i, end))
                if switch is None and current.id != h.id:
                    switch = i + 1
                i = end
                if i < n:
                    current = serving(self.hosted, current, self.base + i)
            hit = Chain(tuple(serving_models), switch, tuple(runs))
            self._chains[h.id] = hit
        return hit


class Chain(NamedTuple):
    """The model serving each month, the 1-based month from which a successor serves (None:
    the first model to the end), and the runs of months (model, first, last + 1) one model
    serves."""

    models: tuple[HostedModel, ...]
    switch: int | None
    runs: tuple[tuple[HostedModel, int, int], ...]


@dataclass(frozen=True, slots=True)
class FrontierSplit:
    """The frontier share of the traffic kept on a frontier model (module doc): ``bill`` is
    ``model``'s bill of the share's tokens; ``rest`` the bills of the other tokens
    (``rest_inp``, ``rest_out``) by model, filled as models are billed."""

    share: float  # 0 < share <= 1
    model: HostedModel
    bill: Bill
    rest_inp: float
    rest_out: float
    rest: Bills

    def takes(self, m: HostedModel) -> bool:
        """True when ``m`` serves the rest and the share goes to the frontier model: ``m`` is
        rated below it."""
        return TIER_LEVEL[m.tier] < TIER_LEVEL[self.model.tier]


def frontier_split(
    share: float, model: HostedModel, inp: float, out: float, t: BillTerms
) -> FrontierSplit:
    """The split of ``inp`` and ``out`` tokens with ``share`` (0..1] of them on ``model``."""
    return FrontierSplit(
        share,
        model,
        bill(model, inp * share, out * share, t),
        inp * (1.0 - share),
        out * (1.0 - share),
        {},
    )


@dataclass(frozen=True, slots=True)
class Plan:
    """A hosted model priced over the horizon. ``usd``: each month's bill, rounded to cents
    (empty when priced without detail); ``months`` spells them out for the decision JSON."""

    current: HostedModel
    # month 1's bill (on the successor when the current model has shut down); with a frontier
    # split in month 1, the bill of the rest of the tokens, the share's being ``frontier``
    first: Bill
    horizon_usd: float
    switch_month: int | None  # 1-based month from which a successor serves, within the horizon
    shut_down: bool  # already shut down at the start
    usd: tuple[float, ...] = ()
    serving: tuple[HostedModel, ...] = ()  # the model of each month (empty without detail)
    labels: tuple[str, ...] = ()  # 'YYYY-MM' of each month (empty without detail)
    frontier: Bill | None = None  # month 1's bill of the frontier share, when split
    # the split the plan was priced with (None: none asked, or no month below its model)
    split: FrontierSplit | None = None

    @property
    def successor(self) -> str | None:
        return self.current.replaced_by

    @property
    def first_total(self) -> float:
        """Month 1's whole bill: the serving model's, plus the frontier share's when split."""
        if self.frontier is None:
            return self.first.total
        return self.first.total + self.frontier.total

    def scaled(self, factor: float) -> Plan:
        """The plan at ``factor`` times the list prices (bills are linear in the prices; the
        months' cents are this plan's times the factor, rounded to cents again)."""
        return Plan(
            self.current,
            self.first.scaled(factor),
            self.horizon_usd * factor,
            self.switch_month,
            self.shut_down,
            tuple(round(u * factor, 2) for u in self.usd),
            self.serving,
            self.labels,
            self.frontier.scaled(factor) if self.frontier is not None else None,
            self.split,
        )

    @property
    def months(self) -> tuple[HostedMonth, ...]:
        return tuple(
            {"month": label, "model": m.id, "usd": usd}
            for label, m, usd in zip(self.labels, self.serving, self.usd, strict=True)
        )


Bills = dict[str, tuple[Bill | None, float]]
"""Bills of one evaluation's tokens and terms by model id, with their totals: a model is
billed once however many plans it serves in (as a successor, say). A bill only searched over
(the switch) keeps its total alone (None for the bill) until a plan needs its breakdown."""


def _billed(
    bills: Bills, model: HostedModel, inp: float, out: float, t: BillTerms
) -> tuple[Bill, float]:
    hit = bills.get(model.id)
    if hit is None or hit[0] is None:
        b = bill(model, inp, out, t)
        bills[model.id] = (b, b.total)
        return b, b.total
    return hit[0], hit[1]


def _billed_total(bills: Bills, model: HostedModel, inp: float, out: float, t: BillTerms) -> float:
    hit = bills.get(model.id)
    if hit is None:
        total = bill_total(model, inp, out, t)
        bills[model.id] = (None, total)
        return total
    return hit[1]


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
    months: Horizon | None = None,
    bills: Bills | None = None,
    split: FrontierSplit | None = None,
) -> Plan:
    """Price ``h`` month by month over ``horizon`` months from ``start`` (module doc).

    ``factors``: each month's volume over today's (the growth path; missing months: 1). A
    hosted bill is linear in the tokens, so a month costs its model's bill at today's volume
    times its factor. ``detail=False`` leaves the months empty (the totals are the same): the
    search for the cheapest switch compares totals only. ``months``: the same horizon,
    start, factors and catalog, precomputed (:class:`Horizon`); ``bills``: bills of the same
    tokens and terms already computed (filled as models are billed). ``split``: the frontier
    share kept on a frontier model (module doc)."""
    hz = months if months is not None else Horizon(catalog_hosted, start, horizon, factors)
    if bills is None:
        bills = {}
    if not detail:
        return _totals(h, inp, out, t, hz, bills, split)
    models, switch, runs = hz.chain(h)
    total = 0.0
    usd_months: list[float] = []
    keep = usd_months.append
    first, frontier = _first(bills, models[0], inp, out, t, split)
    factors, weights = hz.factors, hz.weights
    for model, lo, hi in runs:  # the serving model changes only at a shutdown
        b_total = _month_total(bills, model, inp, out, t, split)
        for i in range(lo, hi):
            usd = b_total * factors[i]
            total += usd * weights[i]
            keep(round(usd, 2))
    shut = h.shutdown is not None and h.shutdown <= start
    return Plan(
        h,
        first,
        total,
        switch,
        shut,
        tuple(usd_months),
        models,
        hz.labels,
        frontier,
        _used(split, runs),
    )


def _served(
    bills: Bills, model: HostedModel, inp: float, out: float, split: FrontierSplit | None
) -> tuple[Bills, float, float, Bill | None]:
    """What ``model`` is billed for while it serves the traffic: (the bills to keep its bill
    in, its input and output tokens, the frontier share's bill or None). With a split it
    takes, only the rest of the tokens, kept apart from the whole traffic's bills."""
    if split is not None and split.takes(model):
        return split.rest, split.rest_inp, split.rest_out, split.bill
    return bills, inp, out, None


def _month_total(
    bills: Bills,
    model: HostedModel,
    inp: float,
    out: float,
    t: BillTerms,
    split: FrontierSplit | None,
) -> float:
    """A month's bill total (at today's volume) while ``model`` serves the traffic."""
    book, i, o, front = _served(bills, model, inp, out, split)
    total = _billed_total(book, model, i, o, t)
    return total if front is None else total + front.total


def _first(
    bills: Bills,
    model: HostedModel,
    inp: float,
    out: float,
    t: BillTerms,
    split: FrontierSplit | None,
) -> tuple[Bill, Bill | None]:
    """Month 1's bill of the serving model and, when split that month, the share's bill."""
    book, i, o, front = _served(bills, model, inp, out, split)
    return _billed(book, model, i, o, t)[0], front


def _used(
    split: FrontierSplit | None, runs: tuple[tuple[HostedModel, int, int], ...]
) -> FrontierSplit | None:
    """``split`` when some month of the horizon puts the share on the frontier model."""
    if split is not None and any(split.takes(m) for m, _lo, _hi in runs):
        return split
    return None


def _totals(
    h: HostedModel,
    inp: float,
    out: float,
    t: BillTerms,
    hz: Horizon,
    bills: Bills,
    split: FrontierSplit | None = None,
) -> Plan:
    """:func:`plan` without the months: the same sums, month weights times volume factors
    added per serving model (the model changes only at a shutdown)."""
    models, switch, runs = hz.chain(h)
    first, frontier = _first(bills, models[0], inp, out, t, split)
    total = _horizon_total(h, inp, out, t, hz, bills, split)
    shut = h.shutdown is not None and h.shutdown <= hz.start
    return Plan(h, first, total, switch, shut, frontier=frontier, split=_used(split, runs))


def _horizon_total(
    h: HostedModel,
    inp: float,
    out: float,
    t: BillTerms,
    hz: Horizon,
    bills: Bills,
    split: FrontierSplit | None,
) -> float:
    """:func:`_totals`'s horizon total alone: the search for the cheapest switch compares
    totals and builds the plan of the winner only (a plan per model was a third of its time)."""
    models, _switch, runs = hz.chain(h)
    n = hz.n
    first_total = _month_total(bills, models[0], inp, out, t, split)
    stable = min(n, _ym(h.shutdown) - hz.base) if h.shutdown is not None else n
    total = first_total * hz.prefix(stable) if stable > 0 else 0.0
    if stable < n:
        # the months from the shutdown on, one by one (the same additions as month by month)
        wf = hz.wf
        start = max(stable, 0)
        for model, lo, hi in runs:
            if hi <= start:
                continue
            b_total = _month_total(bills, model, inp, out, t, split)
            for x in wf[max(lo, start) : hi]:
                total += b_total * x
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
    *,
    months: Horizon | None = None,
    bills: Bills | None = None,
    min_level: int = 0,
    split: FrontierSplit | None = None,
    provider: str | None = None,
) -> tuple[Plan, SwitchHosted] | None:
    """The cheapest hosted model of the current model's tier or higher, and of at least
    ``min_level`` (the capability the work needs, :data:`TIER_LEVEL`), over the horizon, among
    models still served at the start (a shut-down model is its successor); with a residency
    need, only models that offer regional processing; with ``provider``, only that provider's
    models (the move staying hosted may make, module doc). Ties go to catalog order.
    ``months``, ``bills`` and ``split`` as for :func:`plan`: with a split, each model is priced
    with the frontier share on the frontier model in the months it is rated below it, as the
    current model is, so the row compares like with like."""
    hz = months if months is not None else Horizon(catalog_hosted, start, horizon, factors)
    if bills is None:
        bills = {}
    level = max(TIER_LEVEL[current.tier], min_level)
    winner: HostedModel | None = None
    best_usd = 0.0
    for h in catalog_hosted.values():
        if TIER_LEVEL[h.tier] < level:
            continue
        if h.shutdown is not None and h.shutdown <= start:
            continue
        if need_regional and h.regional_uplift_pct is None:
            continue
        if provider is not None and h.provider != provider:
            continue
        if h.shutdown is None:
            # served to the end: _horizon_total's sum in one step (month 1's bill times the
            # horizon's weighted volume), its arithmetic exactly
            usd = _month_total(bills, h, inp, out, t, split) * hz.prefix(hz.n)
        else:
            usd = _horizon_total(h, inp, out, t, hz, bills, split)
        if winner is None or usd < best_usd - 1e-9:
            winner, best_usd = h, usd
    if winner is None:
        return None
    best = _totals(winner, inp, out, t, hz, bills, split)
    m = best.current
    row: SwitchHosted = {
        "model": m.id,
        "name": m.name,
        "provider": m.provider,
        "tier": m.tier,
        "monthly_usd": round(best.first_total, 2),
        "horizon_usd": round(best.horizon_usd, 2),
        "input_usd_per_1m": m.input_usd_per_1m,
        "output_usd_per_1m": m.output_usd_per_1m,
        "switch_month": best.switch_month,
        "successor": m.replaced_by,
        "as_of": m.as_of.isoformat(),
        "source": m.source,
        "frontier_model": best.split.model.id if best.split is not None else None,
        "frontier_share_percent": best.split.share * 100.0 if best.split is not None else None,
    }
    return best, row


def changes(hz: Horizon, h: HostedModel, current: HostedModel) -> int:
    """How many times the traffic changes hosted model over the horizon when it runs on ``h``
    (followed along its successors) instead of ``current``, today's model: one for starting on
    another model than ``current`` (a move, or a shutdown before the start), one per shutdown
    within the horizon. Each change costs the same one-off (module doc, "Changing model")."""
    count, previous = 0, current.id
    for model, _lo, _hi in hz.chain(h).runs:
        if model.id != previous:
            count += 1
        previous = model.id
    return count


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
