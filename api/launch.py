"""Signed, expiring launch tokens for the CRM sidebar and the dashboard, and the browser session.

Launch token (built by the CRM with the shared secret, see docs/crm-integration.md):

    payload = f"{officer_id}|{client_ref}|{expires_unix}"
    token   = b64url(payload) + "." + b64url(HMAC_SHA256(secret, payload))      (b64url without padding)

`client_ref` is our client id or the CRM's external id ("" for a dashboard-only token). A valid launch
token opens a short-lived browser session: an HttpOnly cookie holding `officer|expires|nonce|mac`, and a
CSRF token derived from the nonce that pages send back in the `X-CSRF-Token` header on every write.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from kernel.errors import Unauthenticated

SESSION_COOKIE = "cd_session"
SESSION_SECONDS = 30 * 60
LAUNCH_MAX_SECONDS = 24 * 3600
CLOCK_SKEW_SECONDS = 60  # the CRM's clock may be this far ahead of ours


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, message: str) -> bytes:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class Launch:
    officer_id: str
    client_ref: str
    expires: int
    mac: bytes = b""  # identifies the token (for the single-use check)


def sign_launch(secret: str, officer_id: str, client_ref: str = "", *, ttl_s: int = 300,
                now: float | None = None) -> str:  # fmt: skip
    """A launch token (what the CRM computes; used here for the demo link and tests)."""
    if "|" in officer_id or "|" in client_ref:
        raise ValueError("officer id and client ref must not contain '|'")
    expires = int((now if now is not None else time.time()) + ttl_s)
    payload = f"{officer_id}|{client_ref}|{expires}"
    return f"{_b64(payload.encode())}.{_b64(_mac(secret, payload))}"


def verify_launch(secret: str, token: str, *, now: float | None = None) -> Launch:
    """The launch token's claims, or Unauthenticated (forged, malformed, expired, or too long-lived)."""
    try:
        head, sig = token.split(".", 1)
        payload = _unb64(head).decode()
        given = _unb64(sig)
        officer_id, client_ref, expires_s = payload.split("|")
        expires = int(expires_s)
    except ValueError as exc:
        raise Unauthenticated("malformed launch token") from exc
    if not hmac.compare_digest(given, _mac(secret, payload)):
        raise Unauthenticated("launch token signature does not match")
    current = time.time() if now is None else now
    if expires + CLOCK_SKEW_SECONDS < current:
        raise Unauthenticated("launch token expired; reopen the page from the CRM")
    if expires > current + LAUNCH_MAX_SECONDS + CLOCK_SKEW_SECONDS:
        raise Unauthenticated("launch token lives too long (at most 24 h)")
    return Launch(officer_id=officer_id, client_ref=client_ref, expires=expires, mac=given)


@dataclass(frozen=True)
class BrowserSession:
    officer_id: str
    expires: int
    nonce: str

    def csrf_token(self, secret: str) -> str:
        return _b64(_mac(secret, f"csrf|{self.nonce}"))

    def check_csrf(self, secret: str, header: str | None) -> bool:
        return header is not None and hmac.compare_digest(header.encode(), self.csrf_token(secret).encode())


def open_session(secret: str, officer_id: str, *, now: float | None = None) -> tuple[BrowserSession, str]:
    """A new session and its cookie value."""
    session = BrowserSession(
        officer_id=officer_id,
        expires=int((now if now is not None else time.time()) + SESSION_SECONDS),
        nonce=secrets.token_urlsafe(16),
    )
    body = f"{session.officer_id}|{session.expires}|{session.nonce}"
    return session, f"{_b64(body.encode())}.{_b64(_mac(secret, 'session|' + body))}"


def read_session(secret: str, cookie: str, *, now: float | None = None) -> BrowserSession | None:
    """The session a cookie carries, or None when it is forged, malformed or expired."""
    try:
        head, sig = cookie.split(".", 1)
        body = _unb64(head).decode()
        officer_id, expires_s, nonce = body.split("|")
        expires = int(expires_s)
        given = _unb64(sig)
    except ValueError:
        return None
    if not hmac.compare_digest(given, _mac(secret, "session|" + body)):
        return None
    if expires < (time.time() if now is None else now):
        return None
    return BrowserSession(officer_id=officer_id, expires=expires, nonce=nonce)
