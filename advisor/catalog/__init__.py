"""The catalog (dated prices, models, licences, GPUs, throughput, assumptions) and the cost and
licence models computed over it.

Public API::

    Catalog                      pydantic model of the merged catalog (Catalog.model_validate)
    CatalogFile                  schema of one catalog file
    FACT_SPECS, fact_specs()     the computed facts (cost.*, models.*) and what each needs
    derive(catalog, values, excluded) -> Derived(facts, costs, models)
    prepare(catalog)             per-catalog tables (derive() calls it; cached by identity)
    catalog_as_of(), catalog_oldest(), stale_entries()

Nothing here imports textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.catalog.derivation import Derived, derive
    from advisor.catalog.facts import FACT_SPECS, fact_specs
    from advisor.catalog.freshness import catalog_as_of, catalog_oldest, stale_entries
    from advisor.catalog.schema import Catalog, CatalogFile

# Imported eagerly: the function shares its name with its module, and a lazy attribute would be
# replaced by the module object as soon as anything imported ``advisor.catalog.prepare``.
from advisor.catalog.prepare import prepare

# Exported lazily: `advisor check` needs the schema and the fact specs, not the cost model.
_LAZY = {
    "Derived": "derivation",
    "derive": "derivation",
    "FACT_SPECS": "facts",
    "fact_specs": "facts",
    "catalog_as_of": "freshness",
    "catalog_oldest": "freshness",
    "stale_entries": "freshness",
    "Catalog": "schema",
    "CatalogFile": "schema",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'advisor.catalog' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "FACT_SPECS",
    "Catalog",
    "CatalogFile",
    "Derived",
    "catalog_as_of",
    "catalog_oldest",
    "derive",
    "fact_specs",
    "prepare",
    "stale_entries",
]
