"""``import_prices``: hosted prices refreshed from a litellm price map, edited in place."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers.catalog_layers import load_catalog_dir

from advisor.catalog.prices import format_changes, import_prices
from advisor.problems import AdvisorError

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "rules" / "catalog"
LITELLM = ROOT / "tests" / "data" / "litellm_model_prices.subset.json"
TODAY = date(2026, 12, 1)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, target)
    return target


def price_map(tmp_path: Path, entries: dict[str, Any]) -> Path:
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(entries))
    return path


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def test_changed_prices_are_written_in_place_keeping_comments_and_order(
    catalog: Path, tmp_path: Path
) -> None:
    before = (catalog / "hosted.yaml").read_text()
    prices = price_map(
        tmp_path,
        {
            "gpt-4o": {
                "input_cost_per_token": 2e-06,
                "output_cost_per_token": 8e-06,
                "cache_read_input_token_cost": 1.25e-06,
            },
            "gemini/gemini-2.5-pro": {"input_cost_per_token": 1.25e-06},
            "unrelated-model": {"input_cost_per_token": 1.0},
        },
    )
    changes = import_prices(prices, catalog, TODAY)
    after = (catalog / "hosted.yaml").read_text()

    assert comments(after) == comments(before)
    moved = {(c.model, c.field): (c.old, c.new) for c in changes}
    assert moved[("gpt-4o", "input_usd_per_1m")] == (2.5, 2.0)
    assert moved[("gpt-4o", "output_usd_per_1m")] == (10.0, 8.0)
    assert ("gpt-4o", "cached_input_usd_per_1m") not in moved  # unchanged
    assert moved[("gpt-4o", "as_of")] == ("2026-07-24", "2026-12-01")
    assert moved[("gemini-2.5-pro", "as_of")] == ("2026-07-24", "2026-12-01")
    assert ("gpt-4o-mini", "as_of") not in moved  # not in the map: untouched

    # only the lines of the two entries found changed; the rest is byte for byte the same
    diff = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(diff) == 2 + 2 + 2  # gpt-4o: 2 prices, as_of, source; gemini: as_of, source
    assert "    input_usd_per_1m: 2.0" in after.splitlines()

    reloaded = {h.id: h for h in load_catalog_dir(catalog).hosted_models}
    assert reloaded["gpt-4o"].input_usd_per_1m == 2.0
    assert reloaded["gpt-4o"].output_usd_per_1m == 8.0
    assert reloaded["gpt-4o"].as_of == TODAY
    assert "prices.json" in reloaded["gpt-4o"].source
    assert reloaded["gpt-4o-mini"].as_of == date(2026, 7, 24)
    assert list(reloaded) == [h.id for h in load_catalog_dir(CATALOG_DIR).hosted_models]

    text = format_changes(changes)
    assert "gpt-4o: input_usd_per_1m 2.5 -> 2.0; output_usd_per_1m 10.0 -> 8.0" in text
    assert "gemini-2.5-pro: prices unchanged (as_of 2026-07-24 -> 2026-12-01)" in text
    assert "1 of 2 hosted models changed price." in text


def test_the_shipped_price_map_matches_the_catalog(catalog: Path) -> None:
    changes = import_prices(LITELLM, catalog, TODAY)
    assert {c.field for c in changes} == {"as_of"}
    assert len(changes) == 11
    assert "0 of 11 hosted models changed price." in format_changes(changes)


def test_a_second_import_changes_nothing(catalog: Path, tmp_path: Path) -> None:
    prices = price_map(tmp_path, {"o1": {"input_cost_per_token": 1e-05}})
    assert import_prices(prices, catalog, TODAY)
    text = (catalog / "hosted.yaml").read_text()
    assert import_prices(prices, catalog, TODAY) == []
    assert (catalog / "hosted.yaml").read_text() == text
    assert "nothing changed" in format_changes([])


def test_missing_fields_are_added_and_flow_style_entries_are_edited(tmp_path: Path) -> None:
    folder = tmp_path / "layer"
    folder.mkdir()
    (folder / "prices.yaml").write_text(
        "# our negotiated prices\n"
        "hosted_models:\n"
        "  - id: gpt-4o  # the workhorse\n"
        "    input_usd_per_1m: 2.5\n"
        "    as_of: 2026-01-01\n"
        "    note: >-\n"
        "      a folded\n"
        "      note\n"
        "  - {id: o3, litellm_key: o3, output_usd_per_1m: 9.0, as_of: 2026-01-01}\n"
    )
    prices = price_map(
        tmp_path,
        {
            "gpt-4o": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05},
            "o3": {"input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06},
        },
    )
    changes = import_prices(prices, folder, TODAY, source="vendor quote, Q4")
    text = (folder / "prices.yaml").read_text()
    assert text.startswith("# our negotiated prices\n")
    assert "  - id: gpt-4o  # the workhorse\n" in text
    assert "    output_usd_per_1m: 10.0\n" in text
    assert "    source: vendor quote, Q4" in text
    assert "      note\n    output_usd_per_1m: 10.0\n" in text
    assert "output_usd_per_1m: 8.0" in text and "input_usd_per_1m: 2.0" in text
    import yaml

    data = yaml.safe_load(text)["hosted_models"]
    assert data[0]["output_usd_per_1m"] == 10.0 and data[0]["as_of"] == TODAY
    assert data[0]["note"] == "a folded note"
    assert data[1] == {
        "id": "o3",
        "litellm_key": "o3",
        "output_usd_per_1m": 8.0,
        "as_of": TODAY,
        "input_usd_per_1m": 2.0,
        "source": "vendor quote, Q4",
    }
    assert ("gpt-4o", "output_usd_per_1m", None, 10.0) in [
        (c.model, c.field, c.old, c.new) for c in changes
    ]


def test_writes_leave_no_temporary_files(catalog: Path, tmp_path: Path) -> None:
    names = sorted(p.name for p in catalog.iterdir())
    import_prices(price_map(tmp_path, {"o1": {"input_cost_per_token": 1e-05}}), catalog, TODAY)
    assert sorted(p.name for p in catalog.iterdir()) == names


def test_an_unreadable_price_map_is_a_located_error(catalog: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(AdvisorError) as exc:
        import_prices(bad, catalog, TODAY)
    (problem,) = exc.value.problems
    assert problem.code == "ADV605" and problem.location.file == str(bad)
    bad.write_text("[1, 2]")
    with pytest.raises(AdvisorError):
        import_prices(bad, catalog, TODAY)
