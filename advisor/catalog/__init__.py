"""The catalog (dated prices, models, licences, GPUs, throughput, assumptions) and the cost and
licence models computed over it.

Public API::

    Catalog                      pydantic model of the merged catalog (Catalog.model_validate)
    CatalogFile                  schema of one catalog file
    FACT_SPECS, fact_specs()     the computed facts (cost.*, models.*) and what each needs
    derive(catalog, values, excluded) -> Derived(facts, costs, models)
    prepare(catalog)             per-catalog tables (derive() calls it; cached by identity)
    catalog_as_of(), catalog_oldest(), stale_entries()
    load_catalog_dir()           merge catalog/ folders of layered rules directories

Nothing here imports textual.
"""

from __future__ import annotations

from .derivation import Derived, derive
from .facts import FACT_SPECS, fact_specs
from .freshness import catalog_as_of, catalog_oldest, stale_entries
from .layers import load_catalog_dir, merge_layers
from .prepare import prepare
from .schema import Catalog, CatalogFile

__all__ = [
    "FACT_SPECS",
    "Catalog",
    "CatalogFile",
    "Derived",
    "catalog_as_of",
    "catalog_oldest",
    "derive",
    "fact_specs",
    "load_catalog_dir",
    "merge_layers",
    "prepare",
    "stale_entries",
]
