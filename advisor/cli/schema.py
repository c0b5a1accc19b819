"""``advisor schema KIND``: the JSON Schema of a file format, for editors and CI."""

from __future__ import annotations

import argparse

from advisor.cli.options import Command, add_output, write_output


def add_arguments(p: argparse.ArgumentParser) -> None:
    from advisor.check.jsonschema import KINDS

    p.add_argument("kind", choices=list(KINDS))
    add_output(p)


def run(args: argparse.Namespace) -> int:
    import json

    from advisor.check.jsonschema import json_schema
    from advisor.problems import Exit

    write_output(json.dumps(json_schema(args.kind), indent=2) + "\n", args.output)
    return Exit.OK


COMMAND = Command("schema", "print the JSON Schema of a file format", add_arguments, run)
