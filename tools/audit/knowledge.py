"""Knowledge-base changes on the record: every document added, replaced, refused or removed is an audit
event with the document's id, source file, content hash and who did it (`kb.document_*`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from kernel.errors import NotFound
from knowledge.ingest import ingest_paths
from knowledge.models import IngestOutcome, IngestReport
from knowledge.store import PolicyStore
from tools.actor import Actor
from tools.audit.trail import AuditTrail

ACTIONS = {"added": "kb.document_added", "replaced": "kb.document_replaced", "failed": "kb.document_refused"}


def audited_ingest(store: PolicyStore, audit: AuditTrail, paths: Iterable[Path], *, actor: Actor | None,
                   os_user: str, access: str | None = None, replace: bool = False,
                   on_file: Callable[[IngestOutcome], None] | None = None) -> IngestReport:  # fmt: skip
    """`ingest_paths`, with one audit event per added, replaced or refused file (unchanged ones change nothing)."""
    before = {d.document_id: d for d in store.documents()}

    def record(outcome: IngestOutcome) -> None:
        action = ACTIONS.get(outcome.status)
        if action is not None:
            old = before.get(outcome.document_id or "")
            audit.record(actor=actor, channel="cli", action=action, object_type="kb_document",
                         object_id=outcome.document_id or outcome.source or outcome.path,
                         before={"content_hash": old.content_hash, "source": old.source} if old else None,
                         after={"path": outcome.path, "source": outcome.source, "content_hash": outcome.content_hash,
                                "chunks": outcome.chunks, "sanitised": outcome.sanitised, "replace": replace,
                                "access": access, "reason": outcome.reason, "os_user": os_user})  # fmt: skip
        if on_file is not None:
            on_file(outcome)

    return ingest_paths(store, paths, access=access, replace=replace, on_file=record)


def audited_remove(store: PolicyStore, audit: AuditTrail, document_id: str, *, actor: Actor | None,
                   os_user: str) -> int:  # fmt: skip
    held = next((d for d in store.documents() if d.document_id == document_id), None)
    if held is None:
        store.remove(document_id)  # raises the store's NotFound with the ids it holds
        raise NotFound(f"no document '{document_id}' in the knowledge base")
    removed = store.remove(document_id)
    audit.record(actor=actor, channel="cli", action="kb.document_removed", object_type="kb_document",
                 object_id=document_id, before={"content_hash": held.content_hash, "source": held.source,
                                                "chunks": held.chunks}, after={"os_user": os_user})  # fmt: skip
    return removed
