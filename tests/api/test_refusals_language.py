"""API refusals from the approval workflow (#18): `detail` stays the English text API clients have always read;
a request in Chinese (`Accept-Language: zh…` or `?lang=zh`) also gets `localized_detail` in Chinese, and every
coded refusal names its `message_key`. Expected sentences written by hand."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from creditdesk.wiring import Container


def _own_request(demo_container: Container) -> str:
    view = demo_container.approvals.raise_request(
        demo_container.actor("lead.north"), client_id=1001, facility_id="F-1001-1", kind="decrease",
        new_limit=100_000, reason="lower utilisation", idempotency_key="api-zh-maker",
    )  # fmt: skip
    return view.request_id


def test_maker_checker_refusal_in_chinese_keeps_the_english_detail(
    client: TestClient, demo_container: Container, token_for: Callable[[str], dict[str, str]]
) -> None:
    rid = _own_request(demo_container)
    headers = {**token_for("lead.north"), "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
    res = client.post(f"/api/v1/approvals/{rid}/decision", json={"decision": "approve"}, headers=headers)
    assert res.status_code == 403
    body = res.json()
    assert body["detail"] == f"you raised request {rid}; maker-checker forbids deciding it yourself"
    assert (
        body["localized_detail"] == f"申请 {rid} 由您提交；按经办与审批分离（双人复核）原则，您不能自行审批"
    )
    assert body["lang"] == "zh" and body["message_key"] == "approvals.maker_checker"


def test_an_english_client_gets_no_localized_detail(
    client: TestClient, token_for: Callable[[str], dict[str, str]]
) -> None:
    res = client.get("/api/v1/approvals/AR-999", headers=token_for("lead.north"))
    assert res.status_code == 404
    body = res.json()
    assert body["detail"] == "request AR-999 not found" and "localized_detail" not in body


def test_lang_query_asks_for_chinese_too(
    client: TestClient, token_for: Callable[[str], dict[str, str]]
) -> None:
    res = client.get("/api/v1/approvals/AR-999?lang=zh", headers=token_for("lead.north"))
    assert res.json()["localized_detail"] == "未找到申请 AR-999"
