"""my_clients and concentration_report called by the model with no arguments: they run (and are audited
as tool calls) instead of failing unlogged ("failed unexpectedly")."""

from __future__ import annotations

import pytest

from tests.bot.conftest import anna, book, toolbox  # noqa: F401 - the assistant fixtures
from tests.bot.test_llm_brain import checkpoint_url, fake, make_assistant  # noqa: F401
from tests.fakes.openai_server import say, tool_calls

pytestmark = pytest.mark.server


@pytest.mark.parametrize("checkpoint_url", ["sqlite"], indirect=True)
def test_tools_without_arguments_run(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fake.script(tool_calls(("my_clients", {}), ("concentration_report", {}), ("my_pending_approvals", {})),
                say("done"))  # fmt: skip
    reply = make_assistant().answer(anna, "noargs-1", "my clients, concentration and my approvals?")
    assert sorted((c.name, c.outcome) for c in reply.tool_calls) == [
        ("concentration_report", "ok"),
        ("my_clients", "ok"),
        ("my_pending_approvals", "ok"),
    ]
    answers = [m["content"] for m in fake.requests[1]["messages"] if m["role"] == "tool"]
    assert len(answers) == 3 and not any("failed" in a for a in answers)
    assert any('"client_id":1001' in a for a in answers)
