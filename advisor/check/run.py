"""``advisor check``: load, validate and compile rule directories, collecting every finding.

Besides the errors of loading and compiling, ``check`` reports warnings (errors with
``--strict``): rules without a source or effect and unused derived facts (from the compiler),
rules that can never fire and questions never asked given the questions' value domains
(:mod:`advisor.check.satisfiable`), overrides that change nothing (:mod:`advisor.check.layers`), and
catalog figures older than ``STALE_DAYS`` (per-token prices: ``PRICE_STALE_DAYS``, ADV604), and
hosted models whose shutdown has passed or falls within ``RETIREMENT_HORIZON_MONTHS`` (ADV605).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from advisor.cli.formats.check import CheckResult
from advisor.problems import AdvisorError, Problem

UNREADABLE = {"ADV100", "ADV110"}
STALE_DAYS = 180
PRICE_STALE_DAYS = 90
RETIREMENT_HORIZON_MONTHS = 24
"""The horizon ADV605 looks ahead: the questionnaire's default horizon is longer (36 months),
but vendors announce shutdowns 3-6 months ahead, so two years is already a forecast."""


def check_rules(
    dirs: list[Path] | None, *, strict: bool = False, today: date | None = None
) -> CheckResult:
    from advisor.engine.ruleset import compile_bundle
    from advisor.load.bundle import load_bundle

    result = CheckResult(strict=strict)
    try:
        bundle = load_bundle(dirs)
    except AdvisorError as exc:
        result.problems = exc.problems
        result.unreadable = bool(exc.problems) and all(p.code in UNREADABLE for p in exc.errors)
        return result
    result.files = list(bundle.files)
    layered = _layer_findings(dirs, bundle)
    try:
        ruleset = compile_bundle(bundle)
    except AdvisorError as exc:
        found = exc.problems + [p for p in bundle.problems if p not in exc.problems]
        result.problems = _explained(_unique(found + layered))
        return result
    from advisor.check.satisfiable import never_firing

    result.problems = _unique(
        list(ruleset.warnings)
        + never_firing(ruleset)
        + layered
        + _stale(ruleset, today or date.today())
        + _retiring(ruleset, today or date.today())
    )
    result.counts = {
        "questions": len(ruleset.questions),
        "rules": len(ruleset.rules),
        "facts": len(ruleset.facts),
        "models": len(ruleset.catalog.open_models),
    }
    return result


def _layer_findings(dirs: list[Path] | None, bundle: object) -> list[Problem]:
    from advisor.check.layers import layer_findings
    from advisor.load.bundle import Bundle

    assert isinstance(bundle, Bundle)
    return layer_findings(list(dirs) if dirs else None, bundle)


def _explained(problems: list[Problem]) -> list[Problem]:
    """Drop the catalog's "lacks key" errors on an entry that ADV416 explains as a whole."""
    explained = {(p.location.file, p.location.line) for p in problems if p.code == "ADV416"}
    return [
        p
        for p in problems
        if not (p.code == "ADV603" and (p.location.file, p.location.line) in explained)
    ]


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    out: list[Problem] = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _stale(ruleset: object, today: date) -> list[Problem]:
    from advisor.catalog import stale_entries
    from advisor.engine.ruleset import RuleSet
    from advisor.load.bundle import catalog_location

    assert isinstance(ruleset, RuleSet)
    out: list[Problem] = []
    for section, entry_id, as_of, limit in stale_entries(
        ruleset.catalog, today, STALE_DAYS, PRICE_STALE_DAYS
    ):
        entries = ruleset.bundle.catalog_data.get(section, [])
        index = next((i for i, e in enumerate(entries) if e.get("id") == entry_id), 0)
        where = catalog_location(ruleset.bundle, section, index, "as_of")
        age = (today - as_of).days
        out.append(
            Problem(
                where,
                "ADV604",
                f"The {section} figure {entry_id!r} is dated {as_of.isoformat()}, {age} days "
                f"ago (over {limit}); check it and update 'as_of' (for hosted prices: "
                "advisor catalog import-prices).",
                "warning",
            )
        )
    return out


def _retiring(ruleset: object, today: date) -> list[Problem]:
    """ADV605 for every hosted model shut down already or within the horizon."""
    from advisor.catalog.hosted import affected
    from advisor.engine.ruleset import RuleSet
    from advisor.load.bundle import catalog_location

    assert isinstance(ruleset, RuleSet)
    entries = ruleset.bundle.catalog_data.get("hosted_models", [])
    out: list[Problem] = []
    for h, when in affected(ruleset.catalog.hosted_models, today, RETIREMENT_HORIZON_MONTHS):
        index = next((i for i, e in enumerate(entries) if e.get("id") == h.id), 0)
        where = catalog_location(ruleset.bundle, "hosted_models", index, "shutdown")
        assert h.shutdown is not None
        verb = "was shut down on" if when == "passed" else "shuts down on"
        horizon = "" if when == "passed" else f" (within {RETIREMENT_HORIZON_MONTHS} months)"
        out.append(
            Problem(
                where,
                "ADV605",
                f"The hosted model {h.id!r} {verb} {h.shutdown.isoformat()}{horizon}; answers "
                f"that name it are priced at its successor {h.replaced_by!r} from that month. "
                "Point usage.current_model at a current model, and check the vendor's "
                "deprecations page for newer dates.",
                "warning",
            )
        )
    return out
