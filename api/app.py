"""The FastAPI application factory: REST under /api/v1, health, the CRM sidebar and the dashboard.

No globals: the wired `Container` lives on `app.state`, routes reach it through `api.deps`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from api.access_audit import AccessAuditMiddleware
from api.errors import PROBLEM_RESPONSES, install_error_handlers
from api.limits import BodySizeLimit
from api.pages import dashboard, sidebar
from api.pages.common import make_templates
from api.routes import approvals, assistant, clients, health, knowledge, memos, portfolio
from creditdesk.wiring import Container

STATIC_DIR = Path(__file__).resolve().parent / "static"
DESCRIPTION = """Credit lines of existing customers: client analysis, limits, warnings, memos, approvals and the
assistant. Authenticate with a per-officer API token (`creditdesk token create --officer ID`) sent as
`Authorization: Bearer …`. Errors are RFC 9457 problem details with a stable `code` and an `error_id`."""


def api_router() -> APIRouter:
    v1 = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
    for area in (clients, portfolio, memos, approvals, assistant, knowledge):
        v1.include_router(area.router)
    return v1


def create_app(container: Container) -> FastAPI:
    app = FastAPI(title="Credit Desk", version="0.1.0", description=DESCRIPTION)
    app.state.container = container
    app.state.templates = make_templates()
    install_error_handlers(app)
    app.add_middleware(AccessAuditMiddleware)
    app.add_middleware(BodySizeLimit)  # outermost of the two: an oversized body is refused before anything
    app.include_router(health.router)
    app.include_router(api_router())
    app.include_router(sidebar.router)
    app.include_router(dashboard.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if importlib.util.find_spec("bot.slack.http") is not None:
        from bot.slack.http import make_router

        app.include_router(make_router(container))
    return app
