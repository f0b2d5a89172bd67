"""A local OpenAI-compatible chat server that plays a script: tool calls, final messages, or HTTP errors.

    with FakeOpenAI() as fake:
        fake.script(tool_calls("exposure", client_id=1001), say("ACME is 97% drawn."))
        ChatOpenAI(base_url=fake.base_url, api_key="test", model="fake")…
        fake.requests  # every request body received, in order

It also plays what real small models on llama.cpp / vLLM / Ollama do wrong:
- `tool_calls("no_such_tool")`: an invented tool name; `raw_call(name, '{"client_id": 10')`: arguments that
  are not JSON; `say('{"name": "exposure", "arguments": {…}}')`: the call written as plain text;
- `slow(seconds, step)`: slow prefill (the answer comes after a delay);
- `context_tokens=N`: like llama.cpp, a request whose prompt exceeds N tokens gets HTTP 400
  "exceeds the available context size" (tokens counted as characters / 3, a little above real counts);
  `context_exceeded()` scripts that error once.

What the server says of itself: `n_ctx=N` serves llama.cpp's `GET /props` (`default_generation_settings.n_ctx`;
404 otherwise, as vLLM and OpenAI do); `model_meta={...}` adds fields to the `/v1/models` entry (vLLM's
`max_model_len`, llama.cpp's `meta.n_ctx_train`). `probes` lists the paths of those GETs.

A request with `"stream": true` gets the same step as server-sent `chat.completion.chunk` events, the
content a few characters at a time and each tool call as a name chunk then argument chunks, like
llama.cpp server.

Binds 127.0.0.1 on a free port (port 0) with uvicorn in a thread; reusable by any suite (mark `server`).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections import deque
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse


def tool_calls(*calls: tuple[str, dict[str, Any]] | str, **arguments: Any) -> dict[str, Any]:
    """One scripted assistant message calling tools: tool_calls("rating", client_id=1) or several tuples."""
    items = [(calls[0], arguments)] if len(calls) == 1 and isinstance(calls[0], str) else list(calls)
    return {"tool_calls": [{"id": f"call_{uuid.uuid4().hex[:8]}", "type": "function",
                            "function": {"name": name, "arguments": json.dumps(args)}}
                           for name, args in items]}  # fmt: skip


def raw_call(name: str, arguments: str) -> dict[str, Any]:
    """A tool call whose arguments string is sent as is (e.g. broken JSON)."""
    return {"tool_calls": [{"id": f"call_{uuid.uuid4().hex[:8]}", "type": "function",
                            "function": {"name": name, "arguments": arguments}}]}  # fmt: skip


def say(text: str) -> dict[str, Any]:
    return {"content": text}


def fail(status: int = 500) -> dict[str, Any]:
    return {"status": status}


def slow(seconds: float, step: dict[str, Any]) -> dict[str, Any]:
    return {**step, "delay": seconds}


CONTEXT_ERROR = {"code": 400, "message": "the request exceeds the available context size, try increasing it",
                 "type": "exceed_context_size_error"}  # fmt: skip


def context_exceeded() -> dict[str, Any]:
    return {"status": 400, "error": CONTEXT_ERROR}


def prompt_tokens(body: dict[str, Any]) -> int:
    """The fake's token count of a request: its messages and tools, characters / 3."""
    return len(json.dumps([body.get("messages", []), body.get("tools", [])], ensure_ascii=False)) // 3


STREAM_PIECE = 4  # characters of content per streamed chunk


def _chunks(body: dict[str, Any], step: dict[str, Any]) -> Any:
    """The step as llama.cpp streams it: role, content pieces, tool-call pieces, finish, usage, [DONE]."""
    base = {"id": f"chatcmpl-{uuid.uuid4().hex[:12]}", "object": "chat.completion.chunk",
            "created": int(time.time()), "model": body.get("model", "fake")}  # fmt: skip

    def event(delta: dict[str, Any], finish: str | None = None) -> str:
        chunk = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return f"data: {json.dumps(chunk)}\n\n"

    yield event({"role": "assistant", "content": ""})
    content = step.get("content") or ""
    for i in range(0, len(content), STREAM_PIECE):
        yield event({"content": content[i : i + STREAM_PIECE]})
    for index, call in enumerate(step.get("tool_calls", [])):
        yield event({"tool_calls": [{"index": index, "id": call["id"], "type": "function",
                                     "function": {"name": call["function"]["name"], "arguments": ""}}]})  # fmt: skip
        arguments = call["function"]["arguments"]
        for i in range(0, len(arguments), 8):
            yield event({"tool_calls": [{"index": index, "function": {"arguments": arguments[i : i + 8]}}]})
    yield event({}, "tool_calls" if "tool_calls" in step else "stop")
    usage = {**base, "choices": [], "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
    yield f"data: {json.dumps(usage)}\n\n"
    yield "data: [DONE]\n\n"


class FakeOpenAI:
    def __init__(self, *, context_tokens: int | None = None, n_ctx: int | None = None,
                 model_meta: dict[str, Any] | None = None) -> None:  # fmt: skip
        self.context_tokens = context_tokens
        self.n_ctx = n_ctx
        self.model_meta = model_meta or {}
        self.probes: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self._script: deque[dict[str, Any]] = deque()
        self.app = FastAPI()
        self.app.post("/v1/chat/completions", response_model=None)(self._complete)
        self.app.get("/v1/models")(self._models)
        self.app.get("/props", response_model=None)(self._props)
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def script(self, *steps: dict[str, Any]) -> None:
        self._script.extend(steps)

    def reset(self) -> None:
        """Forget the requests and any steps a previous test left unplayed."""
        self._script.clear()
        self.requests.clear()
        self.context_tokens = None
        self.n_ctx, self.model_meta = None, {}
        self.probes.clear()

    @property
    def remaining(self) -> int:
        return len(self._script)

    async def _models(self) -> dict[str, Any]:
        self.probes.append("/v1/models")
        entry = {"id": "fake-model", "object": "model", "owned_by": "fake", **self.model_meta}
        return {"object": "list", "data": [entry]}

    async def _props(self) -> JSONResponse:
        """llama.cpp server's `/props` (trimmed to what a client reads), or 404 like servers without it."""
        self.probes.append("/props")
        if self.n_ctx is None:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return JSONResponse({"default_generation_settings": {"n_ctx": self.n_ctx, "temperature": 0.8},
                             "total_slots": 1, "model_path": "models/fake-model.gguf"})  # fmt: skip

    async def _complete(self, request: Request) -> JSONResponse | StreamingResponse:
        body = await request.json()
        self.requests.append(body)
        if self.context_tokens is not None and prompt_tokens(body) > self.context_tokens:
            return JSONResponse({"error": {**CONTEXT_ERROR, "n_prompt_tokens": prompt_tokens(body),
                                           "n_ctx": self.context_tokens}}, status_code=400)  # fmt: skip
        step = self._script.popleft() if self._script else {"content": "(script exhausted)"}
        if "delay" in step:
            await asyncio.sleep(step["delay"])
        if "status" in step:
            error = step.get("error", {"message": "scripted failure", "type": "server_error"})
            return JSONResponse({"error": error}, status_code=step["status"])
        if body.get("stream"):
            return StreamingResponse(_chunks(body, step), media_type="text/event-stream")
        message: dict[str, Any] = {"role": "assistant", "content": step.get("content")}
        if "tool_calls" in step:
            message["tool_calls"] = step["tool_calls"]
        return JSONResponse({
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if "tool_calls" in step else "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        })  # fmt: skip

    @property
    def base_url(self) -> str:
        port = self._server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake OpenAI server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
