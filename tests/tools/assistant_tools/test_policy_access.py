"""Restricted policy documents are filtered by the actor's role inside the search (assistant and API alike)."""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest import ingest_paths
from tests.conftest import actor_of

SECRET = """# Watch-list playbook

## 1 Quiet exits

Risk may quietly reduce exposure to a client on the red watch-list before the review date, coordinating
with treasury on the hedge unwind. This playbook is restricted to the risk function.
"""


def test_restricted_document_is_seen_only_by_its_role(demo_container, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "watch-list-playbook.md"
    doc.write_text(SECRET)
    report = ingest_paths(demo_container.policy_store, [doc], access="risk")
    assert not report.failed
    tools = demo_container.assistant_tools
    question = "quietly reduce exposure before the review date hedge unwind"
    rm_hits = tools.search_policy(actor_of(demo_container, "rm.anna"), question, k=10).passages
    risk_hits = tools.search_policy(actor_of(demo_container, "risk.lee"), question, k=10).passages
    assert all("playbook" not in p.document.lower() for p in rm_hits)
    assert any("playbook" in p.document.lower() for p in risk_hits)
