"""Portfolio review compute over a snapshot already in memory (target, #20: ≥ 250,000 clients/s on 1M clients),
and its ratio to a straightforward per-client Python loop over the same snapshot (target ≥ 30×).

The 1M-client snapshot is a 100k demo book read once and tiled ×10 (`bench.books.tile`). The loop
(`bench.portfolio_loop`) runs on a random sample of the same snapshot with the whole book's
concentration totals given; its outputs are checked against the engine's rows for those clients.
Figures are wall time and process CPU time (the CPU figure is what an idle machine would see).
"""

from __future__ import annotations

import gc
import os
import time

import numpy as np

from bench.books import demo_home, tile
from bench.harness import BenchResult
from bench.portfolio_loop import OUTPUTS, BookTotals, assess_loop
from tools.engine import limits
from tools.engine.concentration import BookExposure, client_headroom
from tools.engine.features import analyse
from tools.engine.frames import client_index
from tools.engine.portfolio import assess_book
from tools.engine.rating import rate


def _timed(fn):  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def _core(snapshot, policy):  # type: ignore[no-untyped-def]
    """The engine's vectorised path to the loop's outputs only (ratios, rating, EL, limit), for a like-for-like ratio."""
    frames = analyse(snapshot, policy)
    rating = rate(frames.features, frames.exposure, policy, None)
    book = BookExposure.build(snapshot.clients, frames.exposure, policy)
    return limits.recommend(
        snapshot_fx=limits.statement_fx(snapshot.fx_rates(), frames.latest), latest=frames.latest, flows=frames.flows,
        exposure=frames.exposure, rating=rating, headroom=client_headroom(book, client_index(snapshot), policy),
        policy=policy,
    )  # fmt: skip


def _mismatches(pa, loop: dict[int, dict[str, float]]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    t = pa.table().loc[list(loop)]
    out = {}
    for name in OUTPUTS:
        expected = t[name].to_numpy(dtype="float64")
        got = np.array([loop[i][name] for i in t.index], dtype="float64")
        out[name] = int((~np.isclose(got, expected, rtol=1e-9, atol=1e-6, equal_nan=True)).sum())
    return out


def run(*, quick: bool) -> BenchResult:
    base, copies, sample, repeats = (5_000, 2, 1_000, 3) if quick else (100_000, 10, 20_000, 2)
    with demo_home(base) as c:
        snapshot, policy = c.adapter.snapshot(as_of=c.today()), c.policy
    book = tile(snapshot, copies)
    del snapshot
    n = book.n_clients
    _, core_wall, core_cpu = _timed(lambda: _core(book, policy))
    runs = []
    for _ in range(repeats):
        gc.collect()
        pa, wall, cpu = _timed(lambda: (p := assess_book(book, policy), p.table())[0])
        runs.append((wall, cpu))
    ids = np.random.default_rng(7).choice(book.clients["client_id"].to_numpy(), sample, replace=False)
    part, totals = book.subset(ids.tolist()), BookTotals.of(pa.book)
    loop, loop_wall, loop_cpu = _timed(lambda: assess_loop(part, policy, totals))
    bad = _mismatches(pa, loop)
    wall, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
    result = BenchResult("portfolio_compute", params={"clients": n, "tiled_from": base, "loop_sample": sample,
                                                       "repeats": repeats, "runs_wall_cpu_s": runs})  # fmt: skip
    rate_cpu, rate_wall = n / cpu, n / wall
    loop_rate_cpu, loop_rate_wall = sample / loop_cpu, sample / loop_wall
    target = "≥ 250,000 (1M clients)"
    result.add("vectorised clients/s (CPU time)", rate_cpu, "clients/s", target=target, met=rate_cpu >= 2.5e5)
    result.add("vectorised clients/s (wall)", rate_wall, "clients/s", target=target, met=rate_wall >= 2.5e5)
    result.add("vectorised run (best, wall)", wall, "s")
    result.add("per-client loop clients/s (CPU time)", loop_rate_cpu, "clients/s")
    result.add("per-client loop clients/s (wall)", loop_rate_wall, "clients/s")
    ratio = rate_cpu / loop_rate_cpu
    result.add("ratio vectorised / loop (CPU time)", ratio, "×", target="≥ 30×", met=ratio >= 30)
    result.add("ratio vectorised / loop (wall)", rate_wall / loop_rate_wall, "×")
    core = n / core_cpu / loop_rate_cpu
    result.add(
        "like-for-like: vectorised core outputs only / loop (CPU)", core, "×", target="≥ 30×", met=core >= 30
    )
    result.add("loop outputs ≠ engine (of sample × outputs)", sum(bad.values()), "values", target="0",
               met=not any(bad.values()))  # fmt: skip
    result.params["mismatches"] = bad
    result.params["core_wall_cpu_s"] = (core_wall, core_cpu)
    result.params["load_average_1m"] = os.getloadavg()[0]
    result.notes.append(
        f"{n:,} clients = {base:,}-client demo book tiled ×{copies}; loop on {sample:,} of them"
    )
    return result
