"""Cost figures of a Decision arranged for the results screen (no Textual here).

``decision.costs`` comes from the catalog's cost model (advisor/catalog/derivation.py); every
key is read with ``.get`` so a figure the model could not compute (an unanswered question) shows
as a dash instead of failing. Rows are keyed by option (``stay_hosted``, not the cost model's
``hosted``), so the recommended option's row can be found by its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.present.curve import CostCurve, cost_entry
from advisor.present.labels import OPTIONS, short_label
from advisor.present.numbers import USD, Currency, currency_of, money, token_volume

SWITCH_HOSTED = "switch_hosted"
"""The "switch hosted model" row: the cheapest hosted model of the same or a higher tier. It
is not an option of its own (staying hosted on another model), so its entry lives inside
``costs.stay_hosted``."""

ROW_KEYS = ("stay_hosted", SWITCH_HOSTED, *(o for o in OPTIONS if o != "stay_hosted"))


def switch_entry(costs: Mapping[str, Any]) -> Mapping[str, Any]:
    """The "switch hosted model" row's entry, or {} when there is none or it repeats staying
    hosted: staying hosted already moves to that model in month 1 (``path`` "move"), so the
    row would show the same model and figures a second time."""
    hosted = cost_entry(costs, "stay_hosted")
    switch = hosted.get(SWITCH_HOSTED)
    if not isinstance(switch, Mapping):
        return {}
    if switch.get("model") == hosted.get("month1_model") and hosted.get("path") == "move":
        return {}
    return switch


def _entry(costs: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    if key == SWITCH_HOSTED:
        return switch_entry(costs)
    return cost_entry(costs, key)


SWITCH_LABEL = "Switch hosted model"


def row_label(key: str) -> str:
    """The short label of a cost row: the option's, or "Switch hosted model"."""
    return SWITCH_LABEL if key == SWITCH_HOSTED else short_label(key)


@dataclass(frozen=True)
class CostRow:
    key: str
    """The option (or ``switch_hosted``)."""
    label: str
    monthly: float | None
    horizon: float | None
    detail: str


def _num(mapping: Mapping[str, Any] | None, key: str) -> float | None:
    if not isinstance(mapping, Mapping):
        return None
    value = mapping.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def catalog_name(catalog: Any, section: str, key: Any) -> str:
    """The catalog's display name of an entry ("NVIDIA L40S" reads "L40S"), else its id."""
    entries = getattr(catalog, section, None) or ()
    entry = next((e for e in entries if getattr(e, "id", None) == key), None)
    name = getattr(entry, "name", None)
    if not name:
        return str(key)
    return str(name).removeprefix("NVIDIA ")


def deployment_words(dep: Any, catalog: Any = None) -> str:
    """A self-hosted deployment in words: "Llama 3.3 70B on 2 replicas of 4 H100 GPUs each"."""
    if not isinstance(dep, Mapping) or not dep.get("gpu"):
        return ""
    gpu = catalog_name(catalog, "gpus", dep.get("gpu"))
    model = catalog_name(catalog, "open_models", dep.get("model")) if dep.get("model") else ""
    replicas, per = dep.get("replicas"), dep.get("gpus_per_replica")
    if isinstance(replicas, int) and isinstance(per, int) and replicas and per:
        text = (
            f"{replicas} replica{'s' if replicas != 1 else ''} of {per} {gpu} "
            f"GPU{'s' if per != 1 else ''}" + (" each" if replicas != 1 and per != 1 else "")
        )
    else:
        total = dep.get("gpus_total")
        text = f"{total} {gpu} GPU{'s' if total != 1 else ''}" if total else f"{gpu} GPUs"
    return f"{model} on {text}" if model else text


def row_detail(
    key: str, entry: Mapping[str, Any], catalog: Any = None, currency: Currency = USD
) -> str:
    """What a cost row rests on, in words (the TUI, the CLI and the reports show the same);
    amounts in ``currency``."""
    if not entry:
        return ""
    if key == "stay_hosted":
        return _stay_words(entry, currency)
    if key == SWITCH_HOSTED:
        text = f"{entry.get('model')} ({entry.get('tier')} tier, {entry.get('provider')})"
        if entry.get("successor") and entry.get("switch_month"):
            text += f", {entry['successor']} from month {entry['switch_month']}"
        return text + _one_off_words(entry, currency) + _frontier_words(entry)
    if key == "managed_open":
        regions = ", ".join(str(r) for r in entry.get("regions") or ()) or "no region listed"
        text = (
            f"{entry.get('model')} via {entry.get('provider')} "
            f"(endpoint {entry.get('endpoint')}, regions {regions})"
        )
        migration = _num(entry, "migration_usd")
        if migration is not None:
            # the one-off move to the open model (advisor.catalog.managed.migration_usd)
            text += f"; migration once {money(migration, currency)} in the horizon total"
        return text
    words = deployment_words(entry.get("deployment"), catalog)
    if key == "hybrid":
        share = _num(entry, "frontier_share_percent")
        text = f"{share:g} % hosted" if share is not None else ""
        if entry.get("frontier_model"):
            text += f" on {entry['frontier_model']}"
        # no request needs the frontier (usage.frontier_share 0): the split hosts nothing
        rest_of = "the rest"
        if share == 0:
            text, rest_of = "no request needs the frontier (share 0 %)", "all"
        if entry.get("open_via") == "managed_open":
            rest = f"{rest_of} on a managed API ({entry.get('managed_endpoint')})"
        else:
            rest = f"{rest_of} self-hosted: {words}" if words else ""
        text = ", ".join(t for t in (text, rest) if t)
    else:
        text = words
    if entry.get("viable") is False:
        text += "; rests on a model that does not qualify (see models)"
    return text


def _stay_words(entry: Mapping[str, Any], currency: Currency) -> str:
    """How staying hosted is priced (advisor.catalog.hosted, "Changing model"), in words."""
    current = str(entry.get("current_model") or entry.get("model") or "")
    successor, month = entry.get("successor"), entry.get("switch_month")
    target = entry.get("month1_model")
    if entry.get("path") == "move":
        text = f"moving from {current} to {target} in month 1"
        waiting = f"staying on {current}"
        if entry.get("shut_down"):
            text += f" ({current} shut down {entry.get('shutdown')})"
            waiting = f"its successor {successor}"
        elif entry.get("shutdown") and month:
            text += f" ({current} shuts down {entry.get('shutdown')})"
            waiting += f" until then, then {successor},"
        stay = _num(entry, "current_horizon_usd")
        if stay is not None:
            text += f"; {waiting} would cost {money(stay, currency)} over the horizon"
    elif entry.get("shut_down"):
        text = f"{current} shut down {entry.get('shutdown')}: priced at {successor}"
    elif successor and month:
        text = (
            f"{current}, then its successor {successor} from month {month} "
            f"(shutdown {entry.get('shutdown')})"
        )
    else:
        text = current
    return text + _one_off_words(entry, currency) + _frontier_words(entry)


def _one_off_words(entry: Mapping[str, Any], currency: Currency) -> str:
    """A hosted plan's one-offs in its horizon total: changing model, routing the share."""
    parts = []
    change = _num(entry, "change_usd")
    if change:
        parts.append(f"changing model {money(change, currency)}")
    routing = _num(entry, "routing_usd")
    if routing:
        parts.append(f"routing the frontier share {money(routing, currency)}")
    return f"; once in the horizon total: {', '.join(parts)}" if parts else ""


def _frontier_words(entry: Mapping[str, Any]) -> str:
    """The frontier share a hosted row keeps on a frontier model, as the hybrid does."""
    model, share = entry.get("frontier_model"), _num(entry, "frontier_share_percent")
    if not model or share is None:
        return ""
    return f"; the {share:g} % needing the frontier on {model}"


def cost_rows(costs: Mapping[str, Any], catalog: Any = None) -> list[CostRow]:
    """One row per option, with "switch hosted model" after staying hosted."""
    out: list[CostRow] = []
    for key in ROW_KEYS:
        entry = _entry(costs, key)
        out.append(
            CostRow(
                key,
                row_label(key),
                _num(entry, "monthly_usd"),
                _num(entry, "horizon_usd"),
                row_detail(key, entry, catalog, currency_of(costs)),
            )
        )
    return out


def modifier_lines(costs: Mapping[str, Any]) -> list[str]:
    """Every bill modifier (long context, prompt cache, batch API, regional uplift, discount) of
    the hosted and the managed bill, with its effect on month 1, and the report currency's
    rate. Amounts in the report currency. (managed_open's one-off migration is in its row.)"""
    cur = currency_of(costs)
    out: list[str] = []
    for key in ("stay_hosted", "managed_open"):
        entry = _entry(costs, key)
        mods = [m for m in entry.get("modifiers") or () if isinstance(m, Mapping)]
        if not mods:
            continue
        listed = _num(entry, "list_monthly_usd")
        head = f"{row_label(key)} bill"
        if listed is not None:
            head += f" at list prices {money(listed, cur)} a month"
        out.append(head + ":")
        for m in mods:
            amount = _num(m, "monthly_usd") or 0.0
            sign = "-" if amount < 0 else "+"
            out.append(
                f"  {m.get('name')} ({_num(m, 'percent') or 0:g} %): "
                f"{sign}{money(abs(amount), cur)} a month, {m.get('note')}"
            )
    if cur.converted:
        out.append(f"Amounts in {cur.rate_text} (fixing {cur.fixing_date}; source: {cur.source}).")
    return out


def breakeven_subject(costs: Mapping[str, Any], start: bool = True) -> str:
    """Who breaks even, in words (``start``: capitalised, to open a sentence): "Self-hosting",
    or, when a real share of the requests needs the frontier
    (``costs.breakeven.frontier_share_percent``), "Self-hosting everything (with the 25 % of
    requests that need the frontier on an open model below that need)": the API keeps that
    share on a frontier model, so the figure compares unlike service, and the rules leave
    self-hosting everything out of the cost comparison."""
    entry = costs.get("breakeven")
    share = _num(entry, "frontier_share_percent") if isinstance(entry, Mapping) else None
    who = "Self-hosting" if start else "self-hosting"
    if not share:
        return who
    return (
        f"{who} everything (with the {share:g} % of requests that need the frontier on an open "
        "model below that need)"
    )


def breakeven_month_text(costs: Mapping[str, Any], follows: bool = False) -> str:
    """ "Self-hosting breaks even in month 9 of 24." (cumulative costs along the growth path),
    or that it does not within the horizon; ``""`` when the month was not computed.
    ``follows``: the sentence comes after one that named a long subject
    (:func:`breakeven_subject` with a frontier share), which it then calls "It"."""
    entry = costs.get("breakeven")
    horizon = _num(costs, "horizon_months")
    if not isinstance(entry, Mapping) or "month" not in entry or horizon is None:
        return ""
    month = entry.get("month")
    who = breakeven_subject(costs)
    if follows and who != "Self-hosting":
        who = "It"
    if isinstance(month, int) and not isinstance(month, bool):
        return f"{who} breaks even in month {month} of {horizon:g}."
    return f"{who} does not break even within the {horizon:g}-month horizon."


def breakeven_text(costs: Mapping[str, Any]) -> str:
    entry = costs.get("breakeven")
    if not isinstance(entry, Mapping):
        return "Break-even: not computed yet (answer the volume and cost questions)."
    who = breakeven_subject(costs, start=False)
    if not entry.get("reachable"):
        return f"Break-even: {who} never gets cheaper than the API at any volume."
    volume = _num(entry, "monthly_tokens")
    multiple = _num(entry, "multiple_of_current")
    # with a frontier share the label names what is compared, and the month sentence says "It"
    plain = who == "self-hosting"
    label = "Break-even" if plain else f"Break-even of {who}"
    text = f"{label}: {token_volume(volume)} a month" if volume else f"{label}: -"
    if multiple is not None:
        text += f", {multiple:.2g}x today's volume"
    month = breakeven_month_text(costs, follows=True)
    return text + "." + (f" {month}" if month else "")


THROUGHPUT_BASIS = {
    "measured": "measured",
    "interpolated": "interpolated between measured shapes",
    "estimated": "estimated (no measurement of this deployment)",
}


def throughput_text(dep: Any) -> str:
    """How the deployment's throughput is known, with its band: "Throughput estimated (...):
    9,157 output tokens/s a replica, band 7,860 (low) to 10,668 (high)"."""
    if not isinstance(dep, Mapping) or not dep:
        return ""
    fallback = "estimated" if dep.get("estimated") else "measured"
    basis = str(dep.get("throughput_basis") or fallback)
    tps = _num(dep, "throughput_tokens_per_s")
    text = f"Throughput {THROUGHPUT_BASIS.get(basis, basis)}"
    if tps is not None:
        text += f": {tps:,.0f} output tokens/s a replica"
    band = dep.get("throughput_band")
    if isinstance(band, Mapping):
        low, likely, high = _num(band, "low"), _num(band, "likely"), _num(band, "high")
        if low is not None and high is not None and low != high:
            text += f", band {low:,.0f} (low) to {high:,.0f} (high)"
            if likely is not None and tps is not None and abs(likely - tps) > 0.5:
                text += f", likely {likely:,.0f}"
    return text + "."


def breakdown_text(costs: Mapping[str, Any]) -> str:
    entry = costs.get("self_host")
    if not isinstance(entry, Mapping):
        return ""
    parts = entry.get("breakdown")
    if not isinstance(parts, Mapping):
        return ""
    names = {"gpu": "GPUs", "power_overhead": "power", "people": "people", "migration": "migration"}
    cur = currency_of(costs)
    items = [f"{names.get(k, k)} {money(v, cur)}" for k, v in parts.items()]
    return "Self-hosted a month: " + ", ".join(items) + "."


def curve_series(curve: CostCurve) -> dict[str, list[tuple[float, float]]]:
    """Option -> (tokens a month, USD a month) for each point where the option has a cost.

    What the TUI's chart plots; the report's chart plots the same points of the same curve.
    """
    out: dict[str, list[tuple[float, float]]] = {}
    for option in OPTIONS:
        line = [(p.tokens, v) for p in curve.points if (v := p.monthly.get(option)) is not None]
        if line:
            out[option] = line
    return out


__all__ = [
    "SWITCH_HOSTED",
    "CostRow",
    "breakdown_text",
    "breakeven_month_text",
    "breakeven_text",
    "catalog_name",
    "cost_rows",
    "curve_series",
    "deployment_words",
    "modifier_lines",
    "row_detail",
    "row_label",
    "throughput_text",
]
