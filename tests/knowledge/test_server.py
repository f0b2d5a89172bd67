"""The same store against a real Chroma server (`chroma run`) on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from knowledge.client import chroma_client
from knowledge.embeddings import WordLlamaEmbedding
from knowledge.loaders import load_document
from knowledge.store import PolicyStore
from tests.knowledge.conftest import REVIEW_POLICY

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    chroma = Path(sys.executable).parent / "chroma"
    process = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("chroma run did not start")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_store_on_a_chroma_server(chroma_url: str, tmp_path: Path, write: Callable[[str, str], Path]) -> None:
    def open_remote(cache: str) -> PolicyStore:
        return PolicyStore(
            chroma_client(url=chroma_url), embedding=WordLlamaEmbedding(), index_dir=tmp_path / cache
        )

    first = open_remote("a")
    path = write("review.md", REVIEW_POLICY)
    assert first.ingest(load_document(path)) == ("added", 3)
    assert first.ingest(load_document(path)) == ("unchanged", 3)
    other = open_remote("b")  # another process with its own lexical cache: rebuilt from the server
    hit = other.search("who handles exceptions", k=1)[0]
    assert hit.section == "2 Approval > 2.2 Exceptions"
    assert other.remove("review") == 3 and first.search("exceptions") == []


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    from kernel.errors import UpstreamUnavailable

    store = PolicyStore(lambda: chroma_client(url=f"http://127.0.0.1:{_free_port()}"),
                        embedding=WordLlamaEmbedding(), index_dir=tmp_path)  # fmt: skip
    with pytest.raises(UpstreamUnavailable, match="Chroma"):
        store.search("anything")
