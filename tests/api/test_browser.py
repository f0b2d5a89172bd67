"""The sidebar and dashboard in a real headless Chromium (Debian's, via scripts/ensure_browser.sh).

Screenshots go to tests/artifacts/ (or to $CREDITDESK_SCREENSHOTS: `CREDITDESK_SCREENSHOTS=docs/screenshots`
refreshes the ones in the docs)."""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import uvicorn

from api.app import create_app
from api.launch import sign_launch
from creditdesk.wiring import Container
from tests.api.conftest import ANNA, NORTH_CLIENT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SHOTS = Path(os.environ.get("CREDITDESK_SCREENSHOTS") or ARTIFACTS)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
WIDE, NARROW = (1280, 1440), (360, 400)
NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (run scripts/ensure_browser.sh)"),
]


@pytest.fixture
def base_url(demo_container: Container) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(demo_container), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _token(container: Container, ref: str, officer: str = ANNA) -> str:
    return sign_launch(container.settings.sidebar_key, officer, ref)


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_sidebar_at_360px_chart_3m_amount_target_freeze_and_requests(
    browser, base_url: str, demo_container: Container
) -> None:  # type: ignore[no-untyped-def]
    actor = demo_container.actor(ANNA)
    a = demo_container.credit_engine.assess_client(actor, NORTH_CLIENT, as_of=demo_container.today())
    flows = demo_container.adapter.get_bank_flows(NORTH_CLIENT)
    page = browser.new_page(viewport={"width": 360, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base_url}/sidebar/{NORTH_CLIENT}?token={_token(demo_container, str(NORTH_CLIENT))}")

    assert page.locator("h1").inner_text() == "ACME Holdings"
    assert page.locator('[data-figure="utilisation"]').inner_text() == f"{a.exposure.utilisation:.0%}"
    assert page.locator('[data-figure="grade"]').inner_text().startswith(str(a.rating.grade))
    due = a.review.next_due  # written out (23 Jan 2027), as every page and answer writes a date
    assert (
        page.locator('[data-figure="next-review"]')
        .inner_text()
        .startswith(f"{due.day:02d} {due.strftime('%b')} {due.year}")
    )
    assert page.locator(".warnings li").count() == len(a.warnings)
    # the 12-month chart: one slot a month, a bar for every month of bank flows in the window
    chart = page.locator("svg.history")
    assert chart.get_attribute("data-months") == "12"
    today = demo_container.today()
    first = dt.date(today.year - 1, today.month + 1, 1) if today.month < 12 else dt.date(today.year, 1, 1)
    in_window = sum(1 for f in flows if f.month >= first)
    assert in_window >= 10 and page.locator("svg.history rect.bal").count() == in_window
    assert page.locator("svg.history circle.util").count() >= 1
    assert page.evaluate(NO_SIDEWAYS), "no horizontal scrolling at 360 px"
    for label in ["Change", "Facility", "New limit (facility currency)", "Reason", "Question"]:
        assert page.get_by_label(label, exact=True).count() == 1, f"labelled control: {label}"
    assert page.get_by_role("button", name="Draft review memo (PDF)").count() == 1
    assert page.get_by_role("button", name="Draft review memo (DOCX)").count() == 1
    _shot(page, "sidebar-360.png")

    # the proposal keeps ACME's limit: the hint says so and offers no figure (the current one is no change)
    facility = next(
        f for f in demo_container.adapter.get_facilities(NORTH_CLIENT) if str(f.status) == "active"
    )
    page.get_by_label("Facility", exact=True).select_option(facility.facility_id)
    assert a.proposal.action == "maintain"
    assert (
        page.locator("#target-hint").inner_text().startswith("Proposal: Maintain; no new total is proposed")
    )
    assert page.locator("#use-target").is_hidden() and page.locator("#use-freeze").is_hidden()

    # the current limit is refused as no change, said plainly (an error id is for unexpected errors only)
    page.get_by_label("New limit (facility currency)").fill(str(int(facility.limit_amount)))
    page.get_by_label("Reason").fill("no change")
    page.get_by_role("button", name="Check the change").click()
    page.wait_for_function(
        "document.getElementById('limit-status').textContent.includes('equals')", timeout=20000
    )
    refused = page.locator("#limit-status").inner_text()
    assert "equals the current limit" in refused and "error id" not in refused

    # "3M" is an amount: the server parses it, and the kind (increase) follows from the figure
    page.get_by_label("New limit (facility currency)").fill("3M")
    page.get_by_label("Reason").fill("new contract with a key buyer")
    page.get_by_role("button", name="Check the change").click()
    page.wait_for_selector("#limit-preview:not([hidden])", timeout=20000)
    summary = page.locator("#limit-summary").inner_text()
    assert "3,000,000" in summary and "Increase" in summary and "Approval chain" in summary
    # why the chain goes that high: the group exposure band, then each exception's floor (the CLI's lines)
    assert "Why it goes this high: group exposure after the change" in summary
    assert "at least Credit committee" in summary
    page.get_by_role("button", name="Confirm and raise request").click()
    page.wait_for_function(
        "document.getElementById('limit-status').textContent.includes('raised')", timeout=20000
    )
    raised = demo_container.approvals.list_raised_by(actor)
    assert [(r.client_id, r.facility_id, r.kind, r.new_limit) for r in raised] == [
        (NORTH_CLIENT, facility.facility_id, "increase", Decimal("3000000.00"))
    ]

    # freeze another way: no amount, the kind chosen
    page.get_by_label("Change", exact=True).select_option("freeze")
    assert page.locator("#limit-fields").is_hidden()
    page.get_by_label("Reason").fill("payment default at a related company")
    page.get_by_role("button", name="Check the change").click()
    page.wait_for_function(
        "document.getElementById('limit-summary').textContent.includes('Freeze')", timeout=20000
    )
    page.get_by_role("button", name="Confirm and raise request").click()
    page.wait_for_function(
        "document.getElementById('limit-status').textContent.includes('raised')", timeout=20000
    )
    page.wait_for_function("document.getElementById('limit-preview').hidden", timeout=20000)
    kinds = sorted(r.kind for r in demo_container.approvals.list_raised_by(actor))
    assert kinds == ["freeze", "increase"]

    # the client's requests are listed on the card
    page.reload()
    listed = page.locator("#client-requests li")
    assert listed.count() == 2 and "pending" in listed.first.inner_text()
    assert page.evaluate(NO_SIDEWAYS)
    _shot(page, "sidebar-360-requests.png")
    assert all(u.startswith(base_url) for u in requests), "everything is served locally"


def test_dashboard_counts_the_truth_links_every_row_and_fits_every_width(
    browser, base_url: str, demo_container: Container
) -> None:  # type: ignore[no-untyped-def]
    actor = demo_container.actor(ANNA)
    pa = demo_container.credit_engine.portfolio_for(actor, as_of=demo_container.today())
    table = pa.table()
    watched = int((table["ews_level"] != "green").sum())  # amber or red, counted here from the run
    summary = demo_container.credit_engine.summary(pa)
    page = browser.new_page(viewport={"width": WIDE[0], "height": 1000})
    page.goto(f"{base_url}/dashboard?token={_token(demo_container, '')}")
    assert page.url == f"{base_url}/dashboard", "the launch token is dropped from the address bar"
    assert page.locator('[data-figure="reviews-overdue"]').inner_text() == str(summary.reviews_overdue)
    assert page.locator('[data-figure="watchlist"]').inner_text() == str(watched)
    for heading in [
        "Reviews due and overdue",
        "Watch-list",
        "Approvals",
        "Contacts due",
        "Portfolio quality",
    ]:
        assert page.get_by_role("heading", name=heading).count() == 1
    for width in (*WIDE, *NARROW):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(NO_SIDEWAYS), f"the dashboard scrolls sideways at {width} px"
        overflowing = page.evaluate("""[...document.querySelectorAll('.card')].filter(
            c => c.scrollWidth > c.clientWidth + 1).map(c => c.querySelector('h2')?.textContent)""")
        assert overflowing == [], f"content spills out of its card at {width} px: {overflowing}"
        if width == 1440:
            _shot(page, "dashboard-1440.png")
        if width == 360:
            _shot(page, "dashboard-360.png")
    page.set_viewport_size({"width": 1280, "height": 1000})

    # every client row links to that client's sidebar, and amounts carry the currency
    rows = page.locator("#reviews tbody tr, #watchlist li, #contacts li")
    assert rows.count() > 0
    for i in range(rows.count()):
        link = rows.nth(i).locator("a[data-client-link]")
        assert link.count() == 1, rows.nth(i).inner_text()
        assert re.fullmatch(r"/sidebar/\d+\?id_type=ours", link.get_attribute("href") or "")
    for cell in page.locator("#reviews td.num").all_inner_texts():
        assert cell.startswith(pa.snapshot.reporting_currency), cell

    # "and N more" is a link that shows the whole list
    more = page.locator('[data-more="watchlist"]')
    assert more.inner_text() == f"and {watched - 12} more"
    more.click()
    page.wait_for_url(re.compile(r".*show=watchlist.*"))
    assert page.locator("#watchlist li").count() == watched

    # a row opens the client
    first = page.locator("#watchlist li a[data-client-link]").first
    client_id, name = first.get_attribute("data-client-link"), first.inner_text()
    first.click()
    page.wait_for_url(re.compile(rf".*/sidebar/{client_id}.*"))
    assert page.locator("h1").inner_text() == name


def test_the_approver_sees_what_they_approve_and_returns_it_with_a_comment(
    browser, base_url: str, demo_container: Container
) -> None:  # type: ignore[no-untyped-def]
    rm = demo_container.actor(ANNA)
    memo = demo_container.memos.draft_review_memo(rm, NORTH_CLIENT, as_of=demo_container.today())
    demo_container.memos.submit(rm, memo.memo_id)  # type: ignore[arg-type]
    facility = next(
        f for f in demo_container.adapter.get_facilities(NORTH_CLIENT) if str(f.status) == "active"
    )
    new = Decimal(facility.limit_amount) + Decimal(250_000)
    req = demo_container.approvals.raise_request(
        rm, client_id=NORTH_CLIENT, facility_id=facility.facility_id, kind="increase", new_limit=new,
        reason="seasonal stock build for a new buyer", memo_id=memo.memo_id, idempotency_key="browser-approver-1",
    )  # fmt: skip
    approver = next(
        o.officer_id for o in demo_container.adapter.list_officers()
        if any(r.request_id == req.request_id for r in demo_container.approvals.list_awaiting(
            demo_container.actor(o.officer_id)))
    )  # fmt: skip
    a = demo_container.credit_engine.assess_client(demo_container.actor(approver), NORTH_CLIENT,
                                                   as_of=demo_container.today())  # fmt: skip
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{base_url}/dashboard?token={_token(demo_container, '', approver)}")
    awaiting = len(demo_container.approvals.list_awaiting(demo_container.actor(approver)))
    assert page.locator('[data-figure="awaiting"]').inner_text() == str(awaiting)
    book = demo_container.credit_engine.portfolio_for(
        demo_container.actor(approver), as_of=demo_container.today()
    )
    watched = int((book.table()["ews_level"] != "green").sum())
    assert watched > 50  # more than the engine's default list cap: the tile counts them all
    assert page.locator('[data-figure="watchlist"]').inner_text() == str(watched)

    card = page.locator(f"#request-{req.request_id}")
    field = lambda name: card.locator(f'[data-field="{name}"]').inner_text()  # noqa: E731
    assert field("reason") == "seasonal stock build for a new buyer"
    ccy = facility.currency
    assert field("limit") == f"{ccy}\u00a0{Decimal(facility.limit_amount):,.0f} → {ccy}\u00a0{new:,.0f}"
    assert field("grade").startswith(str(a.rating.grade)) and a.rating.grade_name in field("grade")
    if a.limit.recommended is not None:
        assert f"{a.limit.recommended:,.0f}" in field("recommendation")
    for w in a.warnings[:4]:
        assert w.message in field("warnings")
    for e in req.exceptions:
        assert e.message in field("exceptions")
    step = req.open_step
    assert step is not None
    assert field("step") == f"{step.step_no} of {len(req.steps)}: {step.name}"
    assert field("chain") == " → ".join(s.name for s in req.steps)
    memo_link = card.locator('[data-field="memo"] a').first
    assert memo_link.get_attribute("href") == f"/api/v1/memos/{memo.memo_id}/download?format=pdf"
    assert page.request.get(f"{base_url}{memo_link.get_attribute('href')}").body()[:4] == b"%PDF"
    for width in (360, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(NO_SIDEWAYS), f"the approver's dashboard scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 1000})
    card.scroll_into_view_if_needed()
    _shot(page, "dashboard-approver.png")

    # Return needs a comment; with one, it is recorded
    card.get_by_role("button", name="Return").click()
    assert "comment" in card.locator(".status").inner_text().lower()
    card.get_by_label(f"Comment on request {req.request_id}").fill("add the buyer contract, please")
    card.get_by_role("button", name="Return").click()
    page.wait_for_function(
        f"document.querySelector('#request-{req.request_id} .status').textContent.includes('returned')",
        timeout=20000,
    )
    after = demo_container.approvals.get(rm, req.request_id)
    assert after.status == "returned"
    assert after.decisions[-1].comment == "add the buyer contract, please"


def test_the_sidebar_submits_a_memo_and_the_request_carries_it(
    browser, base_url: str, demo_container: Container
) -> None:  # type: ignore[no-untyped-def]
    """Draft, submit, attach (#18); a freeze proposal is offered as a freeze; the preview in Chinese names
    the binding constraint and the levels, never their codes."""
    actor = demo_container.actor(ANNA)
    page = browser.new_page(viewport={"width": 360, "height": 900}, accept_downloads=True)
    page.goto(f"{base_url}/sidebar/{NORTH_CLIENT}?token={_token(demo_container, str(NORTH_CLIENT))}")
    assert page.locator("#memo-latest").inner_text() == "No memo drafted yet."
    assert page.locator("#memo-submit").is_hidden() and page.locator("#attach-memo-row").is_hidden()
    with page.expect_download():
        page.get_by_role("button", name="Draft review memo (PDF)").click()
    memo = demo_container.memos.list_versions(actor, NORTH_CLIENT)[0]
    assert page.locator("#memo-latest").inner_text() == f"Latest memo: version {memo.version}, draft."
    page.get_by_role("button", name=f"Submit memo version {memo.version}").click()
    page.wait_for_function("document.getElementById('memo-status').textContent.includes('submitted')",
                           timeout=20000)  # fmt: skip
    assert demo_container.memos.get(actor, memo.memo_id).status == "submitted"
    assert page.locator("#memo-submit").is_hidden()
    attach = page.get_by_label(f"Attach memo version {memo.version} (submitted)")
    assert attach.is_checked()
    page.get_by_label("New limit (facility currency)").fill("400k")
    page.get_by_label("Reason").fill("seasonal stock build")
    page.get_by_role("button", name="Check the change").click()
    page.wait_for_selector("#limit-preview:not([hidden])", timeout=20000)
    assert (
        f"Review memo version {memo.version} goes with the request"
        in page.locator("#limit-summary").inner_text()
    )
    page.get_by_role("button", name="Confirm and raise request").click()
    page.wait_for_function("document.getElementById('limit-status').textContent.includes('raised')",
                           timeout=20000)  # fmt: skip
    raised = demo_container.approvals.list_raised_by(actor)
    assert [r.memo_id for r in raised] == [memo.memo_id]
    page.reload()  # the submitted memo is offered again after a reload
    assert page.get_by_label(f"Attach memo version {memo.version} (submitted)").is_checked()
    assert page.evaluate(NO_SIDEWAYS)
    page.locator("#actions-title").scroll_into_view_if_needed()
    _shot(page, "sidebar-360-memo.png")

    # Initech (1004): the proposal is a freeze, offered as one
    frozen = 1004
    a = demo_container.credit_engine.assess_client(actor, frozen, as_of=demo_container.today())
    assert a.proposal.action == "freeze"
    page.goto(f"{base_url}/sidebar/{frozen}?token={_token(demo_container, str(frozen))}&lang=zh")
    assert "冻结客户额度" in page.locator("#target-hint").inner_text()
    assert page.locator("#use-target").is_hidden()
    page.get_by_role("button", name="改为申请冻结").click()
    assert (
        page.locator("#change-kind").input_value() == "freeze" and page.locator("#limit-fields").is_hidden()
    )
    page.get_by_label("变更", exact=True).select_option("limit")
    page.get_by_label("新额度（授信币种）").fill("3M")
    page.get_by_label("理由").fill("新买家")
    page.locator("#limit-form button[type=submit]").click()
    page.wait_for_selector("#limit-preview:not([hidden])", timeout=20000)
    summary = page.locator("#limit-summary").inner_text()
    assert re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", summary) == [], summary
    assert not re.search(r"binding|Credit committee|Chief credit officer", summary), summary
    _shot(page, "sidebar-360-zh-preview.png")
