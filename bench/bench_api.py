"""API profile card under load: GET /api/v1/clients/{id} on loopback, 32 concurrent connections
(p99 ≤ 50 ms; throughput ≥ 0.4× a bare FastAPI endpoint returning constant JSON in the same uvicorn
config). Servers and the load generator run in separate processes; wrk is used when installed, else
an asyncio httpx client. The card cycles over CARD_CLIENTS clients; a first sequential pass over them
(the uncached per-client assessment) is reported separately as the cold latency.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.books import demo_home
from bench.harness import BenchResult, percentile, summarise_ms

CARD_CLIENTS = 256
SERVER = """
import sys, uvicorn
kind, port = sys.argv[1], int(sys.argv[2])
if kind == "bare":
    from fastapi import FastAPI
    app = FastAPI()
    @app.get("/api/v1/clients/{client_id}")
    def card(client_id: int) -> dict:
        return {"client_id": 1001, "name": "ACME Holdings", "grade": 4, "pd": 0.012, "limit": "2500000.00"}
else:
    from api.app import create_app
    from bench.books import container
    app = create_app(container(sys.argv[3]))
from creditdesk.serving import tune_for_serving  # both servers: the process settings of `creditdesk serve`
tune_for_serving()
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
"""
LOADGEN = """
import asyncio, json, sys, time, httpx
base, token, seconds, conc = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
paths = json.loads(sys.argv[5])
async def main():
    lat, errors = [], 0
    limits = httpx.Limits(max_connections=conc, max_keepalive_connections=conc)
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits,
                                 timeout=30) as client:
        deadline = time.perf_counter() + seconds
        async def worker(k):
            nonlocal errors
            i = k
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                r = await client.get(paths[i % len(paths)])
                lat.append((time.perf_counter() - t0) * 1000)
                errors += r.status_code != 200
                i += conc
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(conc)))
        print(json.dumps({"n": len(lat), "seconds": time.perf_counter() - t0, "lat": lat, "errors": errors}))
asyncio.run(main())
"""
WRK_LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Authorization"] = "Bearer %s"})
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(kind: str, home: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, kind, str(port), home])
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(f"{base}/api/v1/clients/0", timeout=1)
            return proc, base
        except httpx.TransportError:
            if proc.poll() is not None:
                raise RuntimeError(f"{kind} server exited ({proc.returncode})") from None
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{kind} server did not start")


def _load(base: str, token: str, paths: list[str], seconds: float) -> dict[str, float]:
    if shutil.which("wrk"):
        return _wrk(base, token, paths, seconds)
    out = subprocess.run([sys.executable, "-c", LOADGEN, base, token, str(seconds), "32", json.dumps(paths)],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    data = json.loads(out)
    s = summarise_ms(data["lat"])
    return {"rps": data["n"] / data["seconds"], "p50": s["p50"], "p99": s["p99"], "errors": data["errors"]}


def _wrk(base: str, token: str, paths: list[str], seconds: float) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_LUA % (",".join(f'"{p}"' for p in paths), token))
    args = ["wrk", "-t2", "-c32", f"-d{seconds:.0f}s", "--latency", "-s", f.name, base]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    Path(f.name).unlink()
    return _parse_wrk(out)


def _parse_wrk(out: str) -> dict[str, float]:
    def ms(text: str) -> float:
        for unit, k in (("us", 1e-3), ("ms", 1.0), ("s", 1000.0)):
            if text.endswith(unit):
                return float(text[: -len(unit)]) * k
        return float(text)

    fig: dict[str, float] = {"errors": 0}
    for line in out.splitlines():
        parts = line.split()
        if line.strip().startswith("50%"):
            fig["p50"] = ms(parts[1])
        elif line.strip().startswith("99%"):
            fig["p99"] = ms(parts[1])
        elif line.startswith("Requests/sec:"):
            fig["rps"] = float(parts[1])
        elif "Non-2xx" in line:
            fig["errors"] = float(parts[-1])
    return fig


def run(*, quick: bool) -> BenchResult:
    seconds = 3.0 if quick else 20.0
    with demo_home(2_000) as c:
        home = str(c.settings.home_dir)
        officer = next(o.officer_id for o in c.adapter.list_officers() if o.role == "admin")
        token = c.tokens.create(officer, label="bench").token
        ids = c.adapter.snapshot(as_of=c.today(), include={"clients"}).clients["client_id"].tolist()
        paths = [f"/api/v1/clients/{i}" for i in ids[:: max(1, len(ids) // CARD_CLIENTS)][:CARD_CLIENTS]]
        figures = {}
        cold: list[float] = []
        for kind in ("bare", "app"):
            proc, base = _serve(kind, home)
            try:
                if kind == "app":
                    with httpx.Client(
                        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
                    ) as h:
                        for p in paths:
                            t0 = time.perf_counter()
                            h.get(p).raise_for_status()
                            cold.append((time.perf_counter() - t0) * 1000)
                _load(base, token, paths, 1.0)  # warm the connection pool and the server
                figures[kind] = _load(base, token, paths, seconds)
            finally:
                proc.terminate()
                proc.wait(10)
    app, bare = figures["app"], figures["bare"]
    result = BenchResult("api", params={"seconds": seconds, "concurrency": 32, "clients_cycled": len(paths),
                                        "loadgen": "wrk" if shutil.which("wrk") else "httpx (asyncio)",
                                        "figures": figures})  # fmt: skip
    result.add("profile card req/s", app["rps"], "req/s")
    result.add("profile card p50", app["p50"], "ms")
    result.add("profile card p99", app["p99"], "ms", target="≤ 50 ms", met=app["p99"] <= 50)
    result.add("bare FastAPI req/s (baseline)", bare["rps"], "req/s")
    result.add("bare FastAPI p99", bare["p99"], "ms")
    ratio = app["rps"] / bare["rps"]
    result.add("ratio card / bare req/s", ratio, "×", target="≥ 0.4", met=ratio >= 0.4)
    result.add("non-200 responses under load", app["errors"], "responses", target="0", met=not app["errors"])
    result.add("cold card (first request per client) p50", percentile(cold, 0.5), "ms")
    result.add("cold card p95", percentile(cold, 0.95), "ms")
    return result
