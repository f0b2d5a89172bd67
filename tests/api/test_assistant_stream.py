"""POST /api/v1/assistant/stream: the model's checked sentences as server-sent events, then the Reply.

Through the real app, langchain-openai streaming from the fake OpenAI-compatible server."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from creditdesk.wiring import Container
from tests.conftest import make_container
from tests.fakes.openai_server import FakeOpenAI, say, tool_calls

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def book(_demo_template: Path, tmp_path: Path, fake: FakeOpenAI) -> Container:
    fake.reset()
    home = tmp_path / "home"
    shutil.copytree(_demo_template, home)
    return make_container(home, llm_base_url=fake.base_url, llm_model="fake-model", llm_timeout_s=10)


def _events(client: TestClient, headers: dict[str, str], text: str,
            path: str = "/api/v1/assistant/stream") -> list[tuple[str, dict]]:  # type: ignore[type-arg]  # fmt: skip
    with client.stream("POST", path, json={"text": text}, headers=headers) as resp:
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
        body = "".join(resp.iter_text())
    out = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            out.append((lines["event"], json.loads(lines["data"])))
    return out


def test_checked_sentences_stream_then_the_reply(book: Container, fake: FakeOpenAI) -> None:
    anna = {"Authorization": f"Bearer {book.tokens.create('rm.anna').token}"}
    fake.script(tool_calls("exposure", client_id=1001), say("ACME is drawn as shown. Ask me for more"))
    events = _events(TestClient(create_app(book)), anna, "how drawn is ACME?")
    kinds = [k for k, _ in events]
    assert kinds == ["status", "delta", "delta", "reply", "done"]
    assert [d["text"] for k, d in events if k == "delta"] == ["ACME is drawn as shown.", " Ask me for more"]
    reply = events[3][1]
    assert reply["brain"] == "llm" and reply["text"] == "ACME is drawn as shown. Ask me for more"
    assert all(r.get("stream") for r in fake.requests)


def test_a_draft_that_fails_its_checks_is_replaced_with_the_offline_answer(
    book: Container, fake: FakeOpenAI
) -> None:
    anna = {"Authorization": f"Bearer {book.tokens.create('rm.anna').token}"}
    truth = book.credit_engine.assess_client(book.actor("rm.anna"), 1001, as_of=book.today())
    assert round(truth.exposure.utilisation * 100, 1) != 42.7
    fake.script(tool_calls("exposure", client_id=1001), say("Here is ACME. It is 42.7% drawn."))
    events = _events(TestClient(create_app(book)), anna, "how drawn is ACME?")
    kinds = [k for k, _ in events]
    assert kinds == ["status", "delta", "replace", "reply", "done"]
    assert events[1][1] == {"text": "Here is ACME."}  # the checked sentence; the invented one never went out
    assert events[2][1]["reason"] == "unverified_answer" and events[2][1]["notice"]
    assert events[3][1]["degraded"] and "42.7" not in events[3][1]["text"]


def test_an_empty_question_is_an_error_event(book: Container) -> None:
    anna = {"Authorization": f"Bearer {book.tokens.create('rm.anna').token}"}
    with TestClient(create_app(book)) as client:
        resp = client.post("/api/v1/assistant/stream", json={"text": "   "}, headers=anna)
    assert "event: error" in resp.text and "invalid_input" in resp.text


@pytest.mark.parametrize("path", ["/api/v1/ask/stream", "/api/v1/assistant/stream"])
def test_without_a_model_both_routes_stream_the_answer_text_in_chunks(
    _demo_template: Path, tmp_path: Path, path: str
) -> None:
    """One event stream behind both routes: with the offline brain the deltas are the finished answer's text."""
    home = tmp_path / "home"
    shutil.copytree(_demo_template, home)
    book = make_container(home)
    anna = {"Authorization": f"Bearer {book.tokens.create('rm.anna').token}"}
    with TestClient(create_app(book)) as client:
        events = _events(client, anna, "what is the utilisation of ACME Holdings?", path)
    kinds = [k for k, _ in events]
    assert kinds[0] == "status" and kinds[-2:] == ["reply", "done"] and "replace" not in kinds
    deltas = [d["text"] for k, d in events if k == "delta"]
    reply = events[-2][1]
    assert len(deltas) > 1 and "".join(deltas) == reply["text"] and "ACME Holdings" in reply["text"]
