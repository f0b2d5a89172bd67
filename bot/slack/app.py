"""The Bolt app factory: one App per call, wired to a Container (no module-level App).

Order of the global middleware: Bolt's own (signature and timestamp check, self-events), then
once-only delivery (Slack retries are dropped), then identity (unknown users stop here), then the
listeners. Listeners ack first and work after the ack (process_before_response=False); none of them
raises (bot.slack.safety.never_raises), so Slack always gets its 200.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.slack.access_audit import audit_requests, audited_errors
from bot.slack.dedupe import first_sighting, forget_events_before
from bot.slack.identity import identity_middleware
from bot.slack.listeners import actions, commands, home, messages, views
from bot.slack.safety import handle_error

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.slack.services import SlackServices as Container

log = logging.getLogger("creditdesk.slack")
LISTENER_MODULES = (messages, commands, actions, views, home)
EVENT_MEMORY = dt.timedelta(days=1)
RATE_LIMIT_RETRIES = 3


def make_client(container: Container) -> WebClient:
    """The Web API client from the container's settings (base URL overridable for tests)."""
    settings = container.settings
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    if settings.slack_api_url:
        client = WebClient(token=token, base_url=settings.slack_api_url)
    else:
        client = WebClient(token=token)
    return paced(client)


def paced(client: WebClient) -> WebClient:
    """Honour Slack's 429 Retry-After (wait and retry, a few times) instead of failing the call."""
    if not any(isinstance(h, RateLimitErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def build_slack_app(container: Container, *, client: WebClient | None = None) -> App:
    secret = container.settings.slack_signing_secret
    app = App(
        client=paced(client) if client is not None else make_client(container),
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
