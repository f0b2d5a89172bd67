"""Demo generation throughput (target: 1M clients in ≤ 5 minutes), in a child process for peak RSS."""

from __future__ import annotations

import sys
import tempfile

from bench.harness import BenchResult, run_child

CHILD = """
import datetime as dt, sys
from bench.harness import report_peak_rss
from creditdesk.settings import Settings
from creditdesk.wiring import Container
from crm_adapter.demo import generate_demo
c = Container.from_settings(Settings(home=sys.argv[1], _env_file=None))
c.migrate()
generate_demo(c.engine, n_clients=int(sys.argv[2]), seed=7, as_of=dt.date(2026, 11, 28))
report_peak_rss()
"""


def run(*, quick: bool) -> BenchResult:
    n = 20_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as home:
        wall, peak, _ = run_child([sys.executable, "-c", CHILD, home, str(n)])
    result = BenchResult("demo", params={"clients": n, "backend": "sqlite"})
    result.add("clients/s", n / wall, "clients/s")
    projected = 1_000_000 / (n / wall)
    result.add("time for this size", wall, "s")
    result.add("1M clients (measured or projected)", projected, "s", target="≤ 300 s", met=projected <= 300)
    result.add("peak RSS", peak, "MiB")
    return result
