"""The one percentile the benchmarks report: nearest rank (p95 of 20 values is the 19th
smallest, not the largest)."""

from __future__ import annotations

import math


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
