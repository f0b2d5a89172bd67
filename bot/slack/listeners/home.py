"""The App Home tab: the officer's reviews due, watch-list and approvals waiting (re-published after a
decision taken in it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.identity import require_actor
from bot.slack.safety import never_raises

if TYPE_CHECKING:
    from bot.slack.services import SlackServices as Container
    from tools.actor import Actor

WHOLE_LIST = 100_000


def publish_home(
    container: Container, client: WebClient, actor: Actor, user_id: str, *, note: str | None = None
) -> None:
    as_of = container.today()
    view = blocks.home_view(
        reviews=container.credit_engine.reviews_due(actor, as_of=as_of),
        watch=container.credit_engine.watchlist(actor, as_of=as_of, limit=WHOLE_LIST),
        awaiting=container.approvals.list_awaiting(actor),
        note=note,
    )
    client.views_publish(user_id=user_id, view=view)


def register(app: App, container: Container) -> None:
    @never_raises
    def on_home_opened(event: dict[str, str], context: BoltContext, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(container, client, require_actor(context), event["user"])

    app.event("app_home_opened")(on_home_opened)
