"""``advisor diff``: which decisions a rule change would flip.

    advisor diff --base DIR [--base DIR ...] [--rules DIR ...] [SCENARIOS ...]
                 [--format text|json|markdown] [--fail-on-change] [--epsilon E] [-o FILE]

``--base`` and ``--rules`` are both stacks of rules directories, layered in the order given,
exactly like ``--rules`` elsewhere (one definition, :func:`advisor.cli.options.add_rules`): the
base stack is the rule set before the change, the ``--rules`` stack (default: the packaged rule
set) the one after it. SCENARIOS are answers files, scenario test files or folders of them;
without any, every scenario test of both rule sets and every answers or scenario file under
./examples is compared.

Exit codes are the CLI's (:class:`advisor.problems.Exit`): 0 compared (changes or not, unless
--fail-on-change); 1 a decision changed and --fail-on-change was given, or a rule set has
errors; 2 usage errors or input that cannot be read (a missing directory or file, a file that
is not YAML, a named file that is neither answers nor scenario tests).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.cli.options import (
    Command,
    add_format,
    add_output,
    add_rules,
    print_problems,
    to_file,
    write_output,
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    from advisor.cli.formats.diff import REPORTERS

    p.add_argument(
        "scenarios",
        nargs="*",
        type=Path,
        metavar="SCENARIOS",
        help="answers files, scenario test files or folders (default: every scenario test of "
        "both rule sets and every answers or scenario file under ./examples)",
    )
    add_rules(p, "--base", role=" of the rule set before the change", required=True)
    add_rules(p, role=" of the rule set after the change")
    add_format(p, REPORTERS, "text")
    p.add_argument("--fail-on-change", action="store_true", help="exit 1 when any decision changes")
    p.add_argument(
        "--epsilon",
        type=float,
        default=1e-6,
        metavar="E",
        help="ignore score changes of at most E points (default 1e-6)",
    )
    add_output(p)


def run(args: argparse.Namespace) -> int:
    from advisor.cli.formats.diff import REPORTERS, headline
    from advisor.engine.ruleset import load_ruleset
    from advisor.problems import AdvisorError, Exit
    from advisor.scenarios.diff import default_sources, diff, expand, load_scenarios

    rulesets = []
    for label, dirs in (("base", args.base), ("new", args.rules)):
        try:
            rulesets.append(load_ruleset(dirs or None))
        except AdvisorError as exc:
            print(f"advisor diff: the {label} rule set cannot be loaded:", file=sys.stderr)
            print_problems(exc.problems)
            return exc.exit_code
    base, new = rulesets
    if args.scenarios:
        files = expand(args.scenarios)
        inputs, problems = load_scenarios(files, explicit=files)
    else:
        files = []
        inputs, problems = load_scenarios(default_sources(base, new))
    result = diff(base, new, inputs, epsilon=args.epsilon, problems=problems)
    write_output(REPORTERS[args.format]().render(result), args.output, files)
    if args.format != "text" or to_file(args.output):
        print_problems(problems)  # the text report lists them itself
    if to_file(args.output):
        print(f"advisor diff: {headline(result)}")
    if problems:
        return Exit.UNREADABLE
    if args.fail_on_change and result.changed:
        return Exit.PROBLEMS
    return Exit.OK


COMMAND = Command(
    "diff",
    "compare the decisions of two rule sets over the same scenarios",
    add_arguments,
    run,
    description="Evaluate scenarios under a base rule set and a new one and report which "
    "recommendations, scores, fired rules and vetoes change.",
)
