from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np
import pytest
from chromadb.utils.embedding_functions import known_embedding_functions

from kernel.errors import InvalidInput, UpstreamUnavailable
from knowledge import embeddings
from knowledge.embeddings import (
    OpenAICompatibleEmbedding,
    SentenceTransformerEmbedding,
    WordLlamaEmbedding,
    make_embedding,
)
from knowledge.loaders import load_document
from tests.knowledge.conftest import REVIEW_POLICY, open_store


def test_wordllama_loads_from_the_package_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the default embedding must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    embeddings._wordllama.cache_clear()
    vectors = WordLlamaEmbedding()(["credit line review", "授信额度"])
    assert len(vectors) == 2 and vectors[0].shape == (256,)
    assert np.allclose(np.linalg.norm(np.stack(vectors), axis=1), 1.0, atol=1e-5)
    assert WordLlamaEmbedding(dim=64)(["x"])[0].shape == (64,)


@pytest.mark.parametrize(
    "ef",
    [
        WordLlamaEmbedding(128),
        OpenAICompatibleEmbedding("http://h/v1", "m"),
        SentenceTransformerEmbedding("/m"),
    ],
)
def test_functions_are_registered_and_rebuild_from_config(ef) -> None:  # type: ignore[no-untyped-def]
    assert known_embedding_functions[ef.name()] is type(ef)
    config = ef.get_config()
    assert "api_key" not in json.dumps(config).replace("api_key_env_var", "")
    assert type(ef).build_from_config(config).get_config() == config
    assert not ef.is_legacy()


def test_openai_compatible_endpoint() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert (
            request.url == "http://llm.local/v1/embeddings" and request.headers["authorization"] == "Bearer k"
        )
        body = json.loads(request.content)
        rows = [{"index": i, "embedding": [float(len(t)), 1.0]} for i, t in enumerate(body["input"])]
        return httpx.Response(200, json={"data": rows[::-1]})

    ef = OpenAICompatibleEmbedding("http://llm.local/v1/", "emb", api_key="k", transport=httpx.MockTransport(handler),
                                   batch_size=2)  # fmt: skip
    assert [list(v) for v in ef(["a", "bbb", "cc"])] == [[1.0, 1.0], [3.0, 1.0], [2.0, 1.0]]
    down = OpenAICompatibleEmbedding("http://llm.local/v1", "emb",
                                     transport=httpx.MockTransport(lambda r: httpx.Response(503)))  # fmt: skip
    with pytest.raises(UpstreamUnavailable, match="llm.local"):
        down(["a"])


def test_sentence_transformers_missing_gives_a_clear_error() -> None:
    with pytest.raises(UpstreamUnavailable, match="pip install sentence-transformers"):
        SentenceTransformerEmbedding("/models/mini")(["a"])


def test_make_embedding_from_settings_values() -> None:
    assert isinstance(make_embedding("wordllama"), WordLlamaEmbedding)
    assert make_embedding("wordllama:64").get_config() == {"dim": 64}
    assert make_embedding("openai", base_url="http://x/v1", model="m").get_config()["model"] == "m"
    assert make_embedding("sentence-transformers:/m").get_config() == {"model_path": "/m"}
    for spec, kwargs in [("openai", {}), ("bert", {}), ("wordllama:big", {}), ("sentence-transformers", {})]:
        with pytest.raises(InvalidInput):
            make_embedding(spec, **kwargs)


def test_collection_reopens_in_a_fresh_process(tmp_path: Path, write: Callable[[str, str], Path]) -> None:
    store = open_store(tmp_path / "home")
    store.ingest(load_document(write("review.md", REVIEW_POLICY)))
    script = f"""
import chromadb, knowledge.embeddings
client = chromadb.PersistentClient(path={str(tmp_path / "home" / "chroma")!r})
collection = client.get_collection({store.name!r})  # no function passed: Chroma builds ours from config
hit = collection.query(query_texts=["approval exceptions"], n_results=1)
print(type(collection.configuration["embedding_function"]).__name__, hit["metadatas"][0][0]["section"])
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "WordLlamaEmbedding 2 Approval > 2.2 Exceptions"
