"""The FastAPI application factory (placeholder until the API lands)."""

from __future__ import annotations

from fastapi import FastAPI

from creditdesk.wiring import Container


def create_app(container: Container) -> FastAPI:
    app = FastAPI(title="Credit Desk", version="0.1.0")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
