"""Authentication, scope and the one problem format."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_as_of
from creditdesk.wiring import Container
from tests.api.conftest import NORTH_CLIENT, SOUTH_CLIENT


def assert_problem(resp, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["status"] == status and body["code"] == code
    assert body["type"] == f"urn:creditdesk:problem:{code}"
    assert len(body["error_id"]) == 12 and body["instance"]
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer cd_not-a-token"}, {"Authorization": "Basic x"}]
)
def test_every_api_route_needs_a_valid_token(client: TestClient, headers: dict[str, str]) -> None:
    resp = client.get(f"/api/v1/clients/{NORTH_CLIENT}", headers=headers)
    assert_problem(resp, 401, "unauthenticated")
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_refused(client: TestClient, demo_container: Container) -> None:
    issued = demo_container.tokens.create("rm.anna")
    headers = {"Authorization": f"Bearer {issued.token}"}
    assert client.get(f"/api/v1/clients/{NORTH_CLIENT}", headers=headers).status_code == 200
    demo_container.tokens.revoke(issued.info.token_id)
    assert_problem(client.get(f"/api/v1/clients/{NORTH_CLIENT}", headers=headers), 401, "unauthenticated")


def test_a_token_revoked_by_another_process_is_refused_within_the_poll_interval(
    client: TestClient, demo_container: Container
) -> None:
    import time

    from tests.conftest import make_container

    issued = demo_container.tokens.create("rm.anna")
    headers = {"Authorization": f"Bearer {issued.token}"}
    assert (
        client.get(f"/api/v1/clients/{NORTH_CLIENT}", headers=headers).status_code == 200
    )  # checked, remembered
    other = make_container(demo_container.settings.home)  # `creditdesk token revoke` in another process
    other.tokens.revoke(issued.info.token_id)
    other.engine.dispose()
    time.sleep(demo_container.adapter.changes.poll_s + 0.05)
    assert_problem(client.get(f"/api/v1/clients/{NORTH_CLIENT}", headers=headers), 401, "unauthenticated")


def test_tokens_expire(
    client: TestClient, demo_container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    import api.tokens

    issued = demo_container.tokens.create("rm.anna", lifetime=dt.timedelta(days=90))
    assert issued.info.expires_at is not None
    headers = {"Authorization": f"Bearer {issued.token}"}
    assert (
        client.get(f"/api/v1/clients/{NORTH_CLIENT}", headers=headers).status_code == 200
    )  # checked, remembered
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=91)
    monkeypatch.setattr(api.tokens, "_now", lambda: later)
    body = assert_problem(
        client.get(f"/api/v1/clients/{NORTH_CLIENT}", headers=headers), 401, "unauthenticated"
    )
    assert "expired" in body["detail"]
    forever = demo_container.tokens.create("rm.anna", lifetime=None)
    assert client.get(f"/api/v1/clients/{NORTH_CLIENT}",
                      headers={"Authorization": f"Bearer {forever.token}"}).status_code == 200  # fmt: skip
    with pytest.raises(Exception, match="positive"):
        demo_container.tokens.create("rm.anna", lifetime=dt.timedelta(0))


def test_tokens_are_stored_hashed(demo_container: Container) -> None:
    issued = demo_container.tokens.create("rm.anna", label="crm sync")
    with demo_container.engine.connect() as conn:
        dump = "\n".join(str(r) for r in conn.exec_driver_sql("SELECT * FROM api_tokens"))
    assert issued.token not in dump
    listed = demo_container.tokens.list(officer_id="rm.anna")
    assert [t.label for t in listed] == ["crm sync"] and listed[0].last_used_at is None
    demo_container.tokens.officer_for(issued.token)
    assert demo_container.tokens.list(officer_id="rm.anna")[0].last_used_at is not None


def test_other_teams_client_is_not_found_with_a_problem(client: TestClient, anna: dict[str, str]) -> None:
    body = assert_problem(client.get(f"/api/v1/clients/{SOUTH_CLIENT}", headers=anna), 404, "not_found")
    assert body["detail"] == f"client {SOUTH_CLIENT} not found"


def test_unknown_client_is_not_found(client: TestClient, token_for) -> None:  # type: ignore[no-untyped-def]
    assert_problem(client.get("/api/v1/clients/999999", headers=token_for("risk.lee")), 404, "not_found")


def test_validation_errors_name_the_field(client: TestClient, anna: dict[str, str]) -> None:
    resp = client.post(f"/api/v1/clients/{NORTH_CLIENT}/what-if", headers=anna, json={"new_limit": "-5"})
    body = assert_problem(resp, 422, "invalid_input")
    assert body["field"] == "new_limit"
    assert body["errors"][0]["field"] == "new_limit" and "new_limit" in body["detail"]
    body = assert_problem(client.get("/api/v1/clients/abc", headers=anna), 422, "invalid_input")
    assert body["field"] == "client_id"


def test_unexpected_errors_hide_details_and_log_the_error_id(
    app: FastAPI, client: TestClient, anna: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    app.dependency_overrides[get_as_of] = boom
    with caplog.at_level(logging.ERROR, logger="creditdesk.api"):
        resp = client.get(f"/api/v1/clients/{NORTH_CLIENT}", headers=anna)
    body = assert_problem(resp, 500, "internal_error")
    assert "hunter2" not in resp.text and "Traceback" not in resp.text
    assert body["error_id"] in caplog.text and "RuntimeError" in caplog.text


def test_as_of_out_of_range_is_invalid(client: TestClient, anna: dict[str, str]) -> None:
    resp = client.get(f"/api/v1/clients/{NORTH_CLIENT}?as_of=0001-01-01", headers=anna)
    assert assert_problem(resp, 422, "invalid_input")["field"] == "as_of"


def test_health_and_readiness_report_each_dependency(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    resp = client.get("/readyz")
    checks = resp.json()["checks"]
    assert set(checks) == {"database", "vector_store", "model"}
    assert checks["database"]["status"] == "ok"
    assert checks["model"]["status"] == "not_configured"
    assert resp.status_code == (200 if checks["vector_store"]["status"] == "ok" else 503)


def test_openapi_documents_every_api_route(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in ["/api/v1/clients", "/api/v1/clients/{client_id}", "/api/v1/portfolio/dashboard",
                 "/api/v1/approvals", "/api/v1/ask", "/api/v1/ask/stream", "/api/v1/knowledge/search",
                 "/api/v1/memos/{memo_id}/download", "/healthz", "/readyz"]:  # fmt: skip
        assert path in paths, path
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert not any(p.startswith(("/sidebar", "/dashboard")) for p in paths)
