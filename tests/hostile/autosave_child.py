"""A process that edits and saves answers as fast as it can, for the kill -9 test.

It prints ``S <json>`` just before a save starts and ``D <json>`` once ``Session.save`` has
returned True (the moment the TUI marks an answer saved). The parent kills it at a random
moment and checks the file holds the last ``D`` state, or the ``S`` state of the save that
was under way: never anything older, never a torn file.

``autosave_child.py PATH SEED`` is one such process. ``autosave_child.py --serve PATH`` is a
fork server: for each seed it reads on stdin it forks a child that runs the same loop, prints
``P <pid>`` (the pid to kill), waits for the child to die and prints ``E``. The imports
(pydantic models, the catalog) cost about half a second of CPU per process, which a fresh
process per round paid over 20 to 100 rounds (14 s of the suite, 90 s on a loaded machine);
a forked child starts with them loaded and is killed the same way.
"""

from __future__ import annotations

import json
import os
import random
import sys
import traceback
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
    if sys.argv[1] == "--serve":
        serve(Path(sys.argv[2]))
    else:
        edit(Path(sys.argv[1]), int(sys.argv[2]))


def serve(path: Path) -> None:
    """The fork server (module doc); stops at the end of its standard input. Single-threaded,
    so forking is safe; it writes with os.write, leaving sys.stdout's buffer empty for the
    children."""
    while line := sys.stdin.readline():
        pid = os.fork()
        if pid == 0:
            try:
                edit(path, int(line))
            except BaseException:
                traceback.print_exc()
            os._exit(1)  # never return into the server's loop
        os.write(sys.stdout.fileno(), f"P {pid}\n".encode())
        os.waitpid(pid, 0)
        os.write(sys.stdout.fileno(), b"E\n")


def edit(path: Path, seed: int) -> None:
    """Edit and save until killed."""
    rng = random.Random(seed)
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
