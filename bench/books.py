"""Demo books for the benchmarks: generated once per size into a temporary home, or an existing home.

`BENCH_BOOK_HOME=/path` (a CREDITDESK_HOME holding a demo book) skips generation for the in-memory
benchmarks; the book there is only read. `tile` scales an in-memory snapshot up by copying it with
new client ids (same distribution, same per-client work), so a 1M-client compute run needs only a
100k-client read.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

import pandas as pd

from creditdesk.settings import Settings
from creditdesk.wiring import Container
from crm_adapter.snapshot import FRAMES, BookSnapshot

AS_OF = dt.date(2026, 11, 28)
SEED = 7


def container(home: str | Path, *, database_url: str | None = None) -> Container:
    extra = {"database_url": database_url} if database_url else {}
    return Container.from_settings(Settings(home=str(home), as_of=AS_OF, _env_file=None, **extra))


def generate(c: Container, n_clients: int) -> None:
    from crm_adapter.demo import generate_demo

    c.migrate()
    generate_demo(c.engine, n_clients=n_clients, seed=SEED, as_of=AS_OF)


@contextmanager
def demo_home(n_clients: int) -> Iterator[Container]:
    """A container over a demo book of n_clients (BENCH_BOOK_HOME if set, else generated in a temp dir)."""
    if home := os.environ.get("BENCH_BOOK_HOME"):
        yield container(home)
        return
    with TemporaryDirectory(prefix="cd-bench-") as tmp:
        c = container(tmp)
        generate(c, n_clients)
        yield c
        c.engine.dispose()


def tile(snapshot: BookSnapshot, copies: int) -> BookSnapshot:
    """`copies` copies of the book, each with its own client, facility, group and row ids."""
    if copies <= 1:
        return snapshot
    stride = int(snapshot.clients["client_id"].max()) + 1
    frames = {}
    for name in FRAMES:
        df = getattr(snapshot, name)
        if "client_id" not in df.columns and name != "groups":
            frames[name] = df
            continue
        parts = []
        for k in range(copies):
            part = df.copy()
            if "client_id" in part.columns:
                part["client_id"] = part["client_id"] + k * stride
            for col in ("facility_id", "group_id", "signal_id", "cover_id", "contact_id", "external_id"):
                if col in part.columns and k:
                    part[col] = part[col].where(part[col].isna(), part[col].astype(str) + f"~{k}")
            parts.append(part)
        frames[name] = pd.concat(parts, ignore_index=True)
    return BookSnapshot(as_of=snapshot.as_of, reporting_currency=snapshot.reporting_currency, **frames)
