"""The Bolt app factory: one App per call, wired to a Container (no module-level App).

Order of the global middleware: Bolt's own (signature and timestamp check, self-events), then
once-only delivery (Slack retries are dropped), then identity (unknown users stop here), then the
listeners. Listeners ack first and work after the ack (process_before_response=False).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack import blocks
from bot.slack.access_audit import audit_requests, audited_errors
from bot.slack.dedupe import first_sighting, forget_events_before
from bot.slack.identity import identity_middleware
from bot.slack.listeners import actions, commands, home, messages, views
from kernel.errors import CreditDeskError, new_error_id

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from creditdesk.wiring import Container

log = logging.getLogger("creditdesk.slack")
LISTENER_MODULES = (messages, commands, actions, views, home)
EVENT_MEMORY = dt.timedelta(days=1)


def make_client(container: Container) -> WebClient:
    """The Web API client from the container's settings (base URL overridable for tests)."""
    settings = container.settings
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    if settings.slack_api_url:
        return WebClient(token=token, base_url=settings.slack_api_url)
    return WebClient(token=token)


def build_slack_app(container: Container, *, client: WebClient | None = None) -> App:
    secret = container.settings.slack_signing_secret
    app = App(
        client=client or make_client(container),
        signing_secret=secret.get_secret_value() if secret else None,
        request_verification_enabled=secret is not None,  # Socket Mode needs no signing secret
        token_verification_enabled=False,  # auth.test on the first request, not at start-up
        process_before_response=False,
        logger=log,
    )
    forget_events_before(container.engine, dt.datetime.now(dt.UTC) - EVENT_MEMORY)
    app.use(once_only(container.engine))
    app.use(identity_middleware(container.adapter))
    app.use(audit_requests(container.audit))
    for module in LISTENER_MODULES:
        module.register(app, container)
    app.error(audited_errors(container.audit, handle_error))
    return app


def event_keys(body: Mapping[str, Any]) -> list[str]:
    """Keys of one delivery: the event id, and the message (channel, ts) it is about."""
    if body.get("type") != "event_callback":
        return []
    event = body.get("event") or {}
    keys = [f"event:{body['event_id']}"] if body.get("event_id") else []
    if event.get("type") in ("message", "app_mention") and event.get("ts") and not event.get("subtype"):
        keys.append(f"message:{event.get('channel')}:{event['ts']}")
    return keys


def once_only(engine: Engine) -> Callable[..., BoltResponse | None]:
    """Drop a delivery already handled: Slack retries (X-Slack-Retry-Num) and mention+DM twins."""

    def middleware(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse | None:
        keys = event_keys(body)
        if keys and not first_sighting(engine, *keys):
            log.info("dropping a repeated Slack delivery %s", keys[0])
            return BoltResponse(status=200, body="")
        return next()

    return middleware


def handle_error(
    error: Exception, body: dict[str, Any], client: WebClient, respond: Respond | None, logger: logging.Logger
) -> None:
    """The one error handler: domain errors show their reason; anything else an error id (and the log)."""
    if isinstance(error, CreditDeskError):
        text = blocks.error_text(error.message)
        logger.info("slack request refused: %s", error.message)
    else:
        error_id = new_error_id()
        logger.exception("unexpected error %s in a Slack request", error_id, exc_info=error)
        text = blocks.error_text("", error_id)
    try:
        if respond is not None and respond.response_url:  # slash commands and buttons: ephemeral
            respond(text=text, response_type="ephemeral", replace_original=False)
        else:
            _tell_user(body, client, text)
    except SlackApiError:
        logger.exception("could not deliver an error message to Slack")


def _tell_user(body: Mapping[str, Any], client: WebClient, text: str) -> None:
    event = body.get("event") or {}
    user = event.get("user") or (body.get("user") or {}).get("id") or body.get("user_id")
    if event.get("channel") and user:
        client.chat_postEphemeral(
            channel=event["channel"],
            user=user,
            text=text,
            thread_ts=event.get("thread_ts") or event.get("ts"),
        )
    elif user:
        client.chat_postMessage(channel=user, text=text)
