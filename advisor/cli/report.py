"""``advisor report ANSWERS [--rules DIR ...] --format md|html|json|adr [-o FILE]``.

Plugged into the command line by :mod:`advisor.cli.main` (``add_parser`` and ``COMMANDS``). Only
argparse is imported at start-up: the rule engine, the renderers, Jinja2 and matplotlib are
imported inside :func:`cmd_report`, so ``advisor check`` pays nothing for reports.

Exit codes follow the CLI: 0 written; 1 problems in the rules or the answers (each printed as
``FILE:LINE:COL: CODE: message``); 2 unreadable input, a missing optional package, or an
output file that cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

# Kept in step with advisor.report.FORMATS (a test checks); not imported so that building
# the parser stays cheap.
FORMATS = ("md", "html", "json", "adr")


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report",
        help="write the recommendation report (Markdown, HTML, JSON or an ADR)",
        description="Evaluate ANSWERS and write a report people can sign off: the "
        "recommendation and why, scores and vetoes, reasons with sources, costs with a chart, "
        "the models, risks, next steps and the answers. Set SOURCE_DATE_EPOCH for a "
        "reproducible generated-at time.",
    )
    p.add_argument("answers", type=Path, metavar="ANSWERS", help="an answers file (YAML)")
    p.add_argument(
        "--rules",
        action="append",
        type=Path,
        metavar="DIR",
        help="a rules directory; repeat to layer (later ones override earlier ones by id). "
        "Default: the packaged rule set.",
    )
    p.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default="md",
        help="md (Markdown), html (one self-contained page with charts), json (the decision "
        "contract plus the report's fields) or adr (an Architecture Decision Record, MADR). "
        "Default: md.",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    p.add_argument(
        "--title",
        metavar="TEXT",
        help="the report's title (default: the answers file's meta.title)",
    )


def cmd_report(args: argparse.Namespace) -> int:
    from advisor.cli.main import _exit_for, _print_problems
    from advisor.engine.ruleset import load_ruleset
    from advisor.load.answers import load_answers, write_atomic
    from advisor.problems import AdvisorError
    from advisor.report import ReportDependencyError, render_report

    try:
        ruleset = load_ruleset(args.rules or None)
        answers = load_answers(args.answers, ruleset)
    except AdvisorError as exc:
        _print_problems(exc)
        return _exit_for(exc)
    decision = ruleset.evaluate(answers.values)
    meta: dict[str, Any] = answers.meta.model_dump(exclude_none=True)
    if args.title:
        meta["title"] = args.title
    try:
        text = render_report(decision, ruleset, args.format, meta)
    except ReportDependencyError as exc:
        print(f"advisor report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.output and args.output != "-":
        target = Path(args.output)
        try:
            write_atomic(target, text)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            print(
                f"{target}: ADV120: The report cannot be written ({reason}); choose another "
                "path with -o or fix the folder's permissions.",
                file=sys.stderr,
            )
            return EXIT_USAGE
        print(f"wrote {target} ({args.format}, {_size(len(text.encode('utf-8')))})")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} bytes"


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"report": cmd_report}
