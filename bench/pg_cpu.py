"""CPU time of a local PostgreSQL server's processes, read from /proc (Linux; the server on this machine).

Two figures between `start()` and `stop()`:
- `total_s`: every `postgres` process's user + system time, plus the postmaster's reaped children's (a backend
  that exits is added to its parent's cutime/cstime when the postmaster reaps it), so backends that started and
  ended in between count in full. This includes other clients' work on the same server.
- `database_s`: only the backends of one database (`postgres: 15/main: USER DB HOST(PORT) STATE` in their
  command line), sampled every `interval_s`; a backend's CPU is its last sample, so a backend that exits loses at
  most its last interval. Plus the server's own background processes (WAL writer, checkpointer, background
  writer, autovacuum), whose work the database's writes cause; `background_s` reports those alone.

No connection to the server is made (a query would add server CPU of its own).

    python -m bench.pg_cpu DB -- COMMAND...   # run COMMAND, print the server's CPU while it ran
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
BACKGROUND = ("checkpointer", "background writer", "walwriter", "autovacuum", "logical replication")


def _stat(pid: int) -> tuple[int, int, int, str] | None:
    """(ppid, own ticks, reaped children's ticks, command line) of a postgres process, else None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read().decode(errors="replace")
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    if name != "postgres":
        return None
    rest = raw[raw.rindex(")") + 2 :].split()
    # fields after the name: state ppid ... utime(14) stime(15) cutime(16) cstime(17), 1-based in proc(5)
    ppid, utime, stime, cutime, cstime = (
        int(rest[1]),
        int(rest[11]),
        int(rest[12]),
        int(rest[13]),
        int(rest[14]),
    )
    return ppid, utime + stime, cutime + cstime, cmd


def _procs() -> dict[int, tuple[int, int, int, str]]:
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (st := _stat(int(entry))) is not None:
            out[int(entry)] = st
    return out


def total_ticks() -> int:
    """Every postgres process's CPU plus the postmaster's reaped children's, in clock ticks."""
    procs = _procs()
    own = sum(p[1] for p in procs.values())
    reaped = sum(p[2] for pid, p in procs.items() if p[0] not in procs)  # the postmaster: parent not postgres
    return own + reaped


@dataclass
class ServerCPU:
    database: str
    interval_s: float = 0.2
    total_s: float = 0.0
    database_s: float = 0.0
    background_s: float = 0.0
    _first: dict[int, int] = field(default_factory=dict)
    _known: set[int] = field(default_factory=set)
    _last: dict[int, tuple[int, str]] = field(default_factory=dict)
    _t0: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _sample(self) -> None:
        for pid, (_, ticks, _, cmd) in _procs().items():
            self._first.setdefault(pid, ticks)
            self._last[pid] = (ticks, cmd)

    def start(self) -> ServerCPU:
        self._t0 = total_ticks()
        self._sample()  # processes alive now count from here; later ones from zero
        self._known = set(self._first)

        def loop() -> None:
            while not self._stop.wait(self.interval_s):
                self._sample()

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> ServerCPU:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._sample()
        self.total_s = (total_ticks() - self._t0) / TICK
        db = bg = 0
        for pid, (ticks, cmd) in self._last.items():
            used = ticks - (self._first[pid] if pid in self._known else 0)
            if f" {self.database} " in f" {cmd} ":
                db += used
            elif any(b in cmd for b in BACKGROUND):
                bg += used
        self.background_s = bg / TICK
        self.database_s = (db + bg) / TICK
        return self


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") != 1:
        print(__doc__, file=sys.stderr)
        return 2
    cpu = ServerCPU(argv[0]).start()
    t0, p0 = time.perf_counter(), os.times()
    code = subprocess.call(argv[2:])
    wall, p1 = time.perf_counter() - t0, os.times()
    cpu.stop()
    child = p1.children_user + p1.children_system - p0.children_user - p0.children_system
    print(f"WALL_S={wall:.2f} CLIENT_CPU_S={child:.2f} SERVER_DB_CPU_S={cpu.database_s:.2f} "
          f"SERVER_BG_CPU_S={cpu.background_s:.2f} SERVER_TOTAL_CPU_S={cpu.total_s:.2f} "
          f"LOAD={os.getloadavg()[0]:.2f}", file=sys.stderr)  # fmt: skip
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
