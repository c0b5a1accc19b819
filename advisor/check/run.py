"""``advisor check``: load, validate and compile rule directories, collecting every finding.

Besides the errors of loading and compiling, ``check`` reports warnings (errors with
``--strict``): rules without a source or effect and unused derived facts (from the compiler),
rules that can never fire and questions never asked given the questions' value domains
(:mod:`advisor.check.satisfiable`), overrides that change nothing (:mod:`advisor.check.layers`), and
catalog figures older than ``STALE_DAYS`` (per-token prices: ``PRICE_STALE_DAYS``, ADV604), and
hosted models whose shutdown has passed or falls within ``RETIREMENT_HORIZON_MONTHS`` (ADV606).

Staleness and retirement in the *packaged* default catalog are reported but exempt from
``--strict``: a company cannot edit the figures inside site-packages, so a CI gate on them
would fail on day one and stay red until the next advisor release. ``strict_defaults``
(``--strict-defaults``) makes them count again, for the advisor repository's own CI and for
teams that pin a release.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.check.result import CheckResult
from advisor.problems import AdvisorError, Exit, Location, Problem

if TYPE_CHECKING:
    from advisor.engine.ruleset import RuleSet

STALE_DAYS = 180
PRICE_STALE_DAYS = 90
RETIREMENT_HORIZON_MONTHS = 24
"""The horizon ADV606 looks ahead: the questionnaire's default horizon is longer (36 months),
but vendors announce shutdowns 3-6 months ahead, so two years is already a forecast."""


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

    day = today or date.today()
    stale, stale_defaults = _stale(ruleset, day)
    retiring, retiring_defaults = _retiring(ruleset, day)
    result.problems = _unique(
        list(ruleset.warnings)
        + never_firing(ruleset)
        + layered
        + stale
        + stale_defaults
        + retiring
        + retiring_defaults
    )
    if not strict_defaults:
        result.exempt_from_strict = frozenset(stale_defaults + retiring_defaults)
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


def _packaged(ruleset: RuleSet) -> Callable[[str, str, str], bool]:
    """Whether a catalog entry's field comes from the packaged default rule set, which a
    company cannot edit (its findings are exempt from ``--strict``)."""
    from advisor.load.bundle import default_rules_dir

    packaged = default_rules_dir().resolve()
    layers = {i for i, d in enumerate(ruleset.bundle.dirs) if Path(d).resolve() == packaged}

    def from_defaults(section: str, entry_id: str, key: str) -> bool:
        origins = ruleset.bundle.catalog_origin.get((section, entry_id), {})
        origin = origins.get(key) or origins.get("")
        return origin is not None and origin.layer in layers

    return from_defaults


def _where(ruleset: RuleSet, section: str, entry_id: str, key: str) -> Location:
    from advisor.load.bundle import catalog_location

    entries = ruleset.bundle.catalog_data.get(section, [])
    index = next((i for i, e in enumerate(entries) if e.get("id") == entry_id), 0)
    return catalog_location(ruleset.bundle, section, index, key)


def _stale(ruleset: RuleSet, today: date) -> tuple[list[Problem], list[Problem]]:
    """ADV604 findings: (in the user's own layers, in the packaged default catalog)."""
    from advisor.catalog import stale_entries

    from_defaults = _packaged(ruleset)
    out: list[Problem] = []
    defaults: list[Problem] = []
    for section, entry_id, as_of, limit in stale_entries(
        ruleset.catalog, today, STALE_DAYS, PRICE_STALE_DAYS
    ):
        age = (today - as_of).days
        (defaults if from_defaults(section, entry_id, "as_of") else out).append(
            Problem(
                _where(ruleset, section, entry_id, "as_of"),
                "ADV604",
                f"The {section} figure {entry_id!r} is dated {as_of.isoformat()}, {age} days "
                f"ago (over {limit}); check it and update 'as_of' (for hosted prices: "
                "advisor catalog import-prices).",
                "warning",
            )
        )
    return out, defaults


def _retiring(ruleset: RuleSet, today: date) -> tuple[list[Problem], list[Problem]]:
    """ADV606 for every hosted model shut down already or within the horizon: (in the user's
    own layers, in the packaged default catalog)."""
    from advisor.catalog.hosted import affected

    from_defaults = _packaged(ruleset)
    out: list[Problem] = []
    defaults: list[Problem] = []
    for h, when in affected(ruleset.catalog.hosted_models, today, RETIREMENT_HORIZON_MONTHS):
        assert h.shutdown is not None
        verb = "was shut down on" if when == "passed" else "shuts down on"
        horizon = "" if when == "passed" else f" (within {RETIREMENT_HORIZON_MONTHS} months)"
        (defaults if from_defaults("hosted_models", h.id, "shutdown") else out).append(
            Problem(
                _where(ruleset, "hosted_models", h.id, "shutdown"),
                "ADV606",
                f"The hosted model {h.id!r} {verb} {h.shutdown.isoformat()}{horizon}; answers "
                f"that name it are priced at its successor {h.replaced_by!r} from that month. "
                "Point usage.current_model at a current model, and check the vendor's "
                "deprecations page for newer dates.",
                "warning",
            )
        )
    return out, defaults
