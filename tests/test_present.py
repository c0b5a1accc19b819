"""The presentation helpers: one wording per option, one money format, one cost curve.

The curve test is the point of having one curve: the TUI's Costs chart and the report's chart
must plot the same volumes and costs, so a reader comparing the two sees the same story.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from advisor.engine.ruleset import RuleSet, load_ruleset
from advisor.load.answers import load_answers
from advisor.load.values import format_quantity
from advisor.model.decision import Decision, FiredRule
from advisor.present.curve import cost_curve
from advisor.present.effects import effects_text
from advisor.present.labels import OPTIONS, SHORT_WIDTH, option_colour, option_label, short_label
from advisor.present.numbers import money, percent, tokens
from advisor.report.context import build_context
from advisor.tui.screens.results import cost_chart_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return load_ruleset()


def decide(rs: RuleSet, name: str) -> Decision:
    return rs.evaluate(load_answers(EXAMPLES / name, rs).values)


@pytest.mark.parametrize("example", ["saas-high-volume.yaml", "frontier-research.yaml"])
def test_the_tui_and_the_report_draw_the_same_cost_points(rs: RuleSet, example: str) -> None:
    """The TUI's text chart has one row per point of the report's curve, at the same volume,
    and each row names the cheapest option at that volume with the report's figure."""
    decision = decide(rs, example)
    report = build_context(decision, rs, None, "2026-12-01T00:00:00Z").curve
    curve = cost_curve(decision, rs)
    assert report is not None and curve is not None
    lines = cost_chart_text(curve).plain.splitlines()
    rows = [line for line in lines if line.count("│") == 2]
    assert len(rows) == len(report["points"]), "one row per point of the report's curve"
    for row, point in zip(rows, report["points"], strict=True):
        assert row.split("│")[0].strip() == format_quantity(point["tokens"])
        costs = {o: point[o] for o in OPTIONS if point.get(o) is not None and point[o] > 0}
        best = min(costs, key=lambda o: costs[o])
        assert row.endswith(f"{option_label(best)} {money(costs[best])}") or (
            f"{option_label(best)} {money(costs[best])}  ◀" in row
        ), row


def test_the_curve_passes_through_todays_decision(rs: RuleSet) -> None:
    decision = decide(rs, "saas-high-volume.yaml")
    curve = cost_curve(decision, rs)
    assert curve is not None
    today = next(p for p in curve.points if p.today)
    hosted, self_host = decision.costs["stay_hosted"], decision.costs["self_host"]
    assert hosted is not None and self_host is not None
    assert today.monthly["stay_hosted"] == pytest.approx(hosted["monthly_usd"])
    assert today.monthly["self_host"] == pytest.approx(self_host["monthly_usd"])
    volumes = [p.tokens for p in curve.points]
    assert volumes == sorted(volumes) and volumes[0] < curve.today_tokens < volumes[-1]


def test_every_option_has_one_wording_and_one_colour() -> None:
    from advisor.model.files import OPTIONS as MODEL_OPTIONS

    assert set(OPTIONS) == set(MODEL_OPTIONS)
    colours = [option_colour(o) for o in OPTIONS]
    assert len(set(colours)) == len(colours)
    for option in OPTIONS:
        assert option_label(option) != short_label(option)
        assert len(short_label(option)) <= SHORT_WIDTH  # fits the TUI's score bars
    assert option_label("stay_hosted") == "Stay on the hosted API"
    assert short_label("some_new_thing") == "Some new thing"


def test_the_cli_summary_uses_the_shared_wording(rs: RuleSet) -> None:
    from advisor.cli.formats.decision import TextReporter

    decision = decide(rs, "saas-high-volume.yaml")
    text = TextReporter().render(decision)
    assert decision.recommendation is not None
    assert f"Recommendation: {option_label(decision.recommendation)} " in text
    # the cost rows are the shared ones (present/costs_view), padded into columns
    stay_hosted = decision.costs["stay_hosted"]
    assert stay_hosted is not None
    hosted = money(stay_hosted["monthly_usd"])
    row = rf"^  {re.escape(short_label('stay_hosted'))} +{re.escape(hosted)} "
    assert re.search(row, text, re.M), text
    # staying hosted already moves to the switch row's model (gpt-6-luna) in month 1: the row
    # would repeat it, so it is left out and the hosted line says how staying hosted is priced
    assert stay_hosted["path"] == "move" and stay_hosted["switch_hosted"] is not None
    assert stay_hosted["switch_hosted"]["model"] == stay_hosted["month1_model"]
    assert not re.search(r"^  Switch hosted model ", text, re.M), text
    assert "  hosted: moving from gpt-4o to gpt-6-luna in month 1" in text
    # another provider's cheaper model keeps its row: o1 -> gpt-6.1-terra, switch gemini
    other = TextReporter().render(decide(rs, "o1-reasoning-insurer.yaml"))
    assert re.search(r"^  Switch hosted model +[0-9,.]+ USD ", other, re.M), other


def test_break_even_says_what_self_hosting_leaves_out(rs: RuleSet) -> None:
    """With a real frontier share the rules leave self-hosting everything out of the cost
    comparison (the API keeps that share on a frontier model): every break-even sentence names
    what it compares, in the CLI, the TUI's line and the reports alike."""
    from advisor.cli.formats.decision import TextReporter
    from advisor.present.costs_view import breakeven_month_text, breakeven_text
    from advisor.report import render_report

    mixed = decide(rs, "mid-size-mixed.yaml")
    assert mixed.costs["breakeven"] is not None
    assert mixed.costs["breakeven"]["frontier_share_percent"] == 25.0
    who = "self-hosting everything (with the 25 % of requests that need the frontier"
    text = TextReporter().render(mixed)
    lines = [line for line in text.splitlines() if "breaks even" in line]
    assert lines and all(who in line for line in lines), lines
    assert breakeven_month_text(mixed.costs).startswith("S" + who[1:])
    assert who in breakeven_text(mixed.costs) or "never" in breakeven_text(mixed.costs)
    # the hosted line names the one-offs its horizon total holds beside the months
    stay = mixed.costs["stay_hosted"]
    assert stay is not None and stay["change_usd"] == stay["routing_usd"] == 10000.0
    assert (
        "once in the horizon total: changing model 10,000 USD, routing the frontier share "
        "10,000 USD" in text
    )
    md = render_report(mixed, rs, "md")
    assert all(who in line.lower() for line in md.splitlines() if "breaks even" in line)
    # without a frontier share, plain self-hosting
    saas = decide(rs, "saas-high-volume.yaml")
    assert saas.costs["breakeven"] is not None
    assert saas.costs["breakeven"]["frontier_share_percent"] == 0.0
    assert "  self-hosting breaks even at " in TextReporter().render(saas)


def test_numbers() -> None:
    assert money(12345.6) == "12,346 USD" and money(12.5) == "12.50 USD"
    assert money(None) == "n/a" and money(float("nan")) == "n/a" and money(True) == "n/a"
    assert tokens(2.5e9) == "2.5B" and tokens(1500) == "1.5K"
    assert percent(0.781) == "78 %"


def test_effects_name_options_and_points_before_weight() -> None:
    rule = FiredRule(
        id="r",
        category="cost",
        weight=2.0,
        because="b",
        title="t",
        source=(),
        effects={"score": {"self_host": 3, "hybrid": 1.5}, "veto": ["stay_hosted"]},
    )
    assert effects_text(rule) == "self_host +3, hybrid +1.5; vetoes stay_hosted"
