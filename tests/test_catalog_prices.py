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
LATER = date(2026, 12, 15)  # a map newer than the catalog's 2026-12-01 figures
MAP_DATE = date(2026, 7, 24)  # the shipped map (tests/data/README.md)


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
    changes = import_prices(prices, catalog, LATER)
    after = (catalog / "hosted.yaml").read_text()

    assert comments(after) == comments(before)
    moved = {(c.model, c.field): (c.old, c.new) for c in changes}
    assert moved[("gpt-4o", "input_usd_per_1m")] == (2.5, 2.0)
    assert moved[("gpt-4o", "output_usd_per_1m")] == (10.0, 8.0)
    assert ("gpt-4o", "cached_input_usd_per_1m") not in moved  # unchanged
    assert moved[("gpt-4o", "as_of")] == ("2026-12-01", "2026-12-15")
    assert moved[("gemini-2.5-pro", "as_of")] == ("2026-12-01", "2026-12-15")
    assert ("gpt-4o-mini", "as_of") not in moved  # not in the map: untouched

    # only the lines of the two entries found changed; the rest is byte for byte the same
    diff = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(diff) == 2 + 2 + 2  # gpt-4o: 2 prices, as_of, source; gemini: as_of, source
    assert "    input_usd_per_1m: 2.0" in after.splitlines()

    reloaded = {h.id: h for h in load_catalog_dir(catalog).hosted_models}
    assert reloaded["gpt-4o"].input_usd_per_1m == 2.0
    assert reloaded["gpt-4o"].output_usd_per_1m == 8.0
    assert reloaded["gpt-4o"].as_of == LATER
    assert "prices.json" in reloaded["gpt-4o"].source
    assert reloaded["gpt-4o-mini"].as_of == TODAY
    assert list(reloaded) == [h.id for h in load_catalog_dir(CATALOG_DIR).hosted_models]

    text = format_changes(changes)
    assert "gpt-4o: input_usd_per_1m 2.5 -> 2.0; output_usd_per_1m 10.0 -> 8.0" in text
    assert "gemini-2.5-pro: prices unchanged (as_of 2026-12-01 -> 2026-12-15)" in text
    assert "1 of 2 hosted models changed price." in text


def test_the_shipped_map_is_older_than_the_catalog_and_changes_nothing(catalog: Path) -> None:
    """Issue 12: the catalog's prices were read on vendor pages on 2026-12-01; the shipped
    litellm map is of 2026-07-24. Importing it keeps every newer entry and says so."""
    before = {p.name: p.read_text() for p in catalog.iterdir()}
    changes = import_prices(LITELLM, catalog, TODAY, map_date=MAP_DATE)
    assert list(changes) == []
    assert {p.name: p.read_text() for p in catalog.iterdir()} == before
    assert len(changes.warnings) == 11  # the 11 hosted entries whose key is in the map
    assert all("after the price map's 2026-07-24" in w for w in changes.warnings)
    assert any(" gpt-4o is dated 2026-12-01" in w for w in changes.warnings)
    assert changes.warnings[0].startswith(f"{catalog / 'hosted.yaml'}:")
    text = format_changes(changes)
    assert text.startswith("warning: ") and text.endswith("Nothing changed.\n")


def test_the_shipped_map_dated_today_matches_the_catalog(catalog: Path) -> None:
    """Read as of the catalog's date, the map's prices for the 11 entries are the catalog's:
    nothing moves, and the vendor-page sources are kept."""
    before = (catalog / "hosted.yaml").read_text()
    changes = import_prices(LITELLM, catalog, TODAY, map_date=TODAY)
    assert list(changes) == [] and changes.warnings == []
    assert (catalog / "hosted.yaml").read_text() == before


def test_deprecation_dates_become_shutdowns_where_a_successor_is_named(
    catalog: Path, tmp_path: Path
) -> None:
    prices = price_map(
        tmp_path,
        {
            # gpt-4o names gpt-6-luna as its successor: the shutdown moves
            "gpt-4o": {"input_cost_per_token": 2.5e-06, "deprecation_date": "2027-02-15"},
            # gpt-5.6-sol has no successor: a shutdown would be invalid, so a warning
            "gpt-5.6-sol": {"input_cost_per_token": 4e-06, "deprecation_date": "2027-06-30"},
            # same date as the catalog's: nothing to say
            "o3": {"deprecation_date": "2026-12-11"},
        },
    )
    changes = import_prices(prices, catalog, LATER)
    moved = {(c.model, c.field): (c.old, c.new) for c in changes}
    assert moved[("gpt-4o", "shutdown")] == ("2027-01-14", "2027-02-15")
    assert ("gpt-5.6-sol", "shutdown") not in moved and ("o3", "shutdown") not in moved
    (warning,) = changes.warnings
    assert "gpt-5.6-sol" in warning and "2027-06-30" in warning and "replaced_by" in warning
    assert warning.startswith(f"{catalog / 'hosted.yaml'}:")
    reloaded = {h.id: h for h in load_catalog_dir(catalog).hosted_models}  # still valid
    assert reloaded["gpt-4o"].shutdown == date(2027, 2, 15)
    assert reloaded["gpt-4o"].replaced_by == "gpt-6-luna"
    assert reloaded["gpt-5.6-sol"].shutdown is None
    assert reloaded["gpt-5.6-sol"].as_of == LATER  # its prices were still imported
    text = format_changes(changes)
    assert "gpt-4o: prices unchanged; shutdown 2027-01-14 -> 2027-02-15" in text
    assert "warning: " in text and "gpt-5.6-sol" in text


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
