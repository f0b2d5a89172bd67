"""The tool registry: documented, typed, read-only except prepare, and scope-checked per actor."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import make_container
from tools.assistant_tools import TOOLS, Toolbox, call_tool


@pytest.fixture(scope="module")
def tb(_demo_template: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("tools") / "home"
    shutil.copytree(_demo_template, home)
    c = make_container(home)
    return c, Toolbox(adapter=c.adapter, credit_engine=c.credit_engine, today=c.today)


def test_every_tool_is_documented_and_never_takes_the_actor() -> None:
    assert len(TOOLS) == 26
    for spec in TOOLS.values():
        assert spec.description, spec.name
        assert not {"actor", "officer_id"} & set(spec.args.model_fields), spec.name
    assert [s.name for s in TOOLS.values() if s.effect != "read"] == [
        "draft_review_memo",
        "prepare_approval_request",
    ]
    assert not any(name.startswith(("raise", "decide", "update", "set")) for name in TOOLS)


def test_scope_is_enforced_by_every_client_tool(tb) -> None:  # type: ignore[no-untyped-def]
    c, toolbox = tb
    anna = c.actor("rm.anna")
    for name, spec in TOOLS.items():
        if "client_id" not in spec.args.model_fields or name in (
            "draft_review_memo",
            "prepare_approval_request",
        ):
            continue
        args = {"client_id": 1002} | ({"new_limit": "1000000"} if name == "what_if_limit" else {})
        assert call_tool(toolbox, anna, name, args).outcome == "not_found", name  # like a missing client
    assert call_tool(toolbox, c.actor("risk.lee"), "exposure", {"client_id": 1002}).ok


def test_bad_arguments_and_unknown_tools_are_clear_errors(tb) -> None:  # type: ignore[no-untyped-def]
    c, toolbox = tb
    anna = c.actor("rm.anna")
    out = call_tool(toolbox, anna, "exposure", {"client_id": 1001, "officer_id": "cco"})
    assert out.outcome == "invalid" and "officer_id" in (out.message or "")
    assert call_tool(toolbox, anna, "delete_everything", {}).outcome == "invalid"
    assert call_tool(toolbox, anna, "search_policy", {"query": "limits"}).outcome == "unavailable"


def test_find_clients_stays_in_scope(tb) -> None:  # type: ignore[no-untyped-def]
    c, toolbox = tb
    names = [m.name for m in toolbox.find_clients(c.actor("rm.anna"), "acme").clients]
    assert "ACME Holdings" in names and "ACME Logistics" not in names
