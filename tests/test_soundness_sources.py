"""Issue 14, item 4: every source the default rules cite resolves to a full citation a reader
can check, article points are cited only where they support the claim, and check rejects an
undefined source."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.engine.ruleset import load_ruleset
from advisor.load.bundle import default_rules_dir
from advisor.problems import AdvisorError

RULESET = load_ruleset(None)

# Where each article point may be cited (seed/README.md: what each supports and what it does not).
ALLOWED_ARTICLE_CITATIONS = {
    "article:A4": {"reasoning-within-open-reach", "chinese-origin-excluded"},
    "article:A6": {"lock-in-high", "lock-in-low", "long-horizon-uncertainty"},
    "article:A7": {"open-models-meet-need", "fine-tuning-open-weights"},
}


def test_every_cited_source_has_a_full_entry() -> None:
    licences = {lic.id: lic for lic in RULESET.catalog.licenses}
    for cr in RULESET.rules:
        for sid in cr.rule.sources:
            scheme, _, key = sid.partition(":")
            if scheme == "license":
                lic = licences[key.split("#")[0]]
                assert str(lic.text_location).startswith("https://"), sid
                continue
            ref = RULESET.bundle.sources[sid]
            assert ref.citation, f"{sid} (cited by {cr.rule.id}) has no citation"
            assert ref.url or ref.shipped_copy or scheme in ("article", "practice"), sid
            if ref.shipped_copy:
                assert (default_rules_dir() / ref.shipped_copy).is_file(), ref.shipped_copy


def test_article_points_are_cited_only_where_they_support_the_claim() -> None:
    for cr in RULESET.rules:
        for sid in cr.rule.sources:
            if sid.startswith("article:"):
                assert cr.rule.id in ALLOWED_ARTICLE_CITATIONS.get(sid, set()), (sid, cr.rule.id)


def test_dora_is_cited_only_by_the_critical_function_rule() -> None:
    citing = {cr.rule.id for cr in RULESET.rules if "ref:dora-art-28" in cr.rule.sources}
    assert citing == {"eu-finance-exit-strategy"}
    rule = RULESET.bundle.rules["eu-finance-exit-strategy"]
    assert isinstance(rule.when, str) and "org.critical_function" in rule.when


@pytest.mark.parametrize("source", ["policy:nw-missing", "ref:nowhere", "facts:absent.md"])
def test_check_rejects_an_undefined_source(rules_dir: Callable[..., Path], source: str) -> None:
    text = f"""
rules:
  - id: r
    category: cost
    when: data.air_gapped
    veto: [hybrid]
    because: x
    source: {source}
"""
    with pytest.raises(AdvisorError) as err:
        load_ruleset([rules_dir({"rules.yaml": text})])
    assert "ADV408" in str(err.value) and source in str(err.value)
