"""The sidebar and dashboard speak the page's language down to the engine's own sentences: a warning is
rendered from its code and parameters, not shown as the engine's English text (#14, #18)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from api.launch import sign_launch
from creditdesk.wiring import Container
from crm_adapter.protocol import ClientFilter
from kernel.catalogue import render
from tests.api.conftest import NORTH_CLIENT


def test_chinese_sidebar_shows_warnings_in_chinese(client: TestClient, demo_container: Container) -> None:
    actor = demo_container.actor("rm.anna")
    a = demo_container.credit_engine.assess_client(actor, NORTH_CLIENT, as_of=demo_container.today())
    assert a.warnings and all(w.msg is not None for w in a.warnings)
    token = sign_launch(demo_container.settings.sidebar_key, "rm.anna", str(NORTH_CLIENT))  # type: ignore[arg-type]
    page = html.unescape(client.get(f"/sidebar/{NORTH_CLIENT}", params={"token": token, "lang": "zh"}).text)
    for w in a.warnings:
        assert render(w.msg, "zh") in page
        assert w.message not in page  # the English sentence is not shown to a Chinese reader
    english = html.unescape(client.get(f"/sidebar/{NORTH_CLIENT}", params={"lang": "en"}).text)
    assert all(w.message in english for w in a.warnings)  # English pages keep the engine's own sentence


def _page_text(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_chinese_sidebar_and_dashboard_hold_no_english_words(
    client: TestClient, demo_container: Container
) -> None:
    clients = demo_container.adapter.list_clients(ClientFilter(limit=100_000))
    names = sorted({c.name for c in clients} | {o.name for o in demo_container.adapter.list_officers()},
                   key=len, reverse=True)  # fmt: skip
    # kept in Latin letters: the product's name, file formats, the CLI command a page tells you to run, the
    # policy version id, currency codes and the CRM's own ids (CRM-0001001)
    allowed = {"Credit", "Desk", "PDF", "DOCX", "CRM", "creditdesk", "review", "run", "default", "USD"}
    key = demo_container.settings.sidebar_key
    pages = []
    for ref in (NORTH_CLIENT, 1004):
        token = sign_launch(key, "rm.anna", str(ref))  # type: ignore[arg-type]
        pages.append(client.get(f"/sidebar/{ref}", params={"token": token, "lang": "zh"}).text)
    client.get("/dashboard", params={"token": sign_launch(key, "rm.anna", "")})  # type: ignore[arg-type]
    pages.append(client.get("/dashboard", params={"lang": "zh"}).text)
    for page in pages:
        shown = _page_text(page)
        for name in names:
            shown = shown.replace(name, " ")
        assert [w for w in re.findall(r"[A-Za-z]{3,}", shown) if w not in allowed] == []
