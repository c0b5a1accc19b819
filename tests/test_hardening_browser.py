"""Injection (issue 17, item 7): hostile strings from rules and answers, through every report
format, never run as script in a real browser.

Each hostile string would, if it ran, mark the page (``data-ran`` on the root element). The
reports are written by ``main(argv)``; the HTML report is loaded as it is, the Markdown reports
(md, adr) after rendering with a CommonMark renderer that lets raw HTML through (as many
viewers do). Headless Chromium loads each page with a virtual-time budget (so ``onerror`` of a
broken image and ``onload`` handlers fire) and dumps the DOM after scripts ran; the mark must be
absent. A control page with the same payload live proves the browser runs it.

Skipped cleanly when Chromium is absent (CI installs it: .ci/run).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from advisor.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAYLOAD = "document.documentElement.setAttribute('data-ran','yes')"
RAN = 'data-ran="yes"'
HOSTILE = [
    f"<script>{PAYLOAD}</script>",
    f'<img src=x onerror="{PAYLOAD}">',
    f'<svg onload="{PAYLOAD}"></svg>',
    f'"><img src=x onerror="{PAYLOAD}">',
    f'```<img src=x onerror="{PAYLOAD}">```',
    f'`</code><img src=x onerror="{PAYLOAD}">',
    f'<details open ontoggle="{PAYLOAD}">',
    f'<body onload="{PAYLOAD}">',
]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _dump_doms(binary: str, pages: dict[str, Path], scratch: Path) -> dict[str, str]:
    """Each page's DOM after its scripts ran, one headless Chromium per page (own profile),
    all started at once: a browser start is mostly waiting, and this test waited for four in a
    row."""
    running = {
        name: subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                f"--user-data-dir={scratch / f'profile{i}'}",
                "--virtual-time-budget=3000",
                "--dump-dom",
                page.as_uri(),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, (name, page) in enumerate(pages.items())
    }
    doms = {}
    for name, proc in running.items():
        out, err = proc.communicate(timeout=90)
        assert proc.returncode == 0, f"{name}: {err[-2000:]}"
        doms[name] = out
    return doms


def _layer(folder: Path) -> Path:
    rules = []
    sources = []
    for i, text in enumerate(HOSTILE):
        sources.append(
            {"id": f"article:hostile{i}", "title": text, "url": f"https://x.test/{text}"}
        )
        rules.append(
            {
                "id": f"hostile-{i}",
                "category": "cost",
                "score": {"self_host": 0.01},
                "title": text,
                "because": text,
                "risk": text,
                "action": text,
                "source": f"article:hostile{i}",
            }
        )
    folder.mkdir()
    (folder / "policy.yaml").write_text(
        yaml.safe_dump({"rules": rules, "sources": sources}), encoding="utf-8"
    )
    return folder


def _answers(path: Path) -> Path:
    data = yaml.safe_load((ROOT / "examples" / "eu-bank.yaml").read_text(encoding="utf-8"))
    data["meta"] = {
        "title": HOSTILE[0],
        "organisation": HOSTILE[1],
        "author": HOSTILE[4],
        "notes": " ".join(HOSTILE),
    }
    data["answers"]["selfhost.model"] = HOSTILE[2]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _report(fmt: str, answers: Path, layer: Path, out: Path) -> str:
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = main(
            [
                "report",
                str(answers),
                "--rules",
                "@default",
                "--rules",
                str(layer),
                "--format",
                fmt,
                "-o",
                str(out),
            ]
        )
    assert code == 0, sink.getvalue()
    return out.read_text(encoding="utf-8")


def test_no_hostile_string_runs_in_any_report_format(tmp_path: Path) -> None:
    binary = _chromium()
    if binary is None:
        pytest.skip("chromium is not installed (apt-get install chromium); CI runs this test")
    from markdown_it import MarkdownIt

    render = MarkdownIt("commonmark", {"html": True}).enable("table").render
    layer = _layer(tmp_path / "layer")
    answers = _answers(tmp_path / "answers.yaml")
    pages: dict[str, str] = {"html": _report("html", answers, layer, tmp_path / "r.html")}
    for fmt in ("md", "adr"):
        body = _report(fmt, answers, layer, tmp_path / f"r.{fmt}")
        pages[f"{fmt} rendered"] = f"<!doctype html><html><body>{render(body)}</body></html>"
    json.loads(_report("json", answers, layer, tmp_path / "r.json"))
    # The control: the same payload, live, does mark the page in this browser.
    pages["control"] = f'<!doctype html><html><body><img src=x onerror="{PAYLOAD}"></body></html>'
    files = {}
    for i, (name, html) in enumerate(pages.items()):
        files[name] = tmp_path / f"page{i}.html"
        files[name].write_text(html, encoding="utf-8")
    ran = {}
    for name, dom in _dump_doms(binary, files, tmp_path).items():
        assert "<body" in dom, f"{name}: no DOM dumped"
        ran[name] = RAN in dom
    assert ran.pop("control"), "the control page's script did not run: the check is blind"
    assert not any(ran.values()), f"script ran in: {[n for n, r in ran.items() if r]}"
