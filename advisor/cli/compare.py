"""``advisor compare A.yaml B.yaml``: two assessments side by side (answers that differ, each
recommendation and its costs, which differences drive the change), and the ``--samples`` /
``--seed`` flags that ``evaluate``, ``report`` and ``compare`` share (docs/engine.md).

Exit codes: 0 compared; 1 an answers file has problems; 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from advisor.cli.options import Command, add_output, add_rules, write_output

# The CLI's default is the issue's: 10,000 samples, the figure a report is signed off on. The
# cost is stated in --help. `compare` samples nothing unless asked. Read when the parser is
# built (not bound as a default argument), so the test suite can lower it in one place.
CLI_SAMPLES = 10_000


def add_robustness_flags(p: argparse.ArgumentParser, default: int | None = None) -> None:
    n = CLI_SAMPLES if default is None else default
    p.add_argument(
        "--samples",
        type=_samples,
        default=n,
        metavar="N",
        help=f"Monte Carlo samples behind the probability (default {n:,}). Each sample runs "
        "the cost model once, about 2 ms, so 10,000 take about 20 s on one core, 10 s on two "
        "(used where available); lower it, e.g. to 1000, for a quick look; 0 skips the "
        "probability and the flip points",
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")


def _samples(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of samples") from None
    if not 0 <= n <= 1_000_000:
        raise argparse.ArgumentTypeError("give between 0 and 1,000,000 samples")
    return n


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
