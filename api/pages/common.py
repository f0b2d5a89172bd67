"""What both pages share: templates and filters, the launch-token login and the session cookie."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import Response
from fastapi.templating import Jinja2Templates

from api.deps import secret_of
from api.launch import SESSION_COOKIE, SESSION_SECONDS, BrowserSession, open_session, verify_launch
from api.launch_replay import consume
from kernel.errors import Unauthenticated
from tools.actor import Actor

if TYPE_CHECKING:
    from creditdesk.wiring import Container

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def money(value: Decimal | float | None, currency: str = "") -> str:
    if value is None:
        return "n/a"
    amount = float(value)
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(amount) >= size:
            return f"{currency} {amount / size:,.2f}{suffix}".strip()
    return f"{currency} {amount:,.0f}".strip()


def pct(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:.{digits}%}"


def sparkline(values: list[float], *, width: int = 120, height: int = 28, pad: int = 3) -> str:
    """SVG polyline points for a small trend chart (0 % … max(100 %, peak) on the y axis)."""
    if not values:
        return ""
    top = max(1.0, *values)
    step = (width - 2 * pad) / max(1, len(values) - 1)
    return " ".join(
        f"{pad + i * step:.1f},{height - pad - (v / top) * (height - 2 * pad):.1f}"
        for i, v in enumerate(values)
    )


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.filters.update(money=money, pct=pct)
    templates.env.globals["sparkline"] = sparkline
    return templates


def login(
    container: Container, token: str, *, client_ref: str | None = None, current: BrowserSession | None = None
) -> tuple[Actor, BrowserSession, str | None]:
    """Check a launch token (and that it was issued for this client) → (actor, session, new cookie or None).

    A token opens one session only (single use). A browser that already holds a session for the token's
    officer keeps it (an iframe reload presents the same URL again); the token is then not needed."""
    secret = secret_of(container)
    now = time.time()
    launch = verify_launch(secret, token, now=now)
    if client_ref is not None and launch.client_ref != client_ref:
        raise Unauthenticated("this launch token was issued for another client")
    actor = container.actor(launch.officer_id, channel="web")  # unknown or inactive officers stop here
    try:
        consume(container.engine, launch, now=now)  # every token is used up, session or not
    except Unauthenticated:
        if current is not None and current.officer_id == launch.officer_id:
            return actor, current, None  # this officer's browser reloading the page it opened
        raise
    session, cookie = open_session(secret, launch.officer_id)
    return actor, session, cookie


def set_session_cookie(response: Response, container: Container, cookie: str) -> None:
    """HttpOnly; over HTTPS SameSite=None+Secure+Partitioned so it also works inside the CRM's iframe
    (writes are protected by the CSRF header, not by SameSite); over plain HTTP (local) SameSite=Lax."""
    https = container.settings.public_url.startswith("https://")
    response.set_cookie(SESSION_COOKIE, cookie, max_age=SESSION_SECONDS, path="/", httponly=True,
                        secure=https, samesite="none" if https else "lax", partitioned=https)  # fmt: skip
