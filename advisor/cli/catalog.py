"""``advisor catalog import-prices FILE``: maintain the catalog."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.cli.options import Command, add_rules


def add_arguments(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    q = actions.add_parser("import-prices", help="update hosted prices from a litellm price map")
    q.add_argument("file", type=Path, metavar="FILE")
    q.add_argument(
        "--map-date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="date of the map's prices (default: the file's modification date); catalog "
        "entries dated later are kept",
    )
    add_rules(q)


def _iso_date(text: str) -> object:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def run(args: argparse.Namespace) -> int:
    from datetime import date

    from advisor.catalog.prices import format_changes, import_prices
    from advisor.load.bundle import CATALOG_DIR, DEFAULT_ALIAS, default_rules_dir
    from advisor.problems import AdvisorError, Exit, Location, Problem

    target = args.rules[-1] if args.rules else None
    if target is None or str(target) == DEFAULT_ALIAS:
        target = default_rules_dir()
    folder = target / CATALOG_DIR
    if not args.file.is_file():
        raise AdvisorError(
            [Problem(Location(str(args.file)), "ADV100", "The price map does not exist.")]
        )
    map_date = args.map_date or date.fromtimestamp(args.file.stat().st_mtime)
    changes = import_prices(args.file, folder, date.today(), map_date=min(map_date, date.today()))
    sys.stdout.write(format_changes(changes))
    return Exit.OK


COMMAND = Command("catalog", "maintain the catalog", add_arguments, run)
