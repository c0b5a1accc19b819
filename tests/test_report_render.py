"""Reports: content, structure and escaping of each format, rendered through the public API.

Answers are written here (contract question ids from the [catalog] issue), not taken from
examples/, so these tests do not move when the examples are retuned. Assertions follow the
decision the rules reach rather than hard-coding it.
"""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from advisor.engine.ruleset import RuleSet, load_ruleset
from advisor.model.decision import Decision
from advisor.present.robustness import confidence_text
from advisor.report import FORMATS, render_report

FIXED = "2024-05-01T12:00:00Z"

MIGRATE = {
    "org.hq_region": "eu",
    "org.monthly_active_users": 2_000_000,
    "usage.monthly_input_tokens": "20B",
    "usage.monthly_output_tokens": "4B",
    "usage.current_model": "gpt-4o",
    "usage.capability_need": "general",
    "usage.frontier_share": 10,
    "data.sensitivity": "confidential",
    "ops.ml_engineers": 5,
    "ops.gpu_source": "cloud",
    "strategy.horizon_months": 36,
}
SMALL = {
    "org.hq_region": "us",
    "usage.monthly_input_tokens": "30M",
    "usage.monthly_output_tokens": "5M",
    "usage.current_model": "gpt-4o-mini",
    "usage.capability_need": "frontier",
    "ops.ml_engineers": 0,
    "data.sensitivity": "internal",
}
HOSTILE_META = {
    "title": "<script>alert('x')</script> | *Q3* _plan_ [link](http://evil.example)",
    "organisation": "R&D <b>Ltd</b> &amp; co",
    "author": "# not a heading",
    "notes": "1. not a list\n| a | b |\n<img src=x onerror=alert(1)>",
}


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return load_ruleset()


_CURVES: dict[tuple[int, int], tuple[Decision, RuleSet, Any]] = {}
FRESH_CURVE = {
    "test_same_inputs_same_bytes",
    "test_only_the_generated_at_time_differs",
    "test_charts_are_byte_identical_between_renders",
    "test_curve_matches_the_decision_at_todays_volume",
}


@pytest.fixture(autouse=True)
def _curve_once(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cost curve (some 18 runs of the cost model, most of a render) of each decision is
    drawn once for this module: the same decision is rendered in every format by test after
    test, and the curve depends only on the decision and the rule set (both kept alive here,
    so an id is never reused). The tests of determinism and of the curve itself
    (``FRESH_CURVE``) draw it afresh at every render."""
    if request.node.originalname in FRESH_CURVE:
        return
    from advisor.report import costs

    real = costs.points_of  # type: ignore[attr-defined]

    def points_of(decision: Decision, ruleset: RuleSet) -> Any:
        key = (id(decision), id(ruleset))
        if key not in _CURVES:
            _CURVES[key] = (decision, ruleset, real(decision, ruleset))
        return _CURVES[key][2]

    monkeypatch.setattr(costs, "points_of", points_of)


def decide(rs: RuleSet, answers: dict[str, Any]) -> Decision:
    return rs.evaluate(rs.validate_answers(answers))


@pytest.fixture(scope="module")
def migrate(rs: RuleSet) -> Decision:
    return decide(rs, MIGRATE)


@pytest.fixture(scope="module")
def small(rs: RuleSet) -> Decision:
    return decide(rs, SMALL)


@pytest.fixture(scope="module")
def empty(rs: RuleSet) -> Decision:
    return decide(rs, {})


# --- helpers ---------------------------------------------------------------------------------


def md_tokens(text: str) -> list[Any]:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").parse(text)


def headings(tokens: list[Any]) -> list[tuple[int, str]]:
    out = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            out.append((int(tok.tag[1]), tokens[i + 1].content))
    return out


def assert_clean_markdown(text: str) -> list[Any]:
    """One h1 first, no skipped heading levels, tables parse as tables, no raw HTML."""
    tokens = md_tokens(text)
    levels = headings(tokens)
    assert levels and levels[0][0] == 1, levels[:3]
    assert [lvl for lvl, _ in levels].count(1) == 1
    for (a, _), (b, title) in itertools.pairwise(levels):
        assert b <= a + 1, f"heading level jumps from h{a} to h{b} at {title!r}"
    for tok in tokens:
        assert tok.type not in ("html_block", "html_inline"), tok.content
        if tok.type == "inline":
            assert not tok.content.lstrip().startswith("| "), f"table not parsed: {tok.content}"
            for child in tok.children or []:
                assert child.type != "html_inline", child.content
    return tokens


class Page(HTMLParser):
    """Collects what the HTML checks need."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.svg_children: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "svg":
            self.svg_children.append([])
        elif self.svg_children and "svg" in self.stack:
            self.svg_children[-1].append(tag)
        if tag not in ("meta", "br", "link", "img", "input", "hr"):
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.append(str(a["id"]))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop() == tag:
                break

    def handle_data(self, data: str) -> None:
        if "style" not in self.stack:
            self.text.append(data)


def parse_html(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


# --- the API ---------------------------------------------------------------------------------


def test_formats_and_unknown_format(rs: RuleSet, migrate: Decision) -> None:
    assert FORMATS == ("md", "html", "json", "adr")
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render_report(migrate, rs, "pdf")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", ["migrate", "small", "empty"])
def test_every_format_renders_every_case(
    rs: RuleSet, fmt: str, case: str, request: pytest.FixtureRequest
) -> None:
    decision = request.getfixturevalue(case)
    text = render_report(decision, rs, fmt, {"title": "T"}, generated_at=FIXED)
    assert text.endswith("\n") and len(text) > 500
    if fmt in ("md", "adr"):
        assert_clean_markdown(text)
    elif fmt == "json":
        assert json.loads(text)["report"]["generated_at"] == FIXED


def test_meta_may_be_a_model_or_none(rs: RuleSet, migrate: Decision) -> None:
    from advisor.model.files import Meta

    text = render_report(migrate, rs, "md", Meta(title="From a model", author="A. B."))
    assert text.startswith("# From a model\n")
    assert "A. B." in text
    assert render_report(migrate, rs, "md").startswith("# LLM hosting decision\n")


# --- content ---------------------------------------------------------------------------------


def test_markdown_content(rs: RuleSet, migrate: Decision) -> None:
    text = render_report(migrate, rs, "md", {"title": "Plan", "author": "Board"}, FIXED)
    tokens = assert_clean_markdown(text)
    h2 = [title for level, title in headings(tokens) if level == 2]
    for section in (
        "Executive summary",
        "Scores and vetoes",
        "Reasons by category",
        "Costs",
        "Models",
        "Risks",
        "Next steps",
        "Appendix: answers",
        "Audit",
    ):
        assert section in h2, h2
    assert sum(1 for t in tokens if t.type == "table_open") >= 8
    # executive summary: recommendation, confidence, the why from the top reasons
    assert migrate.recommendation is not None
    label = {
        "stay_hosted": "Stay on the hosted API",
        "hybrid": "Hybrid split",
        "self_host": "Self-host open models",
    }[migrate.recommendation]
    assert f"**Recommendation: {label}**" in text
    # the confidence in words, never a bare percentage (issue 15: a margin is not a probability)
    assert f"Confidence: {confidence_text(migrate)}." in text
    summary = text.split("## Executive summary", 1)[1].split("## Scores", 1)[0]
    for reason in migrate.top_reasons(2):
        assert reason.because.split(":")[0][:40].replace("_", "\\_") in summary
    # every fired rule is listed by id, under its category's title
    for rule in migrate.fired:
        assert f"`{rule.id}`" in text
    # costs: monthly and horizon figures of each option, break-even, assumptions with dates
    for key in ("stay_hosted", "hybrid", "self_host"):
        entry = migrate.costs[key]
        assert entry is not None
        assert f"{entry['monthly_usd']:,.0f} USD" in text
        assert f"{entry['horizon_usd']:,.0f} USD" in text
    assert "### Break-even" in text and "breaks even" in text
    stay_hosted = migrate.costs["stay_hosted"]
    assert stay_hosted is not None and stay_hosted["as_of"] in text
    assert "### Cost against volume" in text and "(today)" in text
    # models table: every model, its licence's name
    for model in migrate.models:
        assert f"(`{model['id']}`)" in text
        assert model["license_name"] in text
    # answers appendix: prompts, defaults marked
    for q in rs.questions.values():
        assert f"(`{q.id}`)" in text
    assert "| *default* |" in text
    # audit
    assert migrate.audit["rules_digest"] in text
    assert f"`{migrate.audit['advisor_version']}`" in text
    assert f"`{FIXED}`" in text


def test_article_points_are_quoted_with_their_text(rs: RuleSet) -> None:
    # Article points are cited only where they support the claim (issue 14): lock-in does (A6).
    migrate = decide(rs, {**MIGRATE, "strategy.lock_in_concern": "high"})
    text = render_report(migrate, rs, "md", None, FIXED)
    cited = sorted({s for r in migrate.fired for s in r.source if s.startswith("article:")})
    assert cited, "the scenario should cite at least one article point"
    for sid in cited:
        ref = rs.bundle.sources[sid]
        assert f"`{sid}`" in text
        assert ref.text is not None
        assert " ".join(ref.text.split())[:60].replace("_", "\\_") in text


def test_licence_clauses_are_named(rs: RuleSet, migrate: Decision) -> None:
    """An EU company: the Llama 4 rule cites license:llama-4; its clauses are named."""
    licences = {s for r in migrate.fired for s in r.source if s.startswith("license:")}
    assert licences
    text = render_report(migrate, rs, "md", None, FIXED)
    html = render_report(migrate, rs, "html", None, FIXED)
    catalog = {lic.id: lic for lic in rs.catalog.licenses}
    for sid in licences:
        lic = catalog[sid.split(":", 1)[1]]
        assert lic.name in text and lic.name in html
        for clause in ("mau_cap_clause", "eu_multimodal_clause", "attribution_clause"):
            where = getattr(lic, clause)
            if where:
                assert where.replace("_", "\\_") in text
                assert where in html


def test_migration_gets_the_four_steps_and_staying_does_not(
    rs: RuleSet, migrate: Decision, small: Decision
) -> None:
    steps = ("**Evaluate**", "**Pilot**", "**Cut over**", "**Roll back**")
    # A company wary of lock-in: at successor prices the plain answers stay hosted (issue 12).
    migrate = decide(rs, {**MIGRATE, "strategy.lock_in_concern": "high"})
    assert migrate.recommendation in ("hybrid", "self_host", "managed_open")
    text = render_report(migrate, rs, "md", None, FIXED)
    positions = [text.index(s) for s in steps]
    assert positions == sorted(positions)
    assert small.recommendation == "stay_hosted"
    hosted = render_report(small, rs, "md", None, FIXED)
    assert not any(s in hosted for s in steps)
    assert "**Review**" in hosted


def test_risks_and_actions_of_the_rules_appear(rs: RuleSet, migrate: Decision) -> None:
    text = render_report(migrate, rs, "md", None, FIXED)
    for item in (*migrate.risks, *migrate.actions):
        assert f"(`{item['rule']}`)" in text


def test_incomplete_answers_say_what_is_missing(rs: RuleSet, empty: Decision) -> None:
    text = render_report(empty, rs, "md", None, FIXED)
    assert "The costs could not be computed" in text
    assert "### Rules waiting for answers" in text
    assert "| unanswered |" in text
    html = render_report(empty, rs, "html", None, FIXED)
    assert "Cost against volume" not in html  # no curve without volumes


def test_adr_follows_madr(rs: RuleSet, migrate: Decision) -> None:
    text = render_report(migrate, rs, "adr", {"title": "LLM platform", "author": "Board"}, FIXED)
    tokens = assert_clean_markdown(text)
    h2 = [title for level, title in headings(tokens) if level == 2]
    assert h2 == [
        "Context and Problem Statement",
        "Decision Drivers",
        "Considered Options",
        "Decision Outcome",
        "Pros and Cons of the Options",
        "More Information",
    ]
    h3 = [title for level, title in headings(tokens) if level == 3]
    assert "Consequences" in h3
    for label in ("Stay on the hosted API", "Hybrid split", "Self-host open models"):
        assert label in h3
    assert "* Status: proposed" in text and "* Deciders: Board" in text
    assert 'Chosen option: "' in text
    assert "* Good, because " in text and "* Bad, because " in text


# --- escaping --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "adr"])
def test_markdown_escapes_user_text(rs: RuleSet, migrate: Decision, fmt: str) -> None:
    from markdown_it import MarkdownIt

    text = render_report(migrate, rs, fmt, HOSTILE_META, FIXED)
    assert_clean_markdown(text)
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert" in html
    assert '<a href="http://evil.example"' not in html
    assert "<em>Q3</em>" not in html


def test_html_escapes_user_text(rs: RuleSet, migrate: Decision) -> None:
    text = render_report(migrate, rs, "html", HOSTILE_META, FIXED)
    assert "<script" not in text.lower()
    assert "<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text
    assert "<h1>&lt;script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "R&amp;D &lt;b&gt;Ltd&lt;/b&gt; &amp;amp; co" in text
    page = parse_html(text)
    assert not [t for t, _ in page.tags if t in ("script", "img", "iframe", "object", "embed")]


# --- HTML: self-contained and accessible ----------------------------------------------------


def test_html_is_self_contained(rs: RuleSet, migrate: Decision) -> None:
    text = render_report(migrate, rs, "html", {"title": "Plan"}, FIXED)
    page = parse_html(text)
    names = [t for t, _ in page.tags]
    for forbidden in ("script", "link", "img", "iframe", "object", "embed", "base", "source"):
        assert forbidden not in names, forbidden
    for tag, attrs in page.tags:
        assert "src" not in attrs, (tag, attrs)
        assert "srcset" not in attrs
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        for key in ("href", "xlink:href"):
            value = attrs.get(key) or ""
            if tag == "a" and value.startswith(("https://", "http://")):
                continue  # a link the reader may follow; nothing is fetched on load
            assert not value or value.startswith("#"), (tag, key, value)
    # CSS and SVG may reference only fragments inside the page
    assert re.findall(r"url\((?!#)", text) == []
    assert "@import" not in text
    assert "default-src 'none'" in text  # the CSP tells the browser so too
    assert "@media print" in text


def test_html_is_accessible(rs: RuleSet, migrate: Decision) -> None:
    text = render_report(migrate, rs, "html", {"title": "Plan"}, FIXED)
    page = parse_html(text)
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    levels = [int(t[1]) for t, _ in page.tags if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and levels.count(1) == 1
    for a, b in itertools.pairwise(levels):
        assert b <= a + 1
    ths = [attrs for t, attrs in page.tags if t == "th"]
    assert ths and all(a.get("scope") in ("col", "row") for a in ths)
    assert len([t for t, _ in page.tags if t == "caption"]) >= 5
    svgs = [attrs for t, attrs in page.tags if t == "svg"]
    assert len(svgs) == 2  # the scores and the cost curve
    for attrs, children in zip(svgs, page.svg_children, strict=True):
        assert attrs.get("role") == "img"
        labelled = (attrs.get("aria-labelledby") or "").split()
        assert len(labelled) == 2 and all(i in page.ids for i in labelled)
        assert children[:2] == ["title", "desc"]
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    assert "Monthly cost at each volume (the chart's data)" in text


def test_html_charts_are_svg_text_not_glyph_paths(rs: RuleSet, migrate: Decision) -> None:
    text = render_report(migrate, rs, "html", None, FIXED)
    svgs = re.findall(r"<svg.*?</svg>", text, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        ET.fromstring(svg)  # well-formed XML, so any SVG viewer opens it
        # Labels are text a reader can select and a screen reader can read, not outlines.
        assert "<text" in svg and "<use" not in svg and "glyph" not in svg
    assert "<?xml" not in text and "<!DOCTYPE svg" not in text
    cost = next(s for s in svgs if 'id="cost-chart"' in s)
    for label in ("Hosted API", "Hybrid", "Self-hosted", "today:", "break-even:"):
        assert label in cost, label
    scores = next(s for s in svgs if 'id="scores-chart"' in s)
    assert "recommended" in scores


def test_charts_are_byte_identical_between_renders(rs: RuleSet, migrate: Decision) -> None:
    from advisor.report.charts import cost_chart, scores_chart
    from advisor.report.context import build_context

    one, two = build_context(migrate, rs, None, FIXED), build_context(migrate, rs, None, FIXED)
    assert one.curve is not None and two.curve is not None
    a, b = cost_chart(one.curve), cost_chart(two.curve)
    assert a is not None and b is not None and a.markup == b.markup
    assert scores_chart(one.scores) == scores_chart(two.scores)


def test_chart_colours_come_from_one_palette(rs: RuleSet, migrate: Decision) -> None:
    from advisor.present.labels import OPTIONS as LABELS

    text = render_report(migrate, rs, "html", None, FIXED)
    cost = re.search(r'<svg[^>]*id="cost-chart".*?</svg>', text, re.S)
    assert cost is not None
    for option in ("stay_hosted", "hybrid", "self_host"):
        assert f'stroke="{LABELS[option].colour}"' in cost.group(0), option
    assert len({row.colour for row in LABELS.values()}) == len(LABELS)


# --- JSON ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["migrate", "small", "empty"])
def test_json_validates_against_the_decision_schema(
    rs: RuleSet, case: str, request: pytest.FixtureRequest
) -> None:
    import jsonschema

    from advisor.check.jsonschema import json_schema

    decision = request.getfixturevalue(case)
    data = json.loads(render_report(decision, rs, "json", HOSTILE_META, FIXED))
    validator = jsonschema.Draft202012Validator(json_schema("decision"))
    errors = list(validator.iter_errors(data))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    # the decision contract is kept whole, and the report adds its fields
    contract = json.loads(json.dumps(decision.to_dict(), default=str))
    assert {k: v for k, v in data.items() if k != "report"} == contract
    report = data["report"]
    assert report["generated_at"] == FIXED
    assert report["title"] == HOSTILE_META["title"]
    assert report["meta"]["organisation"] == HOSTILE_META["organisation"]
    assert report["summary"]


def test_json_report_carries_the_curve_and_sources(rs: RuleSet, migrate: Decision) -> None:
    data = json.loads(render_report(migrate, rs, "json", None, FIXED))
    curve = data["report"]["cost_curve"]
    assert len(curve["points"]) >= 12
    tokens = [p["tokens"] for p in curve["points"]]
    assert tokens == sorted(tokens)
    assert any(p["today"] for p in curve["points"])
    hosted = [p["stay_hosted"] for p in curve["points"]]
    assert hosted == sorted(hosted)  # the hosted line grows with volume
    ids = {s["id"] for s in data["report"]["sources"]}
    assert ids == {s for r in migrate.fired for s in r.source}


def test_curve_matches_the_decision_at_todays_volume(rs: RuleSet, migrate: Decision) -> None:
    from advisor.report.context import build_context

    ctx = build_context(migrate, rs, None, FIXED)
    assert ctx.curve is not None
    today = next(p for p in ctx.curve["points"] if p["today"])
    costs = migrate.costs
    hosted, self_host, hybrid = costs["stay_hosted"], costs["self_host"], costs["hybrid"]
    assert hosted is not None and self_host is not None and hybrid is not None
    assert today["stay_hosted"] == pytest.approx(hosted["monthly_usd"])
    assert today["self_host"] == pytest.approx(self_host["monthly_usd"])
    assert today["hybrid"] == pytest.approx(hybrid["monthly_usd"])


def test_json_schema_lists_the_report_fields() -> None:
    from advisor.check.jsonschema import json_schema

    schema = json_schema("decision")
    assert "report" in schema["properties"]
    report = schema["$defs"]["ReportModel"]
    for key in ("generated_at", "title", "meta", "summary", "cost_curve", "sources"):
        assert key in report["properties"]


# --- determinism -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_inputs_same_bytes(
    rs: RuleSet, migrate: Decision, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714564800")
    first = render_report(migrate, rs, fmt, HOSTILE_META)
    second = render_report(migrate, rs, fmt, HOSTILE_META)
    assert first == second
    assert "2024-05-01T12:00:00Z" in first


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_the_generated_at_time_differs(
    rs: RuleSet, migrate: Decision, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    now = render_report(migrate, rs, fmt, {"title": "T"})
    stamp = re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", now)
    assert stamp
    later = render_report(migrate, rs, fmt, {"title": "T"}, generated_at="2001-02-03T04:05:06Z")
    # the ADR's date is the generation date when the answers' meta gives none
    expected = now.replace(stamp.group(0), "2001-02-03T04:05:06Z").replace(
        f"* Date: {stamp.group(0)[:10]}", "* Date: 2001-02-03"
    )
    assert expected == later


def test_source_date_epoch_garbage_falls_back_to_now(
    rs: RuleSet, migrate: Decision, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not-a-number")
    data = json.loads(render_report(migrate, rs, "json"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["report"]["generated_at"])


def test_examples_render_in_every_format(rs: RuleSet, tmp_path: Path) -> None:
    """Every shipped example renders cleanly (the knowledge base's realistic organisations)."""
    from advisor.load.answers import load_answers

    root = Path(__file__).resolve().parent.parent / "examples"
    examples = sorted(root.glob("*.yaml"))  # answers files; the company layer is a folder
    assert len(examples) >= 8
    for path in examples:
        answers = load_answers(path, rs)  # any problem fails the test, naming the example
        decision = rs.evaluate(answers.values)
        for fmt in ("md", "adr"):
            assert_clean_markdown(render_report(decision, rs, fmt, answers.meta, FIXED))
        assert json.loads(render_report(decision, rs, "json", answers.meta, FIXED))["report"]


def test_all_vetoed_is_said_plainly(layer: Any) -> None:
    import jsonschema

    from advisor.check.jsonschema import json_schema
    from advisor.load.bundle import default_rules_dir

    extra = layer(
        {
            "contradiction.yaml": """\
            rules:
              - id: veto-everything
                category: compliance
                when: "true"
                veto: [stay_hosted, managed_open, hybrid, self_host]
                because: A test rule that rules every option out.
                source: article:A6
            """
        }
    )
    rs = load_ruleset([default_rules_dir(), extra])
    decision = decide(rs, MIGRATE)
    assert decision.all_vetoed
    text = render_report(decision, rs, "md", None, FIXED)
    assert_clean_markdown(text)
    assert "Every option is vetoed" in text and "**Warning:**" in text
    assert "**Evaluate**" not in text  # no migration plan for a contradiction
    html = render_report(decision, rs, "html", None, FIXED)
    assert html.count('<span class="tag no">vetoed</span>') == 4
    data = json.loads(render_report(decision, rs, "json", None, FIXED))
    assert not list(jsonschema.Draft202012Validator(json_schema("decision")).iter_errors(data))


def test_meta_date_object_and_unknown_keys(rs: RuleSet, migrate: Decision) -> None:
    import datetime as dt

    meta = {"title": "T", "date": dt.date(2026, 8, 1), "reviewer": "Ops"}
    adr = render_report(migrate, rs, "adr", meta, FIXED)
    assert "* Date: 2026-08-01" in adr
    data = json.loads(render_report(migrate, rs, "json", meta, FIXED))
    assert data["report"]["meta"] == {"title": "T", "date": "2026-08-01", "reviewer": "Ops"}
