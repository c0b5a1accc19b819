"""Decide a list of independent what-ifs on two cores: the second half in a forked child.

The Monte Carlo and the flip points decide thousands of independent what-ifs, each a pure
function of the rule set and its inputs. :func:`in_two` forks once: the child decides the
second part of the work and sends its results back through a pipe (pickled), the parent
decides the first part, and the two lists are joined in order, so the result is the list a
single process would have built, element for element.

Why a bare ``os.fork`` rather than a ``multiprocessing`` pool: the child needs the loaded rule
set, the compiled rules and the probe's caches, which fork shares for free (copy on write);
a pool would start interpreters or pickle them. One fork costs a few milliseconds (measured
in ``benchmarks/bench_robustness.py``), so it is used only for lists long enough
(:data:`PARALLEL_MIN` samples) and only where fork is safe (:func:`fork_safe`): on Linux, with
at least two CPUs available and one thread running (a thread holding a lock at the fork would
leave it locked in the child forever; the TUI's workers are threads, so the TUI decides in
one process). If the child fails in any way, the parent decides the second part itself: the
result never depends on the fork.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_MIN = 200
"""Samples from which a Monte Carlo uses two processes. One fork with its pickled results
costs about 5 ms (benchmarks/bench_robustness.py), a sample about 1 to 3 ms (the cost model),
so from a few dozen samples the second core pays for itself; 200 leaves a margin."""


def cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def fork_safe() -> bool:
    """Whether forking now is safe and useful (module doc)."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and threading.active_count() == 1
        and cpus() >= 2
    )


def in_two(fn: Callable[[list[T]], list[R]], first: Sequence[T], second: Sequence[T]) -> list[R]:
    """``fn(first) + fn(second)``, the second call in a forked child (module doc).

    ``fn`` must be deterministic and return a picklable list."""
    first, second = list(first), list(second)
    if not first or not second:
        return fn(first) + fn(second)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: decide the second part, send it, leave without cleanup
        code = 1
        try:
            os.close(read_end)
            data = pickle.dumps(fn(second), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
    os.close(write_end)
    with os.fdopen(read_end, "rb") as src:
        try:
            mine = fn(first)
            data = src.read()
        except BaseException:  # an error or Ctrl-C here: the child's work is not wanted
            _stop(pid)
            raise
    _, status = os.waitpid(pid, 0)
    theirs: list[R] | None = None
    if status == 0 and data:
        try:
            theirs = pickle.loads(data)
        except Exception:  # a truncated message: decide it here
            theirs = None
    if not isinstance(theirs, list) or len(theirs) != len(second):
        theirs = fn(second)
    return mine + theirs


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
