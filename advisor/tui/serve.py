"""The questionnaire in a browser: ``python -m advisor.tui.serve [ANSWERS] [--port 8000]``.

Each browser tab runs its own ``advisor run`` process (textual-serve starts one per
connection), so every visitor gets a new assessment file in the server's working directory,
or all edit ANSWERS when one is given. Needs the ``web`` extra:
``pip install 'llm-hosting-advisor[web]'``.
``textual serve "advisor"`` (from textual-dev) does the same.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path


def command_line(answers: Path | None, rules: Sequence[Path]) -> str:
    """The shell command textual-serve runs for each browser session."""
    args = [sys.executable, "-m", "advisor", "run"]
    if answers is not None:
        args.append(str(answers.resolve()))
    for folder in rules:
        args += ["--rules", str(folder.resolve())]
    return shlex.join(args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m advisor.tui.serve",
        description="Serve the advisor questionnaire to web browsers (textual-serve).",
    )
    parser.add_argument("answers", nargs="?", type=Path, metavar="ANSWERS")
    parser.add_argument("--host", default="localhost", help="interface to listen on")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--public-url", help="the URL browsers reach, behind a proxy")
    parser.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR")
    args = parser.parse_args(argv)
    try:
        from textual_serve.server import Server
    except ImportError:
        print(
            "advisor: serving in a browser needs textual-serve; install it with "
            "pip install 'llm-hosting-advisor[web]'.",
            file=sys.stderr,
        )
        return 2
    server = Server(
        command_line(args.answers, args.rules),
        host=args.host,
        port=args.port,
        title="advisor",
        public_url=args.public_url,
    )
    server.serve()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
