"""What a fired rule did to the options, in one line (the TUI's Reasons tab and the reports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from advisor.present.numbers import points

if TYPE_CHECKING:
    from advisor.model.decision import FiredRule


def effects_text(rule: FiredRule) -> str:
    """``'self_host +3, hybrid +1; vetoes stay_hosted'``.

    Points are the rule's own, before its category's weight (which both the report and the
    TUI show beside the category); options are named by their ids, as the rule file does, so
    a reader can find the rule that wrote them.
    """
    parts: list[str] = []
    score = rule.effects.get("score") or {}
    if score:
        parts.append(", ".join(f"{o} {points(float(v))}" for o, v in score.items()))
    if rule.effects.get("veto"):
        parts.append("vetoes " + ", ".join(rule.effects["veto"]))
    if rule.effects.get("exclude_models"):
        parts.append("excludes " + ", ".join(rule.effects["exclude_models"]))
    if not parts and (rule.effects.get("risk") or rule.effects.get("action")):
        parts.append("notes a risk" if rule.effects.get("risk") else "adds an action")
    return "; ".join(parts) or "no score"


__all__ = ["effects_text"]
