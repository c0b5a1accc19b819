"""The HTML report in a real browser: headless Chromium loads it with no errors and no request
leaving the file.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: commands
on file descriptor 3, events on 4, NUL-separated JSON), with the standard library only. The
test attaches to the page, records every ``Network.requestWillBeSent`` (so only the page's own
requests count, not the browser's background ones), every exception and error-level log entry,
then reads the rendered DOM. A control page with an external image proves the recorder sees
requests at all.

Without Chromium the test is skipped locally and fails in CI (``CI=true``), where ``.ci/run``
installs Debian's ``chromium`` package.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-pipe",
)
TIMEOUT_S = 30.0


def find_chromium() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is not installed; .ci/run should install Debian's chromium")
        pytest.skip("chromium is not installed (apt-get install chromium); CI runs this test")
    return found


class Browser:
    """A headless Chromium on a DevTools pipe; the process is ours and is ended by ``close``."""

    def __init__(self, binary: str, profile: Path) -> None:
        cmd_read, self._cmd = os.pipe()  # we write commands; Chromium reads fd 3
        self._events, ev_write = os.pipe()  # Chromium writes fd 4; we read

        def wire() -> None:  # in the child: put the pipe ends on fds 3 and 4
            a = fcntl.fcntl(cmd_read, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(ev_write, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=wire,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(cmd_read)
        os.close(ev_write)
        self._buffer = b""
        self._next = 0
        self.messages: list[dict[str, Any]] = []

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._cmd, json.dumps(message).encode() + b"\0")
        reply = self.wait(lambda m, i=self._next: m.get("id") == i)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def wait(self, match: Any, timeout: float = TIMEOUT_S) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for message in self.messages[seen:]:
                if match(message):
                    return message
            seen = len(self.messages)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            self.pump(min(left, 0.2))

    def pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self._events], [], [], timeout)
        if not ready:
            return
        chunk = os.read(self._events, 1 << 16)
        if not chunk:
            raise RuntimeError("Chromium closed the DevTools pipe")
        self._buffer += chunk
        while b"\0" in self._buffer:
            raw, self._buffer = self._buffer.split(b"\0", 1)
            self.messages.append(json.loads(raw))

    def settle(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self.pump(left)

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                os.write(
                    self._cmd, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0"
                )
                self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(timeout=10)
        finally:
            os.close(self._cmd)
            os.close(self._events)


def load_page(binary: str, page: Path, profile: Path) -> dict[str, Any]:
    """Open ``page`` and report its requests, errors and a few facts of the rendered DOM."""
    browser = Browser(binary, profile)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Network", "Page", "Runtime", "Log"):
            browser.send(f"{domain}.enable", session=session)
        url = page.resolve().as_uri()
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait(lambda m: m.get("method") == "Page.loadEventFired")
        browser.settle(0.5)  # late requests (fonts, lazy images) would show up here
        probe = (
            "JSON.stringify({title: document.title,"
            " h1: document.querySelectorAll('h1').length,"
            " h2: [...document.querySelectorAll('h2')].map(e => e.textContent),"
            " charts: document.querySelectorAll('svg[role=img]').length,"
            " svgTexts: document.querySelectorAll('svg text').length,"
            " height: document.body.scrollHeight,"
            " scripts: document.scripts.length,"
            " resources: performance.getEntriesByType('resource').map(e => e.name)})"
        )
        dom = json.loads(
            browser.send(
                "Runtime.evaluate", {"expression": probe, "returnByValue": True}, session=session
            )["result"]["value"]
        )
        events = [m for m in browser.messages if m.get("sessionId") == session]
        return {
            "url": url,
            "dom": dom,
            "requests": [
                m["params"]["request"]["url"]
                for m in events
                if m.get("method") == "Network.requestWillBeSent"
            ],
            "errors": [
                m["params"]
                for m in events
                if m.get("method") in ("Runtime.exceptionThrown", "Network.loadingFailed")
                or (
                    m.get("method") == "Log.entryAdded" and m["params"]["entry"]["level"] == "error"
                )
                or (
                    m.get("method") == "Runtime.consoleAPICalled"
                    and m["params"]["type"] in ("error", "assert")
                )
            ],
        }
    finally:
        browser.close()


def test_html_report_loads_cleanly_in_chromium(chromium: str, tmp_path: Path) -> None:
    from advisor.engine.ruleset import load_ruleset
    from advisor.report import render_report

    rs = load_ruleset()
    answers = {
        "org.hq_region": "eu",
        "usage.monthly_input_tokens": "12B",
        "usage.monthly_output_tokens": "2B",
        "usage.current_model": "gpt-4o",
        "usage.capability_need": "general",
        "usage.frontier_share": 10,
        "ops.ml_engineers": 4,
    }
    decision = rs.evaluate(rs.validate_answers(answers))
    html = render_report(
        decision,
        rs,
        "html",
        {"title": "<script>alert('x')</script> board paper", "organisation": "Example"},
        generated_at="2024-05-01T12:00:00Z",
    )
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")

    result = load_page(chromium, page, tmp_path / "profile")

    assert result["requests"] == [result["url"]], result["requests"]
    assert result["errors"] == []
    dom = result["dom"]
    assert dom["resources"] == []
    assert dom["scripts"] == 0  # the <script> in the title stayed text
    assert dom["title"] == "<script>alert('x')</script> board paper"
    assert dom["h1"] == 1
    for heading in ("Executive summary", "Scores and vetoes", "Costs", "Models", "Audit"):
        assert heading in dom["h2"]
    assert dom["charts"] == 2 and dom["svgTexts"] > 10
    assert dom["height"] > 2000  # laid out, not an empty page


def test_the_recorder_sees_requests_that_leave_the_file(chromium: str, tmp_path: Path) -> None:
    """Control: a page loading an image from elsewhere is caught (loopback, nothing listens)."""
    page = tmp_path / "leaky.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>leak</title></head><body><h1>x</h1>'
        '<img src="http://127.0.0.1:9/pixel.png" alt=""></body></html>',
        encoding="utf-8",
    )
    result = load_page(chromium, page, tmp_path / "profile")
    assert "http://127.0.0.1:9/pixel.png" in result["requests"]
    assert result["errors"], "the failed load is reported as an error"
