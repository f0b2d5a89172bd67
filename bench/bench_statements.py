"""Bank statement import: N transactions of MT940 monthly statements into a fresh store (target: 100k ≤ 10 s).

Measures the parse + check + write + bank-flow derivation of one `import_statements` call, and the
re-import of the same files (everything skipped), with the import's CPU time next to its wall time (on a
shared machine the wall time mostly measures the others). --quick imports 10k.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from bench.harness import BenchResult


def write_mt940(folder: Path, n: int, *, seed: int = 7) -> list[Path]:
    """Monthly statements of one account holding `n` entries in all, balanced."""
    rng = random.Random(seed)
    per_month = 4000
    balance = Decimal("250000.00")
    files = []
    day0 = dt.date(2020, 1, 1)
    months = max(1, -(-n // per_month))
    left = n
    for m in range(months):
        first = dt.date(day0.year + (day0.month - 1 + m) // 12, (day0.month - 1 + m) % 12 + 1, 1)
        count = min(per_month, left)
        left -= count
        lines = [f":20:BENCH{m:04d}", ":25:NL91ABNA0417164300", f":28C:{m + 1}",
                 f":60F:{'C' if balance >= 0 else 'D'}{first:%y%m%d}EUR{abs(balance):.2f}".replace(".", ",")]  # fmt: skip
        for i in range(count):
            d = first + dt.timedelta(days=i * 27 // max(count, 1))
            amount = Decimal(rng.randint(100, 900_000)) / 100
            credit = rng.random() < 0.5
            balance += amount if credit else -amount
            lines.append(
                f":61:{d:%y%m%d}{d:%m%d}{'C' if credit else 'D'}{amount:.2f}NTRFREF{i}".replace(".", ",")
            )
            lines.append(
                f":86:/TRTP/SEPA OVERBOEKING/IBAN/NL86INGB000244{i % 9999:04d}/NAME/PARTY {i % 97}/REMI/INV {m}-{i}"
            )
        closing = first + dt.timedelta(days=27)
        lines.append(
            f":62F:{'C' if balance >= 0 else 'D'}{closing:%y%m%d}EUR{abs(balance):.2f}".replace(".", ",")
        )
        path = folder / f"stmt-{m:04d}.sta"
        path.write_text("\n".join(lines) + "\n-\n")
        files.append(path)
    return files


def run(*, quick: bool) -> BenchResult:
    from creditdesk.settings import Settings
    from creditdesk.wiring import Container
    from crm_adapter.statements import import_statements

    n = 10_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        c = Container.from_settings(Settings(home=home, _env_file=None))  # type: ignore[call-arg]
        c.migrate()
        c.import_book(Path(__file__).parents[1] / "examples" / "small-book")
        files = write_mt940(Path(tmp), n)
        t0, c0 = time.perf_counter(), time.process_time()
        first = import_statements(c.engine, 1001, files, now=dt.datetime.now(dt.UTC))
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        t0 = time.perf_counter()
        again = import_statements(c.engine, 1001, files, now=dt.datetime.now(dt.UTC))
        again_s = time.perf_counter() - t0
        c.engine.dispose()
    result = BenchResult("statements_import", params={"transactions": n, "files": len(files)})
    target = 10.0 * n / 100_000
    result.add(f"import {n:,} MT940 transactions", took, "s", target=f"≤ {target:g} s", met=took <= target)
    result.add("  its CPU time", cpu, "s")
    result.add("re-import (all skipped)", again_s, "s")
    result.add("added / skipped", float(first.transactions_added), "rows")
    assert first.transactions_added == n and again.transactions_skipped == n
    return result
