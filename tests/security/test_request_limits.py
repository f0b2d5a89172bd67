"""Bounded inputs: a request body over the cap is a clear 413 problem (declared or chunked)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.limits import MAX_BODY_BYTES


def test_declared_oversized_body_is_413(client: TestClient, anna: dict[str, str]) -> None:
    big = b'{"message": "' + b"x" * (MAX_BODY_BYTES + 10) + b'"}'
    resp = client.post("/api/v1/assistant", headers={**anna, "Content-Type": "application/json"}, content=big)
    assert resp.status_code == 413
    body = resp.json()
    assert body["code"] == "too_large" and str(MAX_BODY_BYTES) in body["detail"]


def test_chunked_oversized_body_is_413(client: TestClient, anna: dict[str, str]) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"new_limit": "1000000", "note": "'
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536
        yield b'"}'

    resp = client.post(
        "/api/v1/clients/1001/what-if", headers={**anna, "Content-Type": "application/json"}, content=chunks()
    )
    assert resp.status_code == 413 and resp.json()["code"] == "too_large"


def test_small_bodies_pass(client: TestClient, anna: dict[str, str]) -> None:
    resp = client.post("/api/v1/clients/1001/what-if", headers=anna, json={"new_limit": "1000000"})
    assert resp.status_code == 200, resp.text
