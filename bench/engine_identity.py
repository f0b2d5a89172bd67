"""Is the engine's output unchanged? Save every result of `assess_book` on a demo book, compare later.

    .venv/bin/python -m bench.engine_identity save DIR [--clients N]
    .venv/bin/python -m bench.engine_identity compare DIR [--clients N]

The book is `BENCH_BOOK_HOME` when set (else a demo book of N clients generated in a temporary home);
`--snapshot-cache FILE` keeps the read snapshot pickled so that reruns skip reading the database.
`save` writes the result table and the warnings with their coded message and English text to Parquet,
and every other frame of the assessment (rating, headroom, limits, proposals, calendar, the analysis
frames) pickled; `compare` recomputes and checks each against the saved one exactly: values to the last
bit, dtypes, index and column order. Exit status 1 when anything differs.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import pandas as pd

from bench.books import demo_home
from tools.engine import ews
from tools.engine.concentration import DIMENSIONS
from tools.engine.portfolio import PortfolioAssessment, assess_book

FRAMES = ("rating", "headroom", "limits", "proposals", "review", "contact")
SERIES = ("ews_level", "insurance_required")
ANALYSIS = ("ratios", "latest", "flows", "repayment", "signals", "reputation", "covers", "facilities",
            "exposure", "features")  # fmt: skip


def _warnings(pa: PortfolioAssessment) -> pd.DataFrame:
    w = ews.with_messages(pa.warnings)
    return w.assign(msg=[json.dumps(m, sort_keys=True, default=str) for m in w["msg"]])


def results(pa: PortfolioAssessment) -> dict[str, pd.DataFrame | pd.Series]:
    out: dict[str, pd.DataFrame | pd.Series] = {"table": pa.table(), "warnings": _warnings(pa)}
    # as the engine keeps them (messages coded, text deferred; the deferred text's key names a source line)
    out["warnings.raw"] = pa.warnings.drop(columns=[ews.TEXT], errors="ignore")
    out.update({name: getattr(pa, name) for name in (*FRAMES, *SERIES)})
    out.update({f"frames.{name}": getattr(pa.frames, name) for name in ANALYSIS})
    out["concentration"] = pa.concentration()
    out.update({f"bucket_sums.{d}": pa.book.bucket_sums(d) for d in DIMENSIONS})
    return out


def book(clients: int, cache: Path | None = None):  # type: ignore[no-untyped-def]
    """(snapshot, policy) of the demo book; `cache` keeps the pair pickled so that a rerun skips the read."""
    if cache is not None and cache.exists():
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    with demo_home(clients) as c:
        pair = c.adapter.snapshot(as_of=c.today()), c.policy
    if cache is not None:
        with open(cache, "wb") as fh:
            pickle.dump(pair, fh)
    return pair


def _assess(clients: int, cache: Path | None) -> dict[str, pd.DataFrame | pd.Series]:
    snapshot, policy = book(clients, cache)
    cpu = time.process_time()
    pa = assess_book(snapshot, policy)
    out = results(pa)
    print(f"{len(snapshot.clients):,} clients, assess_book + results: {time.process_time() - cpu:.2f} s CPU")
    return out


def save(directory: Path, clients: int, cache: Path | None = None) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    out = _assess(clients, cache)
    out["table"].to_parquet(directory / "table.parquet")
    out["warnings"].to_parquet(directory / "warnings.parquet")
    with open(directory / "frames.pkl", "wb") as fh:
        pickle.dump(out, fh)


def _check(name: str, got: object, expected: object) -> str | None:
    try:
        if isinstance(expected, pd.Series):
            pd.testing.assert_series_equal(got, expected, check_exact=True)  # type: ignore[arg-type]
        else:
            pd.testing.assert_frame_equal(got, expected, check_exact=True)  # type: ignore[arg-type]
    except AssertionError as exc:
        return f"{name}: {str(exc).strip()[:600]}"
    return None


def compare(directory: Path, clients: int, cache: Path | None = None) -> int:
    out = _assess(clients, cache)
    with open(directory / "frames.pkl", "rb") as fh:
        saved = pickle.load(fh)
    saved["table"] = pd.read_parquet(directory / "table.parquet")
    saved["warnings"] = pd.read_parquet(directory / "warnings.parquet")
    if "warnings.raw" in saved:
        saved["warnings.raw"] = saved["warnings.raw"].drop(columns=[ews.TEXT], errors="ignore")
    out["table"] = pd.read_parquet(_roundtrip(out["table"]))  # Parquet on both sides for the two tables
    out["warnings"] = pd.read_parquet(_roundtrip(out["warnings"]))
    problems = [p for name in saved if (p := _check(name, out.get(name), saved[name]))]
    for p in problems:
        print("DIFFERS", p)
    print("identical" if not problems else f"{len(problems)} of {len(saved)} results differ")
    return 1 if problems else 0


def _roundtrip(df: pd.DataFrame):  # type: ignore[no-untyped-def]
    import io

    buf = io.BytesIO()
    df.to_parquet(buf)
    buf.seek(0)
    return buf


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("save", "compare"))
    ap.add_argument("directory", type=Path)
    ap.add_argument("--clients", type=int, default=100_000)
    ap.add_argument("--snapshot-cache", type=Path, default=None, help="pickle of the read snapshot (reused)")
    args = ap.parse_args(argv)
    if args.action == "save":
        save(args.directory, args.clients, args.snapshot_cache)
        return 0
    return compare(args.directory, args.clients, args.snapshot_cache)


if __name__ == "__main__":
    sys.exit(main())
