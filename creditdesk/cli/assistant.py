"""`creditdesk ask` and `creditdesk chat`: the assistant from the terminal, acting as an officer."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import typer

from creditdesk.cli import common
from creditdesk.cli.common import actor_for, as_option, console, print_json

if TYPE_CHECKING:
    from bot.reply import Reply
    from tools.actor import Actor


def _show(reply: Reply) -> None:
    from bot.render_text import render_plain

    console.print(render_plain(reply), highlight=False, markup=False, soft_wrap=True)


def interactive() -> bool:
    """Whether a person is at the terminal (a yes can be asked for)."""
    import sys

    return sys.stdin.isatty()


def _not_here(reply: Reply) -> str:
    from bot.render_text import reply_language
    from kernel.catalogue import text

    return text("cli.ask.confirm_elsewhere", reply_language(reply))


def _confirm_actions(actor: Actor, reply: Reply) -> None:
    """The state changes the assistant can offer, each done only after a yes, through the same services and
    checks as every other door: raise a prepared request, submit a drafted memo."""
    from decimal import Decimal

    from bot.render_text import reply_language
    from bot.reply import RAISE_REQUEST, SUBMIT_MEMO
    from kernel.catalogue import code_name, text

    lang = reply_language(reply)
    for action in reply.actions:
        if action.kind == RAISE_REQUEST:
            if not typer.confirm(text("cli.chat.raise_confirm", lang), default=False):
                console.print(text("cli.chat.not_raised", lang))
                continue
            args = dict(action.arguments)
            if args.get("new_limit") is not None:
                args["new_limit"] = Decimal(args["new_limit"])
            request = common.container().approvals.raise_request(actor, **args)
            status = code_name("request_status", request.status, lang)
            said = text("cli.chat.raised", lang, request_id=request.request_id, status=status)
        elif action.kind == SUBMIT_MEMO:
            if not typer.confirm(text("cli.chat.submit_confirm", lang), default=False):
                console.print(text("cli.chat.not_submitted", lang))
                continue
            memo = common.container().memos.submit(actor, int(action.arguments["memo_id"]))
            said = text("cli.memo.submitted", lang, memo_id=memo.memo_id, version=memo.version)
        else:
            continue
        console.print(said, highlight=False, markup=False)


def _streamed(actor: Actor, conversation_id: str, question: str) -> Reply:
    """Ask with the model's checked sentences printed as they arrive (LLM brain only), then the rest of
    the reply; if the model's answer failed its checks, the draft is withdrawn and the offline answer shown."""
    import sys

    shown: list[str] = []

    def on_delta(text: str) -> None:
        shown.append(text)
        sys.stdout.write(text)
        sys.stdout.flush()

    reply = common.container().assistant.answer(actor, conversation_id, question, on_delta=on_delta)
    draft = "".join(shown)
    if not draft:
        _show(reply)
    elif draft == reply.text:  # the streamed text was the answer: add what follows it
        sys.stdout.write("\n")
        from bot.render_text import render_plain

        rest = render_plain(reply)[len(reply.text) :].strip("\n")
        if rest:
            console.print("\n" + rest, highlight=False, markup=False, soft_wrap=True)
    else:  # withdrawn: the notice says why, then the answer that counts
        console.print(f"\n[dim]— {reply.notice or 'replaced'} —[/]", highlight=False)
        _show(reply)
    return reply


def register(app: typer.Typer) -> None:
    @app.command("ask")
    def ask(
        question: str = typer.Argument(..., metavar="QUESTION", help="The question, in your own words"),
        as_officer: str = as_option(),
        conversation: str | None = typer.Option(
            None, "--conversation", metavar="ID", help="Continue this conversation"
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the Reply as JSON"),
    ) -> None:
        """Ask the assistant one question (offline unless a model endpoint is configured)."""
        with common.without_collector():  # one question: bounded work (see common.without_collector)
            actor = actor_for(as_officer)
            conversation_id = conversation or f"cli-{uuid.uuid4().hex[:12]}"
            assistant = common.container().assistant
            if as_json:
                reply = assistant.answer(actor, conversation_id, question)
                print_json({"conversation_id": conversation_id, **reply.model_dump(mode="json")})
            else:
                if assistant.streams:  # the model's words as they come (checked sentence by sentence)
                    reply = _streamed(actor, conversation_id, question)
                else:
                    reply = assistant.answer(actor, conversation_id, question)
                    _show(reply)
                if reply.actions and interactive():  # in a terminal: asked here, as `chat` does
                    _confirm_actions(actor, reply)
                elif reply.actions:  # piped or scripted: nothing is done, and it says where to do it
                    console.print(_not_here(reply), highlight=False, markup=False)
                if conversation is None:
                    console.print(f"(conversation {conversation_id})", style="dim", highlight=False)

    @app.command("chat")
    def chat(
        as_officer: str = as_option(),
        conversation: str | None = typer.Option(
            None, "--conversation", metavar="ID", help="Continue this conversation"
        ),
    ) -> None:
        """An interactive session with follow-ups ("and its utilisation?", "raise it to 3M"). Ctrl-D ends it."""
        from bot.render_text import reply_language
        from kernel.catalogue import text as message
        from kernel.errors import CreditDeskError

        actor = actor_for(as_officer)
        conversation_id = conversation or f"chat-{uuid.uuid4().hex[:12]}"
        assistant = common.container().assistant
        console.print(f"Credit Desk assistant — acting as {actor.name} ({actor.role.value}, {actor.team}). "
                      "Empty line or Ctrl-D to leave.", highlight=False)  # fmt: skip
        while True:
            try:
                text = console.input("[bold]you>[/] ")
            except (EOFError, KeyboardInterrupt):
                break
            if not text.strip() or text.strip().lower() in {"exit", "quit", "bye"}:
                break
            try:
                reply = assistant.answer(actor, conversation_id, text)
            except CreditDeskError as exc:
                console.print(f"[red]{exc.message}[/]", highlight=False)
                continue
            _show(reply)
            try:
                _confirm_actions(actor, reply)
            except CreditDeskError as exc:
                console.print(message("cli.chat.not_done", reply_language(reply), reason=exc.message),
                              style="red", highlight=False, markup=False)  # fmt: skip
        console.print(f"(conversation {conversation_id})", style="dim", highlight=False)
