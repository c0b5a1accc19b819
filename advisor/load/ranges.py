"""Range answers: a numeric answer stated as ``2B..4B`` or ``{low: 2B, likely: 3B, high: 4B}``.

A range is typed as :class:`Range`, a ``float`` whose value is the point the main decision
uses (``likely``, or the midpoint of ``low..high``), carrying ``low`` and ``high`` for the
Monte Carlo (:mod:`advisor.scenarios.montecarlo`). Being a float, it flows through the rules
and the cost model unchanged; only the code that looks for uncertainty asks for its band.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from advisor.load.values import AnswerError, format_quantity, parse_quantity

__all__ = ["Range", "coerce_range", "exact_text", "is_range_text", "ranges_of", "same_answer"]


class Range(float):
    """A numeric answer with a band: ``float(r)`` is the likely value."""

    low: float
    high: float

    def __new__(cls, low: float, likely: float, high: float) -> Range:
        self = super().__new__(cls, likely)
        self.low = low
        self.high = high
        return self

    @property
    def likely(self) -> float:
        return float(self)

    def text(self) -> str:
        """How a user would write it back: ``2B..4B`` when likely is the midpoint. Exact: an
        answers file saved from this text reads back as the same range."""
        lo, hi = exact_text(self.low), exact_text(self.high)
        if abs(self.likely - (self.low + self.high) / 2) <= 1e-9 * max(1.0, abs(self.likely)):
            return f"{lo}..{hi}"
        return f"{lo}..{exact_text(self.likely)}..{hi}"

    def to_json(self) -> dict[str, float]:
        return {"low": self.low, "likely": self.likely, "high": self.high}

    def __repr__(self) -> str:
        return f"Range({self.low!r}, {self.likely!r}, {self.high!r})"

    def __reduce__(self) -> tuple[Any, ...]:  # copies and pickles keep the band
        return (Range, (self.low, self.likely, self.high))


def exact_text(value: float) -> str:
    """``2.5B`` when three digits say the value exactly, else the exact figure (a saved range
    must read back as itself: ``format_quantity`` alone would turn 1,234,567 into 1.23M)."""
    short = format_quantity(value)
    try:
        if parse_quantity(short) == value:
            return short
    except ValueError:
        pass
    return str(int(value)) if value == int(value) else repr(value)


def same_answer(a: Any, b: Any) -> bool:
    """Whether two typed answers are the same answer. A Range equals a float of its likely
    value as a number (so the rules read it as one), but ``1B..6B``, ``2B..5B`` and ``3.5B``
    are three different answers: whoever asks "did the answer change?" asks here."""
    if isinstance(a, Range) or isinstance(b, Range):
        return (
            isinstance(a, Range)
            and isinstance(b, Range)
            and (a.low, a.likely, a.high) == (b.low, b.likely, b.high)
        )
    return bool(a == b)


def is_range_text(raw: Any) -> bool:
    return isinstance(raw, str) and ".." in raw


def coerce_range(qid: str, raw: Any, check: Callable[[float, str], float]) -> Range:
    """The Range of ``raw`` (``'2B..4B'``, ``'2B..3B..4B'`` or a low/likely/high mapping);
    ``check`` validates one end (number, bounds) and returns it. Raises AnswerError."""
    if isinstance(raw, Range):  # already typed (re-validated answers keep their band)
        raw = raw.to_json()
    if hasattr(raw, "model_dump"):  # the answers file's typed {low, likely, high}
        raw = {k: v for k, v in raw.model_dump().items() if v is not None}
    if isinstance(raw, Mapping):
        extra = sorted(set(raw) - {"low", "likely", "high"})
        if extra or "low" not in raw or "high" not in raw:
            raise AnswerError(
                "ADV502",
                f"{qid}: a range needs 'low' and 'high' (and optionally 'likely'), e.g. "
                "{low: 2B, likely: 3B, high: 4B}"
                + (f"; {', '.join(extra)} is not one of them." if extra else "."),
            )
        parts = {k: _number(qid, raw[k]) for k in ("low", "likely", "high") if k in raw}
        low, high = parts["low"], parts["high"]
        given = "likely" in parts
        likely = parts.get("likely", (low + high) / 2)
        written = f"{{low: {raw['low']}, high: {raw['high']}}}"
    else:
        pieces = str(raw).split("..")
        if len(pieces) not in (2, 3) or not all(p.strip() for p in pieces):
            raise AnswerError(
                "ADV502",
                f"{qid}: {raw!r} is not a range; write low..high (e.g. 2B..4B) or "
                "low..likely..high (e.g. 2B..3B..4B).",
            )
        nums = [_number(qid, p) for p in pieces]
        low, high = nums[0], nums[-1]
        given = len(nums) == 3
        likely = nums[1] if given else (low + high) / 2
        written = repr(raw)
    if not low <= likely <= high:
        raise AnswerError(
            "ADV504",
            f"{qid}: the range {written} must run low <= likely <= high; put the smaller "
            "value first.",
        )
    # An unstated likely value is the midpoint: not itself checked (12..25 months has 18.5).
    return Range(
        check(low, "low"), check(likely, "likely") if given else likely, check(high, "high")
    )


def _number(qid: str, raw: Any) -> float:
    if isinstance(raw, bool):
        raise AnswerError("ADV502", f"{qid}: a range end takes a number, not {raw!r}.")
    if isinstance(raw, int | float):
        return float(raw)
    try:
        return parse_quantity(str(raw))
    except ValueError as exc:
        raise AnswerError("ADV502", f"{qid}: {exc}") from None


def ranges_of(answers: Mapping[str, Any]) -> dict[str, Range]:
    """The answers stated as ranges, in the answers' order."""
    return {k: v for k, v in answers.items() if isinstance(v, Range)}


def _represent(dumper: Any, data: Range) -> Any:
    return dumper.represent_str(data.text())


def _register_yaml() -> None:
    """Answers files written back (TUI, ``dump_answers``) keep a range as its text."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - pyyaml is a dependency
        return
    yaml.SafeDumper.add_representer(Range, _represent)


_register_yaml()
