"""Shared fixtures: small rule layers written into tmp_path on top of the packaged catalog."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

TEST_SAMPLES = 200
"""The CLI's Monte Carlo default while a test runs ``advisor.cli.main`` in this process: each
sample runs the cost model once, so the real default (10,000, advisor.cli.options.CLI_SAMPLES)
would make every evaluate and report test pay seconds for figures it does not read. Tests of
the default itself carry ``@pytest.mark.default_samples``; a test that passes ``--samples`` is
not affected either way."""


HEAVIEST_FIRST = (
    "test_soundness_properties.py",
    "test_tui_app.py",
    "test_hardening_corpus.py",
    "test_hardening_fuzz.py",
    "test_robustness_tui.py",
    "test_tui_stumbles.py",
    "test_hardening_browser.py",
    "test_soundness_figures.py",
    "test_tui_snapshots.py",
    "test_robustness_core.py",
    "test_core_engine.py",
    "test_catalog_costs.py",
    "test_robustness_batch.py",
)
"""The files that cost the most (measured CPU seconds, 66 down to 9 on the 2-core machine:
/usr/bin/time and a per-test process_time log), run first. Under ``--dist loadfile`` each file
runs whole on one worker, handed out in collection order as workers run dry; the longest
first leaves small files for the end, so the workers finish together instead of one running
a 60-second file alone while the other waits. The other files keep their alphabetical order
after these. A file missing from the list only runs later; nothing is left out."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "default_samples: run the CLI with its real --samples default (10,000), not the test "
        "suite's lower one",
    )
    # xdist otherwise queues files by their number of tests (the 329 one-line hostile cases
    # first, the 14 slowest tests in the suite late): the order of HEAVIEST_FIRST instead
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False
    # not in xdist's controller, which runs no test and would only pay advisor's import
    if not getattr(config.option, "numprocesses", None) or hasattr(config, "workerinput"):
        _default_rules_compiled_once()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A worker ends with millions of objects alive (compiled rule sets, the property tests'
    cases, hypothesis's state), and pytest collects garbage several times as it shuts down,
    each pass walking them all. Under load that took over 5 s, after which xdist's execnet
    interrupts the worker with SIGINT (printed as a KeyboardInterrupt in hypothesis's gc
    callback; the results were all in). Collect once now and freeze what is left: the
    collector skips frozen objects from here on."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(HEAVIEST_FIRST)}
    # a stable sort: the tests of a file keep their order (some read what earlier ones counted)
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture(autouse=True)
def _test_samples(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("default_samples") is None:
        monkeypatch.setattr("advisor.cli.options.CLI_SAMPLES", TEST_SAMPLES)
        # the TUI's results screen samples the CLI's count too when no answer is a range
        monkeypatch.setattr("advisor.tui.app.COLUMN_SAMPLES", TEST_SAMPLES)


_DEFAULT_RULESETS: dict[tuple[str, str], Any] = {}
_REAL_LOAD_RULESET: list[Any] = []


def _default_rules_compiled_once() -> None:
    """``load_ruleset()`` of the packaged rules compiles them once per worker, not at every
    in-process ``evaluate``, ``report`` or ``test`` nor in every test module that loads them
    (about 0.25 s each, a few hundred times). The loading stays real at every call (files
    read, checked, the digest of their text taken), and the compiled rule set is reused only
    for the same digest and working directory (the names in its locations are relative to
    it). Only the packaged rules: a test's own directories are compiled as before, and so is
    anything that fails to compile. Nothing in advisor/ changes a compiled rule set
    (tests/test_tui_support.freeze_audit does, on the small test rule set only).

    Installed when pytest configures, before any test module is imported: a module that
    imports ``load_ruleset`` by name, or loads the rules at import (six do, for their
    hypothesis strategies), gets this one too, so each worker compiles the packaged rules
    once, during collection, instead of once per such module and again per test."""
    from advisor.engine import ruleset as module
    from advisor.load.bundle import load_bundle

    real = module.load_ruleset
    _REAL_LOAD_RULESET.append(real)

    def load_ruleset(dirs: Any = None) -> Any:
        if dirs:
            return real(dirs)
        bundle = load_bundle(None)
        key = (os.getcwd(), bundle.digest)
        if key not in _DEFAULT_RULESETS:
            _DEFAULT_RULESETS[key] = module.compile_bundle(bundle)
        return _DEFAULT_RULESETS[key]

    load_ruleset.__doc__ = real.__doc__
    module.load_ruleset = load_ruleset


def pytest_unconfigure(config: pytest.Config) -> None:
    if _REAL_LOAD_RULESET:
        from advisor.engine import ruleset as module

        module.load_ruleset = _REAL_LOAD_RULESET.pop()


@pytest.fixture
def rules_dir(tmp_path: Path) -> Callable[..., Path]:
    """Build a standalone rules directory: the default questionnaire and catalog, plus the
    given rule files (name -> YAML text) and optional questionnaire text."""

    def make(files: dict[str, str], questionnaire: str | None = None, name: str = "rules") -> Path:
        from advisor.load.bundle import default_rules_dir

        base = default_rules_dir()
        target = tmp_path / name
        target.mkdir()
        if questionnaire is None:
            shutil.copy(base / "questionnaire.yaml", target / "questionnaire.yaml")
        else:
            (target / "questionnaire.yaml").write_text(textwrap.dedent(questionnaire))
        shutil.copytree(base / "catalog", target / "catalog")
        shutil.copy(base / "sources.yaml", target / "sources.yaml")
        for filename, text in files.items():
            path = target / filename
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return target

    return make


@pytest.fixture
def layer(tmp_path: Path) -> Callable[..., Path]:
    """A company layer directory holding only the given files."""

    def make(files: dict[str, str], name: str = "layer") -> Path:
        target = tmp_path / name
        target.mkdir(exist_ok=True)
        for filename, text in files.items():
            path = target / filename
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return target

    return make


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m advisor ARGS`` as a user would, capturing output."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "advisor", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=120,
        check=False,
    )


@dataclass
class Ran:
    """What a CLI call gave: the exit code and everything printed."""

    returncode: int
    stdout: str
    stderr: str


Cli = Callable[..., Ran]


def advisor_main(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Ran:
    """``advisor ARGS`` in this process through ``advisor.cli.main`` (as fast as a function
    call; ``run_cli`` is for the few tests that prove the entry point itself)."""
    import contextlib
    import io

    from advisor.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = {key: os.environ.get(key) for key in {"NO_COLOR", *(env or {})}}
    os.environ.update({"NO_COLOR": "1", **(env or {})})
    try:
        with (
            contextlib.chdir(cwd or ROOT),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse: --help, --version, usage errors
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Ran(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli() -> Cli:
    return advisor_main
