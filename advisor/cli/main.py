"""The command line: assembles the parser from one module per command and runs one.

Each command is a module of this package holding ``COMMAND`` (its name, help, arguments and
``run``); shared options live in :mod:`advisor.cli.options`, output formats in
:mod:`advisor.cli.formats`. Exit codes are :class:`advisor.problems.Exit`, the same for every
command: 0 fine; 1 problems found (invalid rules or answers, failing tests); 2 usage errors or
input that cannot be read at all (a missing file or folder, not YAML, too large, not UTF-8, an
output that cannot be written). Heavy modules are imported inside each command's ``run`` so
that ``advisor check`` never pays for the TUI or the report renderers.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from advisor.cli.options import Command, print_problems

# In the order ``advisor --help`` lists them.
COMMAND_MODULES = (
    "run",
    "check",
    "evaluate",
    "test",
    "schema",
    "catalog",
    "report",
    "diff",
    "compare",
)


def commands() -> dict[str, Command]:
    out: dict[str, Command] = {}
    for name in COMMAND_MODULES:
        command: Command = importlib.import_module(f"advisor.cli.{name}").COMMAND
        out[command.name] = command
    return out


def build_parser(table: dict[str, Command] | None = None) -> argparse.ArgumentParser:
    from advisor import __version__

    parser = argparse.ArgumentParser(
        prog="advisor",
        description="Decide between hosted LLM APIs, a hybrid split and self-hosted open models. "
        "Without a command, opens the questionnaire.",
    )
    parser.add_argument("--version", action="version", version=f"advisor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in (table or commands()).values():
        p = sub.add_parser(command.name, help=command.help, description=command.description)
        command.add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from advisor.problems import AdvisorError, Exit

    table = commands()
    parser = build_parser(table)
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["run", *(argv if argv is not None else sys.argv[1:])])
    try:
        return int(table[args.command].run(args))
    except AdvisorError as exc:  # every command: located problems on stderr, never a traceback
        print_problems(exc.problems)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `advisor evaluate x | head`
        return int(Exit.OK)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
