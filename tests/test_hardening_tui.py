"""The TUI keeps exactly what was typed, saves durably, and never replaces a protected file.

The property test kills a saving process with SIGKILL at random moments and checks that no
answer the session had confirmed as saved is ever lost, and that no temporary file survives
the next start.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from test_tui_support import load_small, saved, settle, sync

pytest.importorskip("textual")

from textual import events

from advisor.files import remove_temporaries_of
from advisor.tui.app import AdvisorApp
from advisor.tui.session import Session

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from advisor.engine.ruleset import RuleSet

ROOT = Path(__file__).resolve().parent.parent
SIZE = (100, 32)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    return load_small(tmp_path_factory.mktemp("rules"))


async def _open(pilot: Pilot[int]) -> Any:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    return pilot.app.screen


async def _type_fast(app: AdvisorApp, keys: list[str | events.Paste]) -> None:
    """Keys reach the app 1 ms apart, faster than it handles them (as a paste or a fast
    typist does): each is posted without waiting for the previous one to be processed."""
    for key in keys:
        if isinstance(key, events.Paste):
            app.post_message(key)
        else:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await asyncio.sleep(0.001)


async def _idle(pilot: Pilot[int]) -> None:
    await settle(pilot)
    await pilot.pause(0.2)
    await settle(pilot)


@sync
async def test_keys_typed_right_after_clearing_are_all_kept(small: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    app = AdvisorApp(small, path, blink_cursor=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        field = await screen.show_question("usage.monthly_input_tokens")
        await pilot.press(*"25", "enter")
        await _idle(pilot)
        assert saved(path)["usage.monthly_input_tokens"] == 25
        await screen.show_question("usage.monthly_input_tokens")
        await _type_fast(app, ["ctrl+l", *"300M", "enter"])
        await _idle(pilot)
        assert field.control.value == "300M"
        assert saved(path)["usage.monthly_input_tokens"] == 3e8


@sync
async def test_a_50_character_paste_after_clearing_saves_exactly_it(
    small: Any, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    app = AdvisorApp(small, path, blink_cursor=False)
    pasted = "0" * 40 + "1234567890"  # 50 characters, the number 1,234,567,890
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        field = await screen.show_question("usage.monthly_output_tokens")
        await pilot.press(*"7M", "enter")
        await _idle(pilot)
        await screen.show_question("usage.monthly_output_tokens")
        await _type_fast(app, ["ctrl+l", events.Paste(pasted), "enter"])
        await _idle(pilot)
        assert field.control.value == pasted
        assert saved(path)["usage.monthly_output_tokens"] == 1234567890


def _session(small: RuleSet, path: Path) -> Session:
    return Session.open(small, path)


def test_a_read_only_answers_file_is_reported_and_left_alone(small: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    session = _session(small, path)
    session.set_answer("usage.monthly_input_tokens", 5e6)
    assert session.save()
    before = path.read_bytes()
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        session.set_answer("usage.monthly_input_tokens", 6e6)
        assert not session.save()
        assert session.dirty
        assert session.last_save_error is not None and "read-only" in session.last_save_error
        assert path.read_bytes() == before
        assert not stat.S_IMODE(path.stat().st_mode) & stat.S_IWUSR
    finally:
        path.chmod(0o644)
    assert session.save()  # writable again: the answer kept in memory reaches the file
    assert saved(path)["usage.monthly_input_tokens"] == 6e6


def test_stale_temporary_files_are_removed_at_start(small: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("answers: {}\n")
    stale = [tmp_path / ".a.yaml.advisor-x1y2.tmp", tmp_path / ".a.yaml.advisor-abcd.tmp"]
    for p in stale:
        p.write_text("half a sav")
    other = tmp_path / ".b.yaml.advisor-abcd.tmp"  # another file's: not ours to remove
    other.write_text("x")
    Session.open(small, path)
    assert not any(p.exists() for p in stale)
    assert other.exists()


def test_an_answer_is_saved_only_once_file_and_folder_are_synced(
    small: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.yaml"
    session = _session(small, path)
    synced: list[str] = []
    real_fsync = os.fsync

    def record(fd: int) -> None:
        kind = "folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        real_fsync(fd)
        synced.append(kind)

    monkeypatch.setattr(os, "fsync", record)
    session.set_answer("usage.monthly_input_tokens", 5e6)
    assert session.dirty
    assert session.save()
    assert synced == ["file", "folder"]
    assert not session.dirty


def test_kill_9_at_random_moments_loses_no_confirmed_answer(tmp_path: Path) -> None:
    """~200 edits over a series of processes, each killed with SIGKILL at a random moment.

    The processes are forked by one server process (tests/hostile/autosave_child.py), which
    pays the imports once: a fresh interpreter per round spent most of the test starting up."""
    path = tmp_path / "answers.yaml"
    rng = random.Random(17)
    child = Path(__file__).resolve().parent / "hostile" / "autosave_child.py"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, str(child), "--serve", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert server.stdin is not None and server.stdout is not None

    def line() -> str:
        assert server.stdout is not None
        text = server.stdout.readline()
        assert text, f"the fork server stopped (exit {server.poll()})"
        return text.rstrip("\n")

    confirmed: dict[str, Any] = {}
    edits = rounds = 0
    try:
        while edits < 200 and rounds < 120:  # rounds end early on a loaded machine
            rounds += 1
            server.stdin.write(f"{rng.randrange(10**9)}\n")
            server.stdin.flush()
            # the child's pid (from the server) and its first line, 'R', in either order
            pid: int | None = None
            out: list[str] = []
            while pid is None or not out:
                text = line()
                if text.startswith("P "):
                    pid = int(text[2:])
                else:
                    out.append(text)
            assert out[0] == "R", out
            time.sleep(rng.uniform(0.0, 0.08))
            os.kill(pid, signal.SIGKILL)
            # everything the child wrote is in the pipe before the server reaps it and says E
            while (text := line()) != "E":
                out.append(text)
            in_flight: dict[str, Any] | None = None
            for entry in out[1:]:
                tag, _, state = entry.partition(" ")
                if tag == "S":
                    in_flight = json.loads(state)
                    edits += 1
                elif tag == "D":
                    confirmed, in_flight = json.loads(state), None
                else:
                    raise AssertionError(f"unexpected line from the child: {entry!r}")
            on_disk = (
                dict((yaml.safe_load(path.read_text()) or {}).get("answers") or {})
                if path.exists()
                else {}
            )
            assert on_disk in (confirmed, in_flight), (rounds, on_disk, confirmed, in_flight)
            confirmed = on_disk  # the next process starts from what the file holds
    finally:
        server.stdin.close()
        server.wait(timeout=30)
        server.stdout.close()
    assert edits >= 200
    remove_temporaries_of(path)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
