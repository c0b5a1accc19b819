"""How old the catalog's figures are."""

from __future__ import annotations

import datetime as _dt

from advisor.catalog.schema import SECTIONS, Catalog


def catalog_as_of(catalog: Catalog) -> str:
    """The newest date in the catalog, ISO formatted ('' for an empty catalog)."""
    dates = [d for section in SECTIONS for e in getattr(catalog, section) for d in e.dates()]
    return max(dates).isoformat() if dates else ""


def catalog_oldest(catalog: Catalog) -> str:
    """The oldest date in the catalog, ISO formatted ('' for an empty catalog)."""
    dates = [d for section in SECTIONS for e in getattr(catalog, section) for d in e.dates()]
    return min(dates).isoformat() if dates else ""


PRICE_SECTIONS = ("hosted_models", "managed_endpoints")
"""Per-token prices: vendors change them within weeks (GPT-5.6 was cut twice in a month), so
they go stale sooner than hardware figures."""
PRICE_MAX_AGE_DAYS = 90


def stale_entries(
    catalog: Catalog,
    today: _dt.date,
    max_age_days: int = 180,
    price_max_age_days: int = PRICE_MAX_AGE_DAYS,
) -> list[tuple[str, str, _dt.date, int]]:
    """(section, id, date, limit) of every entry with a figure older than its limit:
    ``price_max_age_days`` for per-token prices (:data:`PRICE_SECTIONS`), ``max_age_days`` for
    the rest.

    An entry with several dates (a GPU's specifications, rental and purchase prices) is
    reported once, with its oldest date.
    """
    out: list[tuple[str, str, _dt.date, int]] = []
    for section in SECTIONS:
        limit = price_max_age_days if section in PRICE_SECTIONS else max_age_days
        for entry in getattr(catalog, section):
            oldest = min(entry.dates())
            if (today - oldest).days > limit:
                out.append((section, entry.id, oldest, limit))
    return out
