"""Probing the API: another team's client answers exactly like a client that does not exist, and every
read and refusal is an audit event with the actor, what was asked and the outcome."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from creditdesk.wiring import Container
from tests.api.conftest import ANNA, NORTH_CLIENT, SOUTH_CLIENT
from tests.api.test_object_level_access import BODIES, ROUTES

MISSING = 987654


def _comparable(resp, client_id: int) -> tuple[int, str, dict]:  # type: ignore[no-untyped-def]
    body = resp.json()
    body.pop("error_id", None)
    as_text = json.dumps(body, sort_keys=True).replace(str(client_id), "<id>")
    return resp.status_code, resp.headers["content-type"], json.loads(as_text)


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_other_teams_id_looks_like_a_missing_id(
    client: TestClient, anna: dict[str, str], method: str, path: str
) -> None:
    body = BODIES.get((method, path))
    other = client.request(method, path.format(client_id=SOUTH_CLIENT), headers=anna, json=body)
    missing = client.request(method, path.format(client_id=MISSING), headers=anna, json=body)
    assert _comparable(other, SOUTH_CLIENT) == _comparable(missing, MISSING)
    assert "portfolio" not in other.text and "team" not in other.json()["detail"]


def test_sidebar_other_team_looks_like_missing(client: TestClient, demo_container: Container) -> None:
    from api.launch import sign_launch

    secret = demo_container.settings.sidebar_key
    pages = []
    for cid in (SOUTH_CLIENT, MISSING):
        resp = client.get(f"/sidebar/{cid}", params={"token": sign_launch(secret, ANNA, str(cid))})
        pages.append((resp.status_code, "portfolio" in resp.text))
    assert pages[0] == pages[1] == (404, False)


def test_search_never_returns_another_teams_client(client: TestClient, anna: dict[str, str]) -> None:
    hits = client.get("/api/v1/clients", params={"q": "ACME Logistics"}, headers=anna).json()
    assert SOUTH_CLIENT not in [h["client_id"] for h in hits]


def _events(container: Container) -> list[dict]:
    with container.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM audit_events WHERE action = 'api.request' ORDER BY seq"))
        return [dict(r._mapping) for r in rows]


def test_reads_and_refusals_are_audited(
    client: TestClient, anna: dict[str, str], demo_container: Container
) -> None:
    assert client.get(f"/api/v1/clients/{NORTH_CLIENT}", headers=anna).status_code == 200
    assert client.get(f"/api/v1/clients/{SOUTH_CLIENT}", headers=anna).status_code == 404
    assert client.get(f"/api/v1/clients/{MISSING}", headers=anna).status_code == 404
    assert client.get(f"/api/v1/clients/{NORTH_CLIENT}").status_code == 401
    events = _events(demo_container)
    got = [(e["actor_id"], e["object_id"], json.loads(e["after_json"])["outcome"]) for e in events]
    assert got == [
        (ANNA, str(NORTH_CLIENT), "ok"),
        (ANNA, str(SOUTH_CLIENT), "out_of_scope"),
        (ANNA, str(MISSING), "not_found"),
        (None, str(NORTH_CLIENT), "unauthenticated"),
    ]
    first = json.loads(events[0]["after_json"])
    assert first["method"] == "GET" and first["path"] == f"/api/v1/clients/{NORTH_CLIENT}"
    assert first["route"].endswith("/clients/{client_id}") and first["status"] == 200
    assert events[0]["channel"] == "api"


def test_audited_query_never_holds_a_secret(client: TestClient, demo_container: Container) -> None:
    from api.launch import sign_launch

    token = sign_launch(demo_container.settings.sidebar_key, ANNA, str(NORTH_CLIENT))
    client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": token})
    with demo_container.engine.connect() as conn:
        dump = "\n".join(str(r) for r in conn.execute(text("SELECT * FROM audit_events")))
    assert token not in dump and token.split(".")[1] not in dump
    assert "[redacted]" in dump
