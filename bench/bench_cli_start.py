"""CLI start-up: `creditdesk --help` wall time (target ≤ 500 ms: heavy libraries are imported lazily)."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.harness import BenchResult, percentile


def run(*, quick: bool) -> BenchResult:
    n = 3 if quick else 10
    samples = []
    for _ in range(n + 1):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "creditdesk.cli.main", "--help"], capture_output=True, check=True
        )
        samples.append((time.perf_counter() - t0) * 1000)
    samples = samples[1:]  # the first run warms the OS file cache
    baseline = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True)
        baseline.append((time.perf_counter() - t0) * 1000)
    result = BenchResult("cli_start", params={"runs": n})
    p50 = percentile(samples, 0.5)
    result.add("creditdesk --help p50", p50, "ms", target="≤ 500 ms", met=p50 <= 500)
    result.add("creditdesk --help max", max(samples), "ms")
    result.add("bare python start p50 (baseline)", percentile(baseline, 0.5), "ms")
    return result
