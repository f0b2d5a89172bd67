"""Listeners never raise: every error becomes a reply to the person who acted, and Slack gets its 200.

Bolt's thread runner (process_before_response=False) throws the ack away when a listener raises after
acking, and Slack then sees no answer within 3 s (HTTP 404, "dispatch_failed"). `never_raises` wraps
each listener: a domain error (kernel.errors) shows its reason, anything else an error id (and the log),
in the place the interaction came from:

| interaction                          | where the reply goes                                   |
|--------------------------------------|--------------------------------------------------------|
| slash command, block_actions (message) | response_url, ephemeral, the original message kept   |
| block_actions from the Home tab      | the officer's DM with the app (a Home tab has no thread) |
| view_submission (after the ack)      | the officer's DM (before the ack: `response_action: errors`) |
| app_mention                          | an ephemeral message in the thread                      |
| message.im / assistant thread        | a message in the DM thread                             |
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack import blocks
from bot.slack.access_audit import record_refusal
from kernel.catalogue import Language, detect_language
from kernel.errors import CreditDeskError, new_error_id

log = logging.getLogger("creditdesk.slack")
NEEDED = ("ack", "body", "client", "respond", "context")


def language_of(body: Mapping[str, Any]) -> Language:
    """The officer's language for this interaction: that of what they typed (Chinese gets Chinese)."""
    event = body.get("event") or {}
    message = body.get("message") or {}
    typed = body.get("text") or event.get("text") or message.get("text") or ""
    return detect_language(str(typed))


def error_reply(error: Exception, lang: str = "en") -> str:
    if isinstance(error, CreditDeskError):
        log.info("slack request refused: %s", error.message)
        return blocks.error_text(error.text_in(lang), lang=lang)  # a coded refusal in the officer's language
    error_id = new_error_id()
    log.error("unexpected error %s in a Slack request", error_id, exc_info=error)
    return blocks.error_text("", error_id, lang=lang)


def report_error(
    error: Exception, body: Mapping[str, Any], client: WebClient, respond: Respond | None
) -> None:
    """Tell the acting user what went wrong, where they are; never raises."""
    text = error_reply(error, language_of(body))
    try:
        if respond is not None and respond.response_url:
            respond(text=text, response_type="ephemeral", replace_original=False)
        else:
            tell_user(body, client, text)
    except Exception:  # Slack unreachable: the log has it
        log.exception("could not deliver an error message to Slack")


def tell_user(body: Mapping[str, Any], client: WebClient, text: str) -> None:
    event = body.get("event") or {}
    user = event.get("user") or (body.get("user") or {}).get("id") or body.get("user_id")
    channel = event.get("channel")
    thread_ts = event.get("thread_ts") or event.get("ts")
    if channel and user and event.get("channel_type") != "im":
        client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)
    elif channel:
        client.chat_postMessage(channel=channel, text=text, thread_ts=thread_ts)
    elif user:
        client.chat_postMessage(channel=user, text=text)


def never_raises(listener: Callable[..., Any]) -> Callable[..., Any]:
    """The listener, with every error turned into a reply (see the module's table)."""
    own = inspect.signature(listener).parameters
    extra = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in NEEDED if n not in own]
    params = [p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in own.values()] + extra

    def guarded(**kwargs: Any) -> Any:
        try:
            return listener(**{k: v for k, v in kwargs.items() if k in own})
        except Exception as error:
            ack = kwargs.get("ack")
            if ack is not None and ack.response is None:
                ack()  # failed before acking: Slack still gets its 200
            record_refusal(error, kwargs.get("body") or {}, kwargs.get("context"))
            report_error(error, kwargs.get("body") or {}, kwargs["client"], kwargs.get("respond"))
            return None

    guarded.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]  # Bolt injects by name
    guarded.__name__ = listener.__name__
    guarded.__qualname__ = listener.__qualname__
    return guarded


def handle_error(
    error: Exception, body: dict[str, Any], client: WebClient, respond: Respond | None, logger: logging.Logger
) -> None:
    """The global error handler: only reached by middleware errors (listeners never raise)."""
    try:
        report_error(error, body, client, respond)
    except SlackApiError:
        logger.exception("could not deliver an error message to Slack")
