"""Shared benchmark plumbing: timing, percentiles, child-process peak memory, machine info, results."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

RESULTS_DIR = Path(__file__).parent / "results"
ROOT = Path(__file__).parents[1]
console = Console()


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None


@dataclass
class BenchResult:
    name: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, value: float, unit: str, *, target: str = "", met: bool | None = None) -> None:
        self.figures.append(Figure(name, round(value, 3), unit, target, met))


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def time_calls(fn: Callable[[], object], *, n: int, warmup: int = 2) -> list[float]:
    """Milliseconds per call for `n` calls after `warmup` calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def summarise_ms(samples: Sequence[float]) -> dict[str, float]:
    return {
        "p50": percentile(samples, 0.5),
        "p95": percentile(samples, 0.95),
        "p99": percentile(samples, 0.99),
        "mean": statistics.fmean(samples),
    }


def run_child(args: Sequence[str], *, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run a command; return (wall seconds, peak RSS MiB of that child, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        list(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        text=True,
    )
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    # the child is reaped by communicate(); its rusage is in RUSAGE_CHILDREN only in aggregate,
    # so children report their own peak with --report-rss when they can.
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {err[-2000:]}")
    return wall, _peak_from(out), out


def _peak_from(stdout: str) -> float:
    for line in stdout.splitlines()[::-1]:
        if line.startswith("PEAK_RSS_MIB="):
            return float(line.split("=", 1)[1])
    return float("nan")


def report_peak_rss() -> None:
    """Called at the end of a benchmark child process: prints its own peak RSS for the parent."""
    import resource

    print(f"PEAK_RSS_MIB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")


def machine_info() -> dict[str, Any]:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout
    except OSError:
        sha = ""
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_gib, 1),
        "git": sha.strip(),
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def write_result(result: BenchResult, *, quick: bool) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{result.name}{'-quick' if quick else ''}.json"
    payload = {"benchmark": result.name, "quick": quick, "machine": machine_info(), **asdict(result)}
    path.write_text(json.dumps(payload, indent=2, default=str))
    return path


def print_result(result: BenchResult) -> None:
    table = Table("figure", "value", "unit", "target", "met", title=f"bench: {result.name}")
    for f in result.figures:
        met = "" if f.met is None else ("yes" if f.met else "NO")
        table.add_row(f.name, f"{f.value:,.3f}", f.unit, f.target, met)
    console.print(table)
    for note in result.notes:
        console.print(f"  {note}")
