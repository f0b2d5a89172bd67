"""Knowledge search: policy recall@1/@5 on the hand-written question sets, and hybrid search latency
(dense + BM25 fused) over 10k generated policy chunks (p95 ≤ 50 ms).

Recall: the shipped manuals in a fresh store, the questions of `knowledge/evaluation.py` (dev and
held-out, English and Chinese); target held-out recall@1 ≥ 0.8 in both languages.
Latency: chunks come from generated policy documents (one section per chunk, built from a credit-policy
vocabulary) ingested into the container's PolicyStore with its configured embedding; the timed
searches are warm (the first search loads the indexes).
"""

from __future__ import annotations

import hashlib
import random
import time
from tempfile import TemporaryDirectory

from bench.books import container
from bench.harness import BenchResult, summarise_ms
from knowledge.evaluation import SETS, recall_at
from knowledge.ingest import ensure_default_policies
from knowledge.models import Block, LoadedDocument

WORDS = [
    "limit",
    "exposure",
    "collateral",
    "covenant",
    "utilisation",
    "drawdown",
    "repayment",
    "arrears",
    "default",
    "grade",
    "rating",
    "review",
    "insurance",
    "cover",
    "insurer",
    "concentration",
    "sector",
    "region",
    "group",
    "facility",
    "overdraft",
    "revolving",
    "term",
    "guarantee",
    "approval",
    "authority",
    "committee",
    "exception",
    "waiver",
    "breach",
    "cure",
    "monitoring",
    "warning",
    "watchlist",
    "provisioning",
    "impairment",
    "ebitda",
    "leverage",
    "liquidity",
    "cash",
    "flow",
    "dscr",
    "interest",
    "coverage",
    "equity",
    "audit",
    "statements",
    "annual",
]
QUERIES = (
    "who can approve a limit increase above the delegated authority",
    "how often must a grade 7 client be reviewed",
    "what cover ratio is required for trade credit insurance",
    "single name concentration limit as a share of capital",
    "covenant breach waiver process",
    "early warning when utilisation is above ninety percent",
    "minimum debt service coverage for a term loan",
    "statements older than fifteen months",
)


def _documents(n_chunks: int, per_doc: int = 50) -> list[LoadedDocument]:
    rng = random.Random(7)
    docs = []
    for d in range(n_chunks // per_doc):
        blocks = []
        for s in range(per_doc):
            blocks.append(Block(kind="heading", text=f"{d}.{s} {' '.join(rng.sample(WORDS, 3))}", level=1))
            blocks.append(Block(kind="text", text=" ".join(rng.choices(WORDS, k=70)) + "."))
        body = "".join(b.text for b in blocks)
        docs.append(LoadedDocument(document_id=f"bench-{d:04d}", title=f"Credit policy annex {d}",
                                   source=f"annex-{d}.md", content_hash=hashlib.sha256(body.encode()).hexdigest(),
                                   blocks=blocks))  # fmt: skip
    return docs


def _recall(result: BenchResult) -> None:
    with TemporaryDirectory(prefix="cd-bench-kb-recall-") as home:
        store = container(home).policy_store
        ensure_default_policies(store)
        for name, (cases, document_id) in SETS.items():
            r1, r5, _ = recall_at(store, cases, document_id)
            held_out = "held-out" in name
            result.add(f"policy recall@1 {name} ({len(cases)} q)", r1, "ratio",
                       target="≥ 0.8" if held_out else "", met=r1 >= 0.8 if held_out else None)  # fmt: skip
            result.add(f"policy recall@5 {name}", r5, "ratio")


def run(*, quick: bool) -> BenchResult:
    n_chunks, n_searches = (1_000, 40) if quick else (10_000, 200)
    with TemporaryDirectory(prefix="cd-bench-kb-") as home:
        store = container(home).policy_store
        t0 = time.perf_counter()
        with store.bulk():
            for doc in _documents(n_chunks):
                store.ingest(doc)
        ingest_s = time.perf_counter() - t0
        chunks = store.count()
        store.search(QUERIES[0])
        samples = []
        for i in range(n_searches):
            t0 = time.perf_counter()
            store.search(QUERIES[i % len(QUERIES)], k=5)
            samples.append((time.perf_counter() - t0) * 1000)
    s = summarise_ms(samples)
    result = BenchResult("knowledge", params={"chunks": chunks, "searches": n_searches, "mode": "hybrid"})
    result.add("search p50", s["p50"], "ms")
    result.add("search p95", s["p95"], "ms", target="≤ 50 ms", met=s["p95"] <= 50)
    result.add("chunks indexed", chunks, "chunks")
    result.add("ingest time", ingest_s, "s")
    _recall(result)
    return result
