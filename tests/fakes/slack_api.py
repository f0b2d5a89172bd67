"""A local fake of the Slack Web API: a stdlib HTTP server on a free loopback port that records calls.

Pass `fake.url` to `WebClient(base_url=...)`; response URLs and file uploads point back to it too.
Every payload it receives is checked against slack_sdk's Block Kit models and Slack's published limits
(tests/fakes/slack_limits.py); `violations` lists what broke a rule, and the Slack test fixture fails a
test that leaves any. `rate_limit(method)` makes the next calls answer 429 with a Retry-After header.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from tests.fakes.slack_limits import check_call

BOT_USER_ID = "UBOT0001"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    response: dict[str, Any] = field(default_factory=dict)


@dataclass
class FakeSlackAPI:
    calls: list[Call] = field(default_factory=list)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    violations: list[str] = field(default_factory=list)
    limited: list[str] = field(default_factory=list)  # methods answered 429 (each attempt)
    _rate_limits: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> FakeSlackAPI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                method = self.path.strip("/").split("?")[0]
                if method.startswith("upload/"):  # the file bytes of files_upload_v2
                    params: dict[str, Any] = {"bytes": len(raw)}
                else:
                    params = fake._parse(raw, self.headers.get("Content-Type") or "")
                retry_after = fake._take_rate_limit(method)
                if retry_after is not None:
                    body = json.dumps({"ok": False, "error": "ratelimited"}).encode()
                    self.send_response(429)
                    self.send_header("Retry-After", str(retry_after))
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                response = fake._respond(method, params)
                problems = check_call(method, params)
                with fake._lock:
                    fake.calls.append(Call(method, params, response))
                    fake.violations.extend(f"{method}: {p}" for p in problems)
                body = json.dumps(response).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- what tests read ---------------------------------------------------------------------------
    def of(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.params for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 60.0) -> list[dict[str, Any]]:
        """Calls of `method` once at least `count` arrived (listeners run after the ack, in threads)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(found := self.of(method)) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} call(s) of {method}; got {[c.method for c in self.calls]}")

    def wait_until(
        self, method: str, matches: Callable[[dict[str, Any]], bool], timeout: float = 60.0
    ) -> dict[str, Any]:
        """The first call of `method` whose params satisfy `matches` (order of arrival does not matter)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = next((p for p in self.of(method) if matches(p)), None)
            if found is not None:
                return found
            time.sleep(0.02)
        raise AssertionError(f"no matching call of {method}; got {[c.method for c in self.calls]}")

    def settle(self, seconds: float = 0.4) -> None:
        """Give background listeners time to (not) call, before asserting an absence."""
        time.sleep(seconds)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()

    def posted_ts(self, params: dict[str, Any]) -> str:
        """The ts the fake answered for the call made with `params`."""
        with self._lock:
            call = next(c for c in self.calls if c.params is params)
        return str(call.response.get("ts"))

    def rate_limit(self, method: str, *, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 429 and `Retry-After: retry_after`."""
        with self._lock:
            self._rate_limits[method] = (times, retry_after)

    def _take_rate_limit(self, method: str) -> int | None:
        with self._lock:
            times, retry_after = self._rate_limits.get(method, (0, 0))
            if times <= 0:
                return None
            self._rate_limits[method] = (times - 1, retry_after)
            self.limited.append(method)
            return retry_after

    # --- the fake's behaviour ----------------------------------------------------------------------------
    @staticmethod
    def _parse(raw: bytes, content_type: str) -> dict[str, Any]:
        if not raw:
            return {}
        if "json" in content_type:
            return json.loads(raw)
        if "x-www-form-urlencoded" in content_type:
            params: dict[str, Any] = dict(parse_qsl(raw.decode()))
            for key in ("blocks", "view", "files", "attachments"):
                if isinstance(params.get(key), str) and params[key][:1] in "[{":
                    params[key] = json.loads(params[key])
            return params
        return {"raw": raw.decode()}

    def _respond(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"1700000000.{next(self._ts):06d}"
        channel = params.get("channel") or params.get("channel_id")
        responses: dict[str, dict[str, Any]] = {
            "auth.test": {"user_id": BOT_USER_ID, "bot_id": "B0001", "team_id": "T0001", "team": "Bank"},
            "chat.postMessage": {"channel": channel, "ts": ts, "message": {"ts": ts}},
            "chat.update": {"channel": channel, "ts": params.get("ts")},
            "chat.postEphemeral": {"message_ts": ts},
            "conversations.open": {"channel": {"id": f"D{params.get('users', 'X')}"}},
            "views.open": {"view": {"id": f"V{ts[-6:]}"}},
            "views.publish": {"view": {"id": f"V{ts[-6:]}"}},
            "files.info": {"file": {"id": params.get("file")}},
            "files.getUploadURLExternal": {
                "upload_url": f"{self.url}upload/F{ts[-6:]}",
                "file_id": f"F{ts[-6:]}",
            },
            "files.completeUploadExternal": {"files": [{"id": f["id"]} for f in json.loads(params["files"])]}
            if isinstance(params.get("files"), str)
            else {"files": [{"id": f["id"]} for f in params.get("files", [])]},
        }
        return {"ok": True, **responses.get(method, {})}
