"""The API's dependencies as `Annotated` aliases (tests swap them with `dependency_overrides`).

`ActorDep` authenticates every API route: a Bearer API token, or the browser session opened by a
signed launch token (sidebar, dashboard). A session authorises a write only with its CSRF token in
the `X-CSRF-Token` header, so a cross-site form post carrying the cookie is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.launch import SESSION_COOKIE, BrowserSession, read_session
from kernel.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from tools.actor import Actor

if TYPE_CHECKING:  # the shell builds it; the API only receives it (imports point down)
    from creditdesk.wiring import Container

EARLIEST_AS_OF, LATEST_AS_OF = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
bearer = HTTPBearer(auto_error=False, description="A per-officer API token: `creditdesk token create`")


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in the thread pool,
# a hop per dependency per request that cost the profile card a third of its throughput.


async def get_container(request: Request) -> Container:
    return request.app.state.container  # type: ignore[no-any-return]


ContainerDep = Annotated["Container", Depends(get_container)]


def secret_of(container: Container) -> str:
    return container.settings.sidebar_key


def _actor(container: Container, officer_id: str, channel: str) -> Actor:
    try:
        return container.actor(officer_id, channel=channel)
    except NotFound as exc:  # the officer behind a token or session no longer exists
        raise Unauthenticated("the officer behind these credentials is unknown") from exc


async def get_session(request: Request, container: ContainerDep) -> BrowserSession | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    return read_session(secret_of(container), cookie) if cookie else None


SessionDep = Annotated[BrowserSession | None, Depends(get_session)]


def get_actor(
    request: Request,
    container: ContainerDep,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    if credentials is not None:
        actor = _actor(container, container.tokens.officer_for(credentials.credentials), "api")
        request.state.actor = actor  # for the access audit (api/access_audit.py)
        return actor
    if session is None:
        raise Unauthenticated("send an API token as 'Authorization: Bearer …' (creditdesk token create)")
    if request.method not in SAFE_METHODS and not session.check_csrf(
        secret_of(container), request.headers.get("X-CSRF-Token")
    ):
        raise Forbidden("missing or wrong X-CSRF-Token for this session")
    request.state.actor = actor = _actor(container, session.officer_id, "web")
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]


def get_page_actor(container: ContainerDep, session: SessionDep, request: Request = None) -> Actor:  # type: ignore[assignment]
    """The officer of a page request: the browser session (opened by a launch token). Without one, a first
    visit (no session cookie at all) is told how to get in; a session cookie no longer valid has expired."""
    if session is None:
        first_visit = request is not None and SESSION_COOKIE not in request.cookies
        raise Unauthenticated(
            key="security.page_first_visit" if first_visit else "security.page_session_expired"
        )
    actor = _actor(container, session.officer_id, "web")
    if request is not None:
        request.state.actor = actor  # for the access audit (api/access_audit.py)
    return actor


PageActorDep = Annotated[Actor, Depends(get_page_actor)]


async def get_as_of(
    container: ContainerDep,
    as_of: Annotated[dt.date | None, Query(description="Evaluate as of this date (default: today)")] = None,
) -> dt.date:
    if as_of is None:
        return container.today()
    if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        raise InvalidInput(f"as_of must be between {EARLIEST_AS_OF} and {LATEST_AS_OF}", field="as_of")
    return as_of


AsOfDep = Annotated[dt.date, Depends(get_as_of)]
