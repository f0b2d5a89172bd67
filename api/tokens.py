"""Per-officer API tokens: table `api_tokens` (only the sha256 of a token is stored) and its service.

A token is shown once, at creation (`creditdesk token create --officer ID`); it is sent as
`Authorization: Bearer cd_…`, resolves to the officer's `Actor`, and can be revoked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from crm_adapter.sql.changes import ChangeCounter, bump_in
from kernel.errors import InvalidInput, NotFound, Unauthenticated

TOKEN_PREFIX = "cd_"
LAST_USED_EVERY_S = 60  # a token's last use is written at most this often
KNOWN_TOKENS = 10_000  # checked tokens remembered in memory
DEFAULT_LIFETIME = dt.timedelta(days=90)  # rotate integrations' tokens at least this often


class ApiTokenRow(SQLModel, table=True):
    __tablename__ = "api_tokens"

    token_id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(max_length=64, unique=True, index=True)
    officer_id: str = Field(max_length=64, index=True)
    label: str = Field(default="", max_length=200)
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None  # None: never (tokens issued before expiry existed)


class ApiTokenInfo(BaseModel):
    """A token as listed: never the secret itself."""

    token_id: int
    officer_id: str
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None = None


class IssuedToken(BaseModel):
    info: ApiTokenInfo
    token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class TokenService:
    """Issues, lists, revokes and checks tokens. A checked token is remembered (by digest) until the data
    version moves (a revocation in any process bumps it) or a minute passes (its last use is recorded)."""

    def __init__(self, engine: Engine, *, changes: ChangeCounter | None = None) -> None:
        self.engine = engine
        self.changes = changes or ChangeCounter(engine)
        # digest → (data version, officer, checked at, expires at)
        self._known: dict[str, tuple[int, str, float, dt.datetime | None]] = {}

    def create(
        self, officer_id: str, *, label: str = "", lifetime: dt.timedelta | None = DEFAULT_LIFETIME
    ) -> IssuedToken:
        """Issue a token for an officer (the caller checks the officer exists); `lifetime=None`: no expiry."""
        if lifetime is not None and lifetime <= dt.timedelta(0):
            raise InvalidInput("a token's lifetime must be positive", field="expires_days")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = _now()
        row = ApiTokenRow(token_sha256=_digest(token), officer_id=officer_id, label=label, created_at=now,
                          expires_at=None if lifetime is None else now + lifetime)  # fmt: skip
        with Session(self.engine) as s:
            s.add(row)
            s.commit()
            s.refresh(row)
            return IssuedToken(info=ApiTokenInfo.model_validate(row, from_attributes=True), token=token)

    def list(self, *, officer_id: str | None = None) -> list[ApiTokenInfo]:
        stmt = select(ApiTokenRow).order_by(col(ApiTokenRow.token_id))
        if officer_id is not None:
            stmt = stmt.where(ApiTokenRow.officer_id == officer_id)
        with Session(self.engine) as s:
            return [ApiTokenInfo.model_validate(r, from_attributes=True) for r in s.exec(stmt)]

    def revoke(self, token_id: int) -> ApiTokenInfo:
        with Session(self.engine) as s:
            row = s.get(ApiTokenRow, token_id)
            if row is None:
                raise NotFound(f"no API token {token_id}")
            if row.revoked_at is None:
                row.revoked_at = _now()
                s.add(row)
                bump_in(s.connection(), clients=())  # every process forgets the token (no client changed)
                s.commit()
                s.refresh(row)
                self._known.clear()
                self.changes.touch()
            return ApiTokenInfo.model_validate(row, from_attributes=True)

    def officer_for(self, token: str) -> str:
        """The officer id a live token belongs to, or Unauthenticated. Marks the token used."""
        digest, version = _digest(token), self.changes.current()
        known = self._known.get(digest)
        fresh = known is not None and known[0] == version and time.monotonic() - known[2] < LAST_USED_EVERY_S
        if known is not None and fresh and (known[3] is None or _now() < known[3]):
            return known[1]
        with Session(self.engine) as s:
            row = s.exec(select(ApiTokenRow).where(ApiTokenRow.token_sha256 == digest)).first()
            if row is None or row.revoked_at is not None:
                self._known.pop(digest, None)
                raise Unauthenticated("invalid or revoked API token")
            now = _now()
            expires = row.expires_at  # UTCDateTime: timezone-aware on every backend
            if expires is not None and now >= expires:
                self._known.pop(digest, None)
                raise Unauthenticated(f"API token expired on {expires:%Y-%m-%d}; create a new one")
            if row.last_used_at is None or now - row.last_used_at > dt.timedelta(seconds=LAST_USED_EVERY_S):
                row.last_used_at = now  # throttled so reads do not write on every request
                s.add(row)
                s.commit()
            if len(self._known) >= KNOWN_TOKENS:
                self._known.clear()
            self._known[digest] = (version, row.officer_id, time.monotonic(), expires)
            return row.officer_id
