"""Liveness and readiness (outside /api/v1, no authentication; they reveal no data)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import text

from api.deps import ContainerDep

if TYPE_CHECKING:
    from creditdesk.wiring import Container

router = APIRouter(tags=["health"])


class Check(BaseModel):
    status: Literal["ok", "unavailable", "not_configured"]
    detail: str | None = None
    model: str | None = Field(None, description="The assistant model's name (model check only)")
    context_tokens: int | None = Field(
        None, description="The context size the assistant budgets for: the smaller of the two below"
    )
    configured_context_tokens: int | None = Field(
        None, description="The configured size (llm_context_tokens)"
    )
    server_context_tokens: int | None = Field(
        None,
        description="The size the model server reports (llama.cpp /props, vLLM max_model_len), if it does",
    )


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, Check]


def _database(container: Container) -> Check:
    with container.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return Check(status="ok")


def _vector_store(container: Container) -> Check:
    ping = getattr(container.policy_store, "ping", None)
    if ping is not None:
        ping()
    return Check(status="ok")


def _model(container: Container) -> Check:
    settings = container.settings
    if not settings.llm_configured:
        return Check(status="not_configured", detail="offline brain (no model endpoint configured)")
    import httpx

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    url = f"{str(settings.llm_base_url).rstrip('/')}/models"
    about = {"model": settings.llm_model, "context_tokens": settings.llm_context_tokens,
             "configured_context_tokens": settings.llm_context_tokens}  # fmt: skip
    try:
        httpx.get(url, headers=headers, timeout=3.0).raise_for_status()
    except Exception as exc:  # reported by kind only, with what the assistant is configured for
        return Check(status="unavailable", detail=type(exc).__name__, **about)
    from bot.brains.llm.server import effective_context_tokens, server_context_tokens

    server = server_context_tokens(
        str(settings.llm_base_url), str(settings.llm_model), key
    )  # asked once, cached
    about["context_tokens"] = effective_context_tokens(settings.llm_context_tokens, server)
    return Check(status="ok", server_context_tokens=server, **about)


def _run(check, container: Container) -> Check:  # type: ignore[no-untyped-def]
    try:
        return check(container)  # type: ignore[no-any-return]
    except Exception as exc:  # readiness reports every failure, by kind only
        return Check(status="unavailable", detail=type(exc).__name__)


@router.get("/healthz", summary="The process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Database, vector store and (if configured) model endpoint, each reported",
            responses={503: {"model": Readiness}})  # fmt: skip
async def readyz(container: ContainerDep) -> JSONResponse:
    checks = {
        "database": await run_in_threadpool(_run, _database, container),
        "vector_store": await run_in_threadpool(_run, _vector_store, container),
        "model": await run_in_threadpool(_run, _model, container),
    }
    ok = all(c.status != "unavailable" for c in checks.values())
    body = Readiness(status="ok" if ok else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=200 if ok else 503)
