"""``advisor check``: load, validate and compile rule directories, collecting every finding.

Besides the errors of loading and compiling, ``check`` reports warnings (errors with
``--strict``): rules without a source or effect and unused derived facts (from the compiler),
rules that can never fire and questions never asked given the questions' value domains
(:mod:`advisor.check.satisfiable`), overrides that change nothing (:mod:`advisor.check.layers`), and
catalog figures older than ``STALE_DAYS``.

Staleness of the *packaged* default catalog is reported but exempt from ``--strict``: a
company cannot edit the figures inside site-packages, so a CI gate on them would fail on day
one and stay red until the next advisor release. ``strict_defaults`` (``--strict-defaults``)
makes them count again, for the advisor repository's own CI and for teams that pin a release.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from advisor.check.result import CheckResult
from advisor.problems import AdvisorError, Exit, Problem

STALE_DAYS = 180


def check_rules(
    dirs: list[Path] | None,
    *,
    strict: bool = False,
    strict_defaults: bool = False,
    today: date | None = None,
) -> CheckResult:
    from advisor.engine.ruleset import compile_bundle
    from advisor.load.bundle import load_bundle

    result = CheckResult(strict=strict)
    try:
        bundle = load_bundle(dirs)
    except AdvisorError as exc:
        result.problems = exc.problems
        result.unreadable = exc.exit_code == Exit.UNREADABLE
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

    stale, stale_defaults = _stale(ruleset, today or date.today())
    result.problems = _unique(
        list(ruleset.warnings) + never_firing(ruleset) + layered + stale + stale_defaults
    )
    if not strict_defaults:
        result.exempt_from_strict = frozenset(stale_defaults)
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


def _stale(ruleset: object, today: date) -> tuple[list[Problem], list[Problem]]:
    """ADV604 findings: (in the user's own layers, in the packaged default catalog)."""
    from advisor.catalog import stale_entries
    from advisor.engine.ruleset import RuleSet
    from advisor.load.bundle import catalog_location, default_rules_dir

    assert isinstance(ruleset, RuleSet)
    packaged = default_rules_dir().resolve()
    packaged_layers = {
        i for i, d in enumerate(ruleset.bundle.dirs) if Path(d).resolve() == packaged
    }
    out: list[Problem] = []
    defaults: list[Problem] = []
    for section, entry_id, as_of in stale_entries(ruleset.catalog, today, STALE_DAYS):
        entries = ruleset.bundle.catalog_data.get(section, [])
        index = next((i for i, e in enumerate(entries) if e.get("id") == entry_id), 0)
        where = catalog_location(ruleset.bundle, section, index, "as_of")
        age = (today - as_of).days
        origins = ruleset.bundle.catalog_origin.get((section, entry_id), {})
        origin = origins.get("as_of") or origins.get("")
        in_defaults = origin is not None and origin.layer in packaged_layers
        (defaults if in_defaults else out).append(
            Problem(
                where,
                "ADV604",
                f"The {section} figure {entry_id!r} is dated {as_of.isoformat()}, {age} days "
                f"ago (over {STALE_DAYS}); check it and update 'as_of' (for hosted prices: "
                "advisor catalog import-prices).",
                "warning",
            )
        )
    return out, defaults
