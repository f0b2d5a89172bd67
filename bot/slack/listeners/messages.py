"""Conversations: @mentions in channels, direct messages, and the Slack assistant surface. Each Slack
thread is one assistant conversation.

An answer carries data scoped to the officer who asked (limits, grades, warnings), so in a channel it is
posted in the thread as an ephemeral message only the asker sees; the channel's other members (who may
be from other teams, or not officers at all) see the question, never the answer. DMs are private.

A long answer is several messages (the last keeps the sources and the buttons); nothing is cut. In a DM
the "Working…" placeholder becomes the first message, or is deleted when the answer fails. While a model
writes the answer (`assistant.streams`), the placeholder shows the checked text so far, at most once per
`STREAM_INTERVAL_S` (Slack's chat.update rate); the finished reply then replaces it. In a channel no
placeholder is posted (an ephemeral message cannot be removed by the app).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import App, Assistant, BoltContext, Say, SetStatus, SetSuggestedPrompts
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack import blocks
from bot.slack.identity import require_actor
from bot.slack.mrkdwn import to_mrkdwn
from bot.slack.safety import never_raises
from bot.slack.store import store_value
from kernel.catalogue import detect_language

if TYPE_CHECKING:
    from bot.reply import Reply
    from bot.slack.services import SlackServices as Container
    from tools.actor import Actor

MENTION = re.compile(r"<@[A-Z0-9]+>")
PROMPTS = ("attention", "due", "policy")


def conversation_id(channel: str, thread_ts: str) -> str:
    return f"slack:{channel}:{thread_ts}"


def clean_text(text: str) -> str:
    """The question without @mentions (mentions never select who is acting)."""
    return MENTION.sub("", text).strip()


def render(container: Container, actor: Actor, reply: Reply, lang: str) -> list[blocks.Message]:
    """The reply's messages; each suggested action is kept server-side and its button carries the id."""
    ids = [
        store_value(container.engine, actor.officer_id, a.arguments)
        for a in reply.actions
        if a.kind in blocks.BUTTONS
    ]
    return blocks.reply_messages(reply, lang, action_ids=ids)


log = logging.getLogger(__name__)

STREAM_INTERVAL_S = 1.0  # chat.update is about one call a second per message (Slack's Tier 3)
STREAM_MAX_CHARS = 3_000  # the growing text shown; the finished reply is split into messages, never cut


class ThreadStream:
    """The answer growing in the "working…" message while the model writes it (the assistant passes only
    text that passed its checks). An update that fails is logged and skipped: the finished reply follows."""

    def __init__(self, client: WebClient, *, channel: str, ts: str,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self._client, self._channel, self._ts, self._clock = client, channel, ts, clock
        self._last = clock()
        self.text = ""
        self.updates = 0

    def __call__(self, delta: str) -> None:
        self.text += delta
        now = self._clock()
        if now - self._last < STREAM_INTERVAL_S or not self.text.strip():
            return
        self._last = now
        shown = self.text if len(self.text) <= STREAM_MAX_CHARS else self.text[:STREAM_MAX_CHARS]
        try:
            self._client.chat_update(
                channel=self._channel, ts=self._ts, text=to_mrkdwn(shown).rstrip() + " …"
            )
            self.updates += 1
        except SlackApiError as exc:
            log.warning("streamed update of %s skipped: %s", self._ts, exc.response.get("error"))


def answer_in_thread(
    container: Container, client: WebClient, actor: Actor, *, channel: str, thread_ts: str, text: str
) -> None:
    """Show "working…" in the thread at once, then replace it with the answer (more messages follow in
    the thread when it is long)."""
    question = clean_text(text)
    lang = detect_language(question)
    placeholder = client.chat_postMessage(
        channel=channel, thread_ts=thread_ts, text=blocks.t("working", lang)
    )
    stream: dict[str, Any] = {}
    if getattr(container.assistant, "streams", False):
        stream["on_delta"] = ThreadStream(client, channel=channel, ts=placeholder["ts"])
    try:
        reply = container.assistant.answer(actor, conversation_id(channel, thread_ts), question, **stream)
        first, *rest = render(container, actor, reply, lang)
    except Exception:
        client.chat_delete(channel=channel, ts=placeholder["ts"])
        raise
    client.chat_update(channel=channel, ts=placeholder["ts"], text=first.text, blocks=first.blocks)
    for message in rest:
        client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=message.text, blocks=message.blocks
        )


def answer_privately_in_channel(
    container: Container,
    client: WebClient,
    actor: Actor,
    *,
    user: str,
    channel: str,
    thread_ts: str,
    text: str,
) -> None:
    """A channel mention: the answer is ephemeral, visible to the asker only."""
    question = clean_text(text)
    lang = detect_language(question)
    reply = container.assistant.answer(actor, conversation_id(channel, thread_ts), question)
    for message in render(container, actor, reply, lang):
        client.chat_postEphemeral(
            channel=channel, user=user, thread_ts=thread_ts, text=message.text, blocks=message.blocks
        )


def register(app: App, container: Container) -> None:
    @never_raises
    def on_mention(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        answer_privately_in_channel(
            container,
            client,
            require_actor(context),
            user=event["user"],
            channel=event["channel"],
            thread_ts=event.get("thread_ts") or event["ts"],
            text=event.get("text", ""),
        )

    @never_raises
    def on_direct_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        answer_in_thread(
            container,
            client,
            require_actor(context),
            channel=event["channel"],
            thread_ts=event["ts"],
            text=event.get("text", ""),
        )

    def is_plain_dm(event: dict[str, Any]) -> bool:
        return event.get("channel_type") == "im" and event.get("subtype") is None and not event.get("bot_id")

    app.event("app_mention")(on_mention)

    def ignore_other_messages() -> None:
        """Edits, deletions, file shares…: acked (not 404, which Slack would retry), no answer."""

    app.event("message", matchers=[is_plain_dm])(on_direct_message)
    app.event("message")(ignore_other_messages)
    app.use(_assistant(container))


def _assistant(container: Container) -> Assistant:
    """The Slack assistant surface (and replies inside DM threads, which Bolt routes here)."""
    assistant = Assistant()

    @assistant.thread_started
    @never_raises
    def started(say: Say, set_suggested_prompts: SetSuggestedPrompts) -> None:
        say(blocks.t("assistant.greeting", "en"))
        set_suggested_prompts(
            prompts=[
                {
                    "title": blocks.t(f"prompt.{p}.title", "en"),
                    "message": blocks.t(f"prompt.{p}.message", "en"),
                }
                for p in PROMPTS
            ]
        )

    @assistant.user_message
    @never_raises
    def user_message(payload: dict[str, Any], context: BoltContext, set_status: SetStatus, say: Say) -> None:
        question = clean_text(payload.get("text", ""))
        lang = detect_language(question)
        set_status(blocks.t("assistant.status", lang))
        conversation = conversation_id(payload["channel"], payload["thread_ts"])
        actor = require_actor(context)
        reply = container.assistant.answer(actor, conversation, question)
        for message in render(container, actor, reply, lang):
            say(text=message.text, blocks=message.blocks)

    return assistant
