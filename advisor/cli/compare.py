"""``advisor compare A.yaml B.yaml``: two assessments side by side (answers that differ, each
recommendation and its costs, which differences drive the change).

Exit codes: 0 compared; 1 an answers file has problems; 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from advisor.cli.options import Command, add_output, add_robustness_flags, add_rules, write_output


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", type=Path, metavar="A", help="the first answers file")
    p.add_argument("b", type=Path, metavar="B", help="the second answers file")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    add_output(p)
    add_rules(p)
    add_robustness_flags(p, default=0)


def run(args: argparse.Namespace) -> int:
    from advisor.engine.ruleset import load_ruleset
    from advisor.load.answers import load_answers
    from advisor.present.robustness import confidence_text
    from advisor.problems import Exit
    from advisor.scenarios.compare import compare, render_text

    rs = load_ruleset(args.rules or None)
    a = load_answers(args.a, rs)
    b = load_answers(args.b, rs)
    names = (args.a.name, args.b.name)
    result = compare(rs, a.values, b.values, names, args.samples, args.seed, confidence_text)
    if args.format == "json":
        text = json.dumps(result, indent=2, default=str) + "\n"
    else:
        text = render_text(result, markdown=args.format == "markdown")
    write_output(text, args.output, [args.a, args.b])
    return Exit.OK


COMMAND = Command(
    "compare",
    "compare two answers files: differences, recommendations, what drives the change",
    add_arguments,
    run,
)
