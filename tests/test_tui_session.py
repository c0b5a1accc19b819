"""The TUI's Textual-free parts: the session (open, save, refuse), texts and cost figures."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from test_tui_support import load_small, saved

from advisor.present.costs_view import breakeven_text, cost_rows
from advisor.present.curve import cost_curve
from advisor.present.numbers import money
from advisor.present.words import display_value, input_text
from advisor.tui.session import Session, default_answers_path

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    return load_small(tmp_path_factory.mktemp("rules"))


def test_default_path_is_dated_and_never_an_existing_file(tmp_path: Path) -> None:
    now = datetime(2025, 3, 4, 5, 6, 7)
    first = default_answers_path(tmp_path, now)
    assert first.name == "assessment-20250304-050607.yaml"
    first.write_text("")
    assert default_answers_path(tmp_path, now).name == "assessment-20250304-050607-2.yaml"


def test_new_session_writes_nothing_until_saved(small: Any, tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    s = Session.open(small, path)
    assert not s.existed and not s.read_only and not path.exists()
    assert s.set_answer("org.hq_region", "eu")
    assert not s.set_answer("org.hq_region", "eu")  # unchanged: nothing to do
    assert s.save()
    assert saved(path) == {"org.hq_region": "eu"} and s.existed and not s.dirty
    assert s.set_answer("org.hq_region", None)
    assert s.save() and saved(path) == {}


def test_open_existing_and_meta(small: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("meta: {author: Ada}\nanswers: {usage.monthly_input_tokens: 300M}\n")
    s = Session.open(small, path)
    assert s.existed and s.values == {"usage.monthly_input_tokens": 3e8}
    assert s.set_meta(title="  Review  ", author="Ada")
    assert s.meta.title == "Review"
    assert not s.set_meta(title="Review")
    s.save()
    assert "title: Review" in path.read_text()


@pytest.mark.parametrize(
    "text",
    ["answers: {org.hq_region: mars}\n", "answers: [\n", "answers: {no.such: 1}\n"],
)
def test_unusable_file_is_read_only(small: Any, tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    s = Session.open(small, path)
    assert s.read_only and s.load_error is not None
    assert all(str(p).startswith(str(p.location)) for p in s.load_error.problems)
    s.set_answer("org.hq_region", "eu")
    assert not s.save(force=True)
    assert path.read_text() == text


def test_a_folder_is_refused(small: Any, tmp_path: Path) -> None:
    s = Session.open(small, tmp_path)
    assert s.read_only and "folder" in str(s.load_error)


def test_a_failed_write_keeps_the_answers_and_says_why(small: Any, tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    target.mkdir()  # renaming the temporary file over a folder fails, even for root
    s = Session(small, target)
    s.set_answer("org.hq_region", "eu")
    assert not s.save()
    assert s.dirty and s.values == {"org.hq_region": "eu"}
    assert s.last_save_error == (
        "a.yaml was not saved: it is a folder; give a file name inside it instead."
    )
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_input_text_never_rounds() -> None:
    assert input_text(2_345_678_901.0) == "2345678901"
    assert input_text(0.1) == "0.1"
    assert input_text(12) == "12"


def test_display_values(small: Any) -> None:
    q = small.questions
    assert display_value(q["org.hq_region"], "eu") == "European Union"
    assert display_value(q["usage.monthly_input_tokens"], 2.5e9) == "2.5B tokens/month"
    assert display_value(q["data.origins"], []) == "none"
    assert display_value(q["data.air_gapped"], True) == "yes"
    assert money(1234.4) == "1,234 USD" and money(None) == "n/a"


def test_cost_figures_and_curve(small: Any) -> None:
    d = small.evaluate({"usage.monthly_input_tokens": 2e9, "usage.monthly_output_tokens": 4e8})
    rows = {r.key: r for r in cost_rows(d.costs)}
    assert rows["stay_hosted"].monthly is not None and rows["stay_hosted"].monthly > 0
    assert rows["stay_hosted"].label == "Hosted API"
    assert isinstance(breakeven_text(d.costs), str)
    curve = cost_curve(d, small)
    assert curve is not None and curve.today_tokens in [p.tokens for p in curve.points]
    hosted = [p.monthly["stay_hosted"] for p in curve.points]
    known = [m for m in hosted if m is not None]
    assert known == hosted and known == sorted(known)  # the API bill grows with volume
    assert cost_curve(small.evaluate({}), small) is None


def test_the_tui_package_imports_no_chart_library_until_results() -> None:
    import subprocess
    import sys

    code = (
        "import sys, advisor.tui.app;"
        "bad = [m for m in ('textual_plotext', 'plotext', 'matplotlib', 'jinja2') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert out.stdout.strip() == "[]"


def test_a_change_made_during_a_write_is_not_marked_saved(
    small: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The questionnaire writes in a worker thread while answers keep changing."""
    import threading

    import advisor.tui.session as session_module

    path = tmp_path / "a.yaml"
    s = Session.open(small, path)
    s.set_answer("org.hq_region", "eu")
    writing, release = threading.Event(), threading.Event()
    real_save = session_module._write_answers

    def slow_save(*args: Any, **kwargs: Any) -> None:
        writing.set()
        assert release.wait(5)
        real_save(*args, **kwargs)

    monkeypatch.setattr(session_module, "_write_answers", slow_save)
    worker = threading.Thread(target=s.save)
    worker.start()
    assert writing.wait(5)
    s.set_answer("org.hq_region", "us")  # while the first write is under way
    release.set()
    worker.join(5)
    assert saved(path) == {"org.hq_region": "eu"}
    assert s.dirty, "the change made during the write must still count as unsaved"
    monkeypatch.setattr(session_module, "_write_answers", real_save)
    assert s.save() and saved(path) == {"org.hq_region": "us"} and not s.dirty


def test_the_recommended_cost_row_is_the_recommendation_when_staying_hosted() -> None:
    """The Costs tab highlights the row whose key is the recommendation: when the advice is to
    stay hosted, that row must exist under the option's own name (it used to be 'hosted')."""
    from advisor import load_ruleset
    from advisor.load.answers import load_answers
    from advisor.present.costs_view import cost_rows

    ruleset = load_ruleset()
    examples = Path(__file__).resolve().parent.parent / "examples"
    decision = ruleset.evaluate(load_answers(examples / "frontier-research.yaml", ruleset).values)
    assert decision.recommendation == "stay_hosted"
    keys = [row.key for row in cost_rows(decision.costs) if row.monthly is not None]
    assert decision.recommendation in keys
