"""The cost-model tests' shared setup: the packaged catalog, loaded once per session, layers
merged over it, and one ordinary workload to vary (tests/test_catalog_costs.py and the
hand-checked figures of tests/test_sizing_handchecked.py both start from it)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from advisor.catalog.schema import Catalog

from .catalog_layers import load_catalog_dir, merge_layers, read_yaml

ROOT = Path(__file__).resolve().parents[2]
CATALOG_DIR = ROOT / "rules" / "catalog"

# A US technology company on GPT-4o with 4 B tokens a month, steady traffic, general work with
# a 20 % frontier share, ordinary data, two ML engineers and cloud GPUs, over 36 months.
BASE: dict[str, Any] = {
    "org.hq_region": "us",
    "org.industry": "technology",
    "org.monthly_active_users": 5_000_000,
    "org.intended_use": [],
    "usage.monthly_input_tokens": 3e9,
    "usage.monthly_output_tokens": 1e9,
    "usage.current_model": "gpt-4o",
    "usage.traffic_pattern": "steady",
    "usage.capability_need": "general",
    "usage.frontier_share": 20.0,
    "usage.needs_multimodal": False,
    "data.sensitivity": "internal",
    "data.residency": "none",
    "data.air_gapped": False,
    "licensing.redistributes_model": False,
    "licensing.trains_on_outputs": False,
    "licensing.attribution_acceptable": True,
    "licensing.excluded_origins": [],
    "ops.ml_engineers": 2,
    "ops.gpu_source": "cloud",
    "ops.oncall_24x7": False,
    "ops.engineer_annual_cost_usd": 180_000.0,
    "strategy.horizon_months": 36,
}


def answers(**changes: Any) -> dict[str, Any]:
    """BASE with ``changes`` (``usage__frontier_share=0`` sets ``usage.frontier_share``)."""
    out = dict(BASE)
    out.update({k.replace("__", "."): v for k, v in changes.items()})
    return out


@cache
def catalog_docs() -> tuple[dict[str, Any], ...]:
    return tuple(read_yaml(p) for p in sorted(CATALOG_DIR.glob("*.yaml")))


@cache
def default_catalog() -> Catalog:
    """The packaged catalog (rules/catalog), validated once per session."""
    return load_catalog_dir(CATALOG_DIR)


def catalog_with(*layers: dict[str, Any]) -> Catalog:
    """The default catalog with override layers merged over it, as the loader does."""
    return Catalog.model_validate(merge_layers([*catalog_docs(), *layers]))
