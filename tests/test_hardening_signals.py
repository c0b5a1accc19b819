"""The safe writer's temporary files on signals (issue 17, item 1): a process stopped by
SIGTERM, SIGHUP or SIGINT in the middle of a write leaves the old file whole and no temporary
behind, and still ends by that signal; one killed outright (SIGKILL) leaves a temporary that
the next start removes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from advisor.files import remove_stale_temporaries, remove_temporaries_of, write_text

# The child writes through the real writer; fsync (called once the temporary holds the new
# text) says so and then blocks, so the parent's signal lands mid-write, before the rename.
CHILD = textwrap.dedent(
    """
    import os, signal, sys, time
    from advisor import files

    # Ctrl-C as a terminal delivers it: a child of a shell's background job inherits SIGINT
    # ignored, and would sleep through the signal until the parent's timeout
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def slow_fsync(fd):
        print("writing", flush=True)
        time.sleep(60)

    os.fsync = slow_fsync
    files.write_text(sys.argv[1], "new contents\\n")
    print("done", flush=True)
    """
)


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _start_write(target: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()  # blocks until the temporary is written
    assert line.strip() == "writing", child.stderr.read() if child.stderr else line
    assert len(_temporaries(target.parent)) == 1  # the write is really under way
    return child


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_mid_write_removes_the_temporary_and_keeps_the_old_file(
    tmp_path: Path, signum: int
) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text("old contents\n")
    child = _start_write(target)
    child.send_signal(signum)
    try:
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signum  # the process still ends by the signal
    assert target.read_text() == "old contents\n"
    assert _temporaries(tmp_path) == []


def test_a_killed_write_leaves_a_temporary_that_the_next_start_removes(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text("old contents\n")
    child = _start_write(target)
    child.kill()  # SIGKILL: nothing can clean up
    child.wait(timeout=30)
    left = _temporaries(tmp_path)
    assert len(left) == 1 and target.read_text() == "old contents\n"
    # The TUI opening this file removes its temporaries at once (its last complete write is
    # the file itself) ...
    assert [p.name for p in remove_temporaries_of(target)] == left
    child = _start_write(target)
    child.kill()
    child.wait(timeout=30)
    # ... and any next write into the folder removes one over a minute old.
    stale = tmp_path / _temporaries(tmp_path)[0]
    old = time.time() - 120
    os.utime(stale, (old, old))
    write_text(tmp_path / "other.txt", "x")
    assert _temporaries(tmp_path) == []
    assert remove_stale_temporaries(tmp_path) == []


def test_a_write_without_a_signal_restores_the_handlers(tmp_path: Path) -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    write_text(tmp_path / "out.txt", "x")
    assert {s: signal.getsignal(s) for s in before} == before
