"""Coded domain errors (kernel.errors + kernel.catalogue): English `message`, `text_in(lang)` from the catalogue."""

from __future__ import annotations

import pytest

from kernel.catalogue import name_in, named, render
from kernel.errors import Conflict, CreditDeskError, NotFound


def test_a_coded_error_has_its_english_message_and_says_itself_in_chinese() -> None:
    err = Conflict(
        key="approvals.already_decided", params={"request_id": "AR-3", "request_status": "approved"}
    )
    assert err.message == str(err) == "request AR-3 is already approved; it cannot be decided again"
    assert err.text_in("zh") == "申请 AR-3 的状态为“已批准”，不能再次审批"
    assert err.text_in("en") == err.message and err.key == "approvals.already_decided"


def test_an_uncoded_error_keeps_its_text_in_every_language() -> None:
    err = NotFound("client 1002 not found")
    assert err.text_in("zh") == "client 1002 not found" and err.key is None


def test_an_error_needs_a_message_or_a_key() -> None:
    with pytest.raises(TypeError):
        CreditDeskError()


def test_policy_names_are_translated_only_when_the_policy_uses_the_catalogue_name() -> None:
    assert named("approval_level", "Team lead") == {"key": "approval_level.team_lead"}
    assert name_in("approval_level", "Team lead", "zh") == "团队负责人"
    assert named("approval_level", "Team Lead") == "Team Lead"  # renamed in a policy: shown as written
    assert name_in("approval_level", "Desk head", "zh") == "Desk head"


def test_reasons_are_joined_as_clauses() -> None:
    msg = {"key": "approvals.stale", "params": {"request_id": "AR-1", "reasons": ["a", "b"]}}
    assert render(msg, "en").startswith("request AR-1 is stale — a; b.")
    assert render(msg, "zh").startswith("申请 AR-1 的依据已变化：a；b。")
