"""A process that edits and saves answers as fast as it can, for the kill -9 test.

It prints ``S <json>`` just before a save starts and ``D <json>`` once ``Session.save`` has
returned True (the moment the TUI marks an answer saved). The parent kills it at a random
moment and checks the file holds the last ``D`` state, or the ``S`` state of the save that
was under way: never anything older, never a torn file.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any, ClassVar

import yaml

from advisor.files import remove_temporaries_of
from advisor.tui.session import Session

QUESTIONS = [f"q.n{i}" for i in range(8)]


class _Order:
    """What ``save_answers`` needs of a rule set: the question order."""

    questions: ClassVar[dict[str, None]] = dict.fromkeys(QUESTIONS)


def main() -> None:
    path = Path(sys.argv[1])
    rng = random.Random(int(sys.argv[2]))
    remove_temporaries_of(path)
    values: dict[str, Any] = {}
    if path.exists():
        values = dict((yaml.safe_load(path.read_text()) or {}).get("answers") or {})
    session = Session(_Order(), path, values)  # type: ignore[arg-type]
    say("R")
    while True:
        qid = rng.choice(QUESTIONS)
        if rng.random() < 0.2:
            session.clear_answer(qid)
        else:
            session.set_answer(qid, rng.randrange(10**6))
        state = json.dumps(session.values, sort_keys=True)
        say(f"S {state}")
        if session.save():
            say(f"D {state}")


def say(line: str) -> None:
    """One whole line in one write: print("D", state) writes its parts one by one when
    stdout is unbuffered (PYTHONUNBUFFERED=1), and a kill between them left a bare "D"."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
