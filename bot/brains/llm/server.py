"""What the model server says its context size is, asked once per process (short timeout, cached).

The configured `llm_context_tokens` is what an operator believes; the server knows what it loaded. Asked in
this order, the first answer wins:

- llama.cpp server: `GET <root>/props` → `default_generation_settings.n_ctx` (the context per slot; also read
  at the top level, where older builds put `n_ctx`);
- vLLM: `GET <base>/models` → the served model's `max_model_len`;
- llama.cpp's `/v1/models` → the model's `meta.n_ctx_train` (the context it was trained for: an upper bound).

`server_context_tokens(base_url, model)` is that size, or None when the server says nothing usable or cannot
be reached (then the configured size stands). A success is kept for the process; a failure is asked again
after `RETRY_AFTER_S`, so a model server started after the app is picked up without asking on every turn.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

TIMEOUT_S = 2.0
RETRY_AFTER_S = 60.0

_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[int | None, float]] = {}  # (base_url, model) -> (size, asked at)


def server_context_tokens(base_url: str, model: str, api_key: str | None = None, *,
                          timeout_s: float = TIMEOUT_S) -> int | None:  # fmt: skip
    key = (base_url.rstrip("/"), model)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and (cached[0] is not None or time.monotonic() - cached[1] < RETRY_AFTER_S):
            return cached[0]
        size = _ask(key[0], model, api_key, timeout_s)
        _cache[key] = (size, time.monotonic())
        return size


def effective_context_tokens(configured: int, server: int | None) -> int:
    """The context the budget follows: the smaller of the configured size and the server's, when it says."""
    return configured if server is None else min(configured, server)


def forget() -> None:
    """Drop every cached answer (tests; a reconfigured process)."""
    with _lock:
        _cache.clear()


def _ask(base_url: str, model: str, api_key: str | None, timeout_s: float) -> int | None:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    root = base_url[: -len("/v1")] if base_url.endswith("/v1") else base_url
    with httpx.Client(timeout=timeout_s, headers=headers) as http:
        size = _positive(_props_n_ctx(_get(http, f"{root}/props")))
        if size is None:
            size = _models_n_ctx(_get(http, f"{base_url}/models"), model)
    return size


def _get(http: httpx.Client, url: str) -> Any:
    try:
        response = http.get(url)
        response.raise_for_status()
        return response.json()
    except (
        httpx.HTTPError,
        ValueError,
    ):  # unreachable, an error status, or not JSON: the server says nothing
        return None


def _props_n_ctx(props: Any) -> object:
    if not isinstance(props, dict):
        return None
    settings = props.get("default_generation_settings")
    if isinstance(settings, dict) and settings.get("n_ctx") is not None:
        return settings["n_ctx"]
    return props.get("n_ctx")


def _models_n_ctx(listing: Any, model: str) -> int | None:
    entries = listing.get("data") if isinstance(listing, dict) else None
    if not isinstance(entries, list) or not entries:
        return None
    chosen = [e for e in entries if isinstance(e, dict) and e.get("id") == model]
    if not chosen and len(entries) == 1 and isinstance(entries[0], dict):
        chosen = entries  # a server that serves one model under another name (llama.cpp: its file name)
    for entry in chosen:
        meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
        size = _positive(entry.get("max_model_len")) or _positive(meta.get("n_ctx_train"))  # type: ignore[union-attr]
        if size is not None:
            return size
    return None


def _positive(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number > 0 else None
