"""The command line: parses arguments, calls the core, prints, and sets the exit code.

Exit codes: 0 fine; 1 problems found (invalid rules or answers, failing tests); 2 usage
errors or input that cannot be read at all (missing file, not YAML). Modules are imported
inside each command so that ``advisor check`` never pays for the TUI or the report renderers.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet
    from advisor.problems import AdvisorError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return register


def _exit_for(exc: AdvisorError) -> int:
    """Unreadable input (missing files, broken YAML) is 2; everything else found is 1."""
    codes = {p.code for p in exc.errors}
    unreadable = {"ADV100", "ADV101", "ADV108", "ADV109", "ADV110"}
    return EXIT_USAGE if codes and codes <= unreadable else EXIT_PROBLEMS


def _print_problems(exc: AdvisorError) -> None:
    for problem in exc.problems:
        print(problem, file=sys.stderr)


def _ruleset(args: argparse.Namespace) -> RuleSet:
    from advisor.engine.ruleset import load_ruleset

    return load_ruleset(args.rules or None)


def _write(text: str, output: str | None) -> None:
    if output and output != "-":
        from advisor.load.answers import write_atomic

        write_atomic(Path(output), text)
    else:
        sys.stdout.write(text)


def _add_rules(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rules",
        action="append",
        type=Path,
        metavar="DIR",
        help="a rules directory; repeat to layer (later ones override earlier ones by id); "
        "@default names the packaged rule set, e.g. --rules @default --rules company/. "
        "Default: the packaged rule set.",
    )


# --- commands -------------------------------------------------------------------------------


@command("check")
def cmd_check(args: argparse.Namespace) -> int:
    from advisor.check.run import check_rules
    from advisor.cli.formats.check import REPORTERS

    result = check_rules(args.rules or None, strict=args.strict)
    _write(REPORTERS[args.format]().render(result), args.output)
    if result.unreadable:
        return EXIT_USAGE
    return EXIT_OK if result.ok else EXIT_PROBLEMS


@command("evaluate")
def cmd_evaluate(args: argparse.Namespace) -> int:
    from advisor.cli.formats.decision import REPORTERS
    from advisor.load.answers import load_answers

    ruleset = _ruleset(args)
    answers = load_answers(args.answers, ruleset)
    decision = ruleset.evaluate(answers.values)
    _write(REPORTERS[args.format]().render(decision), args.output)
    # Every option vetoed is a finding about the answers, like a failed check: exit 1.
    return EXIT_PROBLEMS if decision.recommendation is None else EXIT_OK


@command("test")
def cmd_test(args: argparse.Namespace) -> int:
    from advisor.cli.formats.tests import REPORTERS
    from advisor.scenarios.runner import run_tests, scenario_files

    ruleset = _ruleset(args)
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        for p in missing:
            print(f"{p}: ADV100: The file or folder does not exist.", file=sys.stderr)
        return EXIT_USAGE
    run = run_tests(
        ruleset, scenario_files(ruleset, args.paths, args.layer_tests), args.layer_tests
    )
    reporter = REPORTERS[args.format](coverage=args.coverage or args.fail_under is not None)
    _write(reporter.render(run), args.output)
    if args.output and args.output != "-":
        from advisor.cli.formats.tests import summary_line

        print(summary_line(run))
    if run.problems and not run.results:
        return EXIT_USAGE if all(p.code < "ADV200" for p in run.problems) else EXIT_PROBLEMS
    if not run.ok:
        return EXIT_PROBLEMS
    if args.fail_under is not None and run.coverage_percent() < args.fail_under:
        print(
            f"rule coverage {run.coverage_percent():.1f}% is below --fail-under "
            f"{args.fail_under:g}%",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return EXIT_OK


@command("schema")
def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from advisor.model.jsonschema import json_schema

    _write(json.dumps(json_schema(args.kind), indent=2) + "\n", args.output)
    return EXIT_OK


@command("run")
def cmd_run(args: argparse.Namespace) -> int:
    ruleset = _ruleset(args)
    try:
        from advisor.tui.app import run_app  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:  # pragma: no cover - textual is a core dependency
        print(f"advisor: the terminal UI cannot start: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return int(run_app(ruleset, args.answers))


@command("catalog")
def cmd_catalog(args: argparse.Namespace) -> int:
    from datetime import date

    from advisor.catalog.prices import format_changes, import_prices
    from advisor.load.bundle import CATALOG_DIR, DEFAULT_ALIAS, default_rules_dir

    target = args.rules[-1] if args.rules else None
    if target is None or str(target) == DEFAULT_ALIAS:
        target = default_rules_dir()
    folder = target / CATALOG_DIR
    if not args.file.is_file():
        print(f"{args.file}: ADV100: The price map does not exist.", file=sys.stderr)
        return EXIT_USAGE
    changes = import_prices(args.file, folder, date.today())
    sys.stdout.write(format_changes(changes))
    return EXIT_OK


# --- argument parsing -----------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from advisor import __version__

    parser = argparse.ArgumentParser(
        prog="advisor",
        description="Decide between hosted LLM APIs, a hybrid split and self-hosted open models. "
        "Without a command, opens the questionnaire.",
    )
    parser.add_argument("--version", action="version", version=f"advisor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="open the questionnaire (a new assessment or ANSWERS)")
    p.add_argument("answers", nargs="?", type=Path, metavar="ANSWERS")
    _add_rules(p)

    p = sub.add_parser("check", help="validate rule files, questionnaire and catalog")
    _add_rules(p)
    p.add_argument("--format", choices=_formats("check"), default="text")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("-o", "--output", metavar="FILE")

    p = sub.add_parser("evaluate", help="evaluate an answers file to a decision")
    p.add_argument("answers", type=Path, metavar="ANSWERS")
    _add_rules(p)
    p.add_argument("--format", choices=_formats("decision"), default="text")
    p.add_argument("-o", "--output", metavar="FILE")

    p = sub.add_parser("test", help="run scenario tests")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATHS")
    _add_rules(p)
    p.add_argument("--format", choices=_formats("tests"), default="text")
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument("--coverage", action="store_true", help="report rule coverage")
    p.add_argument("--fail-under", type=float, metavar="N", help="minimum rule coverage (%%)")
    p.add_argument(
        "--layer-tests",
        choices=("all", "last"),
        default="all",
        help="run the tests/ of every rules directory (all, the default) or only of the last "
        "one, whose rules then alone count for coverage (last)",
    )

    p = sub.add_parser("schema", help="print the JSON Schema of a file format")
    p.add_argument("kind", choices=_schema_kinds())
    p.add_argument("-o", "--output", metavar="FILE")

    p = sub.add_parser("catalog", help="maintain the catalog")
    csub = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    q = csub.add_parser("import-prices", help="update hosted prices from a litellm price map")
    q.add_argument("file", type=Path, metavar="FILE")
    _add_rules(q)

    for extra in _extensions():
        extra(sub)
    return parser


def _formats(kind: str) -> list[str]:
    import importlib

    module = importlib.import_module(f"advisor.cli.formats.{kind}")
    return list(module.REPORTERS)


def _schema_kinds() -> list[str]:
    from advisor.model.jsonschema import KINDS

    return list(KINDS)


def _extensions() -> list[Callable[[Any], None]]:
    """Sub-commands contributed by optional modules (reports, diff), each registering itself."""
    out: list[Callable[[Any], None]] = []
    import importlib

    for name in ("report", "diff"):
        try:
            module = importlib.import_module(f"advisor.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"advisor.cli.{name}":
                raise
            continue
        out.append(module.add_parser)
        COMMANDS.update(module.COMMANDS)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["run", *(argv or sys.argv[1:])])
    from advisor.problems import AdvisorError

    try:
        return COMMANDS[args.command](args)
    except AdvisorError as exc:  # every command: located problems on stderr, never a traceback
        _print_problems(exc)
        return _exit_for(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `advisor evaluate x | head`
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
