"""``advisor diff``: which decisions a rule change would flip (plugged into the CLI by name).

    advisor diff --base DIR [--base DIR ...] [--rules DIR ...] [SCENARIOS ...]
                 [--format text|json|markdown] [--fail-on-change] [--epsilon E] [-o FILE]

``--base`` and ``--rules`` are both stacks of rules directories, layered in the order given,
exactly like ``--rules`` elsewhere: the base stack is the rule set before the change, the
``--rules`` stack (default: the packaged rule set) the one after it. SCENARIOS are answers
files, scenario test files or folders of them; without any, every scenario test of both rule
sets and every answers or scenario file under ./examples is compared.

Exit codes: 0 compared (changes or not, unless --fail-on-change); 1 a decision changed and
--fail-on-change was given, or a rule set has errors; 2 usage errors or input that cannot be
read (a missing directory or file, a file that is not YAML, a named file that is neither
answers nor scenario tests).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
UNREADABLE = {"ADV100", "ADV101", "ADV108", "ADV109", "ADV110"}


def add_parser(subparsers: Any) -> None:
    from advisor.cli.formats.diff import REPORTERS

    p = subparsers.add_parser(
        "diff",
        help="compare the decisions of two rule sets over the same scenarios",
        description="Evaluate scenarios under a base rule set and a new one and report which "
        "recommendations, scores, fired rules and vetoes change.",
    )
    p.add_argument(
        "scenarios",
        nargs="*",
        type=Path,
        metavar="SCENARIOS",
        help="answers files, scenario test files or folders (default: every scenario test of "
        "both rule sets and every answers or scenario file under ./examples)",
    )
    p.add_argument(
        "--base",
        action="append",
        type=Path,
        required=True,
        metavar="DIR",
        help="a rules directory of the rule set before the change; repeat to layer",
    )
    p.add_argument(
        "--rules",
        action="append",
        type=Path,
        metavar="DIR",
        help="a rules directory of the rule set after the change; repeat to layer. "
        "Default: the packaged rule set.",
    )
    p.add_argument("--format", choices=list(REPORTERS), default="text")
    p.add_argument("--fail-on-change", action="store_true", help="exit 1 when any decision changes")
    p.add_argument(
        "--epsilon",
        type=float,
        default=1e-6,
        metavar="E",
        help="ignore score changes of at most E points (default 1e-6)",
    )
    p.add_argument("-o", "--output", metavar="FILE")


def cmd_diff(args: argparse.Namespace) -> int:
    from advisor.cli.formats.diff import REPORTERS
    from advisor.engine.ruleset import load_ruleset
    from advisor.problems import AdvisorError
    from advisor.scenarios.diff import default_sources, diff, expand, load_scenarios

    rulesets = []
    for label, dirs in (("base", args.base), ("new", args.rules)):
        try:
            rulesets.append(load_ruleset(dirs or None))
        except AdvisorError as exc:
            print(f"advisor diff: the {label} rule set cannot be loaded:", file=sys.stderr)
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            codes = {p.code for p in exc.errors}
            return EXIT_USAGE if codes and codes <= UNREADABLE else EXIT_PROBLEMS
    base, new = rulesets
    if args.scenarios:
        files = expand(args.scenarios)
        inputs, problems = load_scenarios(files, explicit=files)
    else:
        inputs, problems = load_scenarios(default_sources(base, new))
    result = diff(base, new, inputs, epsilon=args.epsilon, problems=problems)
    _write(REPORTERS[args.format]().render(result), args.output)
    if args.format != "text" or (args.output and args.output != "-"):
        for problem in problems:  # the text report lists them itself
            print(problem, file=sys.stderr)
    if args.output and args.output != "-":
        from advisor.cli.formats.diff import headline

        print(f"advisor diff: {headline(result)}")
    if problems:
        return EXIT_USAGE
    if args.fail_on_change and result.changed:
        return EXIT_PROBLEMS
    return EXIT_OK


def _write(text: str, output: str | None) -> None:
    if output and output != "-":
        from advisor.load.answers import write_atomic

        write_atomic(Path(output), text)
    else:
        sys.stdout.write(text)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"diff": cmd_diff}
