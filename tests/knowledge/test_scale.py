"""A 200-page PDF: ingest in one fresh process, search in another; timings are printed (run with -s)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PAGES = 200
TOPICS = ["collateral valuation", "covenant monitoring", "foreign exchange exposure", "syndicated facilities",
          "guarantee fees", "letters of credit", "overdraft renewal", "sector outlook"]  # fmt: skip


def _make_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Operations Handbook")
    for page in range(1, PAGES + 1):
        topic = TOPICS[page % len(TOPICS)]
        pdf.drawString(72, 790, f"{page} {topic.capitalize()} procedure {page}")
        for line in range(40):
            pdf.drawString(72, 770 - 17 * line, f"Rule {page}.{line}: officers handling {topic} check item {line} "
                                                f"of case {page * 100 + line} before sign-off.")  # fmt: skip
        pdf.showPage()
    pdf.save()


def _run(script: str, home: Path) -> dict:  # type: ignore[type-arg]
    prelude = f"""
import json, time
from pathlib import Path
from tests.knowledge.conftest import open_store
home = Path({str(home)!r})
"""
    out = subprocess.run([sys.executable, "-c", prelude + script], capture_output=True, text=True, timeout=600,
                         cwd=Path(__file__).parents[2])  # fmt: skip
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_200_pages_ingest_and_search_in_fresh_processes(tmp_path: Path) -> None:
    pdf = tmp_path / "operations-handbook.pdf"
    _make_pdf(pdf)
    ingest = _run(f"""
from knowledge.ingest import ingest_paths
t0 = time.perf_counter()
store = open_store(home)
report = ingest_paths(store, [Path({str(pdf)!r})])
print(json.dumps({{"seconds": time.perf_counter() - t0, "chunks": report.outcomes[0].chunks,
                  "status": report.outcomes[0].status}}))
""", tmp_path / "home")  # fmt: skip
    search = _run(
        """
t0 = time.perf_counter()
store = open_store(home)
first = store.search("foreign exchange exposure rule 74.3", k=5)
t1 = time.perf_counter()
warm = []
for q in ["covenant monitoring case 12005", "guarantee fees sign-off", "who checks letters of credit"] * 10:
    s = time.perf_counter(); store.search(q, k=5); warm.append(time.perf_counter() - s)
warm.sort()
print(json.dumps({"first_seconds": t1 - t0, "warm_p50_ms": warm[len(warm) // 2] * 1000,
                  "warm_p95_ms": warm[int(len(warm) * 0.95)] * 1000, "top_page": first[0].page,
                  "top_section": first[0].section}))
""",
        tmp_path / "home",
    )
    print(
        f"\n200 pages: ingest {ingest['seconds']:.1f}s ({ingest['chunks']} chunks); fresh-process first search "
        f"{search['first_seconds']:.2f}s, warm p50 {search['warm_p50_ms']:.1f} ms, p95 {search['warm_p95_ms']:.1f} ms"
    )
    assert ingest["status"] == "added" and ingest["chunks"] >= PAGES
    assert search["top_page"] == 74 and search["top_section"].startswith("74 Foreign exchange exposure")
    assert ingest["seconds"] < 300 and search["warm_p95_ms"] < 500
