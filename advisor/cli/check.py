"""``advisor check``: validate rule files, questionnaire and catalog."""

from __future__ import annotations

import argparse

from advisor.cli.options import Command, add_format, add_output, add_rules, write_output


def add_arguments(p: argparse.ArgumentParser) -> None:
    from advisor.cli.formats.check import REPORTERS

    add_rules(p)
    add_format(p, REPORTERS, "text")
    p.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings as errors, except stale figures in the packaged default catalog "
        "(ADV604), which a user cannot edit",
    )
    p.add_argument(
        "--strict-defaults",
        action="store_true",
        help="with --strict, fail on stale figures in the packaged default catalog too",
    )
    add_output(p)


def run(args: argparse.Namespace) -> int:
    from advisor.check.run import check_rules
    from advisor.cli.formats.check import REPORTERS
    from advisor.problems import Exit

    result = check_rules(
        args.rules or None, strict=args.strict, strict_defaults=args.strict_defaults
    )
    write_output(REPORTERS[args.format]().render(result), args.output, result.files)
    if result.unreadable:
        return Exit.UNREADABLE
    return Exit.OK if result.ok else Exit.PROBLEMS


COMMAND = Command("check", "validate rule files, questionnaire and catalog", add_arguments, run)
