"""The LLM brain: `create_agent` over an OpenAI-compatible endpoint, with the registry's tools.

- the acting officer is injected through the run context (`AgentContext`), never a tool argument;
- a step limit ends a run that keeps calling the model; tool errors go back to the model as messages;
- memory is a LangGraph checkpointer keyed by (officer, conversation);
- an unreachable, failing or slow endpoint raises `UpstreamUnavailable` (no retries: one request per step),
  and the Assistant answers the turn offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import openai
from langchain.agents import create_agent
from langchain.agents.middleware import ModelCallLimitMiddleware, ToolErrorMiddleware
from langchain.agents.middleware.types import ToolCallRequest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_openai import ChatOpenAI

from bot.brains.llm.checkpoint import open_checkpointer
from bot.brains.llm.prompts import SYSTEM_PROMPT
from bot.brains.llm.tools import AgentContext, agent_tools
from bot.conversations import ConversationState
from bot.facts import citations_for, figures_for
from bot.reply import Action, Reply, ToolCall
from kernel.errors import CreditDeskError, UpstreamUnavailable
from tools.actor import Actor
from tools.assistant_tools.models import PolicySearch, PreparedApproval
from tools.assistant_tools.toolbox import Toolbox

MAX_MODEL_CALLS = 8


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str = "none"
    timeout_s: float = 30.0
    temperature: float = 0.0


def _tool_error(exc: Exception, request: ToolCallRequest) -> str:
    if isinstance(exc, CreditDeskError):
        return f"{request.tool_call['name']} failed ({exc.code}): {exc.message}"
    return f"{request.tool_call['name']} failed unexpectedly; do not retry it"


def _thread(actor: Actor, conversation_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": f"{actor.officer_id}:{conversation_id}"}}


class LLMBrain:
    def __init__(self, toolbox: Toolbox, *, config: LLMConfig, checkpoint_url: str) -> None:
        self.toolbox = toolbox
        model = ChatOpenAI(base_url=config.base_url, api_key=config.api_key, model=config.model,  # type: ignore[arg-type]
                           timeout=config.timeout_s, max_retries=0, temperature=config.temperature,
                           use_responses_api=False)  # fmt: skip
        self.agent = create_agent(
            model, agent_tools(), system_prompt=SYSTEM_PROMPT, context_schema=AgentContext,
            checkpointer=open_checkpointer(checkpoint_url),
            middleware=[ModelCallLimitMiddleware(run_limit=MAX_MODEL_CALLS, exit_behavior="end"),
                        ToolErrorMiddleware(on_error=_tool_error)],
        )  # fmt: skip

    def answer(self, actor: Actor, conversation_id: str, text: str, state: ConversationState) -> Reply:
        ctx = AgentContext(actor=actor, toolbox=self.toolbox)
        try:
            result = self.agent.invoke({"messages": [HumanMessage(text)]}, config=_thread(actor, conversation_id),
                                       context=ctx)  # fmt: skip
        except (openai.APIError, httpx.HTTPError) as exc:
            raise UpstreamUnavailable(f"the assistant model is unavailable ({type(exc).__name__})") from exc
        final = next((m for m in reversed(result["messages"]) if isinstance(m, AIMessage)), None)
        return self._reply(final.text if final is not None else "", ctx)

    def record_fallback(self, actor: Actor, conversation_id: str, reply: Reply) -> None:
        """Keep the model's memory true: the turn it missed was answered offline with this text."""
        self.agent.update_state(_thread(actor, conversation_id), {"messages": [AIMessage(reply.text)]},
                                as_node="model")  # fmt: skip

    @staticmethod
    def _reply(text: str, ctx: AgentContext) -> Reply:
        reply = Reply(text=text, brain="llm")
        for out in ctx.outcomes:
            reply.tool_calls.append(ToolCall(name=out.name, arguments=out.arguments, outcome=out.outcome,  # type: ignore[arg-type]
                                             message=out.message))  # fmt: skip
            if out.result is None:
                continue
            reply.figures += figures_for(out.name, out.result)
            if isinstance(out.result, PolicySearch):
                reply.citations += citations_for(out.result, start=len(reply.citations) + 1)
            if isinstance(out.result, PreparedApproval):
                reply.actions.append(Action(kind="raise_approval_request", label="Raise approval request",
                                            arguments=out.result.arguments,
                                            summary=[f"{out.result.kind} for client {out.result.client_id}"]))  # fmt: skip
        return reply
