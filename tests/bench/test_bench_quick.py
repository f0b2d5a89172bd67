"""The benchmark suite keeps working: the fast benchmarks run in --quick mode and write their results.

Timings are not asserted (CI machines vary); the portfolio benchmark's own check that the per-client
loop baseline equals the engine is.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.harness import RESULTS_DIR, ROOT

FAST = ("cli_start", "portfolio_compute", "memo")


@pytest.mark.slow
def test_quick_benchmarks_run_and_write_results() -> None:
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--only", *FAST], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    for name in FAST:
        payload = json.loads((RESULTS_DIR / f"{name}-quick.json").read_text())
        assert payload["quick"] and payload["machine"]["cores"] and payload["figures"]
    compute = json.loads((RESULTS_DIR / "portfolio_compute-quick.json").read_text())
    assert not any(compute["params"]["mismatches"].values())  # the loop baseline computes the same results
