"""Chroma clients: embedded on disk by default, HTTP when a server URL is configured. Telemetry is off."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kernel.errors import InvalidInput, UpstreamUnavailable

if TYPE_CHECKING:
    from chromadb.api import ClientAPI


def chroma_client(*, path: Path | None = None, url: str | None = None) -> ClientAPI:
    """`HttpClient` for `url` (e.g. http://chroma:8000), else a `PersistentClient` in `path`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput(f"Chroma URL '{url}' must look like http://host:port", field="chroma_url")
        ssl = parts.scheme == "https"
        try:
            return chromadb.HttpClient(host=parts.hostname, port=parts.port or (443 if ssl else 8000), ssl=ssl,
                                       settings=settings)  # fmt: skip
        except Exception as exc:  # connection refused, DNS, TLS: the server is not there
            raise UpstreamUnavailable(f"cannot reach the Chroma server at {url}: {exc}") from exc
    if path is None:
        raise InvalidInput("an embedded Chroma store needs a folder", field="chroma_path")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)
