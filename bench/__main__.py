"""Run the benchmark suite: `python -m bench [--quick] [--only NAME ...]`.

Each benchmark prints a table and writes bench/results/NAME[-quick].json with machine info.
Ratios are always measured against a baseline in the same run. --quick shrinks every size so the
suite runs in a minute or two (CI runs it to keep the suite working; it asserts no timings).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from bench.harness import console, print_result, write_result

BENCHMARKS = {
    "cli_start": "bench.bench_cli_start",
    "cli_ask_cold": "bench.bench_cli_ask",
    "demo": "bench.bench_demo",
    "portfolio_compute": "bench.bench_portfolio",
    "portfolio_e2e": "bench.bench_portfolio_e2e",
    "api": "bench.bench_api",
    "assistant": "bench.bench_assistant",
    "knowledge": "bench.bench_knowledge",
    "memo": "bench.bench_memo",
    "dashboard": "bench.bench_dashboard",
    "statements": "bench.bench_statements",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes; checks the suite works")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these")
    args = parser.parse_args(argv)
    failed = []
    for name in args.only or list(BENCHMARKS):
        module = importlib.import_module(BENCHMARKS[name])
        console.rule(f"{name}{' (quick)' if args.quick else ''}")
        t0 = time.perf_counter()
        try:
            result = module.run(quick=args.quick)
        except Exception as exc:  # a broken benchmark must not hide the others
            console.print(f"[red]{name} failed:[/] {exc!r}")
            failed.append(name)
            continue
        result.params.setdefault("wall_s", round(time.perf_counter() - t0, 2))
        print_result(result)
        console.print(f"  → {write_result(result, quick=args.quick)}")
    if failed:
        console.print(f"[red]failed: {', '.join(failed)}[/]")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
