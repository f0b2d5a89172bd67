"""The FastAPI application factory: REST under /api/v1, health, the CRM sidebar and the dashboard, the API
docs from local assets, `/` to the dashboard, the favicon and the access log.

No globals: the wired `Container` lives on `app.state`, routes reach it through `api.deps`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from api.access_audit import AccessAuditMiddleware
from api.access_log import AccessLog
from api.errors import PROBLEM_RESPONSES, install_error_handlers
from api.limits import BodySizeLimit
from api.pages import dashboard, sidebar
from api.pages.common import make_templates
from api.routes import approvals, assistant, assistant_stream, clients, health, knowledge, memos, portfolio

if TYPE_CHECKING:
    from creditdesk.wiring import Container

STATIC_DIR = Path(__file__).resolve().parent / "static"
DOCS_ASSETS_URL = "/static/docs"  # Swagger UI and ReDoc, shipped by the fastapi-offline package (MIT)
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="#1f4e79"/>'
    '<path d="M7 21l6-6 4 4 8-9" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" '
    'stroke-linejoin="round"/></svg>'
)
DESCRIPTION = """Credit lines of existing customers: client analysis, limits, warnings, memos, approvals and the
assistant. Authenticate with a per-officer API token (`creditdesk token create --officer ID`) sent as
`Authorization: Bearer …`. Errors are RFC 9457 problem details with a stable `code` and an `error_id`."""


def api_router() -> APIRouter:
    v1 = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
    for area in (clients, portfolio, memos, approvals, assistant, assistant_stream, knowledge):
        v1.include_router(area.router)
    return v1


def _docs_assets() -> Path:
    spec = importlib.util.find_spec("fastapi_offline")
    assert spec is not None and spec.origin is not None, "fastapi-offline is a dependency"
    return Path(spec.origin).parent / "static"


def front_router(app: FastAPI) -> APIRouter:
    """`/` (to the dashboard, which signs the officer in), the favicon, and the API docs from local files
    (no CDN: they work offline)."""
    router = APIRouter(include_in_schema=False)
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @router.get("/")
    def root() -> RedirectResponse:
        return RedirectResponse("/dashboard", status_code=307)

    @router.get("/favicon.ico")
    @router.get("/favicon.svg")
    def favicon() -> Response:
        return Response(FAVICON_SVG, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    @router.get("/docs")
    def docs(request: Request) -> HTMLResponse:
        root_path = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root_path}{openapi_url}",
            title=f"{app.title} - API docs",
            oauth2_redirect_url=f"{root_path}{oauth2_redirect}",
            swagger_js_url=f"{root_path}{DOCS_ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root_path}{DOCS_ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root_path}/favicon.svg",
        )

    @router.get(oauth2_redirect)
    def oauth2_redirect_page() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @router.get("/redoc")
    def redoc(request: Request) -> HTMLResponse:
        root_path = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root_path}{openapi_url}",
            title=f"{app.title} - API reference",
            redoc_js_url=f"{root_path}{DOCS_ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root_path}/favicon.svg",
            with_google_fonts=False,
        )

    return router


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        title="Credit Desk", version="0.1.0", description=DESCRIPTION, docs_url=None, redoc_url=None
    )
    app.state.container = container
    app.state.templates = make_templates()
    install_error_handlers(app)
    app.add_middleware(AccessAuditMiddleware)
    app.add_middleware(BodySizeLimit)  # outermost of the two: an oversized body is refused before anything
    app.include_router(health.router)
    app.include_router(api_router())
    app.include_router(sidebar.router)
    app.include_router(dashboard.router)
    app.include_router(front_router(app))
    app.mount(DOCS_ASSETS_URL, StaticFiles(directory=_docs_assets()), name="docs-assets")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if importlib.util.find_spec("bot.slack.http") is not None:
        from bot.slack.http import make_router

        app.include_router(make_router(container))
    app.add_middleware(AccessLog)
    return app
