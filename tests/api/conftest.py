"""API fixtures: the real app over a private copy of the demo book, and officer tokens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from creditdesk.wiring import Container

ANNA = "rm.anna"  # RM, team North, owns 1001 "ACME Holdings"
SOUTH_RM = "rm.south.001"  # owns 1002 "ACME Logistics"
NORTH_CLIENT = 1001
SOUTH_CLIENT = 1002


@pytest.fixture
def app(demo_container: Container) -> FastAPI:
    return create_app(demo_container)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def token_for(demo_container: Container) -> Callable[[str], dict[str, str]]:
    """Authorization headers with a fresh API token for an officer."""

    def make(officer_id: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {demo_container.tokens.create(officer_id).token}"}

    return make


@pytest.fixture
def anna(token_for: Callable[[str], dict[str, str]]) -> dict[str, str]:
    return token_for(ANNA)
