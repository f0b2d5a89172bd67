"""The /credit slash command: parse, call the tool, render. Ack at once; the answer follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.identity import require_actor
from bot.slack.listeners.actions import LIST_VERBS, list_items
from bot.slack.mrkdwn import escape
from bot.slack.safety import error_reply, never_raises
from kernel.catalogue import detect_language
from kernel.errors import NotFound
from tools.access import get_client_for, scope_officer_ids

if TYPE_CHECKING:
    from bot.slack.services import SlackServices as Container
    from tools.actor import Actor

COMMAND = "/credit"
Verb = Literal["profile", "memo", "watchlist", "due", "help"]
MEMO_FORMATS = ("pdf", "docx")
VERB_WORDS = {"help": "help", "帮助": "help", "watchlist": "watchlist", "观察名单": "watchlist", "due": "due",
              "复审": "due", "到期": "due", "memo": "memo", "报告": "memo"}  # fmt: skip
SUBMIT_WORDS = ("submit", "提交")


@dataclass(frozen=True)
class CreditCommand:
    verb: Verb
    query: str = ""
    fmt: str = "pdf"
    submit: bool = False  # `memo submit ACME`: draft (or reuse the unchanged draft) and submit it


def parse(text: str) -> CreditCommand:
    """`ACME` → profile; `memo [submit] ACME [docx]`; `watchlist`; `due`; `help` (and empty text → help);
    the verbs in Chinese too (`帮助`, `观察名单`, `复审`/`到期`, `报告 [提交]`)."""
    words = text.split()
    head = VERB_WORDS.get(words[0].lower(), "") if words else "help"
    if head == "help":
        return CreditCommand("help")
    if head in ("watchlist", "due") and len(words) == 1:
        return CreditCommand(head)  # type: ignore[arg-type]
    if head == "memo" and len(words) > 1:
        rest, fmt = words[1:], "pdf"
        submit = len(rest) > 1 and rest[0].lower() in SUBMIT_WORDS
        if submit:
            rest = rest[1:]
        if len(rest) > 1 and rest[-1].lower() in MEMO_FORMATS:
            fmt = rest.pop().lower()
        return CreditCommand("memo", " ".join(rest), fmt, submit)
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
    @never_raises
    def on_credit(
        ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient
    ) -> None:
        ack()
        actor = require_actor(context)
        text = command.get("text", "")
        lang = detect_language(text)
        cmd = parse(text)
        as_of = container.today()
        if cmd.verb == "help":
            respond(text=blocks.t("help", lang), blocks=blocks.help_blocks(lang))
        elif cmd.verb in LIST_VERBS:
            page = blocks.list_page(cmd.verb, list_items(container, actor, cmd.verb), lang=lang)
            respond(text=page.text, blocks=page.blocks)
        elif cmd.verb == "profile":
            client_id = resolve_client(container, actor, cmd.query)
            card = blocks.ClientCard.from_assessment(
                container.credit_engine.assess_client(actor, client_id, as_of=as_of)
            )
            respond(text=escape(card.name), blocks=blocks.client_card_blocks(card, lang))
        else:
            respond(text=blocks.t("memo.drafting", lang, query=escape(cmd.query)))
            try:
                memo = _send_memo(container, client, actor, user_id=command["user_id"], query=cmd.query,
                                  fmt=cmd.fmt, lang=lang, submit=cmd.submit)  # fmt: skip
            except Exception as error:  # the "Drafting…" note becomes the reason
                respond(text=error_reply(error, lang), replace_original=True)
                return
            said = (blocks.t("memo.submitted", lang, memo_id=memo.memo_id, version=memo.version) if cmd.submit
                    else blocks.t("memo.sent", lang))  # fmt: skip
            respond(text=said, replace_original=True)

    app.command(COMMAND)(on_credit)


def _send_memo(
    container: Container, client: WebClient, actor: Actor, *, user_id: str, query: str, fmt: str, lang: str,
    submit: bool = False,
) -> Any:  # fmt: skip
    """Draft a new memo version (`submit`: and submit it, by its author) and upload it to the officer's DM
    with the app (client data stays private); the memo."""
    client_id = resolve_client(container, actor, query)
    memo = container.memos.draft_review_memo(actor, client_id, as_of=container.today())
    if submit:  # the same figures as the latest draft are that draft: it is the one submitted
        memo = container.memos.submit(actor, memo.memo_id)
    content = container.memos.render(memo, fmt)
    filename = f"review-memo-{client_id}" + (f"-v{memo.version}" if memo.version else "") + f".{fmt}"
    dm = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=dm,
        file=content,
        filename=filename,
        title=blocks.t("memo.title", lang, client=memo.client_name),
        initial_comment=blocks.t(
            "memo.comment_submitted" if submit else "memo.comment", lang, client=escape(memo.client_name),
            client_id=client_id, as_of=memo.as_of,
        ),
    )  # fmt: skip
    return memo
