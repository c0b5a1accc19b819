"""The JSON report (``--format json``): the decision contract plus a ``report`` object.

``decision.to_dict()`` is kept whole (the same keys ``advisor evaluate --format json`` prints),
and ``report`` adds what a document needs: generated-at, title, meta, the summary, reasons by
category, the sources quoted, the cost curve, next steps. Its JSON Schema is printed by
``advisor schema decision``. Needs nothing beyond the core (no Jinja2, no matplotlib).
"""

from __future__ import annotations

import json
import math
from typing import Any

from advisor.report.context import ReportContext


def _clean(value: Any) -> Any:
    """JSON has no infinity or NaN: they become null rather than invalid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def document(ctx: ReportContext) -> dict[str, Any]:
    out = ctx.decision.to_dict()
    out["report"] = ctx.report_fields()
    cleaned: dict[str, Any] = _clean(out)
    return cleaned


def render(ctx: ReportContext) -> str:
    return json.dumps(document(ctx), indent=2, ensure_ascii=False, default=str) + "\n"
