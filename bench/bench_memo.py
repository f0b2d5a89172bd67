"""Memo draft + PDF export for one client (target ≤ 1,000 ms), warm, on a small demo book."""

from __future__ import annotations

import time

from bench.books import demo_home
from bench.harness import BenchResult, summarise_ms

CLIENTS = (1001, 1003, 1004, 1005)  # rm.anna's clients in the demo book


def run(*, quick: bool) -> BenchResult:
    n = 4 if quick else 20
    with demo_home(300) as c:
        actor, memos = c.actor("rm.anna"), c.memos
        memos.render(memos.draft_review_memo(actor, CLIENTS[0]), "pdf")  # warm: imports, fonts, caches
        draft, export = [], []
        for i in range(n):
            t0 = time.perf_counter()
            memo = memos.draft_review_memo(actor, CLIENTS[i % len(CLIENTS)])
            t1 = time.perf_counter()
            pdf = memos.render(memo, "pdf")
            t2 = time.perf_counter()
            draft.append((t1 - t0) * 1000)
            export.append((t2 - t1) * 1000)
    total = [a + b for a, b in zip(draft, export, strict=True)]
    s = summarise_ms(total)
    result = BenchResult("memo", params={"runs": n, "pdf_bytes": len(pdf)})
    result.add("draft + PDF p50", s["p50"], "ms", target="≤ 1,000 ms", met=s["p50"] <= 1000)
    result.add("draft + PDF p95", s["p95"], "ms", target="≤ 1,000 ms", met=s["p95"] <= 1000)
    result.add("draft p50", summarise_ms(draft)["p50"], "ms")
    result.add("PDF export p50", summarise_ms(export)["p50"], "ms")
    return result
