"""Issue 13 item 9: three GPT-4o-class workloads computed by hand (docs/costs.md,
"Hand-checked workloads") from the measured rows of rules/catalog/throughput.yaml and the
assumptions; the tool's self-hosted monthly cost stays within 15 % of each hand figure.

Shared inputs (rules/catalog, read 2026-12-01):
- model gpt-oss-120b (a GPT-4o-class open model) on H100s, pinned so the hand computation
  follows one deployment; H100 rent 3.00 USD/h (gpus.yaml); 730 hours a month;
- measured, ShareGPT shape (about 1.1 input : 1 output), vLLM async:
  1x H100 2,942.57 output tokens/s (gpt-oss-120b.h100x1.vllm.vllm-async.sharegpt),
  2x H100 (TP2) 7,648.67 (gpt-oss-120b.h100x2.vllm.vllm-async-tp2.sharegpt),
  4x H100 (TP4) 11,327.22 (gpt-oss-120b.h100x4.vllm.vllm-async-tp4.sharegpt);
- a replica plans on measured x derating_default 0.5 x target_utilisation 0.7;
  steady traffic peaks at 1.5x the average (pattern_steady_peak_factor);
- cloud_overhead_fraction 0.3 of the GPU bill; people (ops_fte_base 0.5 + ops_fte_per_gpu
  0.02 x GPUs) x 180,000 / 12 = 15,000 USD per engineer-month; migration 6 engineer-months
  spread over the 36-month horizon = 6 x 15,000 / 36 = 2,500 USD a month.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers.workloads import answers as workload
from helpers.workloads import default_catalog

from advisor.catalog import derive

CATALOG = default_catalog()

SECONDS = 730 * 3600  # 2,628,000 seconds in a 730-hour month

# 40 M tokens: 19.05 M output -> 7.25 tokens/s average, 10.9 at peak; one 1x H100 replica
# plans on 2,942.57 x 0.5 x 0.7 = 1,029.9 tokens/s: 1 replica, 1 GPU.
# GPU 1 x 3.00 x 730 = 2,190; overhead 0.3 x 2,190 = 657; people (0.5 + 0.02) x 15,000 =
# 7,800; migration 2,500. Total 2,190 + 657 + 7,800 + 2,500 = 13,147 USD a month.
HAND_40M = 13_147.0
# 2 B tokens: 952.4 M output -> 362.4 tokens/s average, 543.6 at peak < 1,029.9: still
# 1 replica, 1 GPU, and the same 13,147 USD (the people and the migration are 78 % of it).
HAND_2B = 13_147.0
# 50 B tokens: 23.81 B output -> 9,060 tokens/s average, 13,590 at peak.
#   1x H100: 13,590 / 1,029.9 = 13.2 -> 14 replicas = 14 GPUs
#   2x H100: 13,590 / (7,648.67 x 0.35 = 2,677.0) = 5.08 -> 6 replicas = 12 GPUs (cheapest)
#   4x H100: 13,590 / (11,327.22 x 0.35 = 3,964.5) = 3.43 -> 4 replicas = 16 GPUs
# GPU 12 x 3.00 x 730 = 26,280; overhead 7,884; people (0.5 + 0.02 x 12 = 0.74) x 15,000 =
# 11,100; migration 2,500. Total 47,764 USD a month.
HAND_50B = 47_764.0


def answers(total_tokens: float) -> dict[str, Any]:
    # the shared workload (tests/helpers/workloads.py), all of it needing no frontier, split
    # 1.1 : 1 like the ShareGPT rows, and pinned to one deployment
    return workload(
        org__monthly_active_users=1_000_000,
        usage__monthly_input_tokens=total_tokens * 1.1 / 2.1,
        usage__monthly_output_tokens=total_tokens / 2.1,
        usage__frontier_share=0.0,
        selfhost__model="gpt-oss-120b",
        selfhost__gpu="h100",
    )


@pytest.mark.parametrize(
    ("total", "hand", "gpus"),
    [(40e6, HAND_40M, 1), (2e9, HAND_2B, 1), (50e9, HAND_50B, 12)],
    ids=["40M", "2B", "50B"],
)
def test_self_hosted_cost_is_within_15_percent_of_the_hand_figure(
    total: float, hand: float, gpus: int
) -> None:
    result = derive(CATALOG, answers(total), {})
    self_host = result.costs["self_host"]
    assert self_host is not None
    deployment = self_host["deployment"]
    assert (deployment["model"], deployment["gpu"]) == ("gpt-oss-120b", "h100")
    assert deployment["throughput_source"] == "measured"
    assert deployment["gpus_total"] == gpus
    tool = result.facts["cost.self_host_monthly_usd"]
    assert abs(tool / hand - 1.0) <= 0.15, (tool, hand)


def test_the_hand_figures_follow_from_the_measured_rows() -> None:
    """The rows and assumptions the comments above quote are the catalog's."""
    rows = {t.id: t for t in CATALOG.throughput}
    assert rows["gpt-oss-120b.h100x1.vllm.vllm-async.sharegpt"].output_tokens_per_s == 2942.57
    assert rows["gpt-oss-120b.h100x2.vllm.vllm-async-tp2.sharegpt"].output_tokens_per_s == 7648.67
    assert rows["gpt-oss-120b.h100x4.vllm.vllm-async-tp4.sharegpt"].output_tokens_per_s == 11327.22
    a = {x.id: x.value for x in CATALOG.assumptions}
    assert (a["derating_default"], a["target_utilisation"]) == (0.5, 0.7)
    assert (a["pattern_steady_peak_factor"], a["cloud_overhead_fraction"]) == (1.5, 0.3)
    assert (a["ops_fte_base"], a["ops_fte_per_gpu"], a["migration_engineer_months"]) == (
        0.5,
        0.02,
        6.0,
    )
    assert {g.id: g.rent_usd_per_hour for g in CATALOG.gpus}["h100"] == 3.0
    # the 50 B peak needs 6 two-GPU replicas: 13,590 / 2,677.0
    peak = 50e9 / 2.1 / SECONDS * 1.5
    assert peak == pytest.approx(13_590, rel=1e-3)
    assert peak / (7648.67 * 0.5 * 0.7) == pytest.approx(5.08, abs=0.01)
