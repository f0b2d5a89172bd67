"""Walk the whole chain and report every edited, deleted, re-linked, forged or unsigned event (and a
truncated tail); with a key, check every event's MAC and every checkpoint of the anchor file."""

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
from tools.audit.seal import AnchorLog, Checkpoint, mac_ok

EVENTS = AuditEventRow.__table__  # type: ignore[attr-defined]
HEAD = AuditHeadRow.__table__  # type: ignore[attr-defined]


def verify_chain(
    engine: Engine, *, key: bytes | None = None, anchors: AnchorLog | None = None, batch: int = 5000
) -> VerifyResult:
    problems: list[VerifyProblem] = []
    points: list[Checkpoint] = []
    if anchors is not None:
        points, bad_lines = anchors.read()
        problems += [VerifyProblem(seq=0, kind="anchor", message=m) for m in bad_lines]
    pinned = {p.seq: p for p in points}
    starts = [p.signed_from for p in points if p.signed_from is not None]
    must_sign_from = min(starts) if starts else None
    expected_seq, last_hash, count, signed, legacy = 1, GENESIS_HASH, 0, 0, 0
    seen_signed = False
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
            if key is not None:
                mac = row["mac"]
                if mac is None:
                    if seen_signed or (must_sign_from is not None and seq >= must_sign_from):
                        problems.append(VerifyProblem(seq=seq, kind="unsigned",
                                                      message=f"event {seq} has no MAC but events before it "
                                                              "are signed (rewritten?)"))  # fmt: skip
                    else:
                        legacy += 1
                elif mac_ok(key, row["hash"], mac):
                    seen_signed = True
                    signed += 1
                else:
                    seen_signed = True
                    problems.append(VerifyProblem(seq=seq, kind="forged",
                                                  message=f"event {seq}'s MAC does not match: rewritten by "
                                                          "someone without the audit key"))  # fmt: skip
            point = pinned.pop(seq, None)
            if point is not None and point.hash != row["hash"]:
                problems.append(VerifyProblem(seq=seq, kind="anchor",
                                              message=f"event {seq} differs from the anchored checkpoint of "
                                                      f"{point.at}"))  # fmt: skip
            expected_seq, last_hash = seq + 1, row["hash"]
    for seq in sorted(pinned):
        problems.append(VerifyProblem(seq=seq, kind="anchor",
                                      message=f"anchored event {seq} is no longer in the trail (deleted?)"))  # fmt: skip
    head_seq = int(head["seq"]) if head else 0
    head_hash = str(head["last_hash"]) if head else GENESIS_HASH
    if head_seq != expected_seq - 1 or head_hash != last_hash:
        problems.append(VerifyProblem(seq=head_seq, kind="head",
                                      message=f"the chain head is at event {head_seq} but the table ends at "
                                              f"{expected_seq - 1} (events deleted from the end?)"))  # fmt: skip
    return VerifyResult(
        ok=not problems, events=count, head_seq=head_seq, head_hash=head_hash, problems=problems,
        signed=signed, legacy_unsigned=legacy, anchors=len(points), keyed=key is not None,
    )  # fmt: skip
