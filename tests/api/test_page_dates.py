"""Dates on the sidebar and dashboard are written the page's way (31 Mar 2026 / 2026年3月31日), never ISO (#18)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.launch import sign_launch
from creditdesk.wiring import Container
from tests.api.conftest import NORTH_CLIENT
from tests.api.test_pages_language import _page_text

ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _pages(client: TestClient, demo_container: Container, lang: str) -> list[str]:
    key = demo_container.settings.sidebar_key
    token = sign_launch(key, "rm.anna", str(NORTH_CLIENT))  # type: ignore[arg-type]
    pages = [client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": token, "lang": lang}).text]
    client.get("/dashboard", params={"token": sign_launch(key, "rm.anna", "")})  # type: ignore[arg-type]
    pages.append(client.get("/dashboard", params={"lang": lang}).text)
    return [_page_text(p) for p in pages]


def test_no_iso_date_on_the_pages(client: TestClient, demo_container: Container) -> None:
    today = demo_container.today()  # the demo book's as-of date, written by hand both ways
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    for lang, written in (("en", f"{today.day:02d} {months[today.month - 1]} {today.year}"),
                          ("zh", f"{today.year}年{today.month}月{today.day}日")):  # fmt: skip
        sidebar, dashboard = _pages(client, demo_container, lang)
        for shown in (sidebar, dashboard):
            assert not ISO.search(shown), (lang, ISO.findall(shown))
        assert written in sidebar and written in dashboard, (lang, written)


def test_the_sidebar_chart_writes_months_the_page_s_way(
    client: TestClient, demo_container: Container
) -> None:
    key = demo_container.settings.sidebar_key
    for lang, month in (("en", r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d"),
                        ("zh", r"20\d\d年(?:[1-9]|1[0-2])月")):  # fmt: skip
        token = sign_launch(key, "rm.anna", str(NORTH_CLIENT))  # type: ignore[arg-type]
        html = client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": token, "lang": lang}).text
        chart = html[
            html.index('<svg class="history"') : html.index("</figure>", html.index('<svg class="history"'))
        ]
        assert not re.search(r"\b20\d\d-\d\d\b", chart), (lang, re.findall(r"\b20\d\d-\d\d\b", chart))
        # the axis labels (first, middle, last month) and every bar's and dot's tooltip
        assert len(re.findall(month, chart)) >= 3, (lang, chart[-600:])
