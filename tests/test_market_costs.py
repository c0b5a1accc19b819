"""The hosted bill over the horizon and managed open weights (issue 12): every figure against a
hand computation written here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from advisor.catalog.hosted import BillTerms, bill, plan
from advisor.catalog.managed import choose
from advisor.catalog.schema import HostedModel
from advisor.engine.ruleset import load_ruleset

RULESET = load_ruleset(None)
CATALOG = RULESET.catalog
HOSTED = {h.id: h for h in CATALOG.hosted_models}


def _model(**over: Any) -> HostedModel:
    fields: dict[str, Any] = {
        "id": "m",
        "name": "M",
        "provider": "openai",
        "tier": "general",
        "input_usd_per_1m": 2.0,
        "cached_input_usd_per_1m": 0.2,
        "output_usd_per_1m": 10.0,
        "batch_discount_pct": 50,
        "regional_uplift_pct": 10,
        "as_of": dt.date(2026, 12, 1),
        "source": "test",
    }
    fields.update(over)
    return HostedModel(**fields)


def _evaluate(**answers: Any) -> Any:
    base: dict[str, Any] = {
        "usage.monthly_input_tokens": 2e9,
        "usage.monthly_output_tokens": 5e8,
        "strategy.horizon_months": 24,
        "usage.capability_need": "general",
        "org.hq_region": "us",
    }
    base.update(answers)
    return RULESET.evaluate({k: RULESET.coerce(k, v) for k, v in base.items()})


def test_every_modifier_against_a_hand_computation() -> None:
    # 1e9 input, 2e8 output at 2 / 0.2 cached / 10 USD per 1M:
    #   list     1000 x 2 + 200 x 10                 = 4000
    #   cache    40 % of input at 0.2 instead of 2:  -400 x 1.8 = -720   -> 3280
    #   batch    30 % of the bill at 50 % off:       -3280 x 0.3 x 0.5 = -492 -> 2788
    #   regional +10 %:                              +278.8             -> 3066.8
    #   discount 10 % off openai:                    -306.68            -> 2760.12
    terms = BillTerms(0.3, 0.4, (("openai", 10.0),), True)
    b = bill(_model(), 1e9, 2e8, terms)
    assert b.list_usd == pytest.approx(4000.0)
    effects = {m["name"]: m["monthly_usd"] for m in b.modifiers}
    assert effects == pytest.approx(
        {
            "prompt cache": -720.0,
            "batch API": -492.0,
            "regional processing": 278.8,
            "negotiated discount": -306.68,
        }
    )
    assert b.total == pytest.approx(2760.12)


def test_discount_applies_only_to_the_current_provider() -> None:
    terms = BillTerms(discounts=(("anthropic", 20.0),))
    b = bill(_model(), 1e9, 2e8, terms)
    assert b.total == pytest.approx(4000.0)
    assert b.modifiers == ()


def test_successor_prices_from_the_shutdown_month() -> None:
    # gpt-4o 2.5 / 10, gpt-6-luna 0.10 / 0.50, 2e9 input and 5e8 output a month:
    #   gpt-4o: 2000 x 2.5 + 500 x 10 = 10,000; gpt-6-luna: 2000 x 0.1 + 500 x 0.5 = 450.
    # Start 2026-12-01; gpt-4o shuts down 2027-01-14, so month 2 (2027-01) is on gpt-6-luna:
    #   24 months = 10,000 + 23 x 450 = 20,350.
    p = plan(HOSTED, HOSTED["gpt-4o"], 2e9, 5e8, 24, dt.date(2026, 12, 1), BillTerms())
    assert p.switch_month == 2
    assert [m["model"] for m in p.months[:2]] == ["gpt-4o", "gpt-6-luna"]
    assert p.months[1]["month"] == "2027-01"
    assert p.horizon_usd == pytest.approx(20350.0)


def test_gpt_4o_over_24_months_in_the_decision() -> None:
    # Staying on gpt-4o until its shutdown: 20,350 in bills (above) plus one change of model in
    # month 2, hosted_model_change_engineer_months 1 x 180,000 / 12 = 15,000 -> 35,350.
    # Moving to gpt-6-luna now: 24 x 450 = 10,800 plus the same one change -> 25,800: cheaper,
    # so staying hosted is priced as that move.
    d = _evaluate(**{"usage.current_model": "gpt-4o"})
    hosted = d.costs["stay_hosted"]
    assert hosted["current_model"] == "gpt-4o"
    assert hosted["successor"] == "gpt-6-luna"
    assert hosted["switch_month"] == 2  # the current model's lifecycle
    assert (hosted["path"], hosted["month1_model"], hosted["changes"]) == ("move", "gpt-6-luna", 1)
    assert hosted["current_monthly_usd"] == 10000.0
    assert hosted["current_horizon_usd"] == 35350.0
    assert hosted["change_usd"] == 15000.0
    assert hosted["monthly_usd"] == 450.0
    assert hosted["horizon_usd"] == 25800.0
    assert [m["model"] for m in hosted["months"][:2]] == ["gpt-6-luna", "gpt-6-luna"]
    assert d.facts["cost.hosted_monthly_usd"] == pytest.approx(450.0)
    assert d.facts["cost.hosted_horizon_usd"] == pytest.approx(25800.0)
    assert d.facts["cost.hosted_current_horizon_usd"] == pytest.approx(35350.0)
    assert d.facts["cost.hosted_moves_now"] is True
    switch = hosted["switch_hosted"]
    assert switch is not None and switch["model"] == "gpt-6-luna"
    assert switch["horizon_usd"] == 24 * 450.0 + 15000.0 and switch["change_usd"] == 15000.0
    assert d.facts["cost.switch_hosted_model"] == "gpt-6-luna"
    assert any("2027-01-14" in n and "gpt-6-luna" in n for n in d.costs["notes"])
    (moving,) = [r for r in d.fired if r.id == "stay-hosted-moves-now"]
    assert "35,350" in moving.because and "25,800" in moving.because
    assert "15,000" in moving.because
    (retiring,) = [r for r in d.fired if r.id == "hosted-model-retires-in-horizon"]
    assert "2027-01-14" in retiring.because and "gpt-6-luna" in retiring.because
    assert any(r["rule"] == retiring.id for r in d.to_dict()["risks"])


def test_a_model_already_shut_down_is_priced_at_its_successor_or_a_cheaper_model() -> None:
    # o1 shut down 2026-10-23; successor gpt-5.6-sol at 4 / 20:
    #   2000 x 4 + 500 x 20 = 18,000 a month from month 1. The provider's cheapest reasoning
    #   model, gpt-6.1-terra at 1 / 5: 2000 x 1 + 500 x 5 = 4,500. Both are one change of model,
    #   so staying hosted is priced on gpt-6.1-terra.
    d = _evaluate(**{"usage.current_model": "o1", "usage.capability_need": "reasoning"})
    hosted = d.costs["stay_hosted"]
    assert hosted["shut_down"] is True
    assert hosted["current_monthly_usd"] == 18000.0
    assert hosted["month1_model"] == "gpt-6.1-terra" and hosted["path"] == "move"
    assert hosted["monthly_usd"] == 4500.0
    assert any("2026-10-23" in n and "gpt-5.6-sol" in n for n in d.costs["notes"])
    (shut,) = [r for r in d.fired if r.id == "hosted-model-shut-down"]
    assert "2026-10-23" in shut.because and "gpt-5.6-sol" in shut.because
    assert "gpt-6.1-terra" in shut.because and "costs less than the successor" in shut.because
    # when the successor is the provider's cheapest of the tier, it is the successor:
    # deepseek-chat shut down 2026-07-24 -> deepseek-flash
    e = _evaluate(**{"usage.current_model": "deepseek-chat"})
    stay = e.costs["stay_hosted"]
    assert (stay["path"], stay["month1_model"], stay["changes"]) == ("current", "deepseek-flash", 1)
    (shut,) = [r for r in e.fired if r.id == "hosted-model-shut-down"]
    assert "priced on deepseek-flash from month 1 (its successor)" in " ".join(shut.because.split())
    assert any(r["rule"] == shut.id for r in d.to_dict()["risks"])


def test_regional_uplift_when_residency_asks_for_a_data_zone() -> None:
    # gpt-6.2-sol 2 / 10 with +10 % regional processing: (2000 x 2 + 500 x 10) x 1.1 = 9,900.
    # (the cheapest frontier model of its provider, so staying hosted stays on it)
    answers = {"usage.current_model": "gpt-6.2-sol", "data.residency": "eu"}
    d = _evaluate(**answers, **{"data.regional_endpoint": True})
    assert d.costs["stay_hosted"]["monthly_usd"] == 9900.0
    (mod,) = d.costs["stay_hosted"]["modifiers"]
    assert (mod["name"], mod["percent"], mod["monthly_usd"]) == ("regional processing", 10, 900.0)


def test_batch_and_cache_answers_reach_the_bill() -> None:
    # gpt-6-luna 0.10 / 0.01 cached / 0.50, batch 50 %:
    #   list 2000 x 0.1 + 500 x 0.5 = 450; cache 50 %: -1000 x 0.09 = -90 -> 360;
    #   batch 20 %: -360 x 0.2 x 0.5 = -36 -> 324.
    d = _evaluate(
        **{
            "usage.current_model": "gpt-6-luna",
            "usage.cached_input_share_percent": 50,
            "usage.batch_share_percent": 20,
        }
    )
    hosted = d.costs["stay_hosted"]
    assert hosted["list_monthly_usd"] == 450.0
    assert [(m["name"], m["monthly_usd"]) for m in hosted["modifiers"]] == [
        ("prompt cache", -90.0),
        ("batch API", -36.0),
    ]
    assert hosted["monthly_usd"] == 324.0


def test_eu_residency_keeps_only_eu_endpoints() -> None:
    allowed = {m.id: True for m in CATALOG.open_models}
    cheapest_anywhere = choose(CATALOG.managed_endpoints, allowed, None, 1e9, 1e8, BillTerms())
    in_eu = choose(CATALOG.managed_endpoints, allowed, "eu", 1e9, 1e8, BillTerms())
    assert cheapest_anywhere is not None and in_eu is not None
    eu_count = sum("eu" in e.regions for e in CATALOG.managed_endpoints)
    assert in_eu.candidates == eu_count < cheapest_anywhere.candidates
    assert "eu" in in_eu.endpoint.regions
    assert choose(CATALOG.managed_endpoints, allowed, "in_country", 1e9, 1e8, BillTerms()) is None
    d = _evaluate(**{"usage.current_model": "gpt-4o", "data.residency": "eu"})
    assert "eu" in d.costs["managed_open"]["regions"]


def test_managed_open_costs_the_cheapest_allowed_endpoint() -> None:
    d = _evaluate(**{"usage.current_model": "gpt-4o"})
    m = d.costs["managed_open"]
    endpoint = next(e for e in CATALOG.managed_endpoints if e.id == m["endpoint"])
    by_hand = (2e9 * endpoint.input_usd_per_1m + 5e8 * endpoint.output_usd_per_1m) / 1e6
    assert m["monthly_usd"] == round(by_hand, 2)
    # Changed: the horizon now carries the one-off migration to the open model,
    # migration_engineer_months_managed 2 x 180,000 / 12 USD (the default engineer cost) = 30,000
    # (before: by_hand x 24 alone, 10,152 USD; now 40,152 USD).
    assert m["migration_usd"] == 30000.0
    assert d.facts["cost.managed_open_migration_usd"] == pytest.approx(30000.0)
    assert d.facts["cost.managed_open_horizon_usd"] == pytest.approx(by_hand * 24 + 30000.0)
    assert m["horizon_usd"] == round(by_hand * 24 + 30000.0, 2)
    for e in CATALOG.managed_endpoints:
        cost = (2e9 * e.input_usd_per_1m + 5e8 * e.output_usd_per_1m) / 1e6
        assert cost >= by_hand - 1e-9 or e.model == "deepseek-v3.2"


def test_air_gap_vetoes_managed_open() -> None:
    d = _evaluate(**{"usage.current_model": "gpt-4o", "data.air_gapped": True})
    assert "managed_open" in d.vetoed
    assert d.recommendation != "managed_open"


def test_hybrid_says_how_its_open_share_runs() -> None:
    d = _evaluate(**{"usage.current_model": "gpt-4o", "usage.frontier_share": 30})
    hybrid = d.costs["hybrid"]
    assert hybrid["open_via"] in ("self_host", "managed_open")
    assert d.facts["cost.hybrid_open_via"] == hybrid["open_via"]
    # the open part is the cheaper of the two ways: never more than self-hosting it
    assert hybrid["open_part_usd"] <= d.costs["hybrid"]["monthly_usd"]


def test_eur_report_uses_the_dated_rate() -> None:
    d = _evaluate(**{"usage.current_model": "gpt-4o", "strategy.report_currency": "eur"})
    rate = d.costs["exchange_rate"]
    assert rate is not None and rate["code"] == "EUR" and rate["usd_per_unit"] == 1.1761
    assert rate["fixing_date"] == "2026-05-08"
    assert "ecb.europa.eu" in rate["source"]
    assert d.costs["report_currency"] == "EUR"


def test_every_figure_shown_is_in_the_report_currency() -> None:
    # gpt-6-luna month 1 450 USD and 24 x 450 = 10,800 USD over 24 months, at 1 EUR = 1.1761 USD:
    #   450 / 1.1761 = 382.62 -> "383 EUR";  10,800 / 1.1761 = 9,182.89 -> "9,183 EUR".
    from advisor.cli.formats.decision import TextReporter
    from advisor.present.numbers import currency_of, money
    from advisor.report import render_report
    from advisor.tui.screens.results import costs_text, summary_text

    d = _evaluate(**{"usage.current_model": "gpt-6-luna", "strategy.report_currency": "eur"})
    cur = currency_of(d.costs)
    assert money(450.0, cur) == "383 EUR" and money(10800.0, cur) == "9,183 EUR"
    rate = "1 EUR = 1.1761 USD"
    text = TextReporter().render(d)
    md = render_report(d, RULESET, "md")
    html = render_report(d, RULESET, "html")
    adr = render_report(d, RULESET, "adr")
    for shown in (text, md, html, adr):
        assert "383 EUR" in shown and rate in shown and "2026-05-08" in shown
    for shown in (text, md, html):
        assert "9,183 EUR" in shown
    # the cost table shows the converted figures, not the USD ones beside them
    (row,) = [line for line in text.splitlines() if line.strip().startswith("Hosted API")]
    assert "383 EUR" in row and "9,183 EUR" in row and "USD" not in row
    (md_row,) = [line for line in md.splitlines() if line.startswith("| Stay on the hosted API |")]
    assert "383 EUR" in md_row and "USD" not in md_row.split("|")[2]
    assert "383 EUR" in summary_text(d, RULESET).plain and rate in summary_text(d, RULESET).plain
    table = costs_text(d, RULESET)
    cells = [str(c) for col in getattr(table, "columns", ()) for c in col.cells]
    assert "383 EUR" in cells and "9,183 EUR" in cells
    # the JSON keeps USD figures and carries the currency and its rate
    j = d.to_dict()["costs"]
    assert j["stay_hosted"]["monthly_usd"] == 450.0
    assert j["report_currency"] == "EUR" and j["exchange_rate"]["usd_per_unit"] == 1.1761


def test_eur_endpoint_prices_are_converted_at_the_catalog_rate() -> None:
    (rate,) = [r.rate for r in CATALOG.exchange_rates if r.id == "eur-usd"]
    for e in CATALOG.managed_endpoints:
        if e.price_currency != "EUR":
            continue
        assert e.input_eur_per_1m is not None and e.output_eur_per_1m is not None
        assert e.input_usd_per_1m == round(e.input_eur_per_1m * rate, 3), e.id
        assert e.output_usd_per_1m == round(e.output_eur_per_1m * rate, 3), e.id


def test_long_context_tier_against_a_hand_computation() -> None:
    # The modifiers of test_every_modifier_against_a_hand_computation with a typical prompt of
    # 300,000 tokens, above a 272,000-token threshold (input x2, output x1.5):
    #   list          1000 x 2 + 200 x 10                        = 4000
    #   long context  +1000 x 2 x (2 - 1) + 200 x 10 x (1.5 - 1) = +3000     -> 7000
    #   cache         40 % of input at 0.2 x 2 instead of 2 x 2: -400 x 1.8 x 2 = -1440 -> 5560
    #   batch         -5560 x 0.3 x 0.5 = -834                             -> 4726
    #   regional      +472.6                                               -> 5198.6
    #   discount      -519.86                                              -> 4678.74
    model = _model(
        long_context_threshold_tokens=272000,
        long_context_input_multiplier=2.0,
        long_context_output_multiplier=1.5,
    )
    terms = BillTerms(0.3, 0.4, (("openai", 10.0),), True, prompt_tokens=300000.0)
    b = bill(model, 1e9, 2e8, terms)
    effects = [(m["name"], m["monthly_usd"]) for m in b.modifiers]
    assert [n for n, _ in effects] == [
        "long context",
        "prompt cache",
        "batch API",
        "regional processing",
        "negotiated discount",
    ]
    assert [e for _, e in effects] == pytest.approx([3000.0, -1440.0, -834.0, 472.6, -519.86])
    assert b.total == pytest.approx(4678.74)
    # at the threshold or below, the standard prices
    at = bill(model, 1e9, 2e8, BillTerms(prompt_tokens=272000.0))
    assert at.total == pytest.approx(4000.0) and at.modifiers == ()


def test_long_context_from_the_typical_context_answer() -> None:
    # gpt-6.2-sol 2 / 10, 272K threshold, input x2 and output x1.5; 2e9 input and 5e8 output a
    # month, so 80 % of each context is prompt:
    #   typical context 400,000 -> prompt 320,000 > 272,000:
    #     list 2000 x 2 + 500 x 10 = 9,000; long context +2000 x 2 + 500 x 10 x 0.5 = +6,500
    #     -> 15,500 a month;
    #   typical context 300,000 -> prompt 240,000: list prices, 9,000.
    long = _evaluate(
        **{"usage.current_model": "gpt-6.2-sol", "usage.context_typical_tokens": 400000}
    )
    hosted = long.costs["stay_hosted"]
    assert [(m["name"], m["monthly_usd"]) for m in hosted["modifiers"]] == [
        ("long context", 6500.0)
    ]
    assert hosted["monthly_usd"] == 15500.0
    short = _evaluate(
        **{"usage.current_model": "gpt-6.2-sol", "usage.context_typical_tokens": 300000}
    )
    assert short.costs["stay_hosted"]["monthly_usd"] == 9000.0
    assert short.costs["stay_hosted"]["modifiers"] == []


def test_discount_per_provider_on_hosted_models_and_endpoints() -> None:
    # One BillTerms, two providers: openai 10 % and Together AI 20 % (key "together").
    #   hosted (openai) 1e9 in / 2e8 out at 2 / 10: 4000, discount -400 -> 3600;
    #   the same model from anthropic: no agreement, 4000;
    #   endpoint together-gpt-oss-120b 0.15 / 0.6: 1000 x 0.15 + 200 x 0.6 = 270,
    #   discount -54 -> 216.
    from advisor.catalog.managed import endpoint_bill

    terms = BillTerms(discounts=(("openai", 10.0), ("together", 20.0)))
    assert bill(_model(), 1e9, 2e8, terms).total == pytest.approx(3600.0)
    assert bill(_model(provider="anthropic"), 1e9, 2e8, terms).total == pytest.approx(4000.0)
    (e,) = [e for e in CATALOG.managed_endpoints if e.id == "together-gpt-oss-120b"]
    assert (e.provider, e.input_usd_per_1m, e.output_usd_per_1m) == ("Together AI", 0.15, 0.6)
    total, listed, mods = endpoint_bill(e, 1e9, 2e8, terms.managed())
    assert listed == pytest.approx(270.0) and total == pytest.approx(216.0)
    assert [(m["name"], m["percent"]) for m in mods] == [("negotiated discount", 20.0)]
    assert mods[0]["monthly_usd"] == pytest.approx(-54.0)
    # the managed terms never carry the regional uplift (an EU endpoint's price is the region's)
    assert not BillTerms(regional=True).managed().regional


def test_discount_answers_reach_every_provider() -> None:
    # gpt-6.2-sol 2 / 10 at 2e9 / 5e8: 9,000 list. discount.openai 15 % -> -1,350 -> 7,650.
    # usage.negotiated_discount_percent (the current provider's) 5 % is overridden by the
    # provider's own 15 %; alone, it gives 5 % -> 8,550.
    both = _evaluate(
        **{
            "usage.current_model": "gpt-6.2-sol",
            "usage.negotiated_discount_percent": 5,
            "discount.negotiated": True,
            "discount.openai": 15,
        }
    )
    assert both.costs["stay_hosted"]["monthly_usd"] == 7650.0
    legacy = _evaluate(
        **{"usage.current_model": "gpt-6.2-sol", "usage.negotiated_discount_percent": 5}
    )
    assert legacy.costs["stay_hosted"]["monthly_usd"] == 8550.0
    # a discount with the managed endpoint's provider lowers managed_open's bill by its share
    plain = _evaluate(**{"usage.current_model": "gpt-6.2-sol"})
    m = plain.costs["managed_open"]
    from advisor.catalog.hosted import discount_question

    key = discount_question(m["provider"])
    cut = _evaluate(**{"usage.current_model": "gpt-6.2-sol", "discount.negotiated": True, key: 20})
    assert cut.costs["managed_open"]["endpoint"] == m["endpoint"]
    assert cut.costs["managed_open"]["monthly_usd"] == pytest.approx(
        m["monthly_usd"] * 0.8, abs=0.01
    )
    (mod,) = [x for x in cut.costs["managed_open"]["modifiers"] if x["percent"] == 20.0]
    assert mod["name"] == "negotiated discount"


def test_every_catalog_provider_has_a_discount_question() -> None:
    from advisor.catalog.hosted import discount_question

    asked = {q.id for s in RULESET.sections for q in s.questions}
    providers = {h.provider for h in CATALOG.hosted_models} | {
        e.provider for e in CATALOG.managed_endpoints
    }
    missing = sorted(p for p in providers if discount_question(p) not in asked)
    assert not missing, f"add a discount.<provider> question for {missing}"


@pytest.mark.parametrize("share", [0, 30])
def test_a_shipped_model_never_runs_the_hybrids_open_share_on_a_managed_api(share: int) -> None:
    """Shipping the model to devices or customers vetoes the managed API (open weights only):
    the hybrid's open share is then self-hosted, not the vetoed option under another name.
    Without the redistribution, the same answers do put it on a managed endpoint."""
    answers = {"usage.current_model": "gpt-4o", "usage.frontier_share": share}
    free = _evaluate(**answers)
    assert free.costs["hybrid"]["open_via"] == "managed_open"
    shipped = _evaluate(**answers, **{"licensing.redistributes_model": True})
    assert "managed_open" in shipped.vetoed
    assert shipped.costs["hybrid"]["open_via"] == "self_host"
    assert shipped.facts["cost.hybrid_horizon_usd"] > free.facts["cost.hybrid_horizon_usd"]
