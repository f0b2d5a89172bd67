"""The registry's tools as LangChain tools. The actor comes from the run's context, never from the model.

A result goes back to the model capped (`AgentContext.result_chars`, from the context budget; lists keep
their first items and their total) and framed as data (`<data tool="…">…</data>`); the full result stays
in `AgentContext.outcomes` for the reply's figures and for checking the model's text.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from langchain.tools import ToolRuntime
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, ConfigDict

from bot.brains.llm.budget import compact_json, frame
from tools.actor import Actor
from tools.assistant_tools.registry import TOOLS, ToolOutcome, ToolSpec, call_tool
from tools.assistant_tools.toolbox import Toolbox

DEFAULT_RESULT_CHARS = 6_000


@dataclass
class AgentContext:
    """Per-run context the runtime injects: who acts, with which tools, the limits of this turn and the
    calls made so far."""

    actor: Actor
    toolbox: Toolbox
    tools: list[str] = field(default_factory=lambda: list(TOOLS))
    result_chars: int = DEFAULT_RESULT_CHARS
    deadline: float = float("inf")  # time.monotonic() by which the turn must be answered
    outcomes: list[ToolOutcome] = field(default_factory=list)

    def remaining_s(self) -> float:
        return self.deadline - time.monotonic()


def _tool(spec: ToolSpec) -> BaseTool:
    def run(runtime: ToolRuntime[AgentContext], **arguments: Any) -> str:
        ctx = runtime.context
        outcome = call_tool(ctx.toolbox, ctx.actor, spec.name, arguments)
        ctx.outcomes.append(outcome)
        if outcome.error is not None:
            raise outcome.error  # returned to the model as an error message by the middleware
        assert outcome.result is not None
        text = outcome.result.model_dump_json(exclude_none=True)
        return frame(spec.name, compact_json(text, ctx.result_chars))

    if not spec.args.model_fields:  # LangChain drops the injected runtime of a tool whose schema has no
        # fields (my_clients, concentration_report failed unlogged); inferring the schema keeps it.
        def run_bare(runtime: ToolRuntime[AgentContext]) -> str:
            return run(runtime)

        return StructuredTool.from_function(func=run_bare, name=spec.name, description=spec.description)

    # The runtime is injected next to the model's arguments, so the schema here must let it through;
    # `call_tool` validates the model's arguments strictly.
    schema: type[BaseModel] = type(
        spec.args.__name__, (spec.args,), {"model_config": ConfigDict(extra="ignore")}
    )
    return StructuredTool.from_function(func=run, name=spec.name, description=spec.description,
                                        args_schema=schema)  # fmt: skip


def agent_tools() -> list[BaseTool]:
    return [_tool(spec) for spec in TOOLS.values()]
