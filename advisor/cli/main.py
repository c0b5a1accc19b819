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
        command = _command(name)
        out[command.name] = command
    return out


def _command(module: str) -> Command:
    command: Command = importlib.import_module(f"advisor.cli.{module}").COMMAND
    return command


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

    given = list(sys.argv[1:] if argv is None else argv)
    # The usual case, `advisor COMMAND ...`: the top-level parser hands every argument after
    # COMMAND to that command's parser (an argparse sub-parser takes the rest, -h and --version
    # included), so the other commands' parsers are never consulted and are not built
    # (argparse's set-up of nine parsers was most of a command's start-up); the usage line and
    # messages are the same, as they name no command but COMMAND. --help, --version, no
    # command or a mistyped one: the listing needs every command.
    only = _command(given[0]) if given and given[0] in COMMAND_MODULES else None
    table = {only.name: only} if only is not None and only.name == given[0] else commands()
    parser = build_parser(table)
    args = parser.parse_args(given)
    if args.command is None:
        args = parser.parse_args(["run", *given])
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
