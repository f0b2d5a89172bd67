"""Launch tokens, the browser session and its CSRF protection, and the two pages' content."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from api.launch import SESSION_COOKIE, sign_launch, verify_launch
from creditdesk.wiring import Container
from kernel.errors import Unauthenticated
from tests.api.conftest import NORTH_CLIENT

SECRET = "test-secret"


def launch(container: Container, officer: str = "rm.anna", ref: str = str(NORTH_CLIENT), **kw: object) -> str:
    return sign_launch(container.settings.sidebar_key, officer, ref, **kw)  # type: ignore[arg-type]


def test_launch_token_round_trip_and_refusals() -> None:
    token = sign_launch(SECRET, "rm.anna", "1001", ttl_s=60)
    claims = verify_launch(SECRET, token)
    assert (claims.officer_id, claims.client_ref) == ("rm.anna", "1001")
    with pytest.raises(Unauthenticated, match="signature"):
        verify_launch("another-secret", token)
    head, sig = token.split(".")
    forged = sign_launch(SECRET, "cco", "1001").split(".")[0] + "." + sig
    with pytest.raises(Unauthenticated, match="signature"):
        verify_launch(SECRET, forged)
    with pytest.raises(Unauthenticated, match="expired"):
        verify_launch(SECRET, sign_launch(SECRET, "rm.anna", "1001", now=time.time() - 3600))
    with pytest.raises(Unauthenticated, match="too long"):
        verify_launch(SECRET, sign_launch(SECRET, "rm.anna", "1001", ttl_s=90 * 24 * 3600))
    with pytest.raises(Unauthenticated, match="malformed"):
        verify_launch(SECRET, "not-a-token")


def test_sidebar_shows_the_profile_card(client: TestClient, demo_container: Container) -> None:
    resp = client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": launch(demo_container)})
    assert resp.status_code == 200, resp.text
    html = resp.text
    assert "ACME Holdings" in html and 'name="csrf-token"' in html
    a = demo_container.credit_engine.assess_client(demo_container.actor("rm.anna"), NORTH_CLIENT,
                                                   as_of=demo_container.today())  # fmt: skip
    assert f"{a.exposure.utilisation:.0%}" in html and f"{a.rating.grade} " in html
    for w in a.warnings:
        assert w.message.split(" ")[0] in html
    cookie = resp.cookies.get(SESSION_COOKIE)
    assert cookie and "httponly" in resp.headers["set-cookie"].lower()
    assert "samesite=lax" in resp.headers["set-cookie"].lower()


def test_clock_skew_of_a_minute_is_tolerated() -> None:
    assert verify_launch(SECRET, sign_launch(SECRET, "rm.anna", "1001", ttl_s=0, now=time.time() - 30))
    with pytest.raises(Unauthenticated, match="expired"):
        verify_launch(SECRET, sign_launch(SECRET, "rm.anna", "1001", ttl_s=0, now=time.time() - 90))


def test_a_launch_token_opens_one_session_only(client: TestClient, demo_container: Container) -> None:
    token = launch(demo_container)
    first = client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": token})
    assert first.status_code == 200 and first.cookies.get(SESSION_COOKIE)
    # the same browser reloading the iframe (same URL, its session cookie) keeps working
    again = client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": token})
    assert again.status_code == 200 and "ACME Holdings" in again.text
    # the link replayed elsewhere (no session) is refused
    client.cookies.clear()
    replayed = client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": token})
    assert replayed.status_code == 401 and "already used" in replayed.text
    # a second link opened while the officer already has a session is used up too
    client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": launch(demo_container, ttl_s=301)})  # new session
    second = launch(demo_container, ttl_s=302)
    assert client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": second}).status_code == 200
    client.cookies.clear()
    assert client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": second}).status_code == 401
    dash = launch(demo_container, ref="")
    assert client.get("/dashboard", params={"token": dash}, follow_redirects=False).status_code == 303
    client.cookies.clear()
    assert client.get("/dashboard", params={"token": dash}, follow_redirects=False).status_code == 401


def test_sidebar_by_external_id(client: TestClient, demo_container: Container) -> None:
    ext = demo_container.adapter.get_client(NORTH_CLIENT).external_id
    assert ext
    resp = client.get(f"/sidebar/{ext}", params={"token": launch(demo_container, ref=ext)})
    assert resp.status_code == 200 and "ACME Holdings" in resp.text


@pytest.mark.parametrize("case", ["expired", "forged", "other_client", "missing"])
def test_sidebar_refuses_bad_launch_tokens_with_a_401_page(
    client: TestClient, demo_container: Container, case: str
) -> None:
    token = {
        "expired": launch(demo_container, now=time.time() - 1000),
        "forged": sign_launch("not-the-secret", "rm.anna", str(NORTH_CLIENT)),
        "other_client": launch(demo_container, ref="1003"),
        "missing": None,
    }[case]
    resp = client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": token} if token else {})
    assert resp.status_code == 401
    assert "text/html" in resp.headers["content-type"] and "error id" in resp.text
    assert "ACME Holdings" not in resp.text


def test_dashboard_login_redirects_and_the_session_needs_csrf_for_writes(
    client: TestClient, demo_container: Container
) -> None:
    resp = client.get("/dashboard", params={"token": launch(demo_container, ref="")}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == "/dashboard"
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert (
        "Reviews due and overdue" in page.text
        and "Watch-list" in page.text
        and "Portfolio quality" in page.text
    )
    csrf = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    # reads work with the session cookie alone
    assert client.get(f"/api/v1/clients/{NORTH_CLIENT}").status_code == 200
    # a write without the CSRF header (what a cross-site form would send) is refused
    url = f"/api/v1/clients/{NORTH_CLIENT}/what-if"
    refused = client.post(url, json={"new_limit": "600000"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert (
        client.post(url, json={"new_limit": "600000"}, headers={"X-CSRF-Token": "x" + csrf}).status_code
        == 403
    )
    ok = client.post(url, json={"new_limit": "600000"}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200 and ok.json()["client_id"] == NORTH_CLIENT


def test_dashboard_without_session_is_401(client: TestClient) -> None:
    assert client.get("/dashboard").status_code == 401


def test_welcome_lines_print_working_links(client: TestClient, demo_container: Container) -> None:
    lines = demo_container.welcome_lines("testserver", 80)
    text = "\n".join(lines)
    assert "rm.anna" in text and "/docs" in text
    sidebar = next(ln for ln in lines if "/sidebar/" in ln).split("http://testserver:80", 1)[1]
    dashboard = next(ln for ln in lines if "/dashboard?token=" in ln).split("http://testserver:80", 1)[1]
    assert client.get(sidebar).status_code == 200
    assert client.get(dashboard).status_code == 200


def test_limit_amounts_like_3m_are_parsed_on_the_server_and_the_kind_inferred(
    client: TestClient, demo_container: Container, anna: dict[str, str]
) -> None:
    facility = next(
        f for f in demo_container.adapter.get_facilities(NORTH_CLIENT) if str(f.status) == "active"
    )
    url = f"/api/v1/clients/{NORTH_CLIENT}/limit-requests/prepare"
    up = client.post(url, headers=anna, json={"facility_id": facility.facility_id, "new_limit": "3M"})
    assert up.status_code == 200, up.text
    assert (up.json()["kind"], up.json()["new_limit"]) == ("increase", "3000000.00")
    lower = f"{int(facility.limit_amount) // 2000}k"  # half the current limit, written in thousands
    down = client.post(url, headers=anna, json={"facility_id": facility.facility_id, "new_limit": lower})
    assert down.status_code == 200 and down.json()["kind"] == "decrease"
    assert down.json()["new_limit"] == f"{int(facility.limit_amount) // 2000 * 1000}.00"
    bad = client.post(url, headers=anna, json={"facility_id": facility.facility_id, "new_limit": "lots"})
    assert bad.status_code == 422 and "not an amount" in bad.text
    same = client.post(url, headers=anna, json={"facility_id": facility.facility_id,
                                                "new_limit": str(facility.limit_amount)})  # fmt: skip
    assert same.status_code == 422 and "equals the current limit" in same.text
    freeze = client.post(url, headers=anna, json={"facility_id": facility.facility_id, "kind": "freeze"})
    assert freeze.status_code == 200 and freeze.json()["new_limit"] is None
    raised = client.post("/api/v1/approvals", headers={**anna, "Idempotency-Key": "pages-3m-1"},
                         json={"client_id": NORTH_CLIENT, "kind": "increase", "facility_id": facility.facility_id,
                               "new_limit": "2.5m", "reason": "new buyer"})  # fmt: skip
    assert raised.status_code == 201 and raised.json()["new_limit"] == "2500000.00"
    # the page's input has no pattern that would refuse "3M" in the browser
    page = client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": launch(demo_container)})
    field = page.text.split('id="new-limit"')[1].split(">")[0]
    assert "pattern" not in field and "required" not in field


def test_dashboard_counts_the_whole_watch_list_and_speaks_chinese(
    client: TestClient, demo_container: Container, anna: dict[str, str]
) -> None:
    actor = demo_container.actor("rm.anna")
    table = demo_container.credit_engine.portfolio_for(actor, as_of=demo_container.today()).table()
    watched = int((table["ews_level"] != "green").sum())
    data = client.get("/api/v1/portfolio/dashboard", headers=anna).json()
    assert data["watchlist_total"] == watched == len(data["watchlist"]) and data["currency"] == "USD"
    client.get("/dashboard", params={"token": launch(demo_container, ref="")})
    zh = client.get("/dashboard", params={"lang": "zh"}).text
    assert '<html lang="zh-CN">' in zh and "关注名单" in zh and "组合质量" in zh
    assert f'data-figure="watchlist">{watched}<' in zh
    side = client.get(f"/sidebar/{NORTH_CLIENT}", params={"lang": "zh"}).text
    assert "风险预警" in side and "起草审查报告（PDF）" in side and "近 12 个月" in side


def test_the_sidebar_turns_the_client_target_into_a_facility_figure(demo_container: Container) -> None:
    """Only a proposal that changes the client's total (an increase or a decrease to the recommendation)
    becomes a facility figure; a freeze or a maintain offers none, and no figure equals the current limit.
    ACME's two USD facilities are 240,000 and 250,000 (490,000 in total): the figures are worked by hand."""
    from api import views

    actor = demo_container.actor("rm.anna")
    a = demo_container.credit_engine.assess_client(actor, NORTH_CLIENT, as_of=demo_container.today())
    limits = {f.facility_id: f.limit_amount for f in demo_container.adapter.get_facilities(NORTH_CLIENT)}
    assert (
        sorted(limits.values()) == [Decimal(240_000), Decimal(250_000)] and a.exposure.total_limit == 490_000
    )
    assert a.proposal.action == "maintain" and a.proposal.target_limit == a.exposure.total_limit

    def figures(action: str, target: int | None) -> dict[str, tuple[Decimal | None, bool]]:
        p = a.proposal.model_copy(update={"action": action, "target_limit": target})
        return {t.facility_id: (t.suggested, t.partial)
                for t in views.facility_targets(demo_container, a.model_copy(update={"proposal": p}))}  # fmt: skip

    f1, f2 = sorted(limits, key=lambda k: limits[k])  # 240,000 then 250,000
    assert figures("maintain", 490_000) == {f1: (None, False), f2: (None, False)}
    assert figures("freeze", 490_000) == {f1: (None, False), f2: (None, False)}  # a freeze is not a figure
    assert figures("decrease", 490_000) == {f1: (None, False), f2: (None, False)}  # nothing to size it
    assert figures("decrease", 300_000) == {f1: (Decimal(50_000), False), f2: (Decimal(60_000), False)}
    assert figures("decrease", 100_000) == {
        f1: (Decimal(0), True),
        f2: (Decimal(0), True),
    }  # not on one alone
    assert figures("increase", 700_000) == {f1: (Decimal(450_000), False), f2: (Decimal(460_000), False)}
