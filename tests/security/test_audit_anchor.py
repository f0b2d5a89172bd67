"""An attacker who can rewrite the database (drops the SQLite append-only triggers, rewrites an event and
recomputes every plain SHA-256 and the head) no longer passes `audit verify`: the MAC key and the anchor
checkpoints live outside the database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat

import pytest
from sqlalchemy import text

from tools.audit.trail import AuditTrail

HASHED = ("seq", "event_id", "at", "actor_id", "actor_role", "channel", "action", "object_type", "object_id",
          "before_json", "after_json", "data_hash", "policy_version")  # fmt: skip


def _fill(trail: AuditTrail, n: int = 5) -> None:
    for i in range(n):
        trail.record(actor=None, action="client.read", object_type="client", object_id=str(1000 + i),
                     channel="cli", after={"i": i})  # fmt: skip


def _plain_hash(prev: str, row: dict) -> str:
    """The chain's plain hash, written out from its documented definition (sha256(prev + canonical JSON))."""
    payload = {k: row[k] for k in HASHED}
    at = row["at"]
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    payload["at"] = at.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev + body).encode()).hexdigest()


def _rewrite_history(container, *, null_macs: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Drop the triggers, edit event 2, recompute every plain hash and the head (the attack of issue 17)."""
    with container.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_events_no_update"))
        conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        conn.execute(text("UPDATE audit_events SET after_json = :j WHERE seq = 2"), {"j": '{"i":99}'})
        rows = [dict(r) for r in conn.execute(text("SELECT * FROM audit_events ORDER BY seq")).mappings()]
        prev = "0" * 64
        for row in rows:
            new = _plain_hash(prev, row)
            conn.execute(text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE seq = :s"),
                         {"p": prev, "h": new, "s": row["seq"]})  # fmt: skip
            if null_macs:
                conn.execute(text("UPDATE audit_events SET mac = NULL WHERE seq = :s"), {"s": row["seq"]})
            prev = new
        conn.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": prev})


def test_the_attack_fools_a_plain_chain(container) -> None:  # type: ignore[no-untyped-def]
    """Sanity check of the attack itself: without the key the plain chain verifies after the rewrite."""
    _fill(container.audit)
    _rewrite_history(container)
    assert AuditTrail(container.engine).verify().ok


def test_rewritten_history_fails_verify(container) -> None:  # type: ignore[no-untyped-def]
    _fill(container.audit)
    assert container.audit.verify().ok
    _rewrite_history(container)
    result = container.audit.verify()
    assert not result.ok
    assert {p.seq for p in result.problems if p.kind == "forged"} == {2, 3, 4, 5}


def test_stripping_every_mac_is_caught_by_the_anchor(container) -> None:  # type: ignore[no-untyped-def]
    _fill(container.audit, 3)
    container.audit.anchor()
    _fill(container.audit, 2)
    _rewrite_history(container, null_macs=True)
    kinds = {(p.seq, p.kind) for p in container.audit.verify().problems}
    assert (3, "anchor") in kinds
    assert (1, "unsigned") in kinds


def test_unsigned_events_after_signed_ones_are_flagged(container) -> None:  # type: ignore[no-untyped-def]
    _fill(container.audit, 3)
    _rewrite_history(container)
    with container.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET mac = NULL WHERE seq = 3"))
    kinds = {(p.seq, p.kind) for p in container.audit.verify().problems}
    assert (3, "unsigned") in kinds


def test_a_forged_or_missing_checkpoint_is_reported(container) -> None:  # type: ignore[no-untyped-def]
    _fill(container.audit, 2)
    point = container.audit.anchor()
    path = container.settings.home_dir / "audit-anchors.jsonl"
    line = json.loads(path.read_text().splitlines()[0])
    line["seq"] = 1
    with path.open("a") as fh:
        fh.write(json.dumps(line) + "\n")
    problems = container.audit.verify().problems
    assert [p.kind for p in problems] == ["anchor"] and "signature" in problems[0].message
    assert point.seq == 2


def test_truncation_below_an_anchor_is_reported(container) -> None:  # type: ignore[no-untyped-def]
    _fill(container.audit, 3)
    container.audit.anchor()
    with container.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        conn.execute(text("DELETE FROM audit_events WHERE seq = 3"))
        conn.execute(
            text("UPDATE audit_head SET seq = 2, last_hash = (SELECT hash FROM audit_events WHERE seq = 2)")
        )
    kinds = {(p.seq, p.kind) for p in container.audit.verify().problems}
    assert kinds == {(3, "anchor")}


def test_key_and_anchor_files_are_private(container) -> None:  # type: ignore[no-untyped-def]
    _fill(container.audit, 1)
    container.audit.anchor()
    home = container.settings.home_dir
    for name in ("audit-key", "audit-anchors.jsonl"):
        assert stat.S_IMODE(os.stat(home / name).st_mode) == 0o600
    assert container.audit.key is not None and len(container.audit.key) >= 32
    events = container.audit.events_for("client", "1000")
    assert events[0].mac is not None


def test_anchor_refuses_a_broken_chain(container) -> None:  # type: ignore[no-untyped-def]
    from kernel.errors import Conflict

    _fill(container.audit, 2)
    _rewrite_history(container)
    with pytest.raises(Conflict):
        container.audit.anchor()


def test_cli_anchor_then_verify(cli) -> None:  # type: ignore[no-untyped-def]
    _fill(cli.container.audit, 2)
    out = cli("audit", "anchor")
    assert out.exit_code == 0, out.output
    assert "anchored event 2" in out.output
    assert cli("audit", "verify").exit_code == 0
    _rewrite_history(cli.container)
    out = cli("audit", "verify")
    assert out.exit_code == 1 and "forged" in out.output
