"""The assistant says an approval refusal in the question's language (#18): a Chinese question gets the
workflow's reason in Chinese, an English one the English text (expected sentences written by hand)."""

from __future__ import annotations

import pytest

from bot.assistant import Assistant
from bot.brains.offline.brain import OfflineBrain
from bot.conversations import ConversationStore
from tests.bot.conftest import FakePolicyStore
from tools.assistant_tools import Toolbox


@pytest.fixture(scope="module")
def real_assistant(book) -> Assistant:  # type: ignore[no-untyped-def]
    toolbox = Toolbox(adapter=book.adapter, credit_engine=book.credit_engine, today=book.today,
                      policy_store=FakePolicyStore(), approvals=book.approvals)  # fmt: skip
    return Assistant(brain=OfflineBrain(toolbox), conversations=ConversationStore(book.engine),
                     turn_scope=toolbox.turn)  # fmt: skip


def test_an_unknown_request_is_said_in_chinese(real_assistant, anna) -> None:  # type: ignore[no-untyped-def]
    reply = real_assistant.answer(anna, "zh-refusal-1", "AR-999 的审批进度")
    assert "approval_status" in [c.name for c in reply.tool_calls], reply.tool_calls
    assert "未找到申请 AR-999" in reply.text, reply.text
    assert "not found" not in reply.text


def test_an_unknown_request_is_said_in_english(real_assistant, anna) -> None:  # type: ignore[no-untyped-def]
    reply = real_assistant.answer(anna, "en-refusal-1", "status of AR-999")
    assert "request AR-999 not found" in reply.text, reply.text


def test_a_prepared_request_gives_its_reasons_in_chinese(real_assistant, anna) -> None:  # type: ignore[no-untyped-def]
    """Globex's F-1003-1 to 5,000万 (recommendation 260,000): the chain and why, in Chinese."""
    reply = real_assistant.answer(anna, "zh-prepared-1", "把 F-1003-1 的额度提高到 5000万")
    assert "prepare_approval_request" in [c.name for c in reply.tool_calls], reply.tool_calls
    assert "审批链：事业部负责人 → 首席信贷官 → 信贷审批委员会" in reply.text, reply.text
    assert "政策例外“超出建议额度”：调整后总额超过建议额度 USD 260,000.00" in reply.text, reply.text
    assert "exception" not in reply.text and "Credit committee" not in reply.text


def test_a_prepared_request_gives_its_reasons_in_english(real_assistant, anna) -> None:  # type: ignore[no-untyped-def]
    reply = real_assistant.answer(anna, "en-prepared-1", "raise F-1003-1 to 50M")
    assert "Approval chain: Business-unit head → Chief credit officer → Credit committee" in reply.text
    assert (
        "exception 'above the recommendation': the new total exceeds the recommendation USD 260,000.00"
        in reply.text
    )
