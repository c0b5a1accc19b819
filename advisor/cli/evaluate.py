"""``advisor evaluate ANSWERS``: the decision for an answers file."""

from __future__ import annotations

import argparse
from pathlib import Path

from advisor.cli.options import (
    Command,
    add_format,
    add_output,
    add_robustness_flags,
    add_rules,
    decide,
    write_output,
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    from advisor.cli.formats.decision import REPORTERS

    p.add_argument("answers", type=Path, metavar="ANSWERS")
    add_rules(p)
    add_format(p, REPORTERS, "text")
    add_output(p)
    add_robustness_flags(p)


def run(args: argparse.Namespace) -> int:
    from advisor.cli.formats.decision import REPORTERS
    from advisor.problems import Exit

    _, _, decision = decide(args)
    write_output(REPORTERS[args.format]().render(decision), args.output, [args.answers])
    # Every option vetoed is a finding about the answers (they contradict each other), not a
    # decision: CI that evaluates answers files should see it fail.
    return Exit.PROBLEMS if decision.recommendation is None else Exit.OK


COMMAND = Command("evaluate", "evaluate an answers file to a decision", add_arguments, run)
