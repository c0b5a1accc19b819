"""The compiled rule set against a hand-written function, zen-engine and CEL, on the same rules.

Fifty rules are generated from ten condition shapes (numeric thresholds, choices, lists,
booleans, and/or/not) at five thresholds each. Every engine evaluates the same fifty
conditions over the same answers and sums the same scores; peers that need one call per
condition are also measured with all conditions in one program (their best case).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

ANSWERS: dict[str, Any] = {
    "org.hq_region": "eu",
    "org.monthly_active_users": 2_000_000,
    "usage.monthly_input_tokens": 2.5e9,
    "usage.monthly_output_tokens": 5e8,
    "usage.capability_need": "reasoning",
    "usage.frontier_share": 20.0,
    "data.sensitivity": "confidential",
    "data.residency": "eu",
    "data.air_gapped": False,
    "licensing.excluded_origins": ["cn"],
    "ops.ml_engineers": 3,
    "ops.oncall_24x7": True,
    "strategy.horizon_months": 36,
    "strategy.priority_cost": 4,
}

# (advisor expression, CEL expression) per shape; {t} is the threshold index 0..4.
SHAPES: list[tuple[str, str]] = [
    ("usage.monthly_input_tokens > {t}e9", "usage.monthly_input_tokens > {t}e9"),
    (
        "usage.monthly_output_tokens * 4 + usage.monthly_input_tokens > {t}.5e9",
        "usage.monthly_output_tokens * 4.0 + usage.monthly_input_tokens > {t}.5e9",
    ),
    (
        "data.residency in ['eu', 'on_prem'] and ops.ml_engineers > {t}",
        "data.residency in ['eu', 'on_prem'] && ops.ml_engineers > {t}.0",
    ),
    (
        "not data.air_gapped and usage.frontier_share >= {t10}",
        "!data.air_gapped && usage.frontier_share >= {t10}.0",
    ),
    (
        "'cn' in licensing.excluded_origins or org.monthly_active_users > {tm}",
        "'cn' in licensing.excluded_origins || org.monthly_active_users > {tm}.0",
    ),
    (
        "data.sensitivity == 'regulated' or strategy.priority_cost >= {t}",
        "data.sensitivity == 'regulated' || strategy.priority_cost >= {t}.0",
    ),
    (
        "usage.capability_need in ['frontier', 'reasoning'] and strategy.horizon_months > {t12}",
        "usage.capability_need in ['frontier', 'reasoning'] && strategy.horizon_months > {t12}.0",
    ),
    (
        "ops.oncall_24x7 and ops.ml_engineers < {t} + 2",
        "ops.oncall_24x7 && ops.ml_engineers < {t}.0 + 2.0",
    ),
    (
        "org.hq_region == 'eu' and usage.monthly_input_tokens / 1e6 > {t100}",
        "org.hq_region == 'eu' && usage.monthly_input_tokens / 1e6 > {t100}.0",
    ),
    (
        "strategy.priority_cost * 2 > strategy.horizon_months / 12 + {t}",
        "strategy.priority_cost * 2.0 > strategy.horizon_months / 12.0 + {t}.0",
    ),
]
OPTIONS = ("stay_hosted", "hybrid", "self_host")


def _rules() -> list[tuple[str, str, dict[str, float]]]:
    out = []
    for t in range(5):
        for k, (adv, cel) in enumerate(SHAPES):
            score = {OPTIONS[(k + t) % 3]: float(1 + (k % 3)), OPTIONS[(k + 2 * t) % 3]: 0.5}
            keys = {"t": t, "t10": 10 * t, "tm": 1_000_000 * t, "t12": 12 * t + 2, "t100": 100 * t}
            out.append((adv.format(**keys), cel.format(**keys), score))
    return out


def _python_source(expr: str) -> str:
    """The hand-written Python a developer would type for one condition."""
    import re

    return re.sub(r"\b([a-z_]+\.[a-z_0-9]+)\b", lambda m: f"f[{m.group(1)!r}]", expr)


def _rules_dir(tmp: Path) -> Path:
    from advisor.load.bundle import default_rules_dir

    base = default_rules_dir()
    target = tmp / "bench-rules"
    target.mkdir()
    shutil.copy(base / "questionnaire.yaml", target)
    shutil.copytree(base / "catalog", target / "catalog")
    lines = [
        "categories:",
        "  - {id: bench, weight: strategy.priority_cost / 3}",
        "rules:",
    ]
    for i, (expr, _cel, score) in enumerate(_rules()):
        lines.append(f"  - id: r{i}")
        lines.append("    category: bench")
        lines.append(f'    when: "{expr}"')
        lines.append("    score: {" + ", ".join(f"{k}: {v}" for k, v in score.items()) + "}")
        lines.append("    because: bench")
        lines.append("    source: bench")
    (target / "bench.yaml").write_text("\n".join(lines) + "\n")
    return target


def _per_call(fn: Callable[[], object], n: int = 20000, repeat: int = 7) -> float:
    """Median seconds per call. Process CPU time rather than wall time: this machine is shared
    (other test suites), and a wall clock counts the time another process held the core; like
    bench_catalog, and as the issue-11 before/after tables in benchmarks/README.md were taken."""
    samples = []
    for _ in range(repeat):
        start = time.process_time_ns()
        for _ in range(n):
            fn()
        samples.append((time.process_time_ns() - start) / n)
    return statistics.median(samples) / 1e9


def _nested(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        head, tail = key.split(".", 1)
        out.setdefault(head, {})[tail] = (
            float(value) if isinstance(value, int) and not isinstance(value, bool) else value
        )
    return out


def rows() -> list[dict[str, object]]:
    from advisor.engine.ruleset import load_ruleset

    rules = _rules()
    with tempfile.TemporaryDirectory() as tmp:
        rs = load_ruleset([_rules_dir(Path(tmp))])
    facts = rs.validate_answers(ANSWERS)
    values = {**rs.defaults, **facts}
    assert len(rs.rules) == 50
    advisor_fn = rs.decide_fast
    advisor_s = _per_call(lambda: advisor_fn(values))

    # Hand-written: the same conditions, scores and weight, as a developer would type them.
    body = [
        "def handwritten(f):",
        "    w = f['strategy.priority_cost'] / 3",
        "    " + " = ".join(f"s{k}" for k in range(len(OPTIONS))) + " = 0.0",
        "    fired = []",
    ]
    for i, (expr, _cel, score) in enumerate(rules):
        body.append(f"    if {_python_source(expr)}:")
        body.append(f"        fired.append({i})")
        for k, option in enumerate(OPTIONS):
            if option in score:
                body.append(f"        s{k} += {score[option]} * w")
    body.append("    best, bs = 0, s0")
    for k in range(1, len(OPTIONS) - 1):
        body.append(f"    if s{k} > bs:")
        body.append(f"        best, bs = {k}, s{k}")
    body.append(f"    if s{len(OPTIONS) - 1} > bs:")
    body.append(f"        best = {len(OPTIONS) - 1}")
    scores = ", ".join(f"s{k}" for k in range(len(OPTIONS)))
    body.append(f"    return best, {scores}, fired")
    namespace: dict[str, Any] = {}
    exec("\n".join(body), namespace)
    hand = namespace["handwritten"]
    hand_s = _per_call(lambda: hand(values))
    fired_advisor = advisor_fn(values)[3]
    fired_hand = hand(values)[len(OPTIONS) + 1]
    assert fired_advisor == fired_hand, (fired_advisor, fired_hand)

    out: list[dict[str, object]] = [
        {
            "name": "engine: 50 rules, compiled (decisions/s)",
            "value": 1 / advisor_s,
            "unit": "/s",
            "budget": 200_000,
            "note": f"{advisor_s * 1e6:.2f} us per decision",
        },
        {
            "name": "engine: compiled / hand-written Python (time)",
            "value": advisor_s / hand_s,
            "unit": "x",
            "budget": 2.0,
            "note": f"hand-written {hand_s * 1e6:.2f} us; budget: within 2x",
        },
    ]
    nested = _nested(values)
    try:
        import zen

        exprs = [zen.compile_expression(e) for e, _c, _s in rules]
        zen_s = _per_call(lambda: [x.evaluate(nested) for x in exprs], n=2000)
        one = zen.compile_expression("[" + ", ".join(e for e, _c, _s in rules) + "]")
        assert [i for i, ok in enumerate(one.evaluate(nested)) if ok] == fired_advisor
        zen_one_s = _per_call(lambda: one.evaluate(nested), n=2000)
        out.append(
            {
                "name": "zen-engine: 50 compiled expressions / advisor",
                "value": zen_s / advisor_s,
                "unit": "x slower",
                "budget": None,
                "note": f"{zen_s * 1e6:.1f} us per decision",
            }
        )
        out.append(
            {
                "name": "zen-engine: one expression, 50 results / advisor",
                "value": zen_one_s / advisor_s,
                "unit": "x slower",
                "budget": None,
                "note": f"{zen_one_s * 1e6:.1f} us per decision",
            }
        )
    except ImportError:
        out.append(
            {
                "name": "zen-engine",
                "value": "not installed",
                "unit": "",
                "budget": None,
                "note": "pip install zen-engine",
            }
        )
    try:
        import cel

        progs = [cel.compile(c) for _e, c, _s in rules]
        cel_s = _per_call(lambda: [p.execute(nested) for p in progs], n=500)
        one_c = cel.compile("[" + ", ".join(c for _e, c, _s in rules) + "]")
        assert [i for i, ok in enumerate(one_c.execute(nested)) if ok] == fired_advisor
        cel_one_s = _per_call(lambda: one_c.execute(nested), n=2000)
        out.append(
            {
                "name": "CEL: 50 compiled programs / advisor",
                "value": cel_s / advisor_s,
                "unit": "x slower",
                "budget": None,
                "note": f"{cel_s * 1e6:.1f} us per decision",
            }
        )
        out.append(
            {
                "name": "CEL: one program, 50 results / advisor",
                "value": cel_one_s / advisor_s,
                "unit": "x slower",
                "budget": None,
                "note": f"{cel_one_s * 1e6:.1f} us per decision",
            }
        )
    except ImportError:
        out.append(
            {
                "name": "CEL",
                "value": "not installed",
                "unit": "",
                "budget": None,
                "note": "pip install common-expression-language",
            }
        )

    # The whole evaluation as the CLI and TUI see it: defaults, cost model, Decision object.
    full = load_ruleset()
    answers = full.validate_answers(ANSWERS)
    full_s = _per_call(lambda: full.evaluate(answers), n=300)
    out.append(
        {
            "name": "evaluate(): default rules, full Decision",
            "value": full_s * 1e6,
            "unit": "us",
            "budget": None,
            "note": f"{len(full.rules)} rules, cost and licence model included",
        }
    )
    # The issue-11 budget example: a regulated EU bank, 48 months with successors, whose
    # unanswered optional latency target sends the rules through the partial path; and the
    # probe path (flip points, Monte Carlo) on the same answers, facts only.
    import yaml

    raw = yaml.safe_load((ROOT / "examples" / "eu-bank.yaml").read_text())
    bank = full.validate_answers(raw["answers"])
    bank_s = _per_call(lambda: full.evaluate(bank), n=300)
    probe_s = _per_call(lambda: full.outcome(bank), n=300)
    out += [
        {
            "name": "evaluate(): examples/eu-bank.yaml, full Decision",
            "value": bank_s * 1e6,
            "unit": "us",
            "budget": 500,
            "note": "48 months, successors; hosted bills kept (same answers each call)",
        },
        {
            "name": "outcome(): examples/eu-bank.yaml (probe path)",
            "value": probe_s * 1e6,
            "unit": "us",
            "budget": None,
            "note": "facts only: what flip points and Monte Carlo call",
        },
    ]
    out += _partial_rows(full, bank)
    return out


def _partial_rows(rs: Any, answers: dict[str, Any]) -> list[dict[str, object]]:
    """The partial path (a missing answer or cost fact): the interpreter against the generated
    function a rule set gets after PARTIAL_AFTER partial evaluations (ruleset._partial).

    The answers are the bank's questionnaire filled in order and stopped at every fifth
    question, as the TUI evaluates them while an architect answers; the rules' part alone
    (facts in, scores out, on copies of the same facts) and the whole evaluate() on the same
    answer sets, each timed both ways in one process."""
    from advisor.catalog.derivation import derive
    from advisor.engine import ruleset as module

    order = [q for q in rs.questions if q in answers]
    prefixes = [{q: answers[q] for q in order[:k]} for k in range(0, len(order), 5)]
    cases = []
    for a in prefixes:
        values, skipped, _ = rs._base_values(a)
        facts = {**values, **derive(rs.catalog, values, module._exclusions(rs, values)).facts}
        cases.append((facts, module._missing(rs, values, skipped)))
    assert all(not rs._reads <= f.keys() for f, _m in cases)  # every case takes the partial path
    generated = module._generate_partial(rs)

    def interpret() -> None:
        for facts, missing in cases:
            module._interpret(rs, dict(facts), missing)

    def compiled() -> None:
        for facts, _missing in cases:
            generated(dict(facts))

    interp_s = _per_call(interpret, n=300) / len(cases)
    gen_s = _per_call(compiled, n=300) / len(cases)
    # The rules' part is a few per cent of an evaluate(), less than this machine's swings
    # between runs: the two ways alternate, round by round, and the median of the rounds'
    # ratios is reported.
    saved = rs._partial_fn
    ratios, times = [], []
    try:
        for _ in range(9):
            rs._partial_fn = None
            rs._partial_count = -(10**9)  # the interpreter throughout
            eval_interp_s = _per_call(lambda: [rs.evaluate(a) for a in prefixes], n=5, repeat=3)
            rs._partial_fn = generated
            eval_gen_s = _per_call(lambda: [rs.evaluate(a) for a in prefixes], n=5, repeat=3)
            ratios.append(eval_interp_s / eval_gen_s)
            times.append((eval_interp_s, eval_gen_s))
    finally:
        rs._partial_fn, rs._partial_count = saved, 0
    eval_interp_s = statistics.median(t[0] for t in times)
    eval_gen_s = statistics.median(t[1] for t in times)
    n = len(prefixes)
    return [
        {
            "name": "partial path, rules only: interpreter / generated",
            "value": interp_s / gen_s,
            "unit": "x",
            "budget": None,
            "note": f"{interp_s * 1e6:.1f} us -> {gen_s * 1e6:.1f} us; {n} partial answer sets",
        },
        {
            "name": "evaluate(), partial answers: interpreter / generated",
            "value": statistics.median(ratios),
            "unit": "x",
            "budget": None,
            "note": f"{eval_interp_s / n * 1e6:.0f} us -> {eval_gen_s / n * 1e6:.0f} us a call "
            "(medians of 9 alternating rounds)",
        },
    ]
