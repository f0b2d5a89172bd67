"""/readyz with an assistant model configured: it reports the model and the context size it budgets for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import make_container
from tests.fakes.openai_server import FakeOpenAI

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def test_readyz_reports_the_model_and_its_context(tmp_path: Path, fake: FakeOpenAI) -> None:
    container = make_container(tmp_path / "home", llm_base_url=fake.base_url, llm_model="qwen2.5-1.5b",
                               llm_context_tokens=4096)  # fmt: skip
    model = TestClient(create_app(container)).get("/readyz").json()["checks"]["model"]
    assert model == {"status": "ok", "model": "qwen2.5-1.5b", "context_tokens": 4096}


def test_readyz_says_which_model_is_down(tmp_path: Path) -> None:
    container = make_container(tmp_path / "home", llm_base_url="http://127.0.0.1:9/v1", llm_model="m",
                               llm_context_tokens=8192)  # fmt: skip
    resp = TestClient(create_app(container)).get("/readyz")
    model = resp.json()["checks"]["model"]
    assert resp.status_code == 503 and model["status"] == "unavailable"
    assert model["model"] == "m" and model["context_tokens"] == 8192 and model["detail"] == "ConnectError"
