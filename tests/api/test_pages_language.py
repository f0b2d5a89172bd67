"""The sidebar and dashboard speak the page's language down to the engine's own sentences: a warning is
rendered from its code and parameters, not shown as the engine's English text (#14, #18)."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from api.launch import sign_launch
from creditdesk.wiring import Container
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
