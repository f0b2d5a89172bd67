"""The LLM brain through a real HTTP path: langchain-openai → a local fake OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.brains.llm.agent import LLMBrain, LLMConfig
from bot.brains.offline.brain import OfflineBrain
from bot.conversations import ConversationStore
from tests.fakes.openai_server import FakeOpenAI, fail, say, tool_calls

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def checkpoint_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the agent's memory lives: an SQLite file, or PostgreSQL (the app's database in production)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'conversations.db'}"
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def make_assistant(book, toolbox, fake: FakeOpenAI, checkpoint_url: str):  # type: ignore[no-untyped-def]
    fake.requests.clear()
    url = checkpoint_url

    def build() -> Assistant:  # a fresh "process": new brain, new checkpointer connection, same files
        llm = LLMBrain(toolbox, config=LLMConfig(base_url=fake.base_url, model="fake-model", api_key="test",
                                                 timeout_s=5), checkpoint_url=url)  # fmt: skip
        return Assistant(brain=llm, fallback=OfflineBrain(toolbox), conversations=ConversationStore(book.engine),
                         turn_scope=toolbox.turn)  # fmt: skip

    return build


def test_multi_tool_turn(make_assistant, fake, anna, book) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls(("exposure", {"client_id": 1001}), ("review_status", {"client_id": 1001})),
                say("ACME is heavily drawn; its review is not overdue."))  # fmt: skip
    reply = make_assistant().answer(anna, "llm-1", "utilisation and review of ACME?")
    assert reply.brain == "llm" and not reply.degraded
    assert sorted((c.name, c.outcome) for c in reply.tool_calls) == [
        ("exposure", "ok"),
        ("review_status", "ok"),
    ]
    truth = book.credit_engine.assess_client(anna, 1001, as_of=book.today())
    assert {f.label: f.value for f in reply.figures}["Utilisation"] == truth.exposure.utilisation
    assert reply.text == "ACME is heavily drawn; its review is not overdue."
    tools_offered = {t["function"]["name"] for t in fake.requests[0]["tools"]}
    assert "prepare_approval_request" in tools_offered and "raise_request" not in tools_offered
    for tool in fake.requests[0]["tools"]:  # the actor is never a model-visible argument
        assert not {"actor", "officer_id", "runtime"} & set(tool["function"]["parameters"]["properties"])


def test_out_of_scope_client_is_refused_by_the_tool(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("exposure", client_id=1002), say("I can't see that client."))
    reply = make_assistant().answer(anna, "llm-2", "utilisation of ACME Logistics")
    assert reply.tool_calls[0].outcome == "not_found"
    error_message = fake.requests[1]["messages"][-1]
    assert error_message["role"] == "tool" and "client 1002 not found" in error_message["content"]
    assert not reply.figures


def test_tool_error_goes_back_to_the_model(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("rating", client_id=999999), say("There is no such client."))
    reply = make_assistant().answer(anna, "llm-3", "rating of client 999999")
    assert reply.tool_calls[0].outcome == "not_found"
    error_message = fake.requests[1]["messages"][-1]
    assert error_message["role"] == "tool" and "999999 not found" in error_message["content"]
    assert reply.text == "There is no such client."


def test_model_500_mid_conversation_is_answered_offline_once(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    assistant = make_assistant()
    fake.script(tool_calls("client_profile", client_id=1003), say("Globex is a wholesale client."))
    assistant.answer(anna, "llm-4", "tell me about globex")
    fake.requests.clear()
    fake.script(fail(500))
    reply = assistant.answer(anna, "llm-4", "and its utilisation?")
    assert len(fake.requests) == 1  # no retry, no duplicate request
    assert reply.degraded and reply.brain == "offline"
    assert any(c.name == "exposure" and c.arguments == {"client_id": 1003} for c in reply.tool_calls)
    fake.script(say("Back online."))
    after = assistant.answer(anna, "llm-4", "thanks")
    assert not after.degraded
    roles = [m["role"] for m in fake.requests[-1]["messages"]]
    assert roles.count("user") == 3 and roles[-2] == "assistant"  # the offline answer is in the memory once


def test_memory_across_turns_and_restart(make_assistant, fake, anna) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("find_clients", query="initech"), say("Initech Systems is client 1004."))
    make_assistant().answer(anna, "llm-5", "find initech")
    fake.script(say("As I said, 1004."))
    make_assistant().answer(anna, "llm-5", "what was its id again?")  # a new process, same files
    history = fake.requests[-1]["messages"]
    assert any(m["role"] == "user" and m["content"] == "find initech" for m in history)
    assert any(
        m["role"] == "assistant" and m.get("content") == "Initech Systems is client 1004." for m in history
    )


def test_prepare_yields_an_action_for_the_front_door(make_assistant, fake, anna, toolbox) -> None:  # type: ignore[no-untyped-def]
    fake.script(tool_calls("prepare_approval_request", client_id=1001, kind="increase", new_limit=3000000),
                say("Prepared; please confirm."))  # fmt: skip
    reply = make_assistant().answer(anna, "llm-6", "raise acme to 3M")
    assert reply.actions[0].arguments["new_limit"] == "3000000"
    assert toolbox.approvals.raised == {}
