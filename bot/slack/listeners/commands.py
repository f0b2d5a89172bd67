"""The /credit slash command: parse, call the tool, render. Ack at once; the answer follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.identity import require_actor
from kernel.errors import NotFound
from tools.access import get_client_for, scope_officer_ids

if TYPE_CHECKING:
    from bot.slack.services import SlackServices as Container
    from tools.actor import Actor

COMMAND = "/credit"
Verb = Literal["profile", "memo", "watchlist", "due", "help"]
MEMO_FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class CreditCommand:
    verb: Verb
    query: str = ""
    fmt: str = "pdf"


def parse(text: str) -> CreditCommand:
    """`ACME` → profile; `memo ACME [docx]`; `watchlist`; `due`; `help` (and empty text → help)."""
    words = text.split()
    if not words or words[0].lower() == "help":
        return CreditCommand("help")
    head = words[0].lower()
    if head in ("watchlist", "due") and len(words) == 1:
        return CreditCommand(head)  # type: ignore[arg-type]
    if head == "memo" and len(words) > 1:
        rest, fmt = words[1:], "pdf"
        if len(rest) > 1 and rest[-1].lower() in MEMO_FORMATS:
            fmt = rest.pop().lower()
        return CreditCommand("memo", " ".join(rest), fmt)
    return CreditCommand("profile", " ".join(words))


def resolve_client(container: Container, actor: Actor, query: str) -> int:
    """A client id from `#1001`, `1001` or a name, searched only within the actor's portfolio."""
    key = query.lstrip("#")
    if key.isdigit():
        return get_client_for(actor, container.adapter, int(key)).client_id
    matches = container.adapter.search_clients(
        query, limit=1, officer_ids=scope_officer_ids(actor, container.adapter)
    )
    if not matches:
        raise NotFound(f"no client matching '{query}' in your portfolio")
    return matches[0].client.client_id


def register(app: App, container: Container) -> None:
    def on_credit(
        ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
    ) -> None:
        ack()
        actor = require_actor(context)
        cmd = parse(command.get("text", ""))
        as_of = container.today()
        if cmd.verb == "help":
            respond(text=blocks.HELP_TEXT, blocks=blocks.help_blocks())
        elif cmd.verb == "watchlist":
            items = container.credit_engine.watchlist(actor, as_of=as_of)
            respond(text="Watch-list", blocks=blocks.watchlist_blocks(items))
        elif cmd.verb == "due":
            items = container.credit_engine.reviews_due(actor, as_of=as_of)
            respond(text="Reviews due", blocks=blocks.reviews_due_blocks(items))
        elif cmd.verb == "profile":
            client_id = resolve_client(container, actor, cmd.query)
            card = blocks.ClientCard.from_assessment(
                container.credit_engine.assess_client(actor, client_id, as_of=as_of)
            )
            respond(text=card.name, blocks=blocks.client_card_blocks(card))
        else:
            respond(text=f":memo: Drafting the review memo for “{cmd.query}”…")
            _send_memo(container, client, actor, user_id=command["user_id"], query=cmd.query, fmt=cmd.fmt)

    app.command(COMMAND)(on_credit)


def _send_memo(
    container: Container, client: WebClient, actor: Actor, *, user_id: str, query: str, fmt: str
) -> None:
    """Draft a new memo version and upload it to the officer's DM with the app (client data stays private)."""
    client_id = resolve_client(container, actor, query)
    memo = container.memos.draft_review_memo(actor, client_id, as_of=container.today())
    content = container.memos.render(memo, fmt)
    filename = f"review-memo-{client_id}" + (f"-v{memo.version}" if memo.version else "") + f".{fmt}"
    dm = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=dm,
        file=content,
        filename=filename,
        title=f"Review memo · {memo.client_name}",
        initial_comment=f"Draft review memo for *{memo.client_name}* (#{client_id}, as of {memo.as_of}).",
    )
