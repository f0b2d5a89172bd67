"""The audit trail's anchor outside the database: a keyed MAC on every event, and signed checkpoints.

- Every event carries `mac = HMAC-SHA256(key, hash)`. The key is kept outside the database (a file in the
  data folder, mode 0600, made by the shell), so someone who can rewrite the database, drop its
  append-only triggers and recompute every plain SHA-256 still cannot produce the MACs.
- `AnchorLog` appends signed checkpoints (`seq`, `hash` of that event, the first signed seq) to a
  JSON-lines file opened with O_APPEND. Ship that file to write-once storage (or another host) to also
  survive a thief of the key: a checkpoint pins the chain up to its event, and the first signed seq
  stops an attacker from passing rewritten events off as legacy (unsigned) ones.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kernel import clock
from tools.audit.canonical import canonical_json


def event_mac(key: bytes, event_hash: str) -> str:
    return hmac.new(key, event_hash.encode("ascii"), hashlib.sha256).hexdigest()


def mac_ok(key: bytes, event_hash: str, mac: str | None) -> bool:
    return mac is not None and hmac.compare_digest(event_mac(key, event_hash), mac)


class Checkpoint(BaseModel):
    """One signed line of the anchor file."""

    model_config = ConfigDict(frozen=True)

    seq: int
    hash: str
    signed_from: int | None
    at: str
    mac: str

    def payload(self) -> str:
        return canonical_json(
            {"seq": self.seq, "hash": self.hash, "signed_from": self.signed_from, "at": self.at}
        )


class AnchorLog:
    """An append-only JSON-lines file of checkpoints signed with the audit key."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = Path(path)
        self.key = key

    def _sign(self, payload: str) -> str:
        return hmac.new(self.key, payload.encode("utf-8"), hashlib.sha256).hexdigest()

    def append(self, seq: int, event_hash: str, signed_from: int | None) -> Checkpoint:
        at = clock.now().isoformat()
        draft = Checkpoint(seq=seq, hash=event_hash, signed_from=signed_from, at=at, mac="")
        point = draft.model_copy(update={"mac": self._sign(draft.payload())})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(point.model_dump_json() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return point

    def read(self) -> tuple[list[Checkpoint], list[str]]:
        """The checkpoints whose signature holds, and a message for every line that does not."""
        if not self.path.exists():
            return [], []
        good: list[Checkpoint] = []
        bad: list[str] = []
        for n, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                point = Checkpoint.model_validate(json.loads(line))
            except (ValueError, TypeError):
                bad.append(f"anchor line {n} is not a checkpoint")
                continue
            if not hmac.compare_digest(self._sign(point.payload()), point.mac):
                bad.append(f"anchor line {n} has a bad signature (forged or edited)")
                continue
            good.append(point)
        return good, bad
