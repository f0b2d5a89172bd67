"""The assistant's front door: tool calls are audited readably (arguments, outcome, refusal), invalid
calls too; another team's client looks exactly like a client that does not exist; tools without
arguments work through the LLM brain."""

from __future__ import annotations

import json

from sqlalchemy import text

from tools.assistant_tools import Toolbox, call_tool


def _tool_events(container) -> list[dict]:  # type: ignore[no-untyped-def]
    with container.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT * FROM audit_events WHERE action = 'assistant.tool_call' ORDER BY seq")
        )
        return [dict(r._mapping) for r in rows]


def _toolbox(container) -> Toolbox:  # type: ignore[no-untyped-def]
    return Toolbox(adapter=container.adapter, credit_engine=container.credit_engine, today=container.today,
                   audit=container.audit)  # fmt: skip


def test_tool_calls_are_readable_in_the_audit_trail(demo_container) -> None:  # type: ignore[no-untyped-def]
    anna = demo_container.actor("rm.anna", channel="slack")
    tb = _toolbox(demo_container)
    call_tool(tb, anna, "exposure", {"client_id": 1001})
    call_tool(tb, anna, "exposure", {"client_id": 1002})
    call_tool(tb, anna, "exposure", {"client_id": 999999})
    call_tool(tb, anna, "exposure", {"client_id": "nope"})
    call_tool(tb, anna, "no_such_tool", {"api_token": "cd_abcdefghijklmnopqrstuvwxyz"})
    events = _tool_events(demo_container)
    after = [json.loads(e["after_json"]) for e in events]
    assert [(a["tool"], a["outcome"]) for a in after] == [
        ("exposure", "ok"),
        ("exposure", "out_of_scope"),
        ("exposure", "not_found"),
        ("exposure", "invalid"),
        ("no_such_tool", "invalid"),
    ]
    assert after[0]["arguments"] == {"client_id": 1001}
    assert after[1]["error"] == "client 1002 not found"
    assert {e["actor_id"] for e in events} == {"rm.anna"} and {e["channel"] for e in events} == {"slack"}
    assert after[4]["arguments"] == {"api_token": "[redacted]"}
    dump = "\n".join(e["after_json"] for e in events)
    assert "cd_abcdefghijklmnopqrstuvwxyz" not in dump


def test_out_of_scope_and_unknown_ids_give_the_same_answer(demo_container) -> None:  # type: ignore[no-untyped-def]
    anna = demo_container.actor("rm.anna")
    tb = _toolbox(demo_container)
    for tool in ("exposure", "client_profile", "rating", "early_warnings", "review_status"):
        other = call_tool(tb, anna, tool, {"client_id": 1002})
        missing = call_tool(tb, anna, tool, {"client_id": 999999})
        assert (other.outcome, other.message.replace("1002", "<id>")) == (  # type: ignore[union-attr]
            missing.outcome,
            missing.message.replace("999999", "<id>"),  # type: ignore[union-attr]
        )
        assert "portfolio" not in other.message  # type: ignore[operator]


def test_offline_assistant_never_resolves_another_teams_name(demo_container) -> None:  # type: ignore[no-untyped-def]
    """'ACME Logistics' (team South) is, to Anna (team North), a name that does not exist: the offline brain
    answers as it would for a made-up name, never with 1002 or "outside your portfolio"."""
    from bot.brains.offline.brain import OfflineBrain
    from bot.brains.offline.entities import find_client

    brain = OfflineBrain(_toolbox(demo_container))
    index = brain._index(demo_container.actor("rm.anna"))
    # the index knows the name (so it out-matches Anna's own weaker "ACME Holdings"), marked out of her scope
    assert not index.by_id(1002).in_scope and index.by_id(1001).in_scope  # type: ignore[union-attr]
    found = find_client("ACME Logistics exposure", index)
    assert found is not None and found.client_id is None and not found.candidates
    assert (
        found.unknown == "ACME Logistics"
    )  # the words of a made-up name: no id, no "outside your portfolio"
    risk_index = brain._index(demo_container.actor("risk.lee"))
    assert find_client("ACME Logistics exposure", risk_index).client_id == 1002  # type: ignore[union-attr]


def test_slack_commands_and_refusals_are_audited(slack) -> None:  # type: ignore[no-untyped-def]
    from tests.bot.slack.conftest import slack_id

    slack.command(slack_id(slack.container, "rm.anna"), "1002")
    reply = slack.fake.wait_for("response/cmd")[0]
    assert "client 1002 not found" in reply["text"] and "portfolio" not in reply["text"]
    with slack.container.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(
            text("SELECT * FROM audit_events WHERE action LIKE 'slack.%' ORDER BY seq"))]  # fmt: skip
    assert [(r["action"], r["actor_id"], r["channel"]) for r in rows] == [
        ("slack.request", "rm.anna", "slack"),
        ("slack.refused", "rm.anna", "slack"),
    ]
    assert json.loads(rows[0]["after_json"])["asked"] == {"command": "/credit", "text": "1002"}
    refused = json.loads(rows[1]["after_json"])
    assert refused["outcome"] == "out_of_scope" and refused["error"] == "client 1002 not found"
