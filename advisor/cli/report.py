"""``advisor report ANSWERS [--rules DIR ...] --format md|html|json|adr [-o FILE]``.

Only argparse and the format registry (:data:`advisor.report.REGISTRY`, which imports nothing
heavy) are imported at start-up: the rule engine, the renderers, Jinja2 and matplotlib are
imported inside :func:`run`, so ``advisor check`` pays nothing for reports.

Exit codes are the CLI's (:class:`advisor.problems.Exit`): 0 written; 1 problems in the rules or
the answers; 2 unreadable input, a missing optional package, or an output that cannot be
written (ADV120).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from advisor.cli.options import (
    Command,
    add_format,
    add_output,
    add_robustness_flags,
    add_rules,
    decide,
    to_file,
    write_output,
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    from advisor.report import REGISTRY

    p.add_argument("answers", type=Path, metavar="ANSWERS", help="an answers file (YAML)")
    add_rules(p)
    listing = ", ".join(f"{f.name} ({f.label})" for f in REGISTRY.values())
    add_format(p, REGISTRY, "md", short=True, describe=listing)
    add_output(p)
    add_robustness_flags(p)
    p.add_argument(
        "--title",
        metavar="TEXT",
        help="the report's title (default: the answers file's meta.title)",
    )


def run(args: argparse.Namespace) -> int:
    from advisor.problems import Exit
    from advisor.report import ReportDependencyError, render_report

    ruleset, answers, decision = decide(args)
    meta: dict[str, Any] = answers.meta.model_dump(exclude_none=True)
    if args.title:
        meta["title"] = args.title
    try:
        text = render_report(decision, ruleset, args.format, meta)
    except ReportDependencyError as exc:
        print(f"advisor report: {exc}", file=sys.stderr)
        return Exit.UNREADABLE
    write_output(text, args.output, [args.answers])
    if to_file(args.output):
        print(f"wrote {args.output} ({args.format}, {_size(len(text.encode('utf-8')))})")
    return Exit.OK


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} bytes"


COMMAND = Command(
    "report",
    "write the recommendation report (Markdown, HTML, JSON or an ADR)",
    add_arguments,
    run,
    description="Evaluate ANSWERS and write a report people can sign off: the "
    "recommendation and why, scores and vetoes, reasons with sources, costs with a chart, "
    "the models, risks, next steps and the answers. Set SOURCE_DATE_EPOCH for a "
    "reproducible generated-at time.",
)
