"""Every Block Kit action id and view callback id the app sends and listens for, in one place."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    APPROVE = "approval_approve"
    REJECT = "approval_reject"
    RETURN = "approval_return"
    OPEN_RAISE_REQUEST = "open_raise_request"
    SUBMIT_MEMO = "submit_memo"
    LIST_PREVIOUS = "list_page_previous"
    LIST_NEXT = "list_page_next"


class ViewId(StrEnum):
    RAISE_REQUEST = "raise_request_modal"


class BlockId(StrEnum):
    AMOUNT = "amount"
    REASON = "reason"


DECISIONS: dict[str, str] = {
    ActionId.APPROVE: "approve",
    ActionId.REJECT: "reject",
    ActionId.RETURN: "return",
}
