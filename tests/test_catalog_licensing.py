"""Licence and policy eligibility of the open models, each clause both ways, and capability fit."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from helpers.catalog_layers import load_catalog_dir, merge_layers
from helpers.workloads import catalog_docs

from advisor.catalog import Catalog, derive
from advisor.model.parts import ModelEntry

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "rules" / "catalog"

LLAMA = ("llama-3.1-8b", "llama-3.3-70b", "llama-3.1-405b", "llama-4-scout", "llama-4-maverick")
LLAMA_4 = ("llama-4-scout", "llama-4-maverick")

BASE: dict[str, Any] = {
    "org.hq_region": "us",
    "org.monthly_active_users": 1_000_000,
    "org.intended_use": [],
    "usage.capability_need": "general",
    "usage.needs_multimodal": False,
    "licensing.redistributes_model": False,
    "licensing.attribution_acceptable": True,
    "licensing.excluded_origins": [],
}


@cache
def default_catalog() -> Catalog:
    return load_catalog_dir(CATALOG_DIR)


def catalog_with(*layers: dict[str, Any]) -> Catalog:
    # the packaged files read once (merge_layers copies what it merges: they stay as read)
    return Catalog.model_validate(merge_layers([*catalog_docs(), *layers]))


def models(
    catalog: Catalog | None = None, excluded: dict[str, list[str]] | None = None, **changes: Any
) -> dict[str, ModelEntry]:
    values = {**BASE, **{k.replace("__", "."): v for k, v in changes.items()}}
    result = derive(catalog or default_catalog(), values, excluded or {})
    return {m["id"]: m for m in result.models}


def facts(**changes: Any) -> dict[str, Any]:
    values = {**BASE, **{k.replace("__", "."): v for k, v in changes.items()}}
    return derive(default_catalog(), values, {}).facts


def barred(result: dict[str, ModelEntry]) -> set[str]:
    return {mid for mid, m in result.items() if not m["eligible"]}


def test_everything_is_eligible_for_a_plain_us_company() -> None:
    result = models()
    assert barred(result) == set()
    assert all(m["reasons"] == [] and not m["provisional"] for m in result.values())


# --- Llama: 700M MAU --------------------------------------------------------------------------


def test_llama_grants_no_rights_above_700m_monthly_active_users() -> None:
    result = models(org__monthly_active_users=700_000_001)
    assert barred(result) == set(LLAMA)
    reason = result["llama-3.1-8b"]["reasons"][0]
    assert "Llama 3.1 Community License" in reason and "line 32" in reason
    assert "700,000,000" in reason and "700,000,001" in reason
    assert "line 46" in result["llama-4-scout"]["reasons"][0]
    assert "line 33" in result["llama-3.3-70b"]["reasons"][0]
    assert facts(org__monthly_active_users=700_000_001)["models.mau_blocked"] is True


def test_llama_at_or_below_700m_is_fine() -> None:
    assert barred(models(org__monthly_active_users=700_000_000)) == set()
    assert facts(org__monthly_active_users=700_000_000)["models.mau_blocked"] is False


# --- Llama 4: EU multimodal clause --------------------------------------------------------------


def test_llama_4_multimodal_models_are_barred_for_an_eu_company() -> None:
    result = models(org__hq_region="eu")
    assert barred(result) == set(LLAMA_4)
    reason = result["llama-4-scout"]["reasons"][0]
    assert "Llama 4 Community License" in reason and "USE_POLICY.md line 71" in reason
    assert "European Union" in reason
    f = facts(org__hq_region="eu")
    assert f["models.llama_eu_blocked"] is True and f["models.eu_multimodal_blocked"] is True
    # text-only Llama models and other multimodal models under other licences are unaffected
    assert result["llama-3.3-70b"]["eligible"] and result["gemma-3-27b"]["eligible"]
    assert result["mistral-small-3.1"]["eligible"]


@pytest.mark.parametrize("region", ["us", "uk", "apac", "other"])
def test_llama_4_is_fine_outside_the_eu(region: str) -> None:
    assert barred(models(org__hq_region=region)) == set()
    assert facts(org__hq_region=region)["models.llama_eu_blocked"] is False


def test_the_eu_clause_applies_even_to_text_only_use() -> None:
    """The clause withholds rights to the model, whatever modality the company uses."""
    assert barred(models(org__hq_region="eu", usage__needs_multimodal=False)) == set(LLAMA_4)


# --- attribution and naming -------------------------------------------------------------------


def test_redistribution_without_acceptable_attribution_bars_llama() -> None:
    result = models(licensing__redistributes_model=True, licensing__attribution_acceptable=False)
    assert barred(result) == set(LLAMA)
    reason = result["llama-4-maverick"]["reasons"][0]
    assert "Built with Llama" in reason and "line 35" in reason
    assert "any product or service" in reason  # issue 12: not only redistribution
    assert "Llama 4 Community License" in reason
    assert result["gemma-3-27b"]["eligible"] and result["deepseek-r1"]["eligible"]
    assert (
        facts(licensing__redistributes_model=True, licensing__attribution_acceptable=False)[
            "models.attribution_blocked"
        ]
        is True
    )


def test_built_with_llama_binds_any_product_or_service() -> None:
    """Issue 12: Llama's "Built with Llama" (§1.b.i) binds any product or service that contains
    Llama or makes it available, so refusing the attribution bars Llama even without shipping
    the weights; an attribution that binds only redistribution (Tongyi Qianwen) does not."""
    result = models(licensing__redistributes_model=False, licensing__attribution_acceptable=False)
    assert barred(result) == set(LLAMA)
    assert "any product or service" in result["llama-3.3-70b"]["reasons"][0]
    layer = catalog_with({"open_models": [{"id": "qwen3-32b", "license": "qwen"}]})
    internal = models(
        layer, licensing__redistributes_model=False, licensing__attribution_acceptable=False
    )
    assert internal["qwen3-32b"]["eligible"]


def test_acceptable_attribution_becomes_an_obligation() -> None:
    result = models(licensing__redistributes_model=True, licensing__attribution_acceptable=True)
    assert barred(result) == set()
    obligations = " ".join(result["llama-3.3-70b"]["obligations"])
    assert "Built with Llama" in obligations and "copy of the licence" in obligations
    assert '"Llama"' in obligations  # a shipped derivative's name starts with "Llama"
    assert any("NOTICE" in o for o in result["qwen3-32b"]["obligations"])  # Apache 2.0


# --- Qwen (Tongyi Qianwen) 100M MAU -----------------------------------------------------------


def test_qwen3_is_apache_so_the_qwen_mau_clause_does_not_apply() -> None:
    result = models(org__monthly_active_users=150_000_000)
    assert result["qwen3-32b"]["license"] == "apache-2.0"
    assert result["qwen3-32b"]["eligible"]


def test_a_model_under_the_tongyi_qianwen_licence_is_barred_above_100m() -> None:
    layer = catalog_with({"open_models": [{"id": "qwen3-32b", "license": "qwen"}]})
    over = models(layer, org__monthly_active_users=150_000_000)
    assert not over["qwen3-32b"]["eligible"]
    reason = over["qwen3-32b"]["reasons"][0]
    assert "Tongyi Qianwen License Agreement" in reason and "100,000,000" in reason
    under = models(layer, org__monthly_active_users=50_000_000)
    assert under["qwen3-32b"]["eligible"]
    # and its "Built with Qwen" attribution binds like Llama's
    shipped = models(
        layer, licensing__redistributes_model=True, licensing__attribution_acceptable=False
    )
    assert "Built with Qwen" in shipped["qwen3-32b"]["reasons"][0]


# --- non-commercial licences, origins, rules ----------------------------------------------------


def test_a_non_commercial_licence_bars_the_model() -> None:
    layer = catalog_with(
        {"open_models": [{"id": "mistral-small-3.1", "license": "mistral-research"}]}
    )
    result = models(layer)
    assert barred(result) == {"mistral-small-3.1"}
    reason = result["mistral-small-3.1"]["reasons"][0]
    assert "Mistral Research License" in reason and "commercial use is not permitted" in reason
    assert models()["mistral-small-3.1"]["eligible"]


def test_excluded_origins_bar_models_from_there() -> None:
    result = models(licensing__excluded_origins=["cn"])
    chinese = {
        "deepseek-r1", "deepseek-v3", "deepseek-v3.1", "deepseek-v3.2", "qwen3-32b",
        "qwen3-235b-a22b", "qwen3-235b-a22b-instruct-2507", "qwen3-30b-a3b-instruct-2507",
        "glm-4.5", "glm-4.6", "kimi-k2-instruct-0905", "kimi-k2-thinking",
    }  # fmt: skip
    assert barred(result) == chinese
    reason = result["deepseek-r1"]["reasons"][0]
    assert "licensing.excluded_origins" in reason and "China" in reason
    assert barred(models(licensing__excluded_origins=["us"])) == {
        *LLAMA,
        "gpt-oss-20b",
        "gpt-oss-120b",
        "gemma-3-27b",
    }
    assert barred(models(licensing__excluded_origins=["eu"])) == {
        "mistral-small-3.1",
        "mixtral-8x22b",
    }
    assert facts(licensing__excluded_origins=["cn"])["models.origin_blocked_count"] == 12


def test_rule_exclusions_add_their_reasons() -> None:
    result = models(excluded={"gpt-oss-20b": ["Rule x: too small for our evals."]})
    assert barred(result) == {"gpt-oss-20b"}
    assert result["gpt-oss-20b"]["reasons"] == ["Rule x: too small for our evals."]


def test_several_bars_are_all_reported() -> None:
    result = models(
        org__hq_region="eu",
        org__monthly_active_users=800_000_000,
        licensing__redistributes_model=True,
        licensing__attribution_acceptable=False,
    )
    assert len(result["llama-4-scout"]["reasons"]) == 3


def test_terms_are_read_from_data_not_from_model_names() -> None:
    """Give Apache 2.0 an EU multimodal clause in a layer: Mistral Small 3.1 is then barred."""
    layer = catalog_with(
        {"licenses": [{"id": "apache-2.0", "eu_multimodal_restriction": True,
                       "eu_multimodal_clause": "test clause 9"}]}
    )  # fmt: skip
    result = models(layer, org__hq_region="eu")
    assert barred(result) == {*LLAMA_4, "mistral-small-3.1"}
    assert "test clause 9" in result["mistral-small-3.1"]["reasons"][0]


def test_every_reason_names_its_licence_and_clause() -> None:
    cases: list[dict[str, Any]] = [
        {"org__hq_region": "eu"},
        {"org__monthly_active_users": 900_000_000},
        {"licensing__redistributes_model": True, "licensing__attribution_acceptable": False},
    ]
    for case in cases:
        for m in models(**case).values():
            for reason in m["reasons"]:
                assert m["license_name"] in reason, reason
                assert "line" in reason or "clause" in reason, reason


def test_obligations_without_bars() -> None:
    result = models()
    gemma = " ".join(result["gemma-3-27b"]["obligations"])
    assert "hosted service counts as distribution" in gemma and "restrict" in gemma
    assert any("acceptable-use policy" in o for o in result["llama-4-scout"]["obligations"])


# --- unanswered questions -----------------------------------------------------------------------


def test_an_unanswered_clause_is_pending_not_barring() -> None:
    values = {k: v for k, v in BASE.items() if k != "org.hq_region"}
    result = derive(default_catalog(), values, {})
    by_id = {m["id"]: m for m in result.models}
    assert by_id["llama-4-scout"]["eligible"] and by_id["llama-4-scout"]["provisional"]
    assert by_id["llama-4-scout"]["pending"] == ["org.hq_region"]
    assert not by_id["llama-3.3-70b"]["provisional"]
    assert "models.eligible" not in result.facts
    assert "models.llama_eu_blocked" not in result.facts
    # the acceptable-use question unanswered leaves every Llama model pending on it too
    values = {k: v for k, v in BASE.items() if k != "org.intended_use"}
    by_id = {m["id"]: m for m in derive(default_catalog(), values, {}).models}
    assert by_id["llama-3.3-70b"]["eligible"] and by_id["llama-3.3-70b"]["provisional"]
    assert by_id["llama-3.3-70b"]["pending"] == ["org.intended_use"]
    assert not by_id["qwen3-32b"]["provisional"]


# --- capability fit -----------------------------------------------------------------------------


def test_capability_tiers() -> None:
    def capable(**changes: Any) -> list[str]:
        return list(facts(**changes)["models.capable"])

    # the 2026-12 models (issue 12) join the reasoning tier with their sourced quality tier
    assert capable(usage__capability_need="reasoning") == [
        "deepseek-r1", "gpt-oss-120b", "qwen3-235b-a22b", "deepseek-v3.2", "deepseek-v3.1",
        "glm-4.5", "glm-4.6", "kimi-k2-thinking",
    ]  # fmt: skip
    assert "llama-3.1-8b" not in capable(usage__capability_need="general")
    assert "gpt-oss-20b" not in capable(usage__capability_need="general")
    assert len(capable(usage__capability_need="simple")) == 22
    assert capable(usage__capability_need="frontier") == []
    assert capable(usage__capability_need="general", usage__needs_multimodal=True) == [
        "llama-4-scout",
        "llama-4-maverick",
        "mistral-small-3.1",
        "gemma-3-27b",
    ]


def test_fit_is_reported_beside_eligibility() -> None:
    result = models(org__hq_region="eu", usage__needs_multimodal=True)
    scout = result["llama-4-scout"]
    assert scout["meets_need"] is True and scout["eligible"] is False and not scout["viable"]
    r1 = result["deepseek-r1"]
    assert r1["meets_need"] is False and any("text only" in r for r in r1["fit_reasons"])
    assert r1["eligible"] is True
    f = facts(org__hq_region="eu", usage__needs_multimodal=True)
    assert f["models.viable"] == ["mistral-small-3.1", "gemma-3-27b"]
    assert f["models.viable_count"] == 2 and f["models.any_viable"] is True


def test_best_viable_is_the_strongest_tier() -> None:
    assert facts(usage__capability_need="general")["models.best_viable"] in {
        "deepseek-r1",
        "gpt-oss-120b",
        "qwen3-235b-a22b",
    }
    assert "models.best_viable" not in facts(usage__capability_need="frontier")


def test_unanswered_need_leaves_fit_open() -> None:
    values = {k: v for k, v in BASE.items() if k != "usage.capability_need"}
    result = derive(default_catalog(), values, {})
    assert all(m["meets_need"] is None for m in result.models)
    assert "models.capable" not in result.facts and "models.eligible" in result.facts
