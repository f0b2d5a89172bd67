"""/readyz with an assistant model configured: it reports the model, the configured context size, the one
the server reports (asked once, cached) and the one the assistant budgets for (the smaller)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from bot.brains.llm import server
from tests.conftest import make_container
from tests.fakes.openai_server import FakeOpenAI

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as running:
        yield running


@pytest.fixture(autouse=True)
def _fresh(fake: FakeOpenAI) -> None:
    fake.reset()
    server.forget()


def _model_check(tmp_path: Path, fake: FakeOpenAI, configured: int, calls: int = 1) -> dict[str, object]:
    container = make_container(tmp_path / "home", llm_base_url=fake.base_url, llm_model="qwen2.5-1.5b",
                               llm_context_tokens=configured)  # fmt: skip
    client = TestClient(create_app(container))
    for _ in range(calls):
        model = client.get("/readyz").json()["checks"]["model"]
    return model


def test_readyz_reports_the_model_and_its_context(tmp_path: Path, fake: FakeOpenAI) -> None:
    model = _model_check(tmp_path, fake, 4096)  # the server says nothing of its context
    assert model == {"status": "ok", "model": "qwen2.5-1.5b", "context_tokens": 4096,
                     "configured_context_tokens": 4096}  # fmt: skip


def test_readyz_reports_llama_cpp_n_ctx_and_budgets_the_smaller(tmp_path: Path, fake: FakeOpenAI) -> None:
    fake.n_ctx = 2048  # llama.cpp server started with -c 2048, the app configured for 4096
    model = _model_check(tmp_path, fake, 4096, calls=3)
    assert model == {"status": "ok", "model": "qwen2.5-1.5b", "context_tokens": 2048,
                     "configured_context_tokens": 4096, "server_context_tokens": 2048}  # fmt: skip
    assert fake.probes.count("/props") == 1  # asked once, cached


def test_readyz_reads_vllm_max_model_len(tmp_path: Path, fake: FakeOpenAI) -> None:
    fake.model_meta = {"max_model_len": 32768}  # vLLM; larger than configured: the configured size stands
    model = _model_check(tmp_path, fake, 8192)
    assert (model["server_context_tokens"], model["context_tokens"]) == (32768, 8192)


def test_readyz_reads_llama_cpp_n_ctx_train_last(tmp_path: Path, fake: FakeOpenAI) -> None:
    fake.model_meta = {"meta": {"n_ctx_train": 4096, "n_params": 1_500_000_000}}
    model = _model_check(tmp_path, fake, 8192)
    assert (model["server_context_tokens"], model["context_tokens"]) == (4096, 4096)


def test_readyz_says_which_model_is_down(tmp_path: Path) -> None:
    container = make_container(tmp_path / "home", llm_base_url="http://127.0.0.1:9/v1", llm_model="m",
                               llm_context_tokens=8192)  # fmt: skip
    resp = TestClient(create_app(container)).get("/readyz")
    model = resp.json()["checks"]["model"]
    assert resp.status_code == 503 and model["status"] == "unavailable"
    assert model["model"] == "m" and model["context_tokens"] == 8192 and model["detail"] == "ConnectError"
