"""The one safe writer (advisor/files.py) and every command's ``-o`` through it: what is at the
path decides how it is written, and nothing is replaced that must not be."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from advisor.files import OutputRefused, remove_stale_temporaries, write_text
from advisor.load.answers import write_atomic

Cli = Callable[..., Any]  # conftest's in-process ``cli``: returncode, stdout, stderr

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "examples" / "eu-bank.yaml"
# `advisor test` on a layer whose one scenario passes whatever the default rules' weights
# become: these tests are about where the output goes, not about the default scenarios
OWN_TESTS = ["--rules", "@default", "--rules", str(ROOT / "tests" / "data" / "own-tests-layer")]


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- regular files and new paths: atomic replace ----------------------------------------------


def test_a_new_path_and_a_regular_file_are_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_text(target, "first\n")
    assert target.read_text() == "first\n"
    target.chmod(0o640)
    inode = target.stat().st_ino
    write_text(target, "second\n")
    assert target.read_text() == "second\n"
    assert target.stat().st_ino != inode  # a new file renamed over the old one, not rewritten
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the old file's mode is kept
    assert temporaries(tmp_path) == []


def test_the_file_and_its_folder_are_synced_before_returning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_text(tmp_path / "out.txt", "x")
    assert synced == ["file", "folder"]


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n")

    def broken_fsync(fd: int) -> None:
        raise failure

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(type(failure)):
        write_text(target, "new\n")
    assert target.read_text() == "old\n"
    assert temporaries(tmp_path) == []


def test_stale_temporaries_of_a_killed_run_are_removed_at_the_next_write(tmp_path: Path) -> None:
    stale = tmp_path / ".answers.yaml.advisor-k1ll3d.tmp"
    fresh = tmp_path / ".answers.yaml.advisor-inflight.tmp"  # another write still under way
    unrelated = tmp_path / ".editor-swap.tmp"
    for path in (stale, fresh, unrelated):
        path.write_text("partial")
    old = time.time() - 120
    os.utime(stale, (old, old))
    os.utime(unrelated, (old, old))
    write_text(tmp_path / "answers.yaml", "answers: {}\n")
    assert not stale.exists()
    assert fresh.exists() and unrelated.exists()
    assert remove_stale_temporaries(tmp_path, now=time.time() + 120) == [fresh]


# --- streams: written in place ------------------------------------------------------------------


def test_a_fifo_is_written_as_a_stream_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so opening to write won't block
    try:
        write_text(fifo, "through the pipe\n")
        assert os.read(reader, 1000) == b"through the pipe\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_character_device_is_written_in_place(tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:  # not root: /dev/null itself, which a non-root rename cannot replace
        device = Path("/dev/null")
    write_text(device, "discarded\n")
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert temporaries(device.parent) == [] or device.parent == Path("/dev")


def test_dash_is_stdout(cli: Cli, tmp_path: Path) -> None:
    done = cli("schema", "answers", "-o", "-")
    assert done.returncode == 0 and done.stdout.lstrip().startswith("{")
    assert not (ROOT / "-").exists()


def test_a_symlink_keeps_pointing_at_its_target_which_is_written(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_text(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"
    assert temporaries(tmp_path) == []


# --- refusals -----------------------------------------------------------------------------------


def test_a_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text("keep me\n")
    target.chmod(0o444)
    with pytest.raises(OutputRefused, match="read-only"):
        write_text(target, "clobbered\n")
    with pytest.raises(OSError):  # the TUI reports OSErrors from saving answers
        write_atomic(target, "clobbered\n")
    assert target.read_text() == "keep me\n"
    assert temporaries(tmp_path) == []


def test_a_folder_and_a_missing_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputRefused, match="it is a folder"):
        write_text(tmp_path, "x")
    with pytest.raises(OutputRefused, match="does not exist"):
        write_text(tmp_path / "nowhere" / "out.txt", "x")
    assert not (tmp_path / "nowhere").exists()
    write_atomic(tmp_path / "new" / "answers.yaml", "answers: {}\n")  # a new assessment's folder
    assert (tmp_path / "new" / "answers.yaml").read_text() == "answers: {}\n"


def test_an_input_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "answers.yaml"
    source.write_text("answers: {}\n")
    alias = tmp_path / "alias.yaml"
    alias.symlink_to(source)
    with pytest.raises(OutputRefused, match="input"):
        write_text(alias, "x", inputs=[source])
    assert source.read_text() == "answers: {}\n"


# --- every command's -o ---------------------------------------------------------------------------

# evaluate and report with --samples 0: what is tested is where the output goes, which the
# Monte Carlo behind the probability (tests/test_robustness_*.py) does not touch; it cost
# most of these tests' time
COMMANDS = {
    "check": ["check"],
    "evaluate": ["evaluate", str(ANSWERS), "--samples", "0"],
    "test": ["test", *OWN_TESTS],
    "report": ["report", str(ANSWERS), "--format", "json", "--samples", "0"],
    "schema": ["schema", "answers"],
    "diff": ["diff", "--base", "rules", "examples/eu-bank.yaml"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_refuses_bad_outputs_with_adv120_and_exit_2(
    cli: Cli, tmp_path: Path, command: str
) -> None:
    args = COMMANDS[command]
    read_only = tmp_path / "read-only.txt"
    read_only.write_text("keep me\n")
    read_only.chmod(0o444)
    for target, why in (
        (tmp_path, "it is a folder"),
        (tmp_path / "no" / "out.txt", "does not exist"),
        (read_only, "read-only"),
    ):
        done = cli(*args, "-o", str(target))
        assert done.returncode == 2, (target, done.stderr)
        assert f"{target}: ADV120: The output cannot be written: " in done.stderr
        assert why in done.stderr and "Traceback" not in done.stderr
    assert read_only.read_text() == "keep me\n"
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_writes_into_a_fifo(cli: Cli, tmp_path: Path, command: str) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    # Our own write end keeps the reader from seeing end-of-file before the command opens it.
    keepalive = os.open(fifo, os.O_WRONLY)
    os.set_blocking(reader, True)
    chunks: list[bytes] = []

    def drain() -> None:  # outputs can exceed the pipe's buffer
        while chunk := os.read(reader, 65536):
            chunks.append(chunk)

    thread = threading.Thread(target=drain)
    thread.start()
    try:
        done = cli(*COMMANDS[command], "-o", str(fifo))
    finally:
        os.close(keepalive)
        thread.join()
        os.close(reader)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert b"".join(chunks).strip()


def test_evaluate_refuses_to_overwrite_its_answers(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_bytes(ANSWERS.read_bytes())
    done = cli("evaluate", str(answers), "--format", "json", "--samples", "0", "-o", str(answers))
    assert done.returncode == 2
    assert f"{answers}: ADV120: The output cannot be written: it is this command's input" in (
        done.stderr
    )
    assert answers.read_bytes() == ANSWERS.read_bytes()


def test_dev_stdout_redirected_to_a_file_keeps_everything_printed(tmp_path: Path) -> None:
    """``-o /dev/stdout > FILE``: the report and the summary line printed after it both land in
    FILE (a new process: the entry point with a real descriptor 1, which capture replaces)."""
    import subprocess
    import sys

    json_to_stdout = ("--format", "json", "-o", "/dev/stdout")
    out = tmp_path / "out.txt"
    with out.open("w") as handle:
        done = subprocess.run(
            [sys.executable, "-m", "advisor", "test", *OWN_TESTS, *json_to_stdout],
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    report, summary = out.read_text().rsplit("}\n", 1)
    assert report.startswith("{") and summary == "1 passed, 0 failed\n"
