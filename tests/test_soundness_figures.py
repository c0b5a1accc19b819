"""Issue 14, item 3: every figure in a sentence is a fact of the same decision.

For every example, every scenario persona in rules/tests/ and 1,000 generated answer sets, each
number printed in a reason, risk or action must be a value the decision's JSON carries (costs,
ratios, counts, shares, answers, facts) or the catalog gives (licence caps), to the precision
printed; and the fired cost explanations never disagree on which option is cheaper."""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers.answers import answer_sets, answers_strategy
from hypothesis import HealthCheck, given, settings

from advisor.engine.ruleset import load_ruleset
from advisor.load.answers import load_answers
from advisor.load.bundle import default_rules_dir
from advisor.model.decision import Decision

RULESET = load_ruleset(None)
ROOT = Path(__file__).resolve().parent.parent
# A figure: not glued to a letter, hyphen or dot before it (h100, gpt-4.1, A6), nor to a letter
# after it (24x7); an optional scale word after it.
NUMBER = re.compile(r"(?<![\w.\-])(\d[\d,]*(?:\.\d+)?)(?![\w\-])(\s*(?:million|billion))?")
LEGAL = re.compile(r"Art\. \d+(?:\(\d+\))?")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SCALE = {"million": 1e6, "billion": 1e9}
CATALOG_NUMBERS = [float(lic.mau_cap) for lic in RULESET.catalog.licenses if lic.mau_cap]


def _walk(obj: Any, numbers: set[float], strings: set[str]) -> None:
    """Every number and every string in a JSON-like tree, in one pass (the decision's JSON
    holds thousands of values; walking it once per kind was most of this test's time)."""
    stack = [obj]
    while stack:
        item = stack.pop()
        # the exact built-in types first, by type() (most of the values); anything else,
        # subclasses included, by the isinstance chain below
        cls = type(item)
        if cls is float or cls is int:
            numbers.add(float(item))
            continue
        if cls is str:
            strings.add(item)
            continue
        if cls is dict:
            stack.extend(item.values())
            continue
        if cls is list:
            stack.extend(item)
            continue
        if isinstance(item, bool):
            continue
        if isinstance(item, int | float):
            numbers.add(float(item))
        elif isinstance(item, str):
            strings.add(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _backed(known: list[float], printed: float, tolerance: float) -> bool:
    """Whether a known value lies within ``tolerance`` of ``printed`` (``known`` sorted)."""
    i = bisect.bisect_left(known, printed - tolerance)
    return i < len(known) and known[i] <= printed + tolerance


def _unbacked(d: Decision) -> list[str]:
    numbers: set[float] = set(CATALOG_NUMBERS)
    strings: set[str] = set()
    # the decision's JSON (Decision.to_dict) without its copy for JSON: a non-finite figure it
    # would turn to null backs no printed number either way
    parts = (d.scores, d.confidence, d.weights, d.tie, d.costs, d.models, d.answers, d.audit)
    _walk([*parts, [r.effects for r in d.fired], d.risks, d.actions, d.facts], numbers, strings)
    known = sorted(numbers)
    # A date (a shutdown day) is a figure too: backed when the decision carries it as a value.
    dates = {s for s in strings if DATE.fullmatch(s)}
    texts = [r.because for r in d.fired] + [n["text"] for n in (*d.risks, *d.actions)]
    bad: list[str] = []
    for text in texts:
        text = DATE.sub(lambda m: "" if m.group(0) in dates else m.group(0), text)
        # A range (36-48 %) is two figures, each to be backed.
        plain = re.sub(r"(\d)-(\d)", r"\1 - \2", LEGAL.sub("", text))
        for m in NUMBER.finditer(plain):
            raw, scale = m.group(1), (m.group(2) or "").strip()
            printed = float(raw.replace(",", "")) * SCALE.get(scale, 1.0)
            decimals = len(raw.split(".")[1]) if "." in raw else 0
            tolerance = 0.5 * 10**-decimals * SCALE.get(scale, 1.0) + 1e-9
            if not _backed(known, printed, tolerance):
                bad.append(f"{raw}{' ' + scale if scale else ''} in: {text}")
    return bad


def _cheaper_claims(d: Decision) -> set[str]:
    """What the fired cost explanations say about the API against the open alternative."""
    said = set()
    if "alternative-cheaper" in d.fired_ids:
        said.add("alternative")
    if "hosted-cheaper" in d.fired_ids or "api-bill-below-one-engineer" in d.fired_ids:
        said.add("api")
    return said


def _check(d: Decision) -> None:
    assert not _unbacked(d), _unbacked(d)
    assert len(_cheaper_claims(d)) <= 1, d.fired_ids
    ratio = d.facts.get("econ.alternative_ratio")
    if "alternative" in _cheaper_claims(d):
        assert ratio is not None and ratio < 1
    if (
        "api" in _cheaper_claims(d)
        and ratio is not None
        and d.facts.get("econ.alternative_compared")
    ):
        assert ratio >= 1


def _personas() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        out.append((path.name, load_answers(path, RULESET).values))
    for path in sorted((default_rules_dir() / "tests").glob("*.yaml")):
        for test in yaml.safe_load(path.read_text())["tests"]:
            if "answers" in test:
                raw = {k: v for k, v in test["answers"].items()}
                out.append((f"{path.name}: {test['name']}", RULESET.validate_answers(raw)))
    return out


@pytest.mark.parametrize(("name", "answers"), _personas(), ids=lambda x: str(x)[:60])
def test_examples_and_personas_print_only_their_own_figures(
    name: str, answers: dict[str, Any]
) -> None:
    _check(RULESET.evaluate(answers))


def test_generated_answers_print_only_their_own_figures() -> None:
    # 1,000 seeded cases (tests/helpers/answers.py), the same on every run
    for answers in answer_sets(RULESET, 1000, seed=3):
        try:
            _check(RULESET.evaluate(answers))
        except AssertionError as exc:
            raise AssertionError(f"{answers}: {exc}") from exc


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(answers_strategy(RULESET))
def test_generated_answers_shrink_to_a_minimal_case(answers: dict[str, Any]) -> None:
    _check(RULESET.evaluate(answers))
