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

from fastapi import APIRouter
from sse_starlette import EventSourceResponse

from api.deps import ActorDep, ContainerDep
from api.routes.assistant import _conversation, checked_stream
from api.schemas import AskIn

router = APIRouter(prefix="/assistant", tags=["assistant"])


@router.post(
    "/stream",
    summary="Ask; the model's checked sentences stream as `delta` events, then `reply` (the JSON Reply)",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def ask_live(container: ContainerDep, actor: ActorDep, body: AskIn) -> EventSourceResponse:
    return checked_stream(container, actor, _conversation(actor, body), body.text)
