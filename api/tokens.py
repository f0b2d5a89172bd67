"""Per-officer API tokens: table `api_tokens` (only the sha256 of a token is stored) and its service.

A token is shown once, at creation (`creditdesk token create --officer ID`); it is sent as
`Authorization: Bearer cd_…`, resolves to the officer's `Actor`, and can be revoked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from creditdesk.errors import NotFound, Unauthenticated

TOKEN_PREFIX = "cd_"


class ApiTokenRow(SQLModel, table=True):
    __tablename__ = "api_tokens"

    token_id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(max_length=64, unique=True, index=True)
    officer_id: str = Field(max_length=64, index=True)
    label: str = Field(default="", max_length=200)
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None


class ApiTokenInfo(BaseModel):
    """A token as listed: never the secret itself."""

    token_id: int
    officer_id: str
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class IssuedToken(BaseModel):
    info: ApiTokenInfo
    token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class TokenService:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, officer_id: str, *, label: str = "") -> IssuedToken:
        """Issue a token for an officer (the caller checks the officer exists)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = ApiTokenRow(token_sha256=_digest(token), officer_id=officer_id, label=label, created_at=_now())
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
                s.commit()
                s.refresh(row)
            return ApiTokenInfo.model_validate(row, from_attributes=True)

    def officer_for(self, token: str) -> str:
        """The officer id a live token belongs to, or Unauthenticated. Marks the token used."""
        with Session(self.engine) as s:
            row = s.exec(select(ApiTokenRow).where(ApiTokenRow.token_sha256 == _digest(token))).first()
            if row is None or row.revoked_at is not None:
                raise Unauthenticated("invalid or revoked API token")
            now = _now()
            if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
                row.last_used_at = now  # throttled so reads do not write on every request
                s.add(row)
                s.commit()
            return row.officer_id
