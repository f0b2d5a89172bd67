"""The assistant: one answer as JSON, or the same answer streamed as server-sent events."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from sse_starlette import EventSourceResponse, ServerSentEvent

from api.deps import ActorDep, ContainerDep
from api.schemas import AskIn
from bot.reply import Reply
from tools.actor import Actor

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
    conversation = _conversation(actor, body)

    async def events() -> AsyncIterator[ServerSentEvent]:
        yield ServerSentEvent(event="status", data=json.dumps({"status": "thinking"}))
        reply: Reply = await run_in_threadpool(container.assistant.answer, actor, conversation, body.text)
        for chunk in CHUNK.findall(reply.text):
            yield ServerSentEvent(event="delta", data=json.dumps({"text": chunk}))
        yield ServerSentEvent(event="reply", data=reply.model_dump_json())
        yield ServerSentEvent(event="done", data="{}")

    return EventSourceResponse(events(), ping=15)
