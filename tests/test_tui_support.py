"""Shared pieces of the TUI tests: a small fixed rule set, and helpers to drive the app.

The tests do not depend on the packaged questionnaire (which is rewritten as the knowledge
grows): they build a standalone rules directory with a questionnaire of every question type,
a follow-up question (``ask_if``) and a few rules, over a copy of the packaged catalog.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from advisor.engine.ruleset import RuleSet

P = ParamSpec("P")
T = TypeVar("T")

QUESTIONNAIRE = """\
title: Test assessment
sections:
  - id: org
    title: Organisation
    description: Who is deciding.
    questions:
      - id: org.hq_region
        type: choice
        prompt: Where is the head office?
        help: Licences bind the legal entity (test help).
        options:
          - {value: eu, label: European Union, help: The EU clause applies.}
          - {value: us, label: United States}
          - {value: other, label: Elsewhere}
      - id: org.name
        type: text
        prompt: Name of the organisation
        optional: true
  - id: usage
    title: Workload
    questions:
      - id: usage.monthly_input_tokens
        type: number
        prompt: Input tokens a month
        help: Read it from the invoice.
        unit: tokens/month
        min: 0
        placeholder: e.g. 2.5B
      - id: usage.monthly_output_tokens
        type: number
        prompt: Output tokens a month
        unit: tokens/month
        min: 0
        default: 100000000
      - id: usage.current_model
        type: choice
        prompt: Which hosted model carries the traffic?
        default: gpt-4o
        options:
          - {value: gpt-4o, label: GPT-4o}
          - {value: gpt-4o-mini, label: GPT-4o mini}
          - {value: gpt-4.1, label: GPT-4.1}
          - {value: gpt-4.1-mini, label: GPT-4.1 mini}
          - {value: o1, label: o1}
          - {value: o3, label: o3}
          - {value: o3-mini, label: o3-mini}
  - id: data
    title: Data
    questions:
      - id: data.air_gapped
        type: bool
        prompt: Must it run in an air-gapped network?
        default: false
      - id: data.origins
        type: multi
        prompt: Which model origins does policy exclude?
        default: []
        options:
          - {value: cn, label: China}
          - {value: us, label: United States}
  - id: ops
    title: Team
    questions:
      - id: ops.ml_engineers
        type: integer
        prompt: How many engineers run ML systems?
        min: 0
        default: 0
      - id: ops.serving_experience
        type: bool
        prompt: Have they run model serving in production?
        ask_if: ops.ml_engineers > 0
        default: false
"""

RULES = """\
categories:
  - {id: cost, title: Cost, weight: 1}
  - {id: compliance, title: Compliance, weight: 1}
sources:
  - {id: "test:T1", title: A test source, url: "https://example.org/t1"}
rules:
  - id: air-gapped-blocks-apis
    category: compliance
    when: data.air_gapped
    veto: [stay_hosted, managed_open, hybrid]
    because: An air-gapped network cannot reach a hosted API.
    source: test:T1
  - id: big-volume
    category: cost
    when: usage.monthly_input_tokens > 1e9
    score: {self_host: 3, hybrid: 1}
    because: "{usage.monthly_input_tokens:,.0f} input tokens a month is a large volume."
    source: test:T1
  - id: small-volume
    category: cost
    when: usage.monthly_input_tokens <= 1e9
    score: {stay_hosted: 2}
    because: A small volume stays on the API.
    source: test:T1
  - id: eu-likes-control
    category: compliance
    when: org.hq_region == 'eu'
    score: {hybrid: 1}
    because: The organisation is in the EU.
    source: test:T1
    risk: EU rules may change.
  - id: no-team
    category: cost
    when: ops.ml_engineers == 0
    score: {stay_hosted: 2}
    because: Nobody runs GPUs today.
    source: test:T1
    action: Train or hire engineers before self-hosting.
  - id: experienced-team
    category: cost
    when: ops.serving_experience
    score: {self_host: 1}
    because: The team has run model serving before.
    source: test:T1
"""


def make_rules(root: Path) -> Path:
    """A standalone rules directory under ``root``: the fixed questionnaire and rules, and a
    copy of the packaged catalog (the cost model needs one)."""
    from advisor.load.bundle import default_rules_dir

    target = root / "tui-rules"
    target.mkdir(parents=True, exist_ok=True)
    (target / "questionnaire.yaml").write_text(QUESTIONNAIRE)
    (target / "rules.yaml").write_text(textwrap.dedent(RULES))
    if not (target / "catalog").exists():
        shutil.copytree(default_rules_dir() / "catalog", target / "catalog")
    return target


def load_small(root: Path) -> RuleSet:
    from advisor.engine.ruleset import load_ruleset

    return load_ruleset([make_rules(root)])


def freeze_audit(ruleset: RuleSet) -> RuleSet:
    """Pin what changes whenever the catalog is edited, so snapshots stay still."""
    ruleset.digest = "sha256:0000000000000000"
    ruleset.catalog_as_of = "2025-01-01"
    return ruleset


def saved(path: Path) -> dict[str, Any]:
    """The answers in the file on disk, read as any YAML reader would."""
    import yaml

    data = yaml.safe_load(path.read_text())
    return dict((data or {}).get("answers") or {})


def sync(fn: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, T]:
    """Run an ``async def`` test with asyncio (no asyncio plugin is installed)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


async def until(pilot: Pilot[Any], predicate: Callable[[], object], rounds: int = 100) -> bool:
    """Pause until ``predicate()`` holds (a message can take several hops through the app's
    queues before it is handled, more on a loaded machine); the predicate's last value."""
    for _ in range(rounds):
        await pilot.pause()
        if predicate():
            return True
        await pilot.pause(0.02)
    return bool(predicate())


async def settle(pilot: Pilot[int]) -> None:
    """Wait until the app has written what was answered: the screen saves right after it has
    drawn the new recommendation, which can be a frame after ``pilot.pause()`` returns."""
    from advisor.tui.app import AdvisorApp

    app = pilot.app
    assert isinstance(app, AdvisorApp)
    for _ in range(50):
        await pilot.pause()
        if not app.session.dirty and not getattr(pilot.app.screen, "_save_again", False):
            return
    await pilot.pause()
