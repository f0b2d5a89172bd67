"""What a newcomer meets first on the server: `/`, the favicon, the API docs offline, the access log."""

from __future__ import annotations

import json
import logging
import re

import pytest
from fastapi.testclient import TestClient

from api.access_log import redact_query


def test_root_goes_to_the_dashboard_sign_in(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/dashboard"


def test_favicon(client: TestClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.startswith("<svg")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_load_only_local_assets(client: TestClient, page: str) -> None:
    html = client.get(page).text
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html) + re.findall(
        r"""url: ?['"]([^'"]+)['"]""", html
    )
    assert urls, html
    assert all(u.startswith("/") for u in urls), urls  # nothing from a CDN (no http(s)://)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert "cdn." not in html and "fonts.googleapis" not in html


def test_the_access_log_is_structured_and_holds_no_secret(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="creditdesk.access"):
        client.get("/dashboard?token=launch-secret-123&lang=zh", follow_redirects=False)
        client.get("/api/v1/clients/1001", headers={"Authorization": "Bearer api-secret-456"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "creditdesk.access"]
    assert [(e["method"], e["path"]) for e in lines] == [
        ("GET", "/dashboard"),
        ("GET", "/api/v1/clients/1001"),
    ]
    assert lines[0]["query"] == "token=***&lang=zh"
    assert lines[1]["status"] == 401 and isinstance(lines[1]["ms"], float)
    assert "secret" not in caplog.text


def test_redact_query() -> None:
    assert redact_query("") == ""
    assert redact_query("a=1&TOKEN=x&api_key=y") == "a=1&TOKEN=***&api_key=***"
