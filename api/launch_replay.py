"""Launch tokens are single-use: the first request that presents one opens a session; a second
presentation (a leaked link, a replayed iframe URL, a browser history entry on another machine) is
refused, unless that browser already holds a session for the same officer (a reload of the iframe).

Table `used_launch_tokens` keeps the sha256 of each used token's MAC until the token expires.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel

from api.launch import CLOCK_SKEW_SECONDS, Launch
from kernel.errors import Unauthenticated


class UsedLaunchTokenRow(SQLModel, table=True):
    __tablename__ = "used_launch_tokens"

    mac_sha256: str = Field(primary_key=True, max_length=64)
    expires_at: int = Field(index=True)  # unix seconds


TABLE = UsedLaunchTokenRow.__table__  # type: ignore[attr-defined]


def consume(engine: Engine, launch: Launch, *, now: float) -> None:
    """Mark the token used, or Unauthenticated if it was used before. Forgets expired tokens."""
    key = hashlib.sha256(launch.mac).hexdigest()
    try:
        with engine.begin() as conn:
            # forget tokens that can no longer verify (a second's margin over verify_launch's own rule)
            conn.execute(delete(TABLE).where(TABLE.c.expires_at < int(now) - CLOCK_SKEW_SECONDS - 1))
            conn.execute(TABLE.insert().values(mac_sha256=key, expires_at=launch.expires))
    except IntegrityError:
        raise Unauthenticated("this launch link was already used; open the page again from the CRM") from None
