"""The App Home tab: the officer's reviews due, watch-list and approvals waiting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.identity import require_actor

if TYPE_CHECKING:
    from bot.slack.services import SlackServices as Container

HOME_LIST_SIZE = 10


def register(app: App, container: Container) -> None:
    def on_home_opened(event: dict[str, str], context: BoltContext, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        actor = require_actor(context)
        as_of = container.today()
        view = blocks.home_view(
            reviews=container.credit_engine.reviews_due(actor, as_of=as_of)[:HOME_LIST_SIZE],
            watch=container.credit_engine.watchlist(actor, as_of=as_of, limit=HOME_LIST_SIZE),
            awaiting=container.approvals.list_awaiting(actor),
        )
        client.views_publish(user_id=event["user"], view=view)

    app.event("app_home_opened")(on_home_opened)
