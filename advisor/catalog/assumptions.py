"""The ids of the modelling assumptions the cost model reads from ``assumptions`` entries.

Values live in ``rules/catalog/assumptions.yaml`` (with unit, date, source and reasoning) so
that a company layer can override any of them; the code holds no modelling constants.
"""

from __future__ import annotations

SHAPES: tuple[tuple[int, int], ...] = ((128, 2048), (1000, 1000), (2048, 2048), (5000, 500))
"""Request shapes (input, output tokens) of the measured TensorRT-LLM table: the columns the
roofline estimate is calibrated on, one ``roofline_k_<in>_<out>`` assumption each."""

PATTERNS: tuple[str, ...] = ("steady", "business_hours", "spiky")
"""Traffic patterns with ``pattern_<p>_*`` assumptions; ``batch`` is sized from its window."""

GROWTH: tuple[str, ...] = ("shrinking", "flat", "growing", "surging")
"""The choices of ``usage.volume_growth``, one ``growth_factor_<g>`` assumption each."""


def roofline_id(shape: tuple[int, int]) -> str:
    return f"roofline_k_{shape[0]}_{shape[1]}"


REQUIRED: tuple[str, ...] = (
    # sizing
    "memory_overhead_fraction",
    "kv_cache_tokens_per_replica",
    "max_gpus_per_replica",
    # throughput
    "request_output_tokens",
    "measured_shape_tolerance",
    *(roofline_id(s) for s in SHAPES),
    "roofline_kv_exponent",
    "roofline_compute_efficiency",
    "roofline_moe_compute_exponent",
    "derating_default",
    "derating_strict",
    "derating_relaxed",
    "latency_strict_ms",
    "latency_relaxed_ms",
    "target_utilisation",
    # traffic
    *(f"pattern_{p}_{k}" for p in PATTERNS for k in ("active_hours", "peak_factor")),
    "min_replicas",
    "min_replicas_24x7",
    # GPU money
    "cloud_overhead_fraction",
    "amortisation_years",
    "on_prem_capex_overhead_fraction",
    "on_prem_facility_fraction_per_year",
    "power_usd_per_kwh",
    "pue",
    "power_draw_fraction",
    # people
    "ops_fte_base",
    "ops_fte_per_gpu",
    "ops_oncall_rota_size",
    "ops_oncall_fte_per_member",
    "ops_fte_on_prem",
    "migration_engineer_months",
    "migration_engineer_months_on_prem",
    "migration_engineer_months_managed",
    "hosted_model_change_engineer_months",
    "hybrid_routing_engineer_months",
    # capability
    "hybrid_remainder_max_level",
    "frontier_share_split_percent",
    # serving limits, context, batch, growth
    "pcie_max_tensor_parallel",
    "pcie_tensor_parallel_efficiency",
    "measured_min_concurrency",
    "kv_concurrency_per_replica",
    "derating_batch",
    "target_utilisation_batch",
    "batch_window_hours",
    "batch_runs_nightly",
    "batch_runs_weekly",
    *(f"growth_factor_{g}" for g in GROWTH),
)
