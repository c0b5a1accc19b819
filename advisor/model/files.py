"""Pydantic models of every file users write: questionnaire, rules, answers, scenario tests.

The catalog's models live in :mod:`advisor.catalog.schema`. Models here are frozen and refuse
unknown keys, so a typo in a file is an error with a location rather than a silent no-op.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from advisor.model.parts import OPTIONS, Effects
from advisor.model.parts import Option as OptionName

__all__ = ["OPTIONS", "OptionName"]  # re-exported: the file formats name the options too
QuestionType = Literal["choice", "multi", "number", "integer", "bool", "text"]

ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"
RULE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"

DottedId = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]
RuleId = Annotated[str, Field(pattern=RULE_ID_PATTERN, max_length=80)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
Expression = Annotated[str, Field(min_length=1, max_length=1000)]
Scalar = bool | int | float | str


MAX_SCORE = 1e6
"""Points a rule may give or take per option: finite and bounded, so weighted sums stay finite."""
MAX_TEXT = 5_000
"""The longest text a rule may carry in 'because', 'risk', 'action' or 'title'."""
Points = Annotated[float, Field(ge=-MAX_SCORE, le=MAX_SCORE, allow_inf_nan=False)]
RuleText = Annotated[str, Field(max_length=MAX_TEXT)]
Bound = Annotated[float, Field(allow_inf_nan=False, ge=-1e300, le=1e300)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- questionnaire --------------------------------------------------------------------------


class ChoiceOption(Strict):
    value: Slug
    label: str
    help: str | None = None


class Question(Strict):
    id: DottedId
    type: QuestionType
    prompt: str = Field(min_length=1)
    help: str | None = None
    options: tuple[ChoiceOption, ...] = ()
    unit: str | None = None
    min: Bound | None = None
    max: Bound | None = None
    default: Scalar | list[str] | None = None
    ask_if: Expression | None = None
    optional: bool = False
    placeholder: str | None = None
    # A later layer that changes an earlier question's type must say so (ADV417 otherwise);
    # check then warns (ADV419) that the rules reading it were written for the old type.
    retype: bool = False

    @model_validator(mode="after")
    def _options_fit_type(self) -> Question:
        if self.type in ("choice", "multi") and not self.options:
            raise ValueError(f"a {self.type} question needs 'options' (a list of value/label)")
        if self.type not in ("choice", "multi") and self.options:
            raise ValueError(f"a {self.type} question takes no 'options'; remove them")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"'min' ({self.min}) is larger than 'max' ({self.max})")
        return self

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    @property
    def section(self) -> str:
        return self.id.split(".", 1)[0]


class Section(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    title: str
    description: str | None = None
    questions: tuple[Question, ...] = ()


class QuestionnaireFile(Strict):
    title: str | None = None
    sections: tuple[Section, ...]


# --- rules ----------------------------------------------------------------------------------


class Category(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    title: str | None = None
    weight: Expression | Annotated[float, Field(allow_inf_nan=False)] = 1.0
    description: str | None = None


class DerivedFact(Strict):
    id: DottedId
    expr: Expression
    description: str | None = None
    unit: str | None = None


class Rule(Strict):
    id: RuleId
    category: str | None = None
    when: Expression | bool = True
    # A number, or the id of a number fact (a graded score such as econ.points_self_host).
    score: dict[OptionName, Points | str] = Field(default_factory=dict)
    veto: tuple[OptionName, ...] = ()
    exclude_models: tuple[Slug, ...] = ()
    risk: RuleText | None = None
    action: RuleText | None = None
    because: RuleText | None = None
    source: str | tuple[str, ...] | None = None
    disabled: bool = False
    title: RuleText | None = None

    @field_validator("veto", mode="before")
    @classmethod
    def _one_veto(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("exclude_models", mode="before")
    @classmethod
    def _one_model(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @property
    def sources(self) -> tuple[str, ...]:
        if self.source is None:
            return ()
        return (self.source,) if isinstance(self.source, str) else self.source

    @property
    def effects(self) -> Effects:
        out: Effects = {}
        if self.score:
            # A score read from a fact has no number until evaluation; the engine's FiredRule
            # carries the resolved points (see advisor.engine.ruleset._effects).
            out["score"] = {k: float(v) for k, v in self.score.items() if not isinstance(v, str)}
        if self.veto:
            out["veto"] = list(self.veto)
        if self.exclude_models:
            out["exclude_models"] = list(self.exclude_models)
        if self.risk:
            out["risk"] = self.risk
        if self.action:
            out["action"] = self.action
        return out


class SourceRef(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*:[A-Za-z0-9_.#/-]+$")]
    title: str
    text: str | None = None
    url: str | None = None
    # The full reference a reader can check: publisher or author, date, article or clause.
    citation: str | None = None
    # A copy shipped with the rule set, relative to its directory (facts/throughput.md).
    shipped_copy: str | None = None


class RulesFile(Strict):
    categories: tuple[Category, ...] = ()
    facts: tuple[DerivedFact, ...] = ()
    rules: tuple[Rule, ...] = ()
    sources: tuple[SourceRef, ...] = ()


# --- answers --------------------------------------------------------------------------------


class Meta(Strict):
    title: str | None = None
    organisation: str | None = None
    author: str | None = None
    date: _dt.date | str | None = None
    notes: str | None = None


class Band(BaseModel):
    """A numeric answer stated as a range (docs/engine.md, "Confidence"): low, high and
    optionally likely, each a number or a quantity such as 2B. Other keys pass through so that
    the answer check names them in a sentence."""

    model_config = ConfigDict(extra="allow", frozen=True)

    low: float | str
    likely: float | str | None = None
    high: float | str


class AnswersFile(Strict):
    meta: Meta = Field(default_factory=Meta)
    answers: dict[str, Scalar | list[str] | Band | None] = Field(default_factory=dict)


# --- scenario tests -------------------------------------------------------------------------


class Expect(Strict):
    recommendation: OptionName | tuple[OptionName, ...] | None = None
    fired: tuple[str, ...] = ()
    not_fired: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()
    vetoed: tuple[OptionName, ...] = ()
    not_vetoed: tuple[OptionName, ...] = ()
    eligible: tuple[str, ...] = ()
    ineligible: tuple[str, ...] = ()
    confidence_min: Annotated[float, Field(ge=0, le=1)] | None = None
    confidence_max: Annotated[float, Field(ge=0, le=1)] | None = None


class Scenario(Strict):
    name: str = Field(min_length=1)
    description: str | None = None
    answers: dict[str, Scalar | list[str] | Band | None] = Field(default_factory=dict)
    answers_file: str | None = None
    expect: Expect


class TestsFile(Strict):
    tests: tuple[Scenario, ...]
