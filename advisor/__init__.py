"""advisor: should an enterprise stay on hosted LLM APIs, split, or self-host open models?

The public API is small and stable::

    from advisor import load_ruleset

    from advisor import evaluate
    rules = load_ruleset()                 # the packaged default rule set
    decision = evaluate(rules, {"data.air_gapped": True, ...})
    decision.to_dict()                     # the JSON contract

Names are exported lazily so that ``import advisor`` (and the CLI's start-up) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "AdvisorError",
    "Decision",
    "Problem",
    "RuleSet",
    "__version__",
    "evaluate",
    "load_answers",
    "load_ruleset",
]

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet, load_ruleset
    from advisor.load.answers import load_answers
    from advisor.model.decision import Decision
    from advisor.problems import AdvisorError, Problem

_LAZY = {
    "AdvisorError": ("problems", "AdvisorError"),
    "Problem": ("problems", "Problem"),
    "Decision": ("model.decision", "Decision"),
    "RuleSet": ("engine.ruleset", "RuleSet"),
    "load_ruleset": ("engine.ruleset", "load_ruleset"),
    "load_answers": ("load.answers", "load_answers"),
}


def evaluate(ruleset: RuleSet, answers: dict[str, Any]) -> Decision:
    """Evaluate raw answers (strings such as '2.5B' allowed) against a rule set."""
    return ruleset.evaluate(ruleset.validate_answers(answers))


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'advisor' has no attribute {name!r}")
