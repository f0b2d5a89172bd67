"""SlackNotifier: the tools.notify.Notifier that reaches officers in Slack.

Approvers get one DM per step (recorded with its channel and ts); when a step is decided, from any
front door, every recorded copy is updated so no stale buttons remain. Requesters get the outcome.
Early warnings of a monitor run go to the owning officers (one DM each) and to the risk channel as one
digest with the details in its thread, paced for Slack's rate limits (a 429's Retry-After is honoured
by the client's retry handler, see bot.slack.app.make_client). Officers without a Slack user id are
skipped (they see the same items in the dashboard and the App Home).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.slack import blocks
from bot.slack.dedupe import first_sighting
from bot.slack.store import approval_messages, claim_approval_message, record_posted
from crm_adapter.models import Client, Officer
from crm_adapter.protocol import CRMAdapter
from tools.engine.results import EarlyWarning

if TYPE_CHECKING:
    from tools.approvals.models import ApprovalRequestView

log = logging.getLogger("creditdesk.slack")
PACE_SECONDS = 1.1  # chat.postMessage: about one message per second per channel


def copy_is_recorded(engine: Engine, request_id: str, channel: str, ts: str) -> bool:
    return any(m.channel == channel and m.ts == ts for m in approval_messages(engine, request_id))


class SlackNotifier:
    def __init__(self, client: WebClient, *, adapter: CRMAdapter, risk_channel: str | None = None,
                 engine: Engine | None = None, pace_seconds: float = PACE_SECONDS) -> None:  # fmt: skip
        self.client = client
        self.adapter = adapter
        self.risk_channel = risk_channel
        self.engine = engine  # where DMs are recorded and reminders de-duplicated
        self.pace_seconds = pace_seconds

    # --- approvals ------------------------------------------------------------------------------
    def request_needs_decision(self, request: ApprovalRequestView, approvers: Sequence[Officer]) -> None:
        """A step opened: earlier steps' copies show their outcome; each approver gets one DM for it."""
        self.update_copies(request)
        step = request.open_step
        if step is None:
            return
        for approver in approvers:
            self._post_copy(request, step.step_no, approver, blocks.approval_request_blocks(request),
                            blocks.needs_decision_text(request), approver.officer_id)  # fmt: skip

    def request_overdue(self, request: ApprovalRequestView, approvers: Sequence[Officer]) -> None:
        """The decision DM again, headed by how late the step is; once a day per step and approver."""
        step = request.open_step
        if step is None:
            return
        due = f"{step.due_at:%d %b %Y %H:%M} UTC" if step.due_at else blocks.t("approval.overdue_sla", "en")
        text = blocks.t("approval.overdue", "en", request_id=request.request_id,
                        client=blocks.escape(request.client_name), due=due)  # fmt: skip
        message = [blocks.section(text), *blocks.approval_request_blocks(request)]
        day = dt.datetime.now(dt.UTC).date().isoformat()
        for approver in approvers:
            key = f"remind:{request.request_id}:{step.step_no}:{approver.officer_id}:{day}"
            if approver.slack_user_id and (self.engine is None or first_sighting(self.engine, key)):
                self._post_copy(
                    request, step.step_no, approver, message, text, f"{approver.officer_id}@{day}"
                )

    def request_decided(self, request: ApprovalRequestView) -> None:
        self.update_copies(request)
        requester = self.adapter.get_officer(request.raised_by)
        if requester is None or not requester.slack_user_id:
            return
        self.client.chat_postMessage(
            channel=requester.slack_user_id,
            text=blocks.approval_outcome_text(request),
            blocks=blocks.approval_copy_blocks(request, request.current_step),
        )

    def _post_copy(self, request: ApprovalRequestView, step_no: int, approver: Officer, message: list[blocks.Block],
                   text: str, copy_key: str) -> None:  # fmt: skip
        if not approver.slack_user_id:
            return
        claim = None
        if self.engine is not None:
            claim = claim_approval_message(self.engine, request_id=request.request_id, step_no=step_no,
                                           officer_id=copy_key, channel=approver.slack_user_id)  # fmt: skip
            if claim is None:
                return  # this approver already has this step's DM
        try:
            posted = self.client.chat_postMessage(channel=approver.slack_user_id, text=text, blocks=message)
        except Exception:
            if claim is not None and self.engine is not None:
                record_posted(self.engine, claim, channel=approver.slack_user_id, ts=None)
            raise
        if claim is not None and self.engine is not None:
            record_posted(self.engine, claim, channel=str(posted.get("channel") or approver.slack_user_id),
                          ts=str(posted.get("ts")))  # fmt: skip

    def update_copies(self, request: ApprovalRequestView) -> None:
        """Every recorded copy whose step is closed now shows the outcome, without buttons."""
        if self.engine is None:
            return
        open_step = request.open_step.step_no if request.open_step and request.status == "pending" else None
        for copy in approval_messages(self.engine, request.request_id):
            if copy.step_no == open_step:
                continue
            try:
                self.client.chat_update(
                    channel=copy.channel,
                    ts=copy.ts,
                    text=blocks.approval_outcome_text(request),
                    blocks=blocks.approval_copy_blocks(request, copy.step_no),
                )
            except SlackApiError:  # a deleted DM: the other copies are still updated
                log.warning("could not update the approval message %s/%s", copy.channel, copy.ts)

    # --- early warnings --------------------------------------------------------------------------
    def warning_raised(self, client: Client, warning: object, officer: Officer) -> None:
        """One warning to its officer (the Notifier protocol); monitor runs use `warnings_digest`."""
        ew = EarlyWarning.model_validate(warning)
        item = blocks.NewWarning(client.client_id, client.name, officer.name, ew)
        if officer.slack_user_id:
            for message in blocks.officer_digest_messages(ew.date or dt.date.today(), [item]):
                self.client.chat_postMessage(
                    channel=officer.slack_user_id, text=message.text, blocks=message.blocks
                )

    def warnings_digest(
        self, as_of: dt.date, found: Sequence[tuple[Client, EarlyWarning, Officer | None]]
    ) -> None:
        """A monitor run's new warnings: one DM per officer, one risk-channel post and its thread."""
        if not found:
            return
        items = [
            blocks.NewWarning(c.client_id, c.name, o.name if o else c.officer_id, w) for c, w, o in found
        ]
        by_officer: dict[str, list[blocks.NewWarning]] = {}
        for (_, _, officer), item in zip(found, items, strict=True):
            if officer is not None and officer.slack_user_id:
                by_officer.setdefault(officer.slack_user_id, []).append(item)
        for user, theirs in by_officer.items():
            for message in blocks.officer_digest_messages(as_of, theirs):
                self._paced_post(channel=user, message=message)
        if not self.risk_channel:
            return
        digest = blocks.digest_message(as_of, items)
        parent = self.client.chat_postMessage(
            channel=self.risk_channel, text=digest.text, blocks=digest.blocks
        )
        for message in blocks.digest_details(items):
            self._paced_post(channel=self.risk_channel, message=message, thread_ts=str(parent["ts"]))

    def _paced_post(self, *, channel: str, message: blocks.Message, thread_ts: str | None = None) -> None:
        time.sleep(self.pace_seconds)
        self.client.chat_postMessage(
            channel=channel, text=message.text, blocks=message.blocks, thread_ts=thread_ts
        )
