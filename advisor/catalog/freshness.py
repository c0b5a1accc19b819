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


def stale_entries(
    catalog: Catalog, today: _dt.date, max_age_days: int = 180
) -> list[tuple[str, str, _dt.date]]:
    """(section, id, date) of every entry with a figure older than ``max_age_days``.

    An entry with several dates (a GPU's specifications, rental and purchase prices) is
    reported once, with its oldest date.
    """
    out: list[tuple[str, str, _dt.date]] = []
    for section in SECTIONS:
        for entry in getattr(catalog, section):
            oldest = min(entry.dates())
            if (today - oldest).days > max_age_days:
                out.append((section, entry.id, oldest))
    return out
