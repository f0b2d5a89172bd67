"""What a newcomer meets first on the server: `/`, the favicon, the API docs offline, the access log; and (issue
#18) a first visit told how to get in, REST bodies that infer the kind, read amounts as officers write them, and
name a broken JSON body and an unknown memo language plainly. Expected texts are written from the issue; amounts
and kinds are worked out from the demo book by hand."""

from __future__ import annotations

import html
import json
import logging
import re
import time

import pytest
from fastapi.testclient import TestClient

from api.access_log import redact_query
from api.launch import SESSION_COOKIE, SESSION_SECONDS, open_session
from creditdesk.wiring import Container


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


def _text(response_html: str) -> str:
    return " ".join(html.unescape(response_html).split())


@pytest.mark.parametrize("page", ["/dashboard", "/sidebar/1001"])
def test_a_first_visit_is_told_how_to_get_in(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 401
    said = _text(response.text)
    assert "open this page from the CRM" in said
    assert "creditdesk token link --officer <officer>" in said
    assert "expired" not in said
    zh = _text(client.get(page, params={"lang": "zh"}).text)
    assert "请从 CRM 打开此页面" in zh and "creditdesk token link --officer <员工编号>" in zh


def test_an_expired_session_still_says_expired(client: TestClient, demo_container: Container) -> None:
    _, cookie = open_session(
        demo_container.settings.sidebar_key, "rm.anna", now=time.time() - SESSION_SECONDS - 60
    )
    client.cookies.set(SESSION_COOKIE, cookie)
    response = client.get("/dashboard")
    assert response.status_code == 401
    said = _text(response.text)
    assert "your session has expired; open this page again from the CRM" in said
    assert "token link" not in said
    zh = _text(client.get("/dashboard", params={"lang": "zh"}).text)
    assert "您的会话已过期" in zh


NORTH_CLIENT = 1001  # rm.anna's (tests/api/conftest.py)


def _facility(demo_container: Container):  # type: ignore[no-untyped-def]
    return next(f for f in demo_container.adapter.get_facilities(NORTH_CLIENT) if str(f.status) == "active")


def test_raising_without_a_kind_infers_it_from_the_figure(
    client: TestClient, demo_container: Container, anna: dict[str, str]
) -> None:
    facility = _facility(demo_container)
    above = int(facility.limit_amount) // 1_000_000 + 2  # whole millions above the current limit
    body = {"client_id": NORTH_CLIENT, "facility_id": facility.facility_id, "new_limit": f"{above}M",
            "reason": "new buyer"}  # fmt: skip
    raised = client.post("/api/v1/approvals", headers={**anna, "Idempotency-Key": "no-kind-up-1"}, json=body)
    assert raised.status_code == 201, raised.text
    assert raised.json()["kind"] == "increase" and raised.json()["new_limit"] == f"{above * 1_000_000}.00"
    half = f"{int(facility.limit_amount) // 2000}k"
    lowered = client.post("/api/v1/approvals", headers={**anna, "Idempotency-Key": "no-kind-down-1"},
                          json={**body, "new_limit": half})  # fmt: skip
    assert lowered.status_code == 201 and lowered.json()["kind"] == "decrease", lowered.text
    neither = client.post("/api/v1/approvals", headers={**anna, "Idempotency-Key": "no-kind-none-1"},
                          json={"client_id": NORTH_CLIENT, "reason": "x"})  # fmt: skip
    assert neither.status_code == 422
    assert neither.json()["detail"] == "give the new limit, or the kind: freeze, unfreeze or renewal"


def test_the_cli_and_the_api_infer_the_kind_with_one_function() -> None:
    import inspect

    from api.routes import approvals as routes
    from creditdesk.cli import approvals as cli

    for source in (inspect.getsource(routes), inspect.getsource(cli)):
        assert "approvals.request_kind(" in source
        assert "limit_amount" not in source  # no front door compares with the facility's limit itself


def test_what_if_reads_amounts_as_officers_write_them(client: TestClient, anna: dict[str, str]) -> None:
    url = f"/api/v1/clients/{NORTH_CLIENT}/what-if"
    written = client.post(url, headers=anna, json={"new_limit": "3M"})
    plain = client.post(url, headers=anna, json={"new_limit": 3_000_000})
    assert written.status_code == plain.status_code == 200, written.text
    assert written.json() == plain.json()
    bad = client.post(url, headers=anna, json={"new_limit": "lots"})
    assert bad.status_code == 422 and "'lots' is not an amount" in bad.json()["detail"]


def test_a_body_that_is_not_json_is_named_plainly(client: TestClient, anna: dict[str, str]) -> None:
    broken = '{"new_limit": 300000,}'  # a trailing comma: the decoder stops at character 21
    response = client.post(f"/api/v1/clients/{NORTH_CLIENT}/what-if", content=broken,
                           headers={**anna, "Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 422
    problem = response.json()
    assert problem["detail"] == "the body is not valid JSON (at character 21)"
    assert "field" not in problem and "errors" not in problem
    zh = client.post(f"/api/v1/clients/{NORTH_CLIENT}/what-if?lang=zh", content=broken,
                     headers={**anna, "Content-Type": "application/json"})  # fmt: skip
    assert zh.json()["localized_detail"] == "请求体不是有效的 JSON（第 21 个字符处）"


def test_a_memo_in_an_unknown_language_is_refused(client: TestClient, anna: dict[str, str]) -> None:
    url = f"/api/v1/clients/{NORTH_CLIENT}/memos"
    refused = client.post(url, headers=anna, json={"language": "fr"})
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["field"] == "language" and "'en' or 'zh'" in problem["detail"]
    chinese = client.post(url, headers=anna, json={"language": "zh"})
    assert chinese.status_code == 201 and chinese.json()["language"] == "zh"
    unknown_field = client.post(url, headers=anna, json={"lang": "zh"})
    assert unknown_field.status_code == 422 and unknown_field.json()["field"] == "lang"
    default = client.post(url, headers=anna)
    assert default.status_code == 201 and default.json()["language"] == "en"
