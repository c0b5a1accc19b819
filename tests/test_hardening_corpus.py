"""The hostile-input corpus: every case in tests/hostile/*.yaml must end in its expected clean
outcome, run in process through the real entry points with a time limit per case.

Each data file lists cases (``case``, ``target``, ``input``, ``expect``, optional ``code``).
The runner classifies what happened:

* ``refused``: a non-zero exit (or a load error) with a located problem (``file:line...:
  ADVnnn``), no traceback;
* ``accepted``: exit 0, and every output valid (JSON strict: no NaN/Infinity; the Markdown and
  HTML reports without a live tag or event handler);
* ``traceback``, ``hang`` (over the time limit), ``silent-acceptance`` (exit 0 where a refusal
  was expected), ``data-loss`` (an input file changed or vanished where it must not),
  ``injection`` (hostile text live in a report).

Anything but the expected outcome fails, with the case's name. ``HOSTILE_CASE=name`` runs one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import re
import signal
import stat
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.cli import main

HERE = Path(__file__).resolve().parent / "hostile"
ROOT = HERE.parent.parent
EXAMPLE = ROOT / "examples" / "eu-bank.yaml"
TIME_LIMIT = 20  # seconds per case: generous for a loaded CI box; a hang never ends at all
LOCATED = re.compile(r"\S+:\d+(?::\d+)?: ADV\d{3}")
TARGETS = (
    "answers",
    "run",
    "autosave",
    "rules",
    "sandbox",
    "questionnaire",
    "catalog",
    "tests",
    "injection",
    "output",
)


@dataclass
class Case:
    name: str
    target: str
    input: str
    expect: str
    code: str | None = None
    answers: str | None = None
    mode: str | None = None
    source: str = ""


@dataclass
class Outcome:
    kind: str
    detail: str = ""
    outputs: list[str] = field(default_factory=list)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(HERE.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        for raw in data["cases"]:
            cases.append(
                Case(
                    name=raw["case"],
                    target=raw.get("target", data.get("target", "")),
                    input=raw["input"],
                    expect=raw["expect"],
                    code=raw.get("code"),
                    answers=raw.get("answers"),
                    mode=raw.get("mode"),
                    source=path.name,
                )
            )
    return cases


CASES = load_cases()


class _Timeout(BaseException):
    pass


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    def fire(signum: int, frame: Any) -> None:
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _cli(argv: list[str]) -> tuple[int, str]:
    """Run the CLI in process; (exit code, stdout+stderr). Exceptions propagate."""
    code, out, err = _cli_split(argv)
    return code, out + err


def _cli_split(argv: list[str]) -> tuple[int, str, str]:
    """Run the CLI in process; (exit code, stdout, stderr). Exceptions propagate."""
    if argv[:1] in (["evaluate"], ["report"]) and "--samples" not in argv:
        # The hostile inputs are about loading, rendering and writing; the Monte Carlo behind
        # the probability (1,000 evaluations by default) adds seconds a case and is tested in
        # tests/test_robustness_*.py.
        argv = [*argv, "--samples", "0"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


class _LiveTags(HTMLParser):
    """Collects what would run in a browser: script tags, event-handler attributes,
    javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.live.append(f"<{tag}>")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.live.append(f"<{tag} {name}=...>")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.live.append(f"<{tag} {name}=javascript:...>")


def live_html(html: str) -> list[str]:
    parser = _LiveTags()
    parser.feed(html)
    return parser.live


@functools.cache
def _commonmark() -> Any:
    """One CommonMark renderer (raw HTML on, tables) for every report: rendering keeps no
    state between documents."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


def markdown_live(md: str) -> list[str]:
    return live_html(_commonmark().render(md))


def _strict_json(text: str) -> None:
    def refuse(token: str) -> Any:
        raise ValueError(f"{token} is not JSON")

    json.loads(text, parse_constant=refuse)


def _layer(tmp: Path, files: dict[str, str]) -> Path:
    folder = tmp / "layer"
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def _refusal(code: int, text: str, case: Case) -> Outcome:
    if "Traceback (most recent call last)" in text:
        return Outcome("traceback", text[-2000:])
    if code == 0:
        return Outcome("accepted", text[-500:])
    if not LOCATED.search(text):
        return Outcome("unlocated", text[-1000:])
    if case.code and case.code not in text:
        return Outcome("wrong-code", text[-1000:])
    return Outcome("refused", text[-300:])


def _rules_dirs(layer: Path) -> list[str]:
    return ["--rules", "@default", "--rules", str(layer)]


MARKUP = ("<", "`", "javascript:", "](", "&", "[")


def _evaluate_all(
    tmp: Path, rules: list[str], answers: Path, case: Case, evaluated: bool = False
) -> Outcome:
    """evaluate (text, json) and report (md, html, json, adr): all must succeed and be inert.

    ``evaluated``: the caller has run ``evaluate --format json`` on these very arguments and
    found it accepted with strict JSON (an answers case), so it is not run twice.

    The Markdown reports are rendered by a CommonMark parser (raw HTML on, as a viewer might)
    when the case's text carries anything markup could be made of; otherwise their raw text
    is scanned for tags, which is what an inert case could still leak (rendering every
    report took a third of the corpus's time)."""
    hostile = any(m in case.input + (case.answers or "") for m in MARKUP)
    if not evaluated:
        code, text = _cli(["evaluate", str(answers), *rules, "--format", "json"])
        if code != 0:
            return _refusal(code, text, Case("", "", "", ""))
        _strict_json(text)
    code, text = _cli(["evaluate", str(answers), *rules])
    if code != 0:
        return Outcome("failed", text[-1000:])
    outputs = []
    for fmt in ("md", "html", "json", "adr"):
        out = tmp / f"report.{fmt}"
        code, text = _cli(["report", str(answers), *rules, "--format", fmt, "-o", str(out)])
        if code != 0:
            return Outcome("failed", f"report {fmt}: {text[-1000:]}")
        body = out.read_text(encoding="utf-8")
        if len(body) > 5_000_000:
            return Outcome("failed", f"report {fmt} is {len(body):,} characters")
        outputs.append(body)
        if fmt == "json":
            _strict_json(body)
        if fmt == "json":
            live = []
        elif fmt == "html" or not hostile:
            live = live_html(body)
        else:
            live = markdown_live(body)
        if live:
            return Outcome("injection", f"{fmt}: {live[:3]}")
    return Outcome("accepted", outputs=outputs)


def _run_case(case: Case, tmp: Path) -> Outcome:
    target = case.target
    if target == "output":
        return _output_case(case, tmp)
    if target in ("answers", "run", "autosave"):
        path = tmp / "answers.yaml"
        if case.mode == "folder":
            path.mkdir()
        else:
            path.write_text(case.input, encoding="utf-8")
        if case.mode == "readonly":
            path.chmod(stat.S_IRUSR)
        before = path.read_bytes() if path.is_file() else None
        if target == "answers":
            code, text = _cli(["evaluate", str(path), "--format", "json"])
            outcome = _refusal(code, text, case)
            if outcome.kind == "accepted":
                _strict_json(text)
                outcome = _evaluate_all(tmp, [], path, case, evaluated=True)
        else:
            outcome = _session_case(case, path, before)
        if target == "answers" and path.is_file() and path.read_bytes() != before:
            return Outcome("data-loss", "the answers file changed")
        return outcome
    files: dict[str, str]
    if target == "rules":
        files = {"policy.yaml": case.input}
    elif target == "sandbox":
        rule = {
            "rules": [
                {
                    "id": "hostile",
                    "category": "cost",
                    "when": case.input,
                    "score": {"self_host": 1},
                    "because": "A hostile condition held.",
                    "source": "article:A4",
                }
            ]
        }
        files = {"policy.yaml": yaml.safe_dump(rule)}
    elif target == "questionnaire":
        files = {"questionnaire.yaml": case.input}
    elif target == "catalog":
        files = {"catalog/extra.yaml": case.input}
    elif target == "tests":
        files = {"tests/hostile.yaml": case.input}
    elif target == "injection":
        files = {"policy.yaml": case.input}
    else:
        raise AssertionError(f"{case.name}: unknown target {target!r}")
    layer = _layer(tmp, files)
    rules = _rules_dirs(layer)
    if target == "tests":
        code, text = _cli(["test", *rules, str(layer / "tests" / "hostile.yaml")])
        return _refusal(code, text, case)
    code, text = _cli(["check", *rules])
    outcome = _refusal(code, text, case)
    if outcome.kind != "accepted":
        return outcome
    if case.code and case.code not in text:  # an accepted case may expect a warning
        return Outcome("wrong-code", f"check did not report {case.code}: {text[-1000:]}")
    answers = EXAMPLE
    if case.answers is not None:
        answers = tmp / "answers.yaml"
        answers.write_text(case.answers, encoding="utf-8")
    return _evaluate_all(tmp, rules, answers, case)


def _session_case(case: Case, path: Path, before: bytes | None) -> Outcome:
    from advisor.engine.ruleset import load_ruleset
    from advisor.problems import Location
    from advisor.tui.session import Session

    rs = load_ruleset()
    session = Session.open(rs, path)
    if session.load_error is not None:
        problems = session.load_error.problems
        if not problems or not all(isinstance(p.location, Location) for p in problems):
            return Outcome("unlocated", str(session.load_error))
        if case.target == "run" and not any(p.location.line > 0 for p in problems):
            return Outcome("unlocated", str(session.load_error))
        if case.code and not any(p.code == case.code for p in problems):
            return Outcome("wrong-code", str(session.load_error))
    session.set_answer("usage.monthly_input_tokens", 12345.0)
    ok = session.save()
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    if leftovers:
        return Outcome("data-loss", f"temporary files left: {leftovers}")
    if session.load_error is not None or not ok:
        if path.is_file() and path.read_bytes() != before:
            return Outcome("data-loss", "a file that could not be used was replaced")
        if not ok and session.load_error is None and not session.last_save_error:
            return Outcome("silent-failure", "save failed without a reason")
        return Outcome("refused", str(session.load_error or session.last_save_error))
    reread = Session.open(rs, path)
    if reread.load_error is not None or reread.values.get("usage.monthly_input_tokens") != 12345.0:
        return Outcome("data-loss", "the saved answer did not come back")
    return Outcome("accepted")


_RULESETS: dict[tuple[tuple[str, ...], str], Any] = {}
_CURVES: dict[tuple[str, str, str], Any] = {}
_CATALOG_KEYS: dict[int, str] = {}


def _catalog_key(ruleset: Any) -> str:
    """The catalog's content, by rule set (every rule set stays alive in _RULESETS)."""
    if id(ruleset) not in _CATALOG_KEYS:
        text = repr(ruleset.bundle.catalog_data).encode()
        _CATALOG_KEYS[id(ruleset)] = hashlib.sha256(text).hexdigest()
    return _CATALOG_KEYS[id(ruleset)]


@contextlib.contextmanager
def _computed_once() -> Iterator[None]:
    """Compile each distinct rule stack once per process: ``check``, ``evaluate`` and
    ``report`` of a case, and every case on the defaults, share the compiled rule set, keyed
    by its directories and the digest of their files' text (a case that changes a file gets
    a fresh compile; a stack that does not compile is never cached). Loading stays real; the
    loader itself caches the parsed base layer."""
    from advisor.engine import ruleset as module

    real = module.compile_bundle

    def compile_bundle(bundle: Any) -> Any:
        key = (tuple(str(d) for d in bundle.dirs), bundle.digest)
        if key not in _RULESETS:
            _RULESETS[key] = real(bundle)
        return _RULESETS[key]

    # The cost curve (some 20 cost derivations) is the bulk of a report. It is a function of
    # the catalog, the answers and the models the fired rules exclude, so each distinct
    # combination is drawn once: the four formats of a case, and cases that differ only in
    # their rules, share it.
    from advisor.report import costs

    # report.costs calls present.curve.cost_curve under this private alias: the name to patch
    real_curve = costs.points_of  # type: ignore[attr-defined]

    def points_of(decision: Any, ruleset: Any) -> Any:
        excluded = [(rule.because, rule.effects.get("exclude_models")) for rule in decision.fired]
        key = (_catalog_key(ruleset), repr(sorted(decision.answers.items())), repr(excluded))
        if key not in _CURVES:
            _CURVES[key] = real_curve(decision, ruleset)
        return _CURVES[key]

    module.compile_bundle = compile_bundle
    costs.points_of = points_of  # type: ignore[attr-defined]
    try:
        yield
    finally:
        module.compile_bundle = real
        costs.points_of = real_curve  # type: ignore[attr-defined]


# --- -o PATH: the safe writer through main(argv) ---------------------------------------------

SCENARIO = """\
tests:
  - name: a small hosted workload
    answers:
      usage.monthly_input_tokens: 1M
      usage.monthly_output_tokens: 200k
    expect:
      recommendation: stay_hosted
"""
OLD = b"old contents\n"


def _snapshot(path: Path) -> tuple[str, bytes | str | None, int]:
    """What is at ``path``: its kind, its contents (a link: where it points) and its mode."""
    try:
        info = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return ("missing", None, 0)
    if stat.S_ISLNK(info.st_mode):
        return ("link", os.readlink(path), 0)
    if stat.S_ISREG(info.st_mode):
        return ("file", path.read_bytes(), stat.S_IMODE(info.st_mode))
    if stat.S_ISFIFO(info.st_mode):
        return ("fifo", None, stat.S_IMODE(info.st_mode))
    if stat.S_ISDIR(info.st_mode):
        return ("folder", None, stat.S_IMODE(info.st_mode))
    return ("other", None, 0)


def _prepare_output(mode: str, tmp: Path, inputs: dict[str, Path], command: str) -> Path | str:
    target = tmp / "target.txt"
    own = {"check": inputs["layer"] / "policy.yaml", "test": inputs["scenario"]}.get(
        command, inputs["answers"]
    )
    if mode == "stdout":
        return "-"
    if mode == "fifo":
        os.mkfifo(tmp / "out.pipe")
        return tmp / "out.pipe"
    if mode in ("symlink", "symlink-readonly"):
        target.write_bytes(OLD)
        if mode == "symlink-readonly":
            target.chmod(0o444)
        (tmp / "link").symlink_to(target)
        return tmp / "link"
    if mode == "dangling-symlink":
        (tmp / "link").symlink_to(tmp / "new-target.txt")
        return tmp / "link"
    if mode == "symlink-own-input":
        (tmp / "link").symlink_to(own)
        return tmp / "link"
    if mode in ("regular", "readonly"):
        (tmp / "out.txt").write_bytes(OLD)
        if mode == "readonly":
            (tmp / "out.txt").chmod(0o444)
        return tmp / "out.txt"
    if mode == "folder":
        (tmp / "outdir").mkdir()
        return tmp / "outdir"
    if mode == "own-input":
        return own
    if mode == "missing-folder":
        return tmp / "nope" / "out.txt"
    if mode == "file-in-path":
        (tmp / "plain.txt").write_bytes(OLD)
        return tmp / "plain.txt" / "out.txt"
    if mode == "new":
        return tmp / "new.out"
    raise AssertionError(f"unknown output mode {mode!r}")


def _output_case(case: Case, tmp: Path) -> Outcome:
    import threading

    inputs = {"answers": tmp / "answers.yaml", "scenario": tmp / "scenario.yaml"}
    inputs["answers"].write_bytes(EXAMPLE.read_bytes())
    inputs["scenario"].write_text(SCENARIO, encoding="utf-8")
    inputs["layer"] = _layer(tmp, {"policy.yaml": "rules: []\n"})
    command = case.input.split()[0]
    out = _prepare_output(case.mode or "", tmp, inputs, command)
    argv = case.input.format(
        answers=inputs["answers"], scenario=inputs["scenario"], layer=inputs["layer"], out=out
    ).split()
    watched = [p for p in tmp.rglob("*")] + ([Path(out)] if out != "-" else [])
    before = {p: _snapshot(p) for p in watched}
    chunks: list[bytes] = []
    reader = keepalive = -1
    thread = None
    if case.mode == "fifo":
        reader = os.open(out, os.O_RDONLY | os.O_NONBLOCK)
        keepalive = os.open(out, os.O_WRONLY)  # no end-of-file before the command opens it
        os.set_blocking(reader, True)

        def drain() -> None:  # outputs can exceed the pipe's buffer
            while chunk := os.read(reader, 65536):
                chunks.append(chunk)

        thread = threading.Thread(target=drain, daemon=True)
        thread.start()
    try:
        code, stdout, stderr = _cli_split(argv)
    finally:
        if thread is not None:
            os.close(keepalive)
            thread.join(5)
            os.close(reader)
    text = stdout + stderr
    if "Traceback (most recent call last)" in text:
        return Outcome("traceback", text[-2000:])
    leftovers = [p.name for p in tmp.rglob("*.tmp")]
    if leftovers:
        return Outcome("data-loss", f"temporary files left: {leftovers}")
    changed = [str(p) for p in watched if _snapshot(p) != before[p]]
    if case.expect == "refused" or code not in (0, 1) or "ADV120" in stderr:
        if code != 2 or f"{out}: ADV120: " not in stderr:
            kind = "accepted" if code in (0, 1) else "unlocated"
            return Outcome(kind, f"exit {code}: {text[-1000:]}")
        if changed:
            return Outcome("data-loss", f"refused, but changed {changed}")
        return Outcome("refused", stderr[-300:])
    # The command ran (exit 1: a scenario failed, which is a result): where did the output go?
    written: str
    if case.mode == "stdout":
        written = stdout
    elif case.mode == "fifo":
        written = b"".join(chunks).decode("utf-8")
        if _snapshot(Path(out))[0] != "fifo":
            return Outcome("data-loss", "the FIFO was replaced")
    elif case.mode in ("symlink", "dangling-symlink"):
        link = Path(out)
        if _snapshot(link) != before[link]:
            return Outcome("data-loss", "the symlink was replaced or repointed")
        written = link.resolve().read_text(encoding="utf-8")
    else:
        written = Path(out).read_text(encoding="utf-8")
    if not written.strip() or written.encode() == OLD:
        return Outcome("failed", f"nothing written: {text[-500:]}")
    if "--format json" in case.input or command == "schema":
        _strict_json(written if case.mode != "stdout" else stdout)
    unexpected = [c for c in changed if c not in (str(out), str(tmp / "target.txt"))]
    if unexpected:
        return Outcome("data-loss", f"changed {unexpected}")
    return Outcome("accepted")


def classify(case: Case, tmp: Path) -> Outcome:
    try:
        with _time_limit(TIME_LIMIT), _computed_once():
            return _run_case(case, tmp)
    except _Timeout:
        return Outcome("hang", f"over {TIME_LIMIT} s")
    except Exception:
        return Outcome("traceback", traceback.format_exc()[-2000:])
    finally:
        for p in tmp.rglob("*"):  # a read-only file must not stop the clean-up
            with contextlib.suppress(OSError):
                p.chmod(0o700 if p.is_dir() else 0o600)


def test_corpus_is_large_and_covers_every_target() -> None:
    assert len(CASES) >= 150
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    assert {c.target for c in CASES} == set(TARGETS)
    assert {c.expect for c in CASES} <= {"refused", "accepted"}


_ONLY = os.environ.get("HOSTILE_CASE")


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if not _ONLY or c.name == _ONLY],
    ids=lambda c: f"{c.target}-{c.name}",
)
def test_hostile_case(case: Case, tmp_path: Path) -> None:
    outcome = classify(case, tmp_path)
    assert outcome.kind == case.expect, (
        f"{case.source}: {case.name}: expected {case.expect}, got {outcome.kind}\n{outcome.detail}"
    )
