"""The results: recommendation, reasons with sources, costs with a chart, models, export.

Imported only when the results are first shown, so it does not slow the questionnaire's start.
The cost chart is text (a dot plot of each option's monthly cost at volumes around today's, one
row per volume) drawn with Rich: it needs nothing beyond the default install, and its colours
are the HTML report's (``advisor.present.labels``).
"""

from __future__ import annotations

import importlib
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    DataTable,
    Header,
    Static,
    TabbedContent,
    TabPane,
)

from advisor.load.answers import write_atomic
from advisor.load.ranges import same_answer
from advisor.load.values import format_quantity
from advisor.present.costs_view import (
    breakdown_text,
    breakeven_month_text,
    breakeven_text,
    cost_rows,
    modifier_lines,
    throughput_text,
)
from advisor.present.costs_view import deployment_words as shared_deployment_words
from advisor.present.curve import CostCurve, cost_curve
from advisor.present.effects import effects_text
from advisor.present.labels import OPTIONS, option_colour, option_label, option_mark, short_label
from advisor.present.numbers import USD, Currency, currency_of, money
from advisor.present.robustness import (
    confidence_meaning,
    confidence_text,
    fact_label,
    percentile_rows,
    tie_sentence,
    value_text,
)
from advisor.tui.assessing import assess_in_worker
from advisor.tui.widgets.footer import KeysFooter
from advisor.tui.widgets.live import score_bars

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet
    from advisor.model.decision import Decision, FiredRule
    from advisor.tui.app import AdvisorApp, PaletteCommand
    from advisor.tui.session import Session

TABS = ("summary", "reasons", "costs", "changes", "models", "export")
EXTENSIONS = {"md": ".md", "html": ".html", "json": ".json", "adr": ".adr.md"}
FORMAT_NAMES = {"md": "Markdown", "html": "HTML page", "json": "JSON", "adr": "Decision record"}


# --- texts (pure functions of the decision, easy to test) -----------------------------------


def summary_text(d: Decision, rs: RuleSet) -> Text:
    out = Text()
    if d.all_vetoed:
        out.append(
            "Every option is vetoed: no strategy is possible as answered.\n", style="bold red"
        )
    else:
        out.append("Recommendation: ", style="bold")
        out.append(option_label(d.recommendation or ""), style="bold green")
        out.append(f"   {confidence_text(d)}\n")
        tie = tie_sentence(d)
        if tie:
            out.append(tie + "\n", style="yellow")
        out.append("\n")
    out.append_text(score_bars(d, 60))
    rows = [r for r in cost_rows(d.costs or {}, getattr(rs, "catalog", None)) if r.monthly]
    if rows:
        horizon = (d.costs or {}).get("horizon_months")
        out.append(
            f"\nCost a month (over {horizon:g} months)\n" if horizon else "\nCost a month\n",
            style="bold",
        )
        width = max(len(r.label) for r in rows)
        cur = currency_of(d.costs)
        for r in rows:
            style = "bold green" if r.key == d.recommendation else ""
            out.append(f"{r.label:<{width}} {money(r.monthly, cur):>14}", style=style)
            shown = horizon and r.horizon is not None  # a total only over a known horizon
            out.append(f"  {money(r.horizon, cur):>16}\n" if shown else "\n")
        if cur.converted:
            out.append(f"Amounts in {cur.rate_text}.\n", style="dim")
        month = breakeven_month_text(d.costs or {})
        if month:
            out.append(month + "\n", style="dim")
    if d.vetoed:
        out.append("\nVetoed\n", style="bold")
        fired = {r.id: r for r in d.fired}
        for option, rules in d.vetoed.items():
            for rid in rules:
                rule = fired.get(rid)
                out.append(f"✗ {short_label(option)}: ", style="red")
                out.append(f"{rule.because if rule and rule.because else rid} ({rid})\n")
    for title, items in (("Risks", d.risks), ("Actions", d.actions)):
        if items:
            out.append(f"\n{title}\n", style="bold")
            for item in items:
                out.append(f"• {item['text']}\n")
    if d.pending:
        n = len(d.pending)
        needs = sorted({q for p in d.pending for q in p.needs})
        out.append(f"\n{n} rule{'s' if n != 1 else ''} still wait for: ", style="yellow")
        out.append(", ".join(needs) + "\n", style="yellow")
    if d.defaults_used:
        out.append(f"\n{len(d.defaults_used)} answers are defaults: ", style="dim")
        out.append(", ".join(d.defaults_used) + "\n", style="dim")
    audit = d.audit
    out.append(
        f"\nadvisor {audit.get('advisor_version')}, rules {str(audit.get('rules_digest'))[:19]}, "
        f"catalog as of {audit.get('catalog_as_of')}",
        style="dim",
    )
    return out


def changes_text(d: Decision | None, rs: RuleSet | None = None) -> RenderableType:
    """The "What would change" tab: how sure the recommendation is and what that means, the
    flip points as a table (closest first), the tornado of the leading options' cost ratio as
    text bars, and each option's horizon cost P10 / P50 / P90; ``None``: still being worked
    out."""
    out = Text()
    if d is None:
        out.append("Working out what would change the recommendation…", style="dim")
        return out
    if d.sensitivity is None:
        out.append("What would change the recommendation was not assessed.", style="dim")
        return out
    out.append("Recommendation: ", style="bold")
    out.append(option_label(d.recommendation or ""), style="bold green")
    out.append(f"   {confidence_text(d)}\n")
    out.append(confidence_meaning(d) + "\n", style="dim")
    parts: list[RenderableType] = [out]
    if not d.sensitivity:
        parts.append(Text("No single input changes the recommendation within its searched range."))
    else:
        parts.append(Text.assemble(("What would change this", "bold"), flip_heading()))
        parts.append(flip_table(d, rs))
    tornado = tornado_text(d)
    if tornado is not None:
        parts.append(tornado)
    pct = percentile_rows(d)
    if pct:
        n = d.probabilities["samples"] if d.probabilities else 0
        parts.append(
            Text.assemble(
                ("Cost over the horizon across the samples", "bold"),
                f" ({n:,}): one sample in ten costs less than P10, half less than P50, nine in "
                "ten less than P90",
            )
        )
        table = Table(box=None, pad_edge=False, expand=False)
        for name, justify in (
            ("Option", "left"),
            ("Recommended in", "right"),
            ("P10", "right"),
            ("P50", "right"),
            ("P90", "right"),
        ):
            table.add_column(name, justify=justify, header_style="bold")  # type: ignore[arg-type]
        cur = currency_of(d.costs)
        for row in pct:
            style = "bold green" if row["recommended"] else ""
            table.add_row(
                Text(short_label(row["option"]), style=style),
                row["share_text"],
                money(row["p10"], cur),
                money(row["p50"], cur),
                money(row["p90"], cur),
            )
        parts.append(table)
        if cur.converted:
            parts.append(Text(f"Amounts in {cur.rate_text}.", style="dim"))
    spaced: list[RenderableType] = []
    for part in parts:  # a blank line after each block; a heading sits on its table
        if isinstance(part, Text):
            part.rstrip()
        spaced += (
            [part] if isinstance(part, Text) and _is_heading(part, parts) else [part, Text("")]
        )
    return Group(*spaced)


def _is_heading(part: Text, parts: list[RenderableType]) -> bool:
    """A Text followed by a table: its heading, with no blank line between."""
    i = next(n for n, p in enumerate(parts) if p is part)
    return i + 1 < len(parts) and isinstance(parts[i + 1], Table)


def flip_heading() -> str:
    return " (one input moved, the rest as answered; closest first)"


def flip_table(d: Decision, rs: RuleSet | None = None) -> Table:
    """Input, today's value, the value at which the recommendation changes, and to what."""
    table = Table(box=None, pad_edge=False, expand=True)
    table.add_column("Input", header_style="bold", overflow="fold", ratio=3)
    table.add_column("Today", justify="right", header_style="bold")
    table.add_column("Flips at", justify="right", header_style="bold")
    table.add_column("→ makes it", header_style="bold", ratio=2)
    for e in d.sensitivity or ():
        to = e["to"]
        fact = e["fact"]
        table.add_row(
            fact_label(fact),
            Text(value_text(fact, e["current"]), style="bold"),
            Text(value_text(fact, e["flips_at"]), style="bold"),
            Text(short_label(to), style=option_colour(to))
            if to
            else Text("no allowed option", style="red"),
        )
    return table


TORNADO_WIDTH = 30
TORNADO_BARS = 10


def tornado_text(d: Decision) -> Text | None:
    """The tornado chart in text: for each input, a bar from today's cost ratio of the two
    leading options to the ratio at the low (left colour) and the high end (right colour) of
    its band, widest swing first; ``│`` marks today's ratio, ``┊`` a ratio of 1."""
    t = d.tornado
    if not t or not t["bars"]:
        return None
    bars = list(t["bars"])[:TORNADO_BARS]
    num, den = t["numerator"], t["denominator"]
    base = float(t["ratio"])
    values = [base, 1.0] + [float(b[k]) for b in bars for k in ("ratio_low", "ratio_high")]
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    width = TORNADO_WIDTH

    def col(v: float) -> int:
        return max(0, min(width - 1, round((v - lo) / span * (width - 1))))

    out = Text()
    out.append("What moves the cost ratio", style="bold")
    out.append(
        f" of {short_label(num)} to {short_label(den)} over the horizon (today {base:.2f}; "
        f"below 1 {short_label(num)} is the cheaper). Each input at the ",
    )
    out.append("low", style=option_colour(num))
    out.append(" and the ")
    out.append("high", style=option_colour(den))
    out.append(" end of its band, the rest kept:\n")
    label_width = min(30, max(len(fact_label(str(b["fact"]))) for b in bars))
    here, one = col(base), col(1.0)
    for b in bars:
        cells = [" "] * width
        styles = [""] * width
        for ratio, colour in (
            (float(b["ratio_low"]), option_colour(num)),
            (float(b["ratio_high"]), option_colour(den)),
        ):
            a, z = sorted((here, col(ratio)))
            for x in range(a, z + 1):
                cells[x], styles[x] = "█", colour
        if cells[one] == " ":
            cells[one], styles[one] = "┊", "dim"
        cells[here], styles[here] = "│", "bold"
        label = fact_label(str(b["fact"]))
        if len(label) > label_width:
            label = label[: label_width - 1] + "…"
        out.append(f"{label:<{label_width}} ")
        for ch, st in zip(cells, styles, strict=True):
            out.append(ch, style=st or None)
        out.append(
            f" {float(b['ratio_low']):.2f}..{float(b['ratio_high']):.2f} at "
            f"{value_text(b['fact'], b['low'])}..{value_text(b['fact'], b['high'])}\n"
        )
    return out


def same_answers(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two decisions were made on the same answers (a range is not its likely value)."""
    return a.keys() == b.keys() and all(same_answer(a[k], b[k]) for k in a)


def source_text(rs: RuleSet, source_id: str) -> str:
    ref = rs.bundle.sources.get(source_id)
    if ref is not None:
        return f"{source_id}: {ref.title}" + (f" <{ref.url}>" if ref.url else "")
    kind, _, key = source_id.partition(":")
    if kind == "license":
        lic = next((x for x in getattr(rs.catalog, "licenses", ()) if x.id == key), None)
        if lic is not None:
            return f"{source_id}: {lic.name}, {lic.text_location}"
    return source_id


def reasons_text(d: Decision, rs: RuleSet) -> Text:
    by_category: dict[str, list[FiredRule]] = defaultdict(list)
    for rule in d.fired:
        by_category[rule.category].append(rule)
    out = Text()
    if not d.fired:
        out.append("No rule has fired yet: answer more questions.", style="dim")
    order = list(rs.bundle.categories) + sorted(set(by_category) - set(rs.bundle.categories))
    for cid in order:
        rules = by_category.get(cid)
        if not rules:
            continue
        cat = rs.bundle.categories.get(cid)
        title = (cat.title if cat and cat.title else cid).upper()
        out.append(f"{title}", style="bold")
        out.append(f"  weight {d.weights.get(cid, 1.0):.2g}\n", style="dim")
        for rule in rules:
            out.append("• ")
            out.append(rule.because or rule.title or rule.id)
            effects = effects_text(rule)
            out.append(f"  [{effects}]" if effects else "", style="cyan")
            out.append(f"  ({rule.id})\n", style="dim")
            for sid in rule.source:
                out.append(f"    {source_text(rs, sid)}\n", style="dim italic")
        out.append("\n")
    return out


def deployment_words(dep: Any, rs: RuleSet | None = None) -> str:
    """A self-hosted deployment as a sentence: "Llama 3.3 70B on 1 replica of 1 L40S GPU"."""
    return shared_deployment_words(dep, getattr(rs, "catalog", None))


def costs_text(d: Decision, rs: RuleSet | None = None) -> Table | Text:
    costs = d.costs or {}
    rows = cost_rows(costs, getattr(rs, "catalog", None))
    if all(r.monthly is None for r in rows):
        pending = ", ".join(costs.get("pending") or ()) or "the volume questions"
        return Text(f"Costs appear once these are answered: {pending}.", style="dim")
    horizon = costs.get("horizon_months")
    table = Table(expand=True, box=None, pad_edge=False)
    table.add_column("Option", style="bold")
    table.add_column("a month", justify="right")
    table.add_column(f"over {horizon} months" if horizon else "horizon", justify="right")
    table.add_column("basis", overflow="fold")
    cur = currency_of(costs)
    for r in rows:
        if r.monthly is None and r.key in ("switch_hosted", "managed_open"):
            continue  # no such row for these answers (no cheaper model, no allowed endpoint)
        best = r.key == d.recommendation
        table.add_row(
            Text(r.label, style="bold green" if best else ""),
            money(r.monthly, cur),
            money(r.horizon, cur),
            Text(r.detail or "-", style="dim"),
        )
    return table


def costs_notes(d: Decision) -> Text:
    costs = d.costs or {}
    out = Text()
    out.append(breakeven_text(costs) + "\n", style="bold")
    extra = breakdown_text(costs)
    if extra:
        out.append(extra + "\n")
    for key in ("self_host", "hybrid"):
        entry = costs.get(key)
        dep = entry.get("deployment") if isinstance(entry, Mapping) else None
        if dep:
            name = "Self-hosted" if key == "self_host" else "Hybrid's self-hosted part"
            out.append(f"{name}: {throughput_text(dep)}\n")
    modifiers = modifier_lines(costs)
    if modifiers:
        out.append("\n".join(modifiers) + "\n")
    for note in costs.get("notes") or ():
        out.append(f"• {note}\n", style="dim")
    return out


def model_reasons(model: Mapping[str, Any]) -> str:
    reasons = list(model.get("reasons") or ()) + list(model.get("fit_reasons") or ())
    obligations = model.get("obligations") or ()
    text = " ".join(str(r) for r in reasons)
    if obligations:
        text += " Obligations: " + " ".join(str(o) for o in obligations)
    return text.strip() or "No restriction applies."


def cost_chart_text(curve: CostCurve, width: int = 44, currency: Currency = USD) -> Text:
    """Monthly cost at each volume as a text dot plot: a row per volume of the shared curve
    (:func:`advisor.present.curve.cost_curve`, the points the report draws), each option's cost
    a coloured letter on a logarithmic money axis; today's row and the break-even are marked.

    Text, so it needs no chart package and reads in any terminal, a screen reader included
    (each row ends with the cheapest option and its cost in words)."""
    options = [o for o in OPTIONS if any(p.monthly.get(o) for p in curve.points)]
    values = [
        v for p in curve.points for o in options if (v := p.monthly.get(o)) is not None and v > 0
    ]
    if not values:
        return Text("No cost can be drawn yet.", style="dim")
    low, high = math.log10(min(values)), math.log10(max(values))
    span = (high - low) or 1.0
    out = Text()
    out.append("Monthly cost at volumes around today's (log scale)\n", style="bold")
    for option in options:
        out.append(f" {option_mark(option)} ", style=f"bold {option_colour(option)}")
        out.append(f"{option_label(option)}  ")
    out.append("\n")
    label_width = max(len(format_quantity(p.tokens)) for p in curve.points) + 1
    for point in curve.points:
        row = [" "] * width
        styles: list[str | None] = [None] * width
        costs: dict[str, float] = {}
        for option in options:
            value = point.monthly.get(option)
            if value is None or value <= 0:
                continue
            costs[option] = value
            x = round((math.log10(value) - low) / span * (width - 1))
            # Two options at the same cost share a cell: the later one is drawn beside it.
            while 0 <= x < width and row[x] != " ":
                x += 1
            if x < width:
                row[x], styles[x] = option_mark(option), f"bold {option_colour(option)}"
        label = format_quantity(point.tokens)
        out.append(f"{label:>{label_width}} ", style="bold" if point.today else "")
        out.append("│", style="dim")
        for ch, st in zip(row, styles, strict=True):
            out.append(ch if ch != " " else "·", style=st or "dim")
        out.append("│", style="dim")
        if costs:
            best = min(costs, key=lambda k: costs[k])
            out.append(f" {option_label(best)} {money(costs[best], currency)}")
        if point.today:
            out.append("  ◀ today", style="bold")
        if point.breakeven:
            out.append("  ◀ break-even", style="yellow")
        out.append("\n")
    pad = " " * (label_width + 2)
    left, right = money(10**low, currency), money(10**high, currency)
    out.append(
        pad + left + " " * max(1, width - len(left) - len(right)) + right + "\n", style="dim"
    )
    return out


def report_api() -> tuple[tuple[str, ...], Any] | None:
    """``(FORMATS, render_report)`` when the reports package provides them, else None."""
    try:
        module = importlib.import_module("advisor.report")
    except ImportError:
        return None
    render = getattr(module, "render_report", None)
    formats = getattr(module, "FORMATS", None)
    if render is None or not formats:
        return None
    return tuple(formats), render


def export_path(answers_path: Path, fmt: str) -> Path:
    return answers_path.with_name(answers_path.stem + EXTENSIONS.get(fmt, f".{fmt}"))


# --- the screen -----------------------------------------------------------------------------


class ResultsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="advisor.back"),
        # Priority: the Models table and the Export buttons would otherwise swallow them.
        Binding("ctrl+n", "next_tab", "Next", id="advisor.next_tab", priority=True),
        Binding("ctrl+b", "previous_tab", "Prev", id="advisor.previous_tab", priority=True),
        Binding("ctrl+e", "export", "Export", id="advisor.export", priority=True),
        # Scroll the tab on show whatever has focus; priority, so the footer shows these keys
        # (a focused scroll container's own, hidden page bindings would shadow them).
        # Short labels: both keys fit in an 80-column footer beside the others.
        Binding("pagedown", "scroll_tab(1)", "Scroll ↓", id="advisor.page_down", priority=True),
        Binding("pageup", "scroll_tab(-1)", "↑", id="advisor.page_up", priority=True),
    ]

    def __init__(self, session: Session, decision: Decision) -> None:
        super().__init__(id="results")
        # before mount: the header shows it from its first frame, with no second layout
        self.set_reactive(Screen.sub_title, session.path.name)
        self.session = session
        self.rs = session.ruleset
        self.decision = decision
        self.report = report_api()
        self.exported: dict[str, Path] = {}
        self.reused = False  # the live panel's probability taken over (compose)

    @property
    def advisor(self) -> AdvisorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        self.reused = self._adopt_live_probability()
        d = self.decision
        yield Header()
        with TabbedContent(id="result-tabs", initial="summary"):
            with TabPane("Summary", id="summary"), VerticalScroll():
                yield Static(summary_text(d, self.rs), id="summary-text")
            with TabPane("Reasons", id="reasons"), VerticalScroll():
                yield Static(reasons_text(d, self.rs), id="reasons-text")
            with TabPane("Costs", id="costs"), VerticalScroll(id="costs-scroll"):
                yield Static(costs_text(d, self.rs), id="costs-table")
                yield Static(costs_notes(d), id="costs-notes")
                yield from self._chart()
            with TabPane("What would change", id="changes"), VerticalScroll():
                yield Static(changes_text(self._changes_now(), self.rs), id="changes-text")
            with TabPane("Models", id="models"):
                yield DataTable(id="models-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="model-detail-box"):
                    yield Static(id="model-detail")
            with TabPane("Export", id="export"), VerticalScroll():
                yield from self._export_pane()
        yield KeysFooter()

    def _adopt_live_probability(self) -> bool:
        """Take the probability the questionnaire's live panel has already worked out for
        exactly these answers (same samples, seed 0), so the results need only the flip
        points: no second Monte Carlo of the same answers. Returns whether it did."""
        samples = getattr(self.app, "robust_samples", 0)
        if self._results_samples() != getattr(self.app, "results_samples", 0):
            return False  # the results sample the CLI's count themselves (under a second)
        questionnaire = getattr(self.app, "questionnaire", None)
        live: Decision | None = getattr(questionnaire, "decision", None)
        d = self.decision
        p = live.probabilities if live is not None else None
        if (
            samples <= 0
            or live is None
            or p is None
            or live.confidence_basis != "probability"
            or p["samples"] != samples
            or p["seed"] != 0
            or live.recommendation != d.recommendation
            or not same_answers(live.answers, d.answers)
        ):
            return False
        self.decision = replace(
            d,
            confidence=live.confidence,
            confidence_basis=live.confidence_basis,
            probabilities=live.probabilities,
            cost_percentiles=live.cost_percentiles,
        )
        return True

    def _results_samples(self) -> int:
        """The app's Monte Carlo count for these answers (AdvisorApp.results_samples_for)."""
        count = getattr(self.app, "results_samples_for", None)
        if count is None:
            return int(getattr(self.app, "results_samples", 0))
        return int(count(self.session.values))

    def _changes_now(self) -> Decision | None:
        """What the tab shows at first: the flip points if the decision has them, else None
        (a worker is working them out) or the decision (not assessed: no samples)."""
        d = self.decision
        if d.sensitivity is not None or getattr(self.app, "results_samples", 0) <= 0:
            return d
        return None

    @work(thread=True, exclusive=True, group="robust")
    def _assess_in_thread(self, samples: int, values: dict[str, Any]) -> None:
        """Flip points and (``samples`` > 0) the probability, off the event loop (seconds)."""
        point = self.decision
        d = assess_in_worker(self.rs, values, samples, point, flips=True)
        if d is not None:
            self.app.call_from_thread(self._assessed, point, d)

    def _assessed(self, point: Decision, d: Decision) -> None:
        if point is not self.decision:
            return
        self.decision = d  # exports carry the flip points and the probability from now on
        self.query_one("#changes-text", Static).update(changes_text(d, self.rs))
        self.query_one("#summary-text", Static).update(summary_text(d, self.rs))

    def _chart(self) -> ComposeResult:
        curve = cost_curve(self.decision, self.rs)
        if curve is None:
            yield Static("The chart appears once token volumes are answered.", id="no-chart")
            return
        cur = currency_of(self.decision.costs)
        yield Static(cost_chart_text(curve, currency=cur), id="cost-chart")

    def _export_pane(self) -> ComposeResult:
        if self.report is None:
            yield Static(
                "Export is not available: this installation has no report renderers "
                "(advisor.report.render_report).",
                id="export-unavailable",
            )
            return
        formats, _render = self.report
        names = ", ".join(export_path(self.session.path, fmt).name for fmt in formats)
        yield Static(
            Text.assemble(
                "Write the report of this decision next to the answers file: ",
                (names, "bold"),
                ". A file that is there already is replaced.",
            ),
            id="export-intro",
        )
        with Horizontal(id="export-buttons"):
            for fmt in formats:
                yield Button(FORMAT_NAMES.get(fmt, fmt), id=f"export-{fmt}", name=fmt)
        yield Static(id="export-status")

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_active_pane)
        samples = self._results_samples()
        if samples > 0 and self.decision.sensitivity is None and self.decision.recommendation:
            # the live panel's probability reused: only the flip points are left to work out
            self._assess_in_thread(0 if self.reused else samples, dict(self.session.values))
        table = self.query_one("#models-table", DataTable)
        cur = currency_of(self.decision.costs)
        table.add_columns("Model", "Licence", "Eligible", "Need", f"{cur.code} a month")
        for m in self.decision.models:
            eligible = m.get("eligible")
            mark = Text("✓", style="green") if eligible else Text("✗", style="red")
            if m.get("provisional"):
                mark = Text("?", style="yellow")
            meets = m.get("meets_need")
            need = "-" if meets is None else ("meets" if meets else "below")
            table.add_row(
                str(m.get("name") or m.get("id")),
                str(m.get("license_name") or m.get("license") or "-"),
                mark,
                need,
                money(m.get("estimated_monthly_usd"), cur),
                key=str(m.get("id")),
            )
        if self.decision.models:
            self._show_model(0)

    @on(DataTable.RowHighlighted, "#models-table")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        self._show_model(event.cursor_row)

    def _show_model(self, index: int) -> None:
        models = self.decision.models
        if not 0 <= index < len(models):
            return
        m = models[index]
        out = Text()
        out.append(f"{m.get('name') or m.get('id')}", style="bold")
        out.append(f"  {m.get('license_name') or m.get('license')}", style="dim")
        out.append("\n" + model_reasons(m))
        self.query_one("#model-detail", Static).update(out)

    # -- export ------------------------------------------------------------------------------

    @on(Button.Pressed, "#export-buttons Button")
    def _export_pressed(self, event: Button.Pressed) -> None:
        if event.button.name:
            self.export(event.button.name)

    def export(self, fmt: str) -> None:
        if self.report is None:
            self.notify("Export is not available in this installation.", severity="warning")
            return
        self.query_one("#export-status", Static).update(Text(f"Writing {fmt}…", style="dim"))
        self._render_in_thread(fmt)

    @work(thread=True, exclusive=False, group="export")
    def _render_in_thread(self, fmt: str) -> None:
        # HTML renders charts with matplotlib: seconds, so off the UI thread.
        assert self.report is not None
        _formats, render = self.report
        path = export_path(self.session.path, fmt)
        try:
            text = render(self.decision, self.rs, fmt, self.session.meta)
            write_atomic(path, text)
        except Exception as exc:  # any renderer failure becomes a sentence, never a traceback
            message = f"The {fmt} report could not be written: {exc}"
            self.app.call_from_thread(self._export_done, fmt, None, message)
            return
        self.app.call_from_thread(self._export_done, fmt, path, None)

    def _export_done(self, fmt: str, path: Path | None, error: str | None) -> None:
        status = self.query_one("#export-status", Static)
        if error or path is None:
            status.update(Text(error or "failed", style="red"))
            self.notify(error or "Export failed.", severity="error", timeout=8)
            return
        self.exported[fmt] = path
        status.update(Text(f"✓ wrote {path.name}", style="green"))
        self.notify(f"Wrote {path.name}", timeout=4)

    # -- actions -----------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    @on(TabbedContent.TabActivated, "#result-tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        self._focus_active_pane()

    def _active_scroller(self) -> Any:
        tabs = self.query_one(TabbedContent)
        pane = tabs.get_pane(tabs.active) if tabs.active else None
        if pane is None:
            return None
        if tabs.active == "models":
            return pane.query_one("#models-table", DataTable)
        found = pane.query(VerticalScroll)
        return found.first() if found else None

    def _focus_active_pane(self) -> None:
        """Arrow keys and page keys scroll the tab just shown, without a Tab press first."""
        tabs = self.query_one(TabbedContent)
        if tabs.active == "export":
            buttons = self.query("#export-buttons Button")
            if buttons:
                buttons.first().focus()
                return
        target = self._active_scroller()
        if target is not None:
            target.focus()

    def action_scroll_tab(self, pages: int) -> None:
        target = self._active_scroller()
        if target is None:
            return
        if pages > 0:
            target.scroll_page_down()
        else:
            target.scroll_page_up()

    def _switch_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        current = tabs.active or TABS[0]
        index = TABS.index(current) if current in TABS else 0
        tabs.active = TABS[(index + step) % len(TABS)]

    def action_next_tab(self) -> None:
        self._switch_tab(1)

    def action_previous_tab(self) -> None:
        self._switch_tab(-1)

    def action_export(self) -> None:
        self.query_one(TabbedContent).active = "export"
        buttons = self.query("#export-buttons Button")
        if buttons:
            buttons.first().focus()

    def _show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def palette_commands(self) -> list[PaletteCommand]:
        out: list[PaletteCommand] = [
            ("Back to the questions", "Return to the questionnaire (escape)", self.action_back),
            ("Next tab", "Show the next results tab (ctrl+n)", self.action_next_tab),
            ("Previous tab", "Show the previous results tab (ctrl+b)", self.action_previous_tab),
            ("Export", "Go to the export tab (ctrl+e)", self.action_export),
        ]
        for tab in TABS:
            out.append(
                (
                    f"Show {tab}",
                    f"The {tab} tab of the results",
                    partial(self._show_tab, tab),
                )
            )
        if self.report is not None:
            for fmt in self.report[0]:
                out.append(
                    (
                        f"Export report as {FORMAT_NAMES.get(fmt, fmt)}",
                        f"Write {export_path(self.session.path, fmt).name}",
                        partial(self.export, fmt),
                    )
                )
        return out
