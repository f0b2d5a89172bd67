"""Buttons: approval decisions (authority and maker-checker are enforced by the approvals service)
and "Raise approval request" from an assistant reply (opens the confirm modal)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.identity import require_actor
from bot.slack.ids import DECISIONS, ActionId
from tools.access import get_client_for

if TYPE_CHECKING:
    from bot.slack.services import SlackServices as Container

OPEN_RAISE_REQUEST = re.compile(rf"^{ActionId.OPEN_RAISE_REQUEST}:\d+$")


def register(app: App, container: Container) -> None:
    def on_decision(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """Forbidden / Conflict (e.g. a second click) reach the error handler: an ephemeral reason."""
        ack()
        actor = require_actor(context)
        decided = container.approvals.decide(actor, action["value"], decision=DECISIONS[action["action_id"]])
        client.chat_update(
            channel=body["channel"]["id"],
            ts=body["message"]["ts"],
            text=blocks.approval_outcome_text(decided),
            blocks=blocks.approval_outcome_blocks(decided, decided_by=actor.name),
        )

    def on_open_raise_request(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        actor = require_actor(context)
        arguments = json.loads(action["value"])
        found = get_client_for(actor, container.adapter, int(arguments["client_id"]))
        client.views_open(
            trigger_id=body["trigger_id"], view=blocks.raise_request_modal(arguments, client_name=found.name)
        )

    for action_id in DECISIONS:
        app.action(action_id)(on_decision)
    app.action(OPEN_RAISE_REQUEST)(on_open_raise_request)
