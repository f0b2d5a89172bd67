"""GET /dashboard: the officer's reviews, watch-list, approvals, contacts and portfolio quality (S12)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import views
from api.deps import ContainerDep, SessionDep, get_page_actor, secret_of
from api.pages.common import login, page_language, set_session_cookie

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request,
    container: ContainerDep,
    session: SessionDep,
    token: Annotated[str | None, Query(max_length=1024)] = None,
    show: Annotated[str | None, Query(pattern="^(reviews|watchlist|contacts)$")] = None,
) -> Response:
    if token:  # log in, then drop the token from the address bar (and from history and referrers)
        _, _, cookie = login(container, token, current=session)
        redirect = RedirectResponse("/dashboard", status_code=303)
        if cookie:
            set_session_cookie(redirect, container, cookie)
        return redirect
    actor = get_page_actor(container, session, request)
    assert session is not None
    as_of = container.today()
    data = views.dashboard(container, actor, as_of=as_of)
    awaiting = container.approvals.list_awaiting(actor)
    raised = container.approvals.list_raised_by(actor)
    cards = views.approval_cards(container, actor, awaiting, as_of=as_of)
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request,
        "dashboard.html",
        {
            "actor": actor,
            "d": data,
            "awaiting": awaiting,
            "cards": cards,
            "raised": raised,
            "show": show,
            "lang": page_language(request),
            "csrf": session.csrf_token(secret_of(container)),
        },  # fmt: skip
    )
