"""Issue 15 in the reports: the flip-point table ("What would change this") in HTML and
Markdown, the tornado and cost-distribution charts in HTML, the confidence said in words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import Markup

from advisor.engine.ruleset import RuleSet, load_ruleset
from advisor.load.answers import load_answers
from advisor.model.decision import Decision
from advisor.present.labels import option_colour, option_label
from advisor.present.numbers import money
from advisor.present.robustness import confidence_text, fact_label
from advisor.report import render_report
from advisor.report.robust_charts import cost_distribution_chart, tornado_chart

EXAMPLE = Path(__file__).parent.parent / "examples" / "mid-size-mixed.yaml"
FIXED = "2026-12-01T00:00:00Z"


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return load_ruleset()


@pytest.fixture(scope="module")
def assessed(rs: RuleSet) -> Decision:
    from advisor.scenarios.robust import assess

    return assess(rs, load_answers(EXAMPLE, rs).values, samples=40, seed=5)


def test_markdown_has_the_flip_table_and_the_confidence_in_words(
    rs: RuleSet, assessed: Decision
) -> None:
    assert assessed.sensitivity, "mid-size-mixed has flip points (issue 15)"
    text = render_report(assessed, rs, "md", {"title": "T"}, FIXED)
    section = text.split("## What would change this", 1)[1].split("\n## ", 1)[0]
    assert "| Input | Today | Flips at | To |" in section
    first = assessed.sensitivity[0]
    row = next(line for line in section.splitlines() if f"`{first['fact']}`" in line)
    assert option_label(first["to"] or "") in row
    summary = text.split("## Executive summary", 1)[1].split("\n## ", 1)[0]
    assert f"Confidence: {confidence_text(assessed)}." in summary
    assert "over 40 samples" in summary or "all 40 samples agree" in summary


def test_html_has_the_table_and_both_charts(rs: RuleSet, assessed: Decision) -> None:
    html = render_report(assessed, rs, "html", {"title": "T"}, FIXED)
    section = html.split('<section id="robustness"', 1)[1].split("</section>", 1)[0]
    assert ">Flips at</th>" in section and ">To</th>" in section
    assert assessed.sensitivity
    assert f"<code>{assessed.sensitivity[0]['fact']}</code>" in section
    assert 'id="tornado-chart"' in section and 'id="cost-distribution-chart"' in section
    assert str(Markup.escape(confidence_text(assessed))) in html  # autoescaped, as Jinja2 does
    # one id per chart: no duplicates across the page
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_tornado_chart_is_accessible_deterministic_and_coloured(assessed: Decision) -> None:
    t = assessed.tornado
    assert t is not None and t["bars"]
    svg = tornado_chart(t)
    assert svg is not None
    assert svg == tornado_chart(t)  # same decision, same bytes
    m = svg.markup
    assert '<title id="tornado-chart-title">' in m and '<desc id="tornado-chart-desc">' in m
    assert option_colour(t["numerator"]) in m and option_colour(t["denominator"]) in m
    assert f">{fact_label(t['bars'][0]['fact'])}</text>" in m.replace("&#x27;", "'")
    assert f"today {t['ratio']:.2f}" in m
    assert tornado_chart(None) is None
    assert tornado_chart({**t, "bars": []}) is None


def test_cost_distribution_chart_draws_p10_to_p90_per_option(assessed: Decision) -> None:
    pct = assessed.cost_percentiles
    assert pct
    svg = cost_distribution_chart(pct, assessed.recommendation)
    assert svg is not None and svg == cost_distribution_chart(pct, assessed.recommendation)
    m = svg.markup
    assert m.count("<rect ") == len(pct)
    for option in pct:
        assert option_colour(option) in m
    assert "recommended" in m
    assert "P10" in svg.description and "P90" in svg.description
    assert cost_distribution_chart(None) is None


def test_point_decision_report_says_flips_were_not_assessed(rs: RuleSet) -> None:
    d = rs.evaluate(load_answers(EXAMPLE, rs).values)
    text = render_report(d, rs, "md", {"title": "T"}, FIXED)
    assert "Flip points were not assessed" in text
    assert "not a probability" in text  # the margin is never shown as a bare percentage
    html = render_report(d, rs, "html", {"title": "T"}, FIXED)
    assert "tornado-chart" not in html and "<meter" not in html


def test_same_seed_same_html_bytes(rs: RuleSet) -> None:
    from advisor.scenarios.robust import assess

    answers = load_answers(EXAMPLE, rs).values
    a = assess(rs, answers, samples=20, seed=9, flips=False)
    b = assess(rs, answers, samples=20, seed=9, flips=False)
    assert render_report(a, rs, "html", {"title": "T"}, FIXED) == render_report(
        b, rs, "html", {"title": "T"}, FIXED
    )


def test_markdown_has_the_cost_percentiles_and_the_tornado_as_tables(
    rs: RuleSet, assessed: Decision
) -> None:
    """The Markdown report has no charts, so it carries their data: the tornado's rows and
    each option's horizon cost P10 / P50 / P90, each with a sentence on what it means."""
    text = render_report(assessed, rs, "md", {"title": "T"}, FIXED)
    section = text.split("## What would change this", 1)[1].split("\n## ", 1)[0]
    assert assessed.cost_percentiles and assessed.tornado
    table = section.split("### Cost over the samples", 1)[1]
    assert "| Option | Recommended in | P10 | P50 | P90 |" in table
    assert "one sample in ten costs less than P10" in table
    for option, band in assessed.cost_percentiles.items():
        row = next(line for line in table.splitlines() if option_label(option) in line)
        assert money(band["p10"]) in row and money(band["p90"]) in row
    moves = section.split("### What moves the cost ratio", 1)[1].split("###", 1)[0]
    assert "| Input | Low end | High end | Ratio at the low end | Ratio at the high end |" in moves
    rows = [line for line in moves.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == len(assessed.tornado["bars"])
    first = assessed.tornado["bars"][0]
    plain = rows[0].replace("\\.", ".")  # Markdown escapes '0.41' as '0\\.41'
    assert f"`{first['fact']}`" in plain and f"| {first['ratio_low']:.2f} |" in plain
    # what the confidence is, in the section itself too
    assert "Confidence is the probability that" in section and "seed 5" in section


def test_html_has_the_tornado_and_percentile_data_tables(rs: RuleSet, assessed: Decision) -> None:
    html = render_report(assessed, rs, "html", {"title": "T"}, FIXED)
    section = html.split('<section id="robustness"', 1)[1].split("</section>", 1)[0]
    assert ">Ratio at the low end</th>" in section and ">Recommended in</th>" in section
    assert "Confidence is the probability that" in section
    assert section.count('class="chart-data"') == 2


def test_a_range_answer_reads_as_a_range_in_every_report(rs: RuleSet, tmp_path: Path) -> None:
    from advisor.scenarios.robust import assess

    path = tmp_path / "range.yaml"
    path.write_text(
        EXAMPLE.read_text().replace(
            "usage.monthly_input_tokens: ", "usage.monthly_input_tokens: 1B..6B #", 1
        )
    )
    d = assess(rs, load_answers(path, rs).values, samples=30, seed=1)
    md = render_report(d, rs, "md", {"title": "T"}, FIXED)
    assert "1B..6B tokens/month (a range; likely 3.5B)" in md
    assert "stated range of usage.monthly\\_input\\_tokens" in md
    html = render_report(d, rs, "html", {"title": "T"}, FIXED)
    assert "1B..6B tokens/month (a range; likely 3.5B)" in html


def test_adr_never_prints_a_bare_percentage(rs: RuleSet, assessed: Decision) -> None:
    """A margin of 1.0 used to print 'high confidence (100 %)' in the decision record."""
    point = rs.evaluate(load_answers(EXAMPLE, rs).values)
    for d in (point, assessed):
        adr = render_report(d, rs, "adr", {"title": "T"}, FIXED)
        line = next(x for x in adr.splitlines() if x.startswith("Chosen option"))
        assert f"Confidence: {confidence_text(d)}." in line
        assert "100 %" not in line


def test_compare_shows_answers_as_typed_and_drives_only_a_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`advisor compare` on two files with the same recommendation: no difference 'drives'
    a change that did not happen (one that alone would move A is said so), answers read as
    typed (40B, 35B..45B, not 40000000000.0 and a dict), each side's confidence in words.

    saas-high-volume recommends managed_open; speed first (5) alone moves it to stay_hosted,
    but starting from o3 beside it keeps managed_open: the cheapest hosted model of o3's
    reasoning tier costs several times GPT-4o's successor. (A high lock-in concern did this
    before staying hosted could move to GPT-4o's successor in month 1; it no longer does.)"""
    import json

    from advisor.cli.main import main

    saas = Path(__file__).parent.parent / "examples" / "saas-high-volume.yaml"
    b = tmp_path / "b.yaml"
    b.write_text(
        saas.read_text()
        .replace("usage.monthly_input_tokens: 40B", "usage.monthly_input_tokens: 35B..45B")
        .replace("strategy.priority_speed: 3", "strategy.priority_speed: 5")
        .replace("usage.current_model: gpt-4o", "usage.current_model: o3")
    )
    assert main(["compare", str(saas), str(b), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["recommendations"] == ["managed_open", "managed_open"]
    assert result["drivers"] == [] and not result["together"]
    speed = next(r for r in result["differences"] if r["question"] == "strategy.priority_speed")
    assert speed["alone_changes_a"] and not speed["drives"]
    assert speed["a_with_this_b_value"] == "stay_hosted"
    assert main(["compare", str(saas), str(b), "--format", "markdown", "--samples", "20"]) == 0
    md = capsys.readouterr().out
    assert "| usage.monthly_input_tokens | 40B | 35B..45B | no |" in md
    assert "no, though alone it would make saas-high-volume.yaml" in md
    assert "(seed 0; drawn over the stated range of usage.monthly_input_tokens" in md
    assert main(["compare", str(saas), str(b)]) == 0
    text = capsys.readouterr().out
    assert "40B -> 35B..45B" in text and "The recommendation is the same." in text
    assert "not a probability" in text  # compare samples nothing by default: a margin


def test_compare_says_when_differences_change_it_only_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from advisor.cli.main import main

    bank = Path(__file__).parent.parent / "examples" / "eu-bank.yaml"
    b = tmp_path / "b.yaml"
    b.write_text(
        bank.read_text()
        .replace("usage.frontier_share: 15", "usage.frontier_share: 0")
        .replace("strategy.priority_control: 5", "strategy.priority_control: 3")
    )
    assert main(["compare", str(bank), str(b)]) == 0
    text = capsys.readouterr().out
    assert "The recommendation changes." in text
    assert "they do it together" in text


@pytest.mark.parametrize(
    "written",
    ["1B..6B", "1B..3.5B..6B", "{low: 1B, likely: 3.5B, high: 6B}", "{low: 1e9, high: 6e9}"],
)
def test_a_range_answers_file_passes_the_schema_evaluate_and_report(
    written: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Done-when of issue 15: `usage.monthly_input_tokens: 1B..6B` (and the mapping form) is
    accepted by the shipped JSON Schema, by `advisor evaluate` and by `advisor report`."""
    import json

    import jsonschema
    import yaml

    from advisor.cli.main import main

    path = tmp_path / "range.yaml"
    path.write_text(
        EXAMPLE.read_text().replace(
            "usage.monthly_input_tokens: 6B", f"usage.monthly_input_tokens: {written}"
        )
    )
    schema = json.loads(
        (Path(__file__).parent.parent / "schemas" / "answers.schema.json").read_text()
    )
    data = yaml.safe_load(path.read_text())
    data["meta"] = {k: str(v) for k, v in (data.get("meta") or {}).items()}
    jsonschema.Draft202012Validator(schema).validate(data)
    assert main(["evaluate", str(path), "--samples", "10", "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    band = d["probabilities"]["inputs"]["usage.monthly_input_tokens"]
    assert (band["low"], band["high"]) == (1e9, 6e9)
    out = tmp_path / "r.md"
    assert main(["report", str(path), "--samples", "10", "-o", str(out)]) == 0
    assert "1B..6B tokens/month (a range; likely 3.5B)" in out.read_text()
