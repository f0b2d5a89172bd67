"""Walk the whole chain and report every edited, deleted or re-linked event (and a truncated tail)."""

from __future__ import annotations

from sqlalchemy import Engine, select

from tools.audit.chain import event_hash
from tools.audit.models import (
    GENESIS_HASH,
    MAIN_CHAIN,
    AuditEventRow,
    AuditHeadRow,
    VerifyProblem,
    VerifyResult,
)

EVENTS = AuditEventRow.__table__  # type: ignore[attr-defined]
HEAD = AuditHeadRow.__table__  # type: ignore[attr-defined]


def verify_chain(engine: Engine, *, batch: int = 5000) -> VerifyResult:
    problems: list[VerifyProblem] = []
    expected_seq, last_hash, count = 1, GENESIS_HASH, 0
    with engine.connect() as conn:
        head = conn.execute(select(HEAD).where(HEAD.c.chain == MAIN_CHAIN)).mappings().first()
        rows = (
            conn.execution_options(yield_per=batch).execute(select(EVENTS).order_by(EVENTS.c.seq)).mappings()
        )
        for row in rows:
            count += 1
            seq = int(row["seq"])
            if seq != expected_seq:
                gap = f"{expected_seq}" if seq == expected_seq + 1 else f"{expected_seq}–{seq - 1}"
                problems.append(
                    VerifyProblem(seq=expected_seq, kind="deleted", message=f"event(s) {gap} missing")
                )
            elif row["prev_hash"] != last_hash:
                problems.append(VerifyProblem(seq=seq, kind="relinked",
                                              message=f"event {seq} does not link to event {seq - 1}"))  # fmt: skip
            if event_hash(row["prev_hash"], row) != row["hash"]:
                problems.append(VerifyProblem(seq=seq, kind="edited",
                                              message=f"event {seq} was altered (its hash does not match)"))  # fmt: skip
            expected_seq, last_hash = seq + 1, row["hash"]
    head_seq = int(head["seq"]) if head else 0
    head_hash = str(head["last_hash"]) if head else GENESIS_HASH
    if head_seq != expected_seq - 1 or head_hash != last_hash:
        problems.append(VerifyProblem(seq=head_seq, kind="head",
                                      message=f"the chain head is at event {head_seq} but the table ends at "
                                              f"{expected_seq - 1} (events deleted from the end?)"))  # fmt: skip
    return VerifyResult(
        ok=not problems, events=count, head_seq=head_seq, head_hash=head_hash, problems=problems
    )
