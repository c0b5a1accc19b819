"""What the commands share: the ``--rules`` option (one definition, ``--base`` too),
``--format`` from a reporter registry, ``-o/--output``, writing the output, printing problems.

Only argparse is imported here: building the parser must stay cheap.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet
    from advisor.load.answers import Answers
    from advisor.model.decision import Decision
    from advisor.problems import Problem


@dataclass(frozen=True)
class Command:
    """One sub-command: its module builds one of these and ``cli.main`` assembles them."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str | None = None


def add_rules(
    p: argparse.ArgumentParser,
    flag: str = "--rules",
    *,
    role: str = "",
    required: bool = False,
) -> None:
    """A stack of rules directories, layered in the order given. ``role`` says which rule set
    (``diff`` has two); without the option, the packaged rule set."""
    example = f"{flag} @default {flag} company/"
    default = "" if required else " Default: the packaged rule set."
    p.add_argument(
        flag,
        action="append",
        type=Path,
        required=required,
        metavar="DIR",
        help=f"a rules directory{role}; repeat to layer (later ones override earlier ones by "
        f"id); @default names the packaged rule set, e.g. {example}.{default}",
    )


def add_format(
    p: argparse.ArgumentParser,
    formats: Mapping[str, Any],
    default: str,
    *,
    short: bool = False,
    describe: str | None = None,
) -> None:
    """``--format`` with the registry's names as choices; ``describe`` is the help's list of
    formats (default: the registry's own labels)."""
    listing = describe if describe is not None else _labels(formats)
    flags = ("--format", "-f") if short else ("--format",)
    p.add_argument(
        *flags,
        choices=list(formats),
        default=default,
        help=f"{listing}. Default: {default}.",
    )


def _labels(formats: Mapping[str, Any]) -> str:
    help_of = getattr(formats, "help", None)
    return str(help_of()) if callable(help_of) else ", ".join(formats)


def add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of stdout (- is stdout); a read-only file, a folder or "
        "the command's own input is refused",
    )


def to_file(output: str | None) -> bool:
    """Whether ``-o`` names a file rather than stdout."""
    return bool(output) and output != "-"


def write_output(text: str, output: str | None, inputs: Iterable[Path | str] = ()) -> None:
    """Write a command's output to stdout or ``-o FILE`` through the one safe writer; a path
    that cannot be written becomes ADV120 (exit 2), never a traceback."""
    if not to_file(output):
        sys.stdout.write(text)
        return
    assert output is not None
    from advisor.files import OutputRefused, write_text
    from advisor.problems import AdvisorError, Location, Problem

    try:
        write_text(output, text, inputs=inputs)
    except OutputRefused as exc:
        fix = exc.fix[:1].upper() + exc.fix[1:]
        message = f"The output cannot be written: {exc.reason}. {fix} (-o FILE)."
        raise AdvisorError([Problem(Location(output), "ADV120", message)]) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        message = (
            f"The output cannot be written ({reason}); choose another path with -o or fix "
            "the folder's permissions."
        )
        raise AdvisorError([Problem(Location(output), "ADV120", message)]) from None


def print_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


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
        help=f"Monte Carlo samples behind the probability (default {n:,}). 10,000 take about "
        "half a second (priced as columns), with one answer stated as a range too; with "
        "several ranged answers each sample runs the cost model once, about 1 ms, so 10,000 "
        "take 4-8 s on two cores: lower it, e.g. to 1000, for a quick look; 0 skips the "
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


def decide(args: argparse.Namespace) -> tuple[RuleSet, Answers, Decision]:
    """The answers file ``args.answers`` read against ``args.rules`` and decided, assessed
    (probability and flip points) unless ``--samples 0``: what ``evaluate`` and ``report``
    both start from."""
    from advisor.engine.ruleset import load_ruleset
    from advisor.load.answers import load_answers

    ruleset = load_ruleset(args.rules or None)
    answers = load_answers(args.answers, ruleset)
    decision = ruleset.evaluate(answers.values)
    if args.samples > 0:
        from advisor.load.ranges import ranges_of
        from advisor.scenarios.robust import assess

        if args.samples >= 2_000 and sys.stderr.isatty() and len(ranges_of(answers.values)) > 1:
            # several ranged answers are sampled one by one, seconds of work: say so to a
            # person at a terminal (never into a pipe or a log)
            print(
                f"Sampling {args.samples:,} outcomes for the probability and the flip points "
                "(--samples 1000 for a quick look) ...",
                file=sys.stderr,
                flush=True,
            )
        decision = assess(ruleset, answers.values, args.samples, args.seed, decision=decision)
    return ruleset, answers, decision
