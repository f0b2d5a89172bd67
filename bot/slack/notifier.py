"""SlackNotifier: the tools.notify.Notifier that reaches officers in Slack.

Approvers get a DM with the request and decision buttons; requesters get the outcome; early
warnings go to the owning officer and the configured risk channel. Officers without a Slack user
id are skipped (they see the same items in the dashboard and the App Home).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.slack import blocks
from bot.slack.dedupe import first_sighting
from crm_adapter.models import Client, Officer
from crm_adapter.protocol import CRMAdapter
from tools.engine.results import EarlyWarning

if TYPE_CHECKING:
    from tools.approvals.models import ApprovalRequestView


class SlackNotifier:
    def __init__(self, client: WebClient, *, adapter: CRMAdapter, risk_channel: str | None = None,
                 engine: Engine | None = None) -> None:  # fmt: skip
        self.client = client
        self.adapter = adapter
        self.risk_channel = risk_channel
        self.engine = engine  # where reminders are de-duplicated (slack_events_seen)

    def request_needs_decision(self, request: ApprovalRequestView, approvers: Sequence[Officer]) -> None:
        message = blocks.approval_request_blocks(request)
        text = f"Request {request.request_id} for {request.client_name} needs your decision"
        for approver in approvers:
            if approver.slack_user_id:
                self.client.chat_postMessage(channel=approver.slack_user_id, text=text, blocks=message)

    def request_overdue(self, request: ApprovalRequestView, approvers: Sequence[Officer]) -> None:
        """The decision DM again, headed by how late the step is; once a day per step and approver."""
        step = request.open_step
        if step is None:
            return
        due = f"{step.due_at:%d %b %Y %H:%M} UTC" if step.due_at else "its SLA"
        text = f":alarm_clock: Request {request.request_id} for {request.client_name} is overdue (due {due})"
        message = [blocks.section(text), *blocks.approval_request_blocks(request)]
        day = dt.datetime.now(dt.UTC).date().isoformat()
        for approver in approvers:
            key = f"remind:{request.request_id}:{step.step_no}:{approver.officer_id}:{day}"
            if approver.slack_user_id and (self.engine is None or first_sighting(self.engine, key)):
                self.client.chat_postMessage(channel=approver.slack_user_id, text=text, blocks=message)

    def request_decided(self, request: ApprovalRequestView) -> None:
        requester = self.adapter.get_officer(request.raised_by)
        if requester is None or not requester.slack_user_id:
            return
        self.client.chat_postMessage(
            channel=requester.slack_user_id,
            text=blocks.approval_outcome_text(request),
            blocks=blocks.approval_outcome_blocks(request),
        )

    def warning_raised(self, client: Client, warning: object, officer: Officer) -> None:
        ew = EarlyWarning.model_validate(warning)
        message = blocks.warning_alert_blocks(client.name, client.client_id, ew, officer.name)
        text = f"New {ew.level} early warning for {client.name}: {ew.indicator}"
        channels = [c for c in (officer.slack_user_id, self.risk_channel) if c]
        for channel in channels:
            self.client.chat_postMessage(channel=channel, text=text, blocks=message)
