"""Conversations: @mentions in channels, direct messages, and the Slack assistant surface. Each Slack
thread is one assistant conversation.

An answer carries data scoped to the officer who asked (limits, grades, warnings), so in a channel it is
posted in the thread as an ephemeral message only the asker sees; the channel's other members (who may
be from other teams, or not officers at all) see the question, never the answer. DMs are private."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import App, Assistant, BoltContext, Say, SetStatus, SetSuggestedPrompts
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.identity import require_actor

if TYPE_CHECKING:
    from bot.slack.services import SlackServices as Container
    from tools.actor import Actor

MENTION = re.compile(r"<@[A-Z0-9]+>")
PRIVATE_NOTE = "(only you can see answers in a channel; DM me for a private conversation)"
SUGGESTED_PROMPTS = [
    {"title": "Who needs attention?", "message": "Which of my clients need attention this week?"},
    {"title": "Reviews due", "message": "Which reviews are due or overdue?"},
    {"title": "Policy", "message": "What does policy say about limits above 5M?"},
]


def conversation_id(channel: str, thread_ts: str) -> str:
    return f"slack:{channel}:{thread_ts}"


def clean_text(text: str) -> str:
    """The question without @mentions (mentions never select who is acting)."""
    return MENTION.sub("", text).strip()


def answer_in_thread(
    container: Container, client: WebClient, actor: Actor, *, channel: str, thread_ts: str, text: str
) -> None:
    """Show "working…" in the thread at once, then replace it with the rendered answer."""
    placeholder = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=blocks.working_text())
    try:
        reply = container.assistant.answer(actor, conversation_id(channel, thread_ts), clean_text(text))
    except Exception:
        client.chat_delete(channel=channel, ts=placeholder["ts"])
        raise
    client.chat_update(
        channel=channel,
        ts=placeholder["ts"],
        text=blocks.reply_text(reply),
        blocks=blocks.reply_blocks(reply),
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
    """A channel mention: "working…" and the answer are ephemeral, visible to the asker only."""
    client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts,
                              text=f"{blocks.working_text()} {PRIVATE_NOTE}")  # fmt: skip
    reply = container.assistant.answer(actor, conversation_id(channel, thread_ts), clean_text(text))
    client.chat_postEphemeral(
        channel=channel,
        user=user,
        thread_ts=thread_ts,
        text=blocks.reply_text(reply),
        blocks=blocks.reply_blocks(reply),
    )


def register(app: App, container: Container) -> None:
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
    def started(say: Say, set_suggested_prompts: SetSuggestedPrompts) -> None:
        say("Hi! Ask me about your clients, limits, warnings or the credit policy.")
        set_suggested_prompts(prompts=SUGGESTED_PROMPTS)

    @assistant.user_message
    def user_message(payload: dict[str, Any], context: BoltContext, set_status: SetStatus, say: Say) -> None:
        set_status("is working…")
        conversation = conversation_id(payload["channel"], payload["thread_ts"])
        reply = container.assistant.answer(
            require_actor(context), conversation, clean_text(payload.get("text", ""))
        )
        say(text=blocks.reply_text(reply), blocks=blocks.reply_blocks(reply))

    return assistant
