"""``advisor test [PATHS]``: run scenario tests, with rule coverage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.cli.options import (
    Command,
    add_format,
    add_output,
    add_rules,
    to_file,
    write_output,
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    from advisor.cli.formats.tests import REPORTERS

    p.add_argument("paths", nargs="*", type=Path, metavar="PATHS")
    add_rules(p)
    add_format(p, REPORTERS, "text")
    add_output(p)
    p.add_argument("--coverage", action="store_true", help="report rule coverage")
    p.add_argument("--fail-under", type=float, metavar="N", help="minimum rule coverage (%%)")
    p.add_argument(
        "--layer-tests",
        choices=("all", "last", "own"),
        default=None,
        help="whose tests/ run and whose rules count for coverage: every rules directory's "
        "(all), the last one's (last), or all but the base rule set's (own, the default: "
        "--rules company/ tests the company layer, not the packaged defaults)",
    )
    p.add_argument(
        "--with-default-tests",
        action="store_true",
        help="also run the base rule set's (the packaged defaults') tests, and count its rules "
        "for coverage (the same as --layer-tests all)",
    )


def run(args: argparse.Namespace) -> int:
    from advisor.cli.formats.tests import REPORTERS, summary_line
    from advisor.engine.ruleset import load_ruleset
    from advisor.problems import AdvisorError, Exit, Location, Problem, exit_code
    from advisor.scenarios.runner import run_tests, scenario_files

    ruleset = load_ruleset(args.rules or None)
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        raise AdvisorError(
            [
                Problem(Location(str(p)), "ADV100", "The file or folder does not exist.")
                for p in missing
            ]
        )
    layers = "all" if args.with_default_tests else (args.layer_tests or "own")
    files = scenario_files(ruleset, args.paths, layers)
    test_run = run_tests(ruleset, files, layers)
    reporter = REPORTERS[args.format](coverage=args.coverage or args.fail_under is not None)
    write_output(reporter.render(test_run), args.output, files)
    if to_file(args.output):
        print(summary_line(test_run))
    if test_run.problems and not test_run.results:
        return exit_code(test_run.problems)
    if not test_run.ok:
        return Exit.PROBLEMS
    if args.fail_under is not None and test_run.coverage_percent() < args.fail_under:
        print(
            f"rule coverage {test_run.coverage_percent():.1f}% is below --fail-under "
            f"{args.fail_under:g}%",
            file=sys.stderr,
        )
        return Exit.PROBLEMS
    return Exit.OK


COMMAND = Command("test", "run scenario tests", add_arguments, run)
