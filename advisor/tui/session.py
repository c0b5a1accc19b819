"""One assessment being answered: the answers, the file they live in, and when they are saved.

Free of Textual on purpose: the screens call it, the tests and the benchmark drive it directly.
Every change goes through :meth:`Session.set_answer` or :meth:`Session.clear_answer`; the
caller then saves (at once for a click, shortly after the last keystroke for typing), and
:meth:`Session.save` writes the file atomically, editing only what changed (``_write_answers``).

:meth:`Session.save` may run in a worker thread while the UI goes on changing answers: writes
are serialised by a lock, each one writes the answers as they are when it starts, and a change
counter (not a flag) says what is on disk, so a change made during a write is never marked
saved by it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.files import OutputRefused, remove_temporaries_of
from advisor.load.answers import load_answers, write_atomic
from advisor.load.ranges import same_answer
from advisor.model.files import Meta
from advisor.problems import AdvisorError, Location, Problem

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet
    from advisor.model.decision import Decision


def default_answers_path(folder: Path | None = None, now: datetime | None = None) -> Path:
    """``assessment-YYYYMMDD-HHMMSS.yaml`` in ``folder`` (the working directory), never an
    existing file: a second assessment started in the same second gets ``-2``, ``-3``..."""
    folder = folder or Path.cwd()
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = folder / f"assessment-{stamp}.yaml"
    n = 2
    while path.exists():
        path = folder / f"assessment-{stamp}-{n}.yaml"
        n += 1
    return path


@dataclass
class Session:
    """The answers of one assessment and where they are saved.

    ``load_error`` is set when the file exists but cannot be used: the session is then
    read-only and :meth:`save` refuses, so a file the user may still repair is never replaced.
    """

    ruleset: RuleSet
    path: Path
    values: dict[str, Any] = field(default_factory=dict)
    meta: Meta = field(default_factory=Meta)
    existed: bool = False
    load_error: AdvisorError | None = None
    saves: int = 0
    last_save_error: str | None = None
    _changes: int = field(default=0, init=False, repr=False)
    _saved_changes: int = field(default=0, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @classmethod
    def open(cls, ruleset: RuleSet, path: Path | None) -> Session:
        """A new assessment (no path, or a path not there yet) or the one saved at ``path``."""
        if path is None:
            return cls(ruleset, default_answers_path())
        path = Path(path)
        if path.is_dir():
            problem = Problem(
                Location(str(path)),
                "ADV100",
                "This is a folder, not an answers file; give a file name such as "
                f"{path / 'assessment.yaml'}.",
            )
            return cls(ruleset, path, existed=True, load_error=AdvisorError([problem]))
        remove_temporaries_of(path)
        if not path.exists():
            return cls(ruleset, path)
        try:
            answers = load_answers(path, ruleset)
        except AdvisorError as exc:
            return cls(ruleset, path, existed=True, load_error=exc)
        return cls(ruleset, path, dict(answers.values), answers.meta, existed=True)

    # -- state ------------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.load_error is not None

    @property
    def dirty(self) -> bool:
        """Whether a change has not reached the file yet."""
        return self._changes != self._saved_changes

    def set_answer(self, qid: str, value: Any) -> bool:
        """Record a typed answer (``None`` clears it); returns whether anything changed."""
        if value is None:
            return self.clear_answer(qid)
        # same_answer: 1B..6B and 3.5B are equal as numbers but different answers
        if qid in self.values and same_answer(self.values[qid], value):
            return False
        self.values[qid] = value
        self._changes += 1
        return True

    def clear_answer(self, qid: str) -> bool:
        if qid not in self.values:
            return False
        del self.values[qid]
        self._changes += 1
        return True

    def set_meta(self, **fields: str | None) -> bool:
        cleaned = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in fields.items()}
        updated = self.meta.model_copy(update=cleaned)
        if updated == self.meta:
            return False
        self.meta = updated
        self._changes += 1
        return True

    def asked(self) -> dict[str, bool]:
        return self.ruleset.asked(self.values)

    def evaluate(self) -> Decision:
        return self.ruleset.evaluate(self.values)

    def answered_count(self) -> int:
        asked = self.asked()
        return sum(1 for qid in self.values if asked.get(qid, False))

    # -- saving -----------------------------------------------------------------------------

    def save(self, force: bool = False) -> bool:
        """Write the answers file if anything changed (or ``force``); returns success.

        A failed write (disk full, no permission) keeps the answers in memory, remembers the
        reason in ``last_save_error`` and leaves ``dirty`` set, so the next save retries.
        """
        if self.read_only:
            return False
        with self._lock:
            changes = self._changes
            if changes == self._saved_changes and not force:
                return True
            # A copy taken at once (dict() does not let another thread in), so the UI may
            # change answers while the file is written.
            values, meta = dict(self.values), self.meta
            try:
                _write_answers(self.path, values, meta, self.ruleset)
            except OutputRefused as exc:
                # A read-only file, a folder in the way: the safe writer refuses rather than
                # replace what the user protected.
                self.last_save_error = f"{self.path.name} was not saved: {exc.reason}; {exc.fix}."
                return False
            except OSError as exc:
                reason = exc.strerror or str(exc)
                self.last_save_error = f"{self.path.name} could not be saved: {reason}."
                return False
            self._saved_changes = changes
            self.existed = True
            self.saves += 1
            self.last_save_error = None
            return True


def _write_answers(path: Path, values: dict[str, Any], meta: Meta, ruleset: RuleSet) -> None:
    """Save format: the user's file edited in place (comments, ``$schema`` line, key order and
    notation kept; see :mod:`advisor.tui.answers_text`), or a new file in questionnaire order."""
    from advisor.tui.answers_text import answers_file_text

    write_atomic(path, answers_file_text(path, values, meta, ruleset))


__all__ = ["Session", "default_answers_path"]
