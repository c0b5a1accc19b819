"""The one safe writer: every command's ``-o`` and every saved answers file go through it.

What is at the path decides how it is written, so that writing never replaces something it
must not:

* a regular file, or a path where nothing is yet: written to a temporary file beside it, synced,
  renamed over the path, and the folder synced, so a crash leaves the old file or the new one,
  whole; the old file's permission bits are kept;
* a symlink: its target is written (the same way), the link stays a link;
* a FIFO, a character device (``/dev/null``, a terminal), anything under ``/dev`` or ``/proc``,
  or ``-`` (standard output): written as a stream, in place;
* a folder, a read-only file (its owner write bit unset: even root is refused), a path whose
  folder does not exist (unless the caller asks for it to be made), another kind of node
  (socket, block device) or one of the command's own input files: refused with
  :class:`OutputRefused` before anything is written.

Temporary files are named ``.NAME.advisor-XXXX.tmp`` and removed on every exit path that Python
sees, SIGTERM and SIGHUP included (while a write is under way they raise inside it, the
temporary is removed, and the signal is then delivered again to whatever handled it before, so
the process still ends as it would have); SIGINT is Python's KeyboardInterrupt already. One
left by a process that could not clean up (SIGKILL, power loss) is removed by the next write
into the same folder once it is over a minute old, so a write still under way elsewhere is left
alone, and the TUI removes those of its answers file when it opens it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

TEMP_MARK = ".advisor-"
STALE_SECONDS = 60.0
_STREAM_ROOTS = ("/dev/", "/proc/")


class OutputRefused(OSError):
    """The path cannot take the output; ``reason`` says why and ``fix`` what to do instead.

    An OSError, so callers that report failed writes (the TUI) report these too.
    """

    def __init__(self, path: Path | str, reason: str, fix: str) -> None:
        super().__init__(f"{reason}; {fix}")
        self.path = str(path)
        self.reason = reason
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}; {self.fix}"


def write_text(
    path: Path | str,
    text: str,
    *,
    inputs: Iterable[Path | str] = (),
    make_folder: bool = False,
) -> None:
    """Write ``text`` (UTF-8) to ``path`` as the module docstring describes.

    ``inputs`` are the files the command read; writing over one of them is refused.
    ``make_folder`` creates a missing folder instead of refusing it (the questionnaire promises
    that ``advisor run new/assessment.yaml`` creates ``new/``; ``-o`` does not). Raises
    :class:`OutputRefused` for a path that must not be written, and other OSErrors (no space,
    no permission on the folder) as they come.
    """
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(path)
    try:
        info: os.stat_result | None = os.stat(path)  # follows symlinks: what would be written
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise OutputRefused(
            path, "a part of the path is a file, not a folder", "choose another path"
        ) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputRefused(path, "it is a folder", "give a file name inside it instead")
    _refuse_inputs(path, info, inputs)
    own = _own_stream(info)
    if own is not None:  # /dev/stdout and friends: the stream this process already writes
        own.write(text)
        own.flush()
        return
    if info is not None and _is_stream(path, info):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputRefused(
            path, "it is neither a regular file nor a stream", "choose another path"
        )
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent if str(target.parent) else Path(".")
    if make_folder and not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
    if not folder.is_dir():
        raise OutputRefused(
            path, f"the folder {folder} does not exist", "create it first or choose another path"
        )
    if info is not None and (not info.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK)):
        # Checked on the mode bits too: root may write anything, but a file someone made
        # read-only says "do not replace me", and a rename would replace it regardless.
        raise OutputRefused(
            path, "the file is read-only", "make it writable (chmod u+w) or choose another path"
        )
    _replace(target, folder, text, None if info is None else stat.S_IMODE(info.st_mode))


def _own_stream(info: os.stat_result | None) -> TextIO | None:
    """sys.stdout or sys.stderr when ``info`` is the file or pipe behind it: a second
    descriptor opened on it would write at its own offset, over what the first one writes."""
    if info is None:
        return None
    for stream in (sys.stdout, sys.stderr):
        try:
            mine = os.fstat(stream.fileno())
        except (OSError, ValueError, AttributeError):  # captured, closed or not a real file
            continue
        if (mine.st_dev, mine.st_ino) == (info.st_dev, info.st_ino):
            return stream
    return None


def _is_stream(path: Path, info: os.stat_result) -> bool:
    if stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
        return True
    # /dev/stdout and /proc/self/fd/N name a descriptor: when it is a regular file a rename
    # would detach the path from the descriptor the shell redirected, so write through it.
    absolute = os.path.abspath(path)
    return absolute.startswith(_STREAM_ROOTS)


def _refuse_inputs(path: Path, info: os.stat_result | None, inputs: Iterable[Path | str]) -> None:
    if info is None:
        return
    for source in inputs:
        try:
            other = os.stat(source)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
            raise OutputRefused(
                path,
                f"it is this command's input {source}, which writing would destroy",
                "choose another path",
            )


class _Terminated(BaseException):
    """Raised inside a write by SIGTERM or SIGHUP, so that its clean-up runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_CLEANUP_SIGNALS = tuple(
    s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s
)


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise :class:`_Terminated` (in the main thread;
    a signal whose handler is SIG_IGN stays ignored). After the block the old handlers are back
    and a signal that arrived is sent again, so it ends the process (or reaches the
    application's handler) as it would have without the write."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_terminated(signum: int, frame: object) -> None:
        raise _Terminated(signum)

    old: dict[int, Any] = {}
    for signum in _CLEANUP_SIGNALS:
        try:
            if signal.getsignal(signum) is signal.SIG_IGN:
                continue
            old[signum] = signal.signal(signum, raise_terminated)
        except (ValueError, OSError):  # not settable here
            continue
    received: int | None = None
    try:
        yield
    except _Terminated as exc:
        received = exc.signum
    finally:
        for signum, handler in old.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
    if received is not None:
        os.kill(os.getpid(), received)
        raise OSError(f"the write was interrupted by signal {received}")


def _replace(target: Path, folder: Path, text: str, mode: int | None) -> None:
    remove_stale_temporaries(folder)
    with _signals_raise():
        _replace_now(target, folder, text, mode)


def _replace_now(target: Path, folder: Path, text: str, mode: int | None) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}{TEMP_MARK}", suffix=".tmp", dir=folder)
    try:
        if mode is None:  # mkstemp creates the file 0600; a new file honours the umask
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        tmp = ""
        _sync_folder(folder)
    finally:
        if tmp:  # any failure or interruption (signals included) before the rename
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some systems cannot open a folder, which is harmless."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temporaries(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove this writer's temporary files in ``folder`` older than :data:`STALE_SECONDS`
    (left by a killed process); returns those removed."""
    limit = (time.time() if now is None else now) - STALE_SECONDS
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for candidate in folder.glob(f".*{TEMP_MARK}*.tmp"):
            with contextlib.suppress(OSError):
                info = candidate.lstat()
                if stat.S_ISREG(info.st_mode) and info.st_mtime < limit:
                    candidate.unlink()
                    removed.append(candidate)
    return removed


def remove_temporaries_of(target: Path | str) -> list[Path]:
    """Remove the temporary files a killed write of ``target`` left beside it, whatever their
    age; returns those removed.

    For a file being opened to edit (the TUI's answers): its own last complete write is the
    file itself, so a temporary still there belongs to a save that never finished."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for candidate in folder.glob(f".{glob.escape(target.name)}{TEMP_MARK}*.tmp"):
            with contextlib.suppress(OSError):
                if stat.S_ISREG(candidate.lstat().st_mode):
                    candidate.unlink()
                    removed.append(candidate)
    return removed


__all__ = ["OutputRefused", "remove_stale_temporaries", "remove_temporaries_of", "write_text"]
