"""The assistant's answer as the model writes it: server-sent events of checked text, then the Reply.

`POST /api/v1/assistant/stream` (body as `POST /ask`). Events, in order:
- `status` `{"status": "thinking"}` at once;
- `delta` `{"text": …}`: the model's text as it is written, one sentence at a time and only sentences that
  passed the answer checks (figures from this conversation's tool results, no tool call written as text, no
  claimed approval). Only with the LLM brain; the offline brain sends none;
- `replace` `{"reason": …, "notice": …}` when deltas were sent but the whole answer then failed its checks
  (or the model failed mid-answer): the client drops the draft and shows the `reply` that follows, with the
  notice saying why;
- `reply`: the JSON `Reply`, which is what counts (its `text` equals the deltas unless `replace` came);
- `done`; or `error` `{"code", "message"}` for a bad request (empty question, …).

Why not stream raw tokens and check afterwards: an invented figure would be on the officer's screen before
the check. Why not only stream after the check: a CPU model writes ~10-15 tokens a second, and a checked
sentence is as safe as the checked whole.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter
from sse_starlette import EventSourceResponse, ServerSentEvent

from api.deps import ActorDep, ContainerDep
from api.routes.assistant import _conversation
from api.schemas import AskIn
from bot.reply import Reply
from kernel.errors import CreditDeskError

router = APIRouter(prefix="/assistant", tags=["assistant"])


@router.post(
    "/stream",
    summary="Ask; the model's checked sentences stream as `delta` events, then `reply` (the JSON Reply)",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def ask_live(container: ContainerDep, actor: ActorDep, body: AskIn) -> EventSourceResponse:
    conversation = _conversation(actor, body)
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, object]] = asyncio.Queue()

    def on_delta(text: str) -> None:  # called on the worker thread
        loop.call_soon_threadsafe(queue.put_nowait, ("delta", text))

    def work() -> None:
        try:
            reply = container.assistant.answer(actor, conversation, body.text, on_delta=on_delta)
            loop.call_soon_threadsafe(queue.put_nowait, ("reply", reply))
        except CreditDeskError as exc:
            loop.call_soon_threadsafe(queue.put_nowait, ("error", exc))
        except BaseException as exc:
            loop.call_soon_threadsafe(queue.put_nowait, ("crash", exc))

    async def events() -> AsyncIterator[ServerSentEvent]:
        yield ServerSentEvent(event="status", data=json.dumps({"status": "thinking"}))
        task = loop.run_in_executor(None, work)
        draft: list[str] = []
        try:
            while True:
                kind, item = await queue.get()
                if kind == "delta":
                    draft.append(str(item))
                    yield ServerSentEvent(event="delta", data=json.dumps({"text": item}, ensure_ascii=False))
                    continue
                if kind == "error":
                    assert isinstance(item, CreditDeskError)
                    yield ServerSentEvent(event="error", data=json.dumps({"code": item.code, "message": item.message},
                                                                         ensure_ascii=False))  # fmt: skip
                    return
                if kind == "crash":
                    raise item  # type: ignore[misc]
                assert isinstance(item, Reply)
                if draft and "".join(draft) != item.text:
                    yield ServerSentEvent(event="replace", data=json.dumps(
                        {"reason": item.degraded_reason, "notice": item.notice}, ensure_ascii=False))  # fmt: skip
                yield ServerSentEvent(event="reply", data=item.model_dump_json())
                yield ServerSentEvent(event="done", data="{}")
                return
        finally:
            await task

    return EventSourceResponse(events(), ping=15)
