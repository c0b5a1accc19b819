"""Input validation by the core's own coercion, so the questionnaire and the loader agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.validation import ValidationResult, Validator

from advisor.load.values import AnswerError

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet


class AnswerValidator(Validator):
    """Accepts what ``RuleSet.coerce`` accepts ('2.5B', '300M', '1e9', min/max) and fails with
    the very sentence the answers-file loader would print for the same value."""

    def __init__(self, ruleset: RuleSet, question_id: str) -> None:
        super().__init__()
        self.ruleset = ruleset
        self.question_id = question_id

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success()  # empty clears the answer; the default applies again
        try:
            self.ruleset.coerce(self.question_id, value)
        except AnswerError as exc:
            return self.failure(exc.message, value)
        return self.success()
