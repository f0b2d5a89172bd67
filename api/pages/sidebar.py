"""GET /sidebar/{client_ref}: the CRM sidebar card for one client, opened with a signed launch token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from api import views
from api.deps import ContainerDep, SessionDep, get_page_actor, secret_of
from api.pages.common import login, page_language, set_session_cookie
from api.schemas import ProfileCard
from crm_adapter.protocol import CRMAdapter
from kernel.errors import InvalidInput
from tools.statements.indicators import statement_panel

router = APIRouter(tags=["pages"], include_in_schema=False)


def resolve_client(adapter: CRMAdapter, client_ref: str, id_type: str) -> int:
    """Our id when the reference is numeric (unless id_type=external), else the CRM's external id."""
    if id_type == "ours" or (id_type == "auto" and client_ref.isdigit()):
        if not client_ref.isdigit():
            raise InvalidInput("our client ids are numbers", field="client_ref")
        return adapter.get_client(int(client_ref)).client_id
    return adapter.get_client_by_external_id(client_ref).client_id


@router.get("/sidebar/{client_ref}", response_class=HTMLResponse)
def sidebar(
    request: Request,
    container: ContainerDep,
    session: SessionDep,
    client_ref: Annotated[str, Path(min_length=1, max_length=64)],
    token: Annotated[str | None, Query(max_length=1024)] = None,
    id_type: Annotated[str, Query(pattern="^(auto|ours|external)$")] = "auto",
) -> HTMLResponse:
    cookie = None
    if token:
        actor, session, cookie = login(container, token, client_ref=client_ref, current=session)
    else:
        actor = get_page_actor(container, session, request)
    assert session is not None
    as_of = container.today()
    client_id = resolve_client(container.adapter, client_ref, id_type)
    assessment = container.credit_engine.assess_client(actor, client_id, as_of=as_of)  # checks scope
    card = ProfileCard.of(assessment)
    memos = container.memos.list_versions(actor, client_id)  # newest first
    history = views.client_history(container, client_id, as_of=as_of, today_utilisation=card.utilisation)
    response = request.app.state.templates.TemplateResponse(
        request,
        "sidebar.html",
        {
            "actor": actor,
            "card": card,
            "a": assessment,
            "history": history,
            "facilities": views.facility_targets(container, assessment),
            "target": views.client_target(assessment),
            "memo": memos[0] if memos else None,  # the latest version
            "attach": next((m for m in memos if m.status != "draft"), None),  # the latest a request may carry
            "requests": views.client_requests(container, actor, client_id),
            "bank": statement_panel(
                container.adapter,
                client_id,
                as_of=as_of,
                policy=container.policy.statements,
                lang=page_language(request),
            ),  # bank statements (#19)
            "lang": page_language(request),
            "csrf": session.csrf_token(secret_of(container)),
        },  # fmt: skip
    )
    if cookie:
        set_session_cookie(response, container, cookie)
    return response  # type: ignore[no-any-return]
