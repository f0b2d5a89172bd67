"""Portfolio review end to end from the database: `creditdesk review run` (read, assess, store the dated
results, summarise) in a child process — seconds and peak RSS, SQLite and PostgreSQL.

Targets (#20): 1M clients in ≤ 60 s from SQLite and PostgreSQL; peak RSS ≤ 3 GiB. The child reports its own CPU
time, on SQLite the reader process's (crm_adapter/sql/reader_process.py: CPU and peak RSS, from the rusage of its
reaped children), on a local PostgreSQL the server's CPU for the run's database (bench/pg_cpu.py: its backends'
and background processes' CPU from /proc, sampled beside the run), and the load average (the machine is shared:
wall time alone says little). Books are generated once per backend and
size and kept (SQLite homes under $BENCH_CACHE, default /tmp/creditdesk-bench; PostgreSQL databases
`cdbench_<n>` on $BENCH_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test). Each run
stores its results, so later runs also read the previous run's grades, as a bank's periodic review does.
BENCH_E2E_SIZES=100000,1000000 and BENCH_E2E_BACKENDS=sqlite,postgresql narrow a full run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bench.books import AS_OF, container, generate
from bench.harness import BenchResult, console, run_child
from bench.pg_cpu import ServerCPU

CHILD = """
import os, resource, sys, time
from bench.harness import report_peak_rss
from creditdesk.cli.main import app
try:
    app(["review", "run", "--json"], standalone_mode=False)
finally:
    report_peak_rss()
    print(f"CPU_S={time.process_time():.2f}")
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the SQLite reader process, reaped by the run
    print(f"READER_CPU_S={kids.ru_utime + kids.ru_stime:.2f}")
    print(f"READER_PEAK_RSS_MIB={kids.ru_maxrss / 1024:.1f}")
    print(f"LOAD={os.getloadavg()[0]:.2f}")
"""
CACHE = Path(os.environ.get("BENCH_CACHE", "/tmp/creditdesk-bench"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
GIB = 1024.0


def _sqlite_env(n: int) -> dict[str, str]:
    home = CACHE / f"sqlite-{n}"
    if not (home / "ready").exists():
        console.print(f"  generating a {n:,}-client SQLite book in {home} (once)")
        generate(container(home), n)
        (home / "ready").touch()
    return {"CREDITDESK_HOME": str(home)}


def _pg_env(n: int) -> dict[str, str] | None:
    try:
        import psycopg
    except ImportError:
        return None
    name = f"cdbench_{n}"
    admin = PG_URL.replace("+psycopg", "")
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        console.print(f"  PostgreSQL not reachable ({exc}); skipped")
        return None
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    home = CACHE / f"pg-{n}"
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "ready").exists():
        console.print(f"  generating a {n:,}-client PostgreSQL book in {name} (once)")
        generate(container(home, database_url=url), n)
        (home / "ready").touch()
    return {"CREDITDESK_HOME": str(home), "CREDITDESK_DATABASE_URL": url}


def _server_cpu(env: dict[str, str]) -> ServerCPU | None:
    """The PostgreSQL server's CPU while the run runs, when the server is this machine's (its processes in /proc)."""
    host = env["CREDITDESK_DATABASE_URL"].rsplit("@", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    if host not in ("127.0.0.1", "localhost", "::1", "") or not os.path.isdir("/proc"):
        return None
    return ServerCPU(env["CREDITDESK_DATABASE_URL"].rsplit("/", 1)[1].split("?", 1)[0]).start()


def _reported(stdout: str, key: str) -> float:
    for line in stdout.splitlines()[::-1]:
        if line.startswith(f"{key}="):
            return float(line.split("=", 1)[1])
    return float("nan")


def run(*, quick: bool) -> BenchResult:
    sizes = [5_000] if quick else [100_000, 1_000_000]
    sizes = [int(x) for x in os.environ.get("BENCH_E2E_SIZES", "").split(",") if x] or sizes
    backends = os.environ.get("BENCH_E2E_BACKENDS", "sqlite,postgresql").split(",")
    result = BenchResult("portfolio_e2e", params={"sizes": sizes, "as_of": str(AS_OF)})
    for backend, env_of in (("sqlite", _sqlite_env), ("postgresql", _pg_env)):
        if backend not in backends:
            continue
        for n in sizes:
            env = env_of(n)
            if env is None:
                result.notes.append(f"{backend}: skipped (not reachable)")
                continue
            env = {**env, "CREDITDESK_AS_OF": str(AS_OF)}
            load0 = os.getloadavg()[0]
            server = _server_cpu(env) if backend == "postgresql" else None
            wall, peak, out = run_child([sys.executable, "-c", CHILD], env=env)
            if server is not None:
                server.stop()
            cpu, load1 = _reported(out, "CPU_S"), _reported(out, "LOAD")
            reader_cpu, reader_peak = _reported(out, "READER_CPU_S"), _reported(out, "READER_PEAK_RSS_MIB")
            label = f"{backend} {n:,}"
            big = n >= 1_000_000
            result.add(f"{label}: review run (wall)", wall, "s", target="≤ 60 s" if big else "",
                       met=wall <= 60 if big else None)  # fmt: skip
            result.add(f"{label}: review run (CPU, the child's own)", cpu, "s")
            if backend == "sqlite":
                # SQLite: the reader process works beside the run (2 cores); both together are the run's CPU
                result.add(f"{label}: reader process CPU", reader_cpu, "s")
                total, what = cpu + reader_cpu, "run + reader"
            elif server is not None:
                # PostgreSQL: no reader process; the server's backends for this database (and its WAL writer,
                # checkpointer...) work beside the run on the same 2 cores (bench/pg_cpu.py, from /proc)
                result.add(f"{label}: PostgreSQL server CPU (this database's backends + background)",
                           server.database_s, "s")  # fmt: skip
                result.params[f"{label} server CPU, every postgres process (other clients too)"] = (
                    server.total_s
                )
                total, what = cpu + server.database_s, "run + server"
            else:  # a PostgreSQL server on another machine: its CPU is not measured here
                total, what = cpu, "run; server not measured"
            result.add(f"{label}: review run (CPU, {what})", total, "s", target="≤ 60 s" if big else "",
                       met=total <= 60 if big else None)  # fmt: skip
            result.add(f"{label}: clients/s (wall)", n / wall, "clients/s")
            result.add(f"{label}: peak RSS", peak / GIB, "GiB", target="≤ 3 GiB", met=peak / GIB <= 3)
            if backend == "sqlite":
                result.add(f"{label}: reader process peak RSS", reader_peak / GIB, "GiB",
                           target="≤ 3 GiB with the run's", met=(peak + reader_peak) / GIB <= 3)  # fmt: skip
            result.params[f"{label} load average (1 min) before / after"] = (load0, load1)
    return result
