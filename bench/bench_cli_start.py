"""CLI start-up: `creditdesk --help` (target ≤ 500 ms wall: heavy libraries are imported lazily).

Wall time is the figure held to the target; the child's CPU time (user + sys) is reported beside it, since
on a shared machine wall time also counts the other processes. Same environment as `cli_ask_cold`.
"""

from __future__ import annotations

import sys

from bench.bench_cli_ask import child_env, load_average, timed_run
from bench.harness import BenchResult, percentile


def run(*, quick: bool) -> BenchResult:
    n = 3 if quick else 10
    env = child_env()
    help_args = [sys.executable, "-m", "creditdesk.cli.main", "--help"]
    timed_run(help_args, env)  # warms the OS file cache and writes bytecode
    load_before = load_average()
    walls, cpus = zip(*(timed_run(help_args, env) for _ in range(n)), strict=True)
    baseline = [timed_run([sys.executable, "-c", "pass"], env) for _ in range(n)]
    result = BenchResult("cli_start", params={"runs": n, "load_average": [load_before, load_average()]})
    p50 = percentile(walls, 0.5) * 1000
    result.add("creditdesk --help p50", p50, "ms", target="≤ 500 ms", met=p50 <= 500)
    result.add("creditdesk --help max", max(walls) * 1000, "ms")
    result.add("creditdesk --help CPU (user+sys) p50", percentile(cpus, 0.5) * 1000, "ms")
    result.add("bare python start p50 (baseline)", percentile([w for w, _ in baseline], 0.5) * 1000, "ms")
    result.add("bare python start CPU p50", percentile([c for _, c in baseline], 0.5) * 1000, "ms")
    return result
