"""Who is acting in Slack: the Slack user id Slack signed for, mapped through the officers table.

Nothing a user types (an officer id, a name, an @mention) changes the actor; unknown or inactive
Slack users are refused before any listener runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_sdk import WebClient

from crm_adapter.protocol import CRMAdapter
from kernel.catalogue import text
from kernel.errors import Unauthenticated
from tools.actor import Actor

CHANNEL = "slack"
UNKNOWN_USER_TEXT = text("slack.unknown_user", "en")


def slack_user_id(body: Mapping[str, Any]) -> str | None:
    """The acting Slack user of any payload: events, slash commands, block actions, view submissions."""
    event = body.get("event")
    if isinstance(event, Mapping):
        thread = event.get("assistant_thread")
        if event.get("bot_id"):
            return None
        if isinstance(thread, Mapping) and thread.get("user_id"):
            return str(thread["user_id"])
        return str(event["user"]) if event.get("user") else None
    if body.get("user_id"):
        return str(body["user_id"])
    user = body.get("user")
    if isinstance(user, Mapping) and user.get("id"):
        return str(user["id"])
    return None


def actor_for_slack_user(adapter: CRMAdapter, user_id: str) -> Actor:
    officer = adapter.get_officer_by_slack_id(user_id)
    if officer is None or not officer.active:
        raise Unauthenticated(UNKNOWN_USER_TEXT)
    return Actor.from_officer(officer, channel=CHANNEL)


def require_actor(context: BoltContext) -> Actor:
    actor = context.get("actor")
    if not isinstance(actor, Actor):
        raise Unauthenticated(UNKNOWN_USER_TEXT)
    return actor


def identity_middleware(adapter: CRMAdapter) -> Callable[..., BoltResponse | None]:
    """Global middleware: attach `context["actor"]`, or tell an unknown user and stop there."""

    def identify(
        body: dict[str, Any], context: BoltContext, client: WebClient, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        user_id = slack_user_id(body)
        if user_id is None:
            return BoltResponse(status=200, body="")  # other bots and user-less events: nothing to do
        try:
            context["actor"] = actor_for_slack_user(adapter, user_id)
        except Unauthenticated:
            if body.get("command"):
                return BoltResponse(status=200, body=UNKNOWN_USER_TEXT)  # shown to the user only
            _tell_unknown_user(body, client, user_id)
            return BoltResponse(status=200, body="")
        return next()

    return identify


def _tell_unknown_user(body: Mapping[str, Any], client: WebClient, user_id: str) -> None:
    event = body.get("event") or {}
    if event.get("type") == "app_home_opened":
        return  # opening the Home tab is not a request; the tab stays empty
    channel = (body.get("channel") or {}).get("id") if body.get("type") == "block_actions" else None
    if channel:
        client.chat_postEphemeral(channel=channel, user=user_id, text=UNKNOWN_USER_TEXT)
    else:
        client.chat_postMessage(channel=user_id, text=UNKNOWN_USER_TEXT)
