"""The sidebar and dashboard in a real headless Chromium (Debian's, via scripts/ensure_browser.sh)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from api.app import create_app
from api.launch import sign_launch
from creditdesk.wiring import Container
from tests.api.conftest import ANNA, NORTH_CLIENT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip

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


def _token(container: Container, ref: str) -> str:
    return sign_launch(container.settings.sidebar_key, ANNA, ref)


def test_sidebar_at_350px_shows_figures_and_raises_a_request(
    browser, base_url: str, demo_container: Container
) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    actor = demo_container.actor(ANNA)
    a = demo_container.credit_engine.assess_client(actor, NORTH_CLIENT, as_of=demo_container.today())
    page = browser.new_page(viewport={"width": 350, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base_url}/sidebar/{NORTH_CLIENT}?token={_token(demo_container, str(NORTH_CLIENT))}")

    assert page.locator("h1").inner_text() == "ACME Holdings"
    assert page.locator('[data-figure="utilisation"]').inner_text() == f"{a.exposure.utilisation:.0%}"
    assert page.locator('[data-figure="grade"]').inner_text().startswith(str(a.rating.grade))
    assert page.locator('[data-figure="next-review"]').inner_text().startswith(str(a.review.next_due))
    assert page.locator(".warnings li").count() == len(a.warnings)
    assert page.evaluate("document.documentElement.scrollWidth") <= 350, "no horizontal scrolling at 350 px"
    for label in ["Facility", "New limit (facility currency)", "Reason", "Question"]:
        assert page.get_by_label(label, exact=True).count() == 1, f"labelled control: {label}"
    page.screenshot(path=str(ARTIFACTS / "sidebar-350.png"), full_page=True)

    # Ask about this client inline.
    page.get_by_label("Question").fill("why is it red?")
    page.get_by_role("button", name="Ask").click()
    page.wait_for_function("document.querySelector('#chat-log .a')?.textContent.length > 5", timeout=20000)

    # Propose a limit change: preview first, then confirm.
    facility = a.exposure.facilities[0]
    page.get_by_label("Facility", exact=True).select_option(facility.facility_id)
    page.get_by_label("New limit (facility currency)").fill(str(int(facility.limit) + 10000))
    page.get_by_label("Reason").fill("new contract with a key buyer")
    page.get_by_role("button", name="Check limit change").click()
    page.wait_for_selector("#limit-preview:not([hidden])", timeout=20000)
    assert "Approval chain" in page.locator("#limit-summary").inner_text()
    page.get_by_role("button", name="Confirm and raise request").click()
    page.wait_for_function(
        "document.getElementById('limit-status').textContent.includes('raised')", timeout=20000
    )
    page.screenshot(path=str(ARTIFACTS / "sidebar-350-raised.png"), full_page=True)
    raised = demo_container.approvals.list_raised_by(actor)
    assert [(r.client_id, r.facility_id, r.status) for r in raised] == [
        (NORTH_CLIENT, facility.facility_id, "pending")
    ]
    assert all(u.startswith(base_url) for u in requests), "everything is served locally"


def test_dashboard_shows_the_officers_work(browser, base_url: str, demo_container: Container) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    actor = demo_container.actor(ANNA)
    pa = demo_container.credit_engine.portfolio_for(actor, as_of=demo_container.today())
    summary = demo_container.credit_engine.summary(pa)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{base_url}/dashboard?token={_token(demo_container, '')}")
    assert page.url == f"{base_url}/dashboard", "the launch token is dropped from the address bar"
    assert page.locator('[data-figure="reviews-overdue"]').inner_text() == str(summary.reviews_overdue)
    assert page.locator('[data-figure="watchlist"]').inner_text() == str(min(50, sum(
        1 for _ in demo_container.credit_engine.watchlist(actor, as_of=demo_container.today(), pa=pa))))  # fmt: skip
    for heading in [
        "Reviews due and overdue",
        "Watch-list",
        "Approvals",
        "Contacts due",
        "Portfolio quality",
    ]:
        assert page.get_by_role("heading", name=heading).count() == 1
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
