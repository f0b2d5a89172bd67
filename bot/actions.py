"""The follow-ups a reply offers for the user to confirm. The front door performs one only when the user
clicks it (Slack's button), through the same service and checks as every other door; a brain never does."""

from __future__ import annotations

from bot.reply import RAISE_REQUEST, SUBMIT_MEMO, Action
from kernel.catalogue import Language, text
from tools.assistant_tools.models import MemoDraft, PreparedApproval


def raise_request_action(prepared: PreparedApproval, lang: Language, summary: list[str]) -> Action:
    """ "Raise approval request" under a prepared request: raises it with exactly the prepared arguments."""
    return Action(kind=RAISE_REQUEST, label=text("assistant.prepared.action", lang), arguments=prepared.arguments,
                  summary=summary)  # fmt: skip


def submit_memo_action(draft: MemoDraft, lang: Language) -> Action:
    """ "Submit memo" under a drafted memo: submits exactly the version drafted (a newer draft is its own)."""
    version = draft.version if draft.version is not None else ""
    return Action(kind=SUBMIT_MEMO, label=text("assistant.memo.action", lang),
                  arguments={"memo_id": int(draft.memo_id)},
                  summary=[text("assistant.memo.action_summary", lang, memo_id=draft.memo_id, version=version)])  # fmt: skip
