"""``advisor report`` as a user runs it (in process through ``main(argv)``; one test in new
processes with different hash seeds): outputs, errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
Cli = Callable[..., Any]  # conftest's in-process ``cli``: returncode, stdout, stderr

ANSWERS = """\
meta:
  title: Support assistant <script>alert(1)</script>
  organisation: Example GmbH
  author: Architecture board
answers:
  org.hq_region: eu
  usage.monthly_input_tokens: 3B
  usage.monthly_output_tokens: 600M
  usage.current_model: gpt-4o
  usage.capability_need: general
  ops.ml_engineers: 3
  strategy.horizon_months: 24
"""


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def test_default_format_is_markdown_on_stdout(cli: Cli, answers: Path) -> None:
    done = cli("report", str(answers), env={"SOURCE_DATE_EPOCH": "0"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Support assistant \\<script\\>alert(1)\\</script\\>\n")
    assert "`1970-01-01T00:00:00Z`" in done.stdout
    assert done.stderr == ""


@pytest.mark.parametrize("fmt", ["md", "html", "json", "adr"])
def test_each_format_to_a_file(cli: Cli, answers: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    done = cli("report", str(answers), "--format", fmt, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.is_file() and out.stat().st_size > 1000
    assert f"wrote {out} ({fmt}," in done.stdout
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(text)["report"]["meta"]["organisation"] == "Example GmbH"
    elif fmt == "html":
        assert "<script" not in text.lower()


def test_title_option_overrides_meta(cli: Cli, answers: Path) -> None:
    done = cli("report", str(answers), "--format", "json", "--title", "Board paper")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["report"]["title"] == "Board paper"


def test_layered_rules_are_used(cli: Cli, answers: Path, layer: Callable[..., Path]) -> None:
    extra = layer(
        {
            "policy.yaml": """\
            rules:
              - id: company-prefers-hybrid
                category: strategy
                when: "true"
                score: {hybrid: 50}
                because: Company policy prefers a hybrid split.
                source: article:A6
            """
        }
    )
    from advisor.load.bundle import default_rules_dir

    done = cli(
        "report",
        str(answers),
        "--rules",
        str(default_rules_dir()),
        "--rules",
        str(extra),
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["recommendation"] == "hybrid"
    assert "company-prefers-hybrid" in {r["id"] for r in data["fired"]}


def test_missing_answers_file_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    done = cli("report", str(tmp_path / "nope.yaml"))
    assert done.returncode == 2
    assert "nope.yaml" in done.stderr and "ADV100" in done.stderr
    assert "Traceback" not in done.stderr


def test_invalid_answers_name_file_line_and_column(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        textwrap.dedent(
            """\
            answers:
              usage.current_model: gpt-4o
              usage.capability_need: genius
            """
        ),
        encoding="utf-8",
    )
    done = cli("report", str(bad), "--format", "html")
    assert done.returncode == 1
    assert "bad.yaml:3:" in done.stderr and "ADV503" in done.stderr
    assert "'genius' is not an option" in done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr


def test_broken_yaml_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("answers: [unclosed\n", encoding="utf-8")
    done = cli("report", str(bad))
    assert done.returncode == 2
    assert "broken.yaml:" in done.stderr and "ADV101" in done.stderr


def test_unknown_format_is_a_usage_error(cli: Cli, answers: Path) -> None:
    done = cli("report", str(answers), "--format", "pdf")
    assert done.returncode == 2
    assert "invalid choice: 'pdf'" in done.stderr


def test_unwritable_output_is_a_usage_error(cli: Cli, answers: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    done = cli("report", str(answers), "-o", str(blocker / "report.md"))
    assert done.returncode == 2
    assert f"{blocker / 'report.md'}: ADV120: The output cannot be written" in done.stderr
    assert "Traceback" not in done.stderr


def test_report_refuses_to_overwrite_its_own_answers(cli: Cli, answers: Path) -> None:
    before = answers.read_bytes()
    done = cli("report", str(answers), "-o", str(answers))
    assert done.returncode == 2
    assert f"{answers}: ADV120:" in done.stderr and "input" in done.stderr
    assert answers.read_bytes() == before


def test_cli_formats_come_from_the_report_registry(cli: Cli) -> None:
    from advisor import report

    done = cli("report", "--help")
    for fmt in report.REGISTRY.values():
        assert f"{fmt.name} ({fmt.label})" in " ".join(done.stdout.split())
    assert tuple(report.REGISTRY) == report.FORMATS


def test_help_lists_report(cli: Cli) -> None:
    done = cli("--help")
    assert "report" in done.stdout
    done = cli("report", "--help")
    assert done.returncode == 0
    assert "--format" in done.stdout and "SOURCE_DATE_EPOCH" in done.stdout


def test_schema_decision_describes_the_report(cli: Cli) -> None:
    done = cli("schema", "decision")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert "report" in schema["properties"]


def test_same_answers_same_bytes_across_processes(answers: Path, tmp_path: Path) -> None:
    """Two processes with different hash seeds write byte-identical HTML (SOURCE_DATE_EPOCH)."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"r{seed}.html"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PYTHONHASHSEED": seed,
            "SOURCE_DATE_EPOCH": "1700000000",
        }
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "advisor",
                "report",
                str(answers),
                "--format",
                "html",
                # 1,000 samples, not the default 10,000: still the forked Monte Carlo, at a
                # tenth of the cost (the default is tested in test_robustness_core.py)
                "--samples",
                "1000",
                "-o",
                str(out),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert b"2023-11-14T22:13:20Z" in outs[0]


def test_heavy_modules_load_only_when_a_report_is_rendered() -> None:
    """Building the CLI (every command's start-up) imports no Jinja2; a JSON report neither;
    no report format ever imports a chart library (the charts are SVG written by hand)."""
    code = textwrap.dedent(
        """
        import sys
        from advisor.cli.main import build_parser
        build_parser()
        import advisor.report
        assert "matplotlib" not in sys.modules, "matplotlib at start-up"
        assert "jinja2" not in sys.modules, "jinja2 at start-up"
        from advisor import load_ruleset
        from advisor.report import render_report
        rs = load_ruleset()
        d = rs.evaluate({})
        render_report(d, rs, "json")
        assert "jinja2" not in sys.modules, "jinja2 for json"
        render_report(d, rs, "md")
        assert "matplotlib" not in sys.modules, "matplotlib for md"
        render_report(d, rs, "html")
        for name in ("matplotlib", "plotext", "textual_plotext", "pygal", "plotly"):
            assert name not in sys.modules, f"{name} for html"
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
