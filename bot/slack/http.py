"""HTTP mode: the /slack/events route for `creditdesk serve` (events, commands, buttons, modals).

Bolt verifies the signature with SLACK_SIGNING_SECRET and refuses timestamps older than five
minutes before any listener runs. Without Slack settings the route answers 503.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Request, Response

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.slack.services import SlackServices as Container

EVENTS_PATH = "/slack/events"


def make_router(container: Container, *, client: WebClient | None = None) -> APIRouter:
    """The router to include in the API app: `app.include_router(make_router(container))`."""
    router = APIRouter(tags=["slack"])
    settings = container.settings
    if settings.slack_signing_secret is None or settings.slack_bot_token is None:

        @router.post(EVENTS_PATH, include_in_schema=False)
        def slack_not_configured() -> Response:
            return Response(
                "Slack is not configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)", status_code=503
            )

        return router

    from slack_bolt.adapter.fastapi import SlackRequestHandler

    from bot.slack.app import build_slack_app

    handler = SlackRequestHandler(build_slack_app(container, client=client))

    @router.post(EVENTS_PATH, include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        return await handler.handle(request)

    return router
