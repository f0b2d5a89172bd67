"""AuditTrail: append hash-chained events (standalone or inside the caller's transaction), read, verify, export.

trail = AuditTrail(engine)
trail.record(actor=actor, action="client.read", object_type="client", object_id="1001", data=assessment)
trail.record_in(conn, ...)          # the same, inside a state change's own transaction
trail.verify()                      -> VerifyResult (MACs and anchor checkpoints too, when keyed)
trail.anchor()                      -> Checkpoint appended to the anchor file
trail.export_csv(path, start, end)  -> number of events written
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select, update

from kernel import clock
from kernel.errors import Conflict, InvalidInput
from tools.actor import Actor
from tools.audit.canonical import canonical_json, digest
from tools.audit.chain import event_hash
from tools.audit.export import export_csv
from tools.audit.models import GENESIS_HASH, MAIN_CHAIN, AuditEvent, AuditEventRow, AuditHeadRow, VerifyResult
from tools.audit.seal import AnchorLog, Checkpoint, event_mac
from tools.audit.verify import verify_chain

EVENTS = AuditEventRow.__table__  # type: ignore[attr-defined]
HEAD = AuditHeadRow.__table__  # type: ignore[attr-defined]


class AuditTrail:
    def __init__(self, engine: Engine, *, key: bytes | None = None, anchor_path: Path | None = None) -> None:
        """`key`: the MAC key kept outside the database (None: plain hash chain only, e.g. unit tests);
        `anchor_path`: the append-only checkpoint file (needs the key)."""
        self.engine = engine
        self.key = key
        self.anchors = AnchorLog(anchor_path, key) if key is not None and anchor_path is not None else None

    def record(
        self,
        *,
        actor: Actor | None,
        action: str,
        object_type: str,
        object_id: str,
        channel: str | None = None,
        before: dict | None = None,
        after: dict | None = None,
        data: object = None,
        policy_version: str | None = None,
    ) -> AuditEvent:
        """Append one event in its own transaction."""
        with self.engine.begin() as conn:
            return self.record_in(conn, actor=actor, action=action, object_type=object_type, object_id=object_id,
                                  channel=channel, before=before, after=after, data=data,
                                  policy_version=policy_version)  # fmt: skip

    def record_in(
        self,
        conn: Connection,
        *,
        actor: Actor | None,
        action: str,
        object_type: str,
        object_id: str,
        channel: str | None = None,
        before: dict | None = None,
        after: dict | None = None,
        data: object = None,
        policy_version: str | None = None,
    ) -> AuditEvent:
        """Append one event inside the caller's transaction (it commits or rolls back with the change).

        Locking the head row first serialises appenders on every backend, so the chain never forks.
        """
        seq, prev_hash = self._advance_head(conn)
        row = {
            "seq": seq,
            "event_id": uuid.uuid4().hex,
            "at": clock.now(),
            "actor_id": actor.officer_id if actor else None,
            "actor_role": actor.role.value if actor else None,
            "channel": channel if channel is not None else (actor.channel if actor else None),
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "before_json": canonical_json(before) if before is not None else None,
            "after_json": canonical_json(after) if after is not None else None,
            "data_hash": digest(data) if data is not None else None,
            "policy_version": policy_version,
            "prev_hash": prev_hash,
        }
        row["hash"] = event_hash(prev_hash, row)
        row["mac"] = event_mac(self.key, row["hash"]) if self.key is not None else None
        conn.execute(insert(EVENTS).values(**row))
        conn.execute(update(HEAD).where(HEAD.c.chain == MAIN_CHAIN).values(last_hash=row["hash"]))
        return AuditEvent.from_row(row)

    @staticmethod
    def _advance_head(conn: Connection) -> tuple[int, str]:
        stmt = (
            update(HEAD)
            .where(HEAD.c.chain == MAIN_CHAIN)
            .values(seq=HEAD.c.seq + 1)
            .returning(HEAD.c.seq, HEAD.c.last_hash)
        )
        head = conn.execute(stmt).first()
        if head is None:  # a store created without the migration's seed row
            conn.execute(insert(HEAD).values(chain=MAIN_CHAIN, seq=1, last_hash=GENESIS_HASH))
            return 1, GENESIS_HASH
        return int(head.seq), str(head.last_hash)

    # --- reading ----------------------------------------------------------------------------
    def events_for(self, object_type: str, object_id: str) -> list[AuditEvent]:
        stmt = (
            select(EVENTS)
            .where(EVENTS.c.object_type == object_type, EVENTS.c.object_id == str(object_id))
            .order_by(EVENTS.c.seq)
        )
        with self.engine.connect() as conn:
            return [AuditEvent.from_row(r) for r in conn.execute(stmt)]

    def verify(self) -> VerifyResult:
        return verify_chain(self.engine, key=self.key, anchors=self.anchors)

    def anchor(self) -> Checkpoint:
        """Append a signed checkpoint of the current head (after checking the chain is intact)."""
        if self.anchors is None:
            raise InvalidInput("the audit trail has no key: anchoring needs one")
        result = self.verify()
        if not result.ok:
            raise Conflict(
                f"the audit trail fails verification ({len(result.problems)} problem(s)); not anchored"
            )
        with self.engine.connect() as conn:
            first = conn.execute(
                select(EVENTS.c.seq).where(EVENTS.c.mac.is_not(None)).order_by(EVENTS.c.seq)
            ).first()
        return self.anchors.append(result.head_seq, result.head_hash, int(first.seq) if first else None)

    def export_csv(self, path: Path, start: dt.date, end: dt.date) -> int:
        return export_csv(self.engine, Path(path), start, end)
