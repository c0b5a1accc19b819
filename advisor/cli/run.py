"""``advisor run [ANSWERS]`` (and ``advisor`` alone): open the questionnaire.

The rules and an existing answers file are validated here, before the TUI is imported and
the terminal taken over, so that bad input gives the same located problems and exit code as
every other command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.cli.options import Command, add_rules, print_problems


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("answers", nargs="?", type=Path, metavar="ANSWERS")
    add_rules(p)


def run(args: argparse.Namespace) -> int:
    from advisor.engine.ruleset import load_ruleset
    from advisor.load.answers import load_answers
    from advisor.problems import AdvisorError, Exit, Location, Problem

    ruleset = load_ruleset(args.rules or None)
    path: Path | None = args.answers
    if path is not None and path.exists():
        try:
            if path.is_dir():
                raise AdvisorError(
                    [
                        Problem(
                            Location(str(path)),
                            "ADV100",
                            "This is a folder, not an answers file; give a file name such as "
                            f"{path / 'assessment.yaml'}.",
                        )
                    ]
                )
            load_answers(path, ruleset)
        except AdvisorError as exc:
            print_problems(exc.problems)
            print(
                f"advisor: {path} was not opened and has not been changed; fix it and run "
                "`advisor run` again, or start a new assessment with `advisor`.",
                file=sys.stderr,
            )
            return exc.exit_code
    try:
        from advisor.tui.app import run_app
    except ImportError as exc:  # pragma: no cover - textual is a core dependency
        print(f"advisor: the terminal UI cannot start: {exc}", file=sys.stderr)
        return Exit.UNREADABLE
    return int(run_app(ruleset, path))


COMMAND = Command("run", "open the questionnaire (a new assessment or ANSWERS)", add_arguments, run)
