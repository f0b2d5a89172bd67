"""The assistant: one answer as JSON, or the same answer streamed as server-sent events."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from fastapi import APIRouter
from sse_starlette import EventSourceResponse, ServerSentEvent

from api.deps import ActorDep, ContainerDep
from api.schemas import AskIn
from bot.reply import Reply
from kernel.errors import CreditDeskError
from tools.actor import Actor

if TYPE_CHECKING:
    from creditdesk.wiring import Container

router = APIRouter(prefix="/ask", tags=["assistant"])
CHUNK = re.compile(r"\S+\s*")


def _conversation(actor: Actor, body: AskIn) -> str:
    # Conversations are per officer: a client-chosen id is namespaced so it never reaches another's.
    return f"api:{actor.officer_id}:{body.conversation_id or uuid.uuid4().hex}"


@router.post("", summary="Ask the assistant; the reply carries figures, citations and proposed actions")
def ask(container: ContainerDep, actor: ActorDep, body: AskIn) -> Reply:
    return container.assistant.answer(actor, _conversation(actor, body), body.text)


@router.post(
    "/stream",
    summary="Ask, streamed as server-sent events: `delta` text chunks, then `reply` (the JSON Reply), then `done`",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def ask_stream(container: ContainerDep, actor: ActorDep, body: AskIn) -> EventSourceResponse:
    return checked_stream(container, actor, _conversation(actor, body), body.text)


def checked_stream(container: Container, actor: Actor, conversation: str, text: str) -> EventSourceResponse:
    """The answer as server-sent events (both streaming routes): `status`; `delta`s of the text — with a model,
    each checked sentence as it is written, else the finished answer's text in chunks; `replace` when a streamed
    draft failed its checks and the offline answer replaces it; `reply` (the JSON Reply, which is what counts);
    `done`. A bad request is one `error` event `{"code", "message"}`."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, object]] = asyncio.Queue()

    def on_delta(text: str) -> None:  # called on the worker thread
        loop.call_soon_threadsafe(queue.put_nowait, ("delta", text))

    def work() -> None:
        try:
            reply = container.assistant.answer(actor, conversation, text, on_delta=on_delta)
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
                if (
                    not draft
                ):  # nothing was written as it came (the offline brain): the answer's text in chunks
                    for chunk in CHUNK.findall(item.text):
                        yield ServerSentEvent(
                            event="delta", data=json.dumps({"text": chunk}, ensure_ascii=False)
                        )
                elif "".join(draft) != item.text:
                    yield ServerSentEvent(event="replace", data=json.dumps(
                        {"reason": item.degraded_reason, "notice": item.notice}, ensure_ascii=False))  # fmt: skip
                yield ServerSentEvent(event="reply", data=item.model_dump_json())
                yield ServerSentEvent(event="done", data="{}")
                return
        finally:
            await task

    return EventSourceResponse(events(), ping=15)
