"""The robustness assessment run by a screen's thread worker (seconds of work off the event
loop), stopped as soon as the worker is cancelled: the next answer overtakes it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet
    from advisor.model.decision import Decision


def assess_in_worker(
    rs: RuleSet, values: Mapping[str, Any], samples: int, point: Decision, flips: bool
) -> Decision | None:
    """``point`` assessed (``samples`` Monte Carlo samples, seed 0; flip points if ``flips``),
    or None when the worker was cancelled before it finished. Call from a thread worker."""
    from advisor.scenarios.robust import Cancelled, assess

    worker = get_current_worker()
    try:
        assessed = assess(
            rs,
            dict(values),
            samples,
            0,
            flips=flips,
            cancelled=lambda: worker.is_cancelled,
            decision=point,
        )
    except Cancelled:
        return None
    return None if worker.is_cancelled else assessed
