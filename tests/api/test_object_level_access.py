"""Generated: every route with a {client_id} refuses another team's client (no id-swapping), exactly as it
answers for a client that does not exist (so ids cannot be probed)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from creditdesk.settings import Settings
from creditdesk.wiring import Container
from tests.api.conftest import NORTH_CLIENT, SOUTH_CLIENT

# A valid body for each write route with a {client_id}, so only the object-level check can refuse it.
BODIES: dict[tuple[str, str], dict[str, Any] | None] = {
    ("POST", "/api/v1/clients/{client_id}/what-if"): {"new_limit": "1000000"},
    ("POST", "/api/v1/clients/{client_id}/memos"): None,
    ("POST", "/api/v1/clients/{client_id}/limit-requests/prepare"): {
        "kind": "increase",
        "new_limit": "1000000",
    },
}


def client_id_routes() -> list[tuple[str, str]]:
    """Every (method, path) of the documented API whose path holds a client id."""
    app = create_app(Container.from_settings(Settings(_env_file=None)))  # type: ignore[call-arg]
    return sorted(
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if "{client_id}" in path
        for method in operations
    )


ROUTES = client_id_routes()


def test_the_walk_covers_the_client_routes() -> None:
    assert len(ROUTES) >= 8
    writes = {r for r in ROUTES if r[0] != "GET"}
    assert writes <= set(BODIES), f"add a valid body for {writes - set(BODIES)}"


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_cross_team_access_is_refused(
    client: TestClient, anna: dict[str, str], method: str, path: str
) -> None:
    body = BODIES.get((method, path))
    resp = client.request(method, path.format(client_id=SOUTH_CLIENT), headers=anna, json=body)
    assert resp.status_code == 404, resp.text
    assert resp.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path"), [r for r in ROUTES if r[0] == "GET"], ids=[p for m, p in ROUTES if m == "GET"]
)
def test_own_client_is_readable(client: TestClient, anna: dict[str, str], method: str, path: str) -> None:
    resp = client.request(method, path.format(client_id=NORTH_CLIENT), headers=anna)
    assert resp.status_code == 200, resp.text


def test_raising_a_request_for_another_teams_client_is_refused(
    app: FastAPI, client: TestClient, anna: dict[str, str], demo_container: Container
) -> None:
    if "approvals" not in dir(type(demo_container)):
        pytest.skip("the approvals service is not wired yet")
    body = {"client_id": SOUTH_CLIENT, "kind": "increase", "new_limit": "1000000", "reason": "test"}
    resp = client.post("/api/v1/approvals", headers={**anna, "Idempotency-Key": "cross-team-1"}, json=body)
    assert resp.status_code == 404, resp.text


def test_sidebar_refuses_another_teams_client(client: TestClient, demo_container: Container) -> None:
    from api.launch import sign_launch

    secret = demo_container.settings.sidebar_key
    token = sign_launch(secret, "rm.anna", str(SOUTH_CLIENT))
    resp = client.get(f"/sidebar/{SOUTH_CLIENT}", params={"token": token})
    assert resp.status_code == 404
    assert "text/html" in resp.headers["content-type"] and "outside your portfolio" not in resp.text
