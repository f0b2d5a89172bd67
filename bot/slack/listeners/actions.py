"""Buttons: approval decisions (authority and maker-checker are enforced by the approvals service),
"Raise approval request" and "Submit memo" under an assistant reply (the first opens the confirm modal) and list paging.

A decision button names the step it was sent for (`AR-12:2`); a click on a copy whose step is already
closed is refused rather than deciding whatever step is open now. Clicks come from messages (a DM, with
a response_url) or from the Home tab (no channel, no response_url; the tab is re-published).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.identity import require_actor
from bot.slack.ids import DECISIONS, ActionId
from bot.slack.listeners.home import publish_home
from bot.slack.notifier import copy_is_recorded
from bot.slack.safety import language_of, never_raises
from bot.slack.store import load_value
from kernel.errors import Conflict, CreditDeskError, InvalidInput
from tools.access import get_client_for

if TYPE_CHECKING:
    from bot.slack.services import SlackServices as Container
    from tools.actor import Actor
    from tools.approvals.models import ApprovalRequestView

OPEN_RAISE_REQUEST = rf"^{ActionId.OPEN_RAISE_REQUEST}:\d+$"
SUBMIT_MEMO = rf"^{ActionId.SUBMIT_MEMO}:\d+$"
WHOLE_LIST = 100_000
LIST_VERBS = ("due", "watchlist")


def from_home(body: dict[str, Any]) -> bool:
    return (body.get("container") or {}).get("type") == "view" or (body.get("view") or {}).get(
        "type"
    ) == "home"


def check_step_open(container: Container, actor: Actor, value: str, lang: str) -> tuple[str, int | None]:
    """The request and step a decision button was for; Conflict when that step is closed."""
    request_id, step_no = blocks.parse_decision_value(value)
    if step_no is None:
        return request_id, None  # a button from before steps were named: the service decides the open one
    current = container.approvals.get(actor, request_id)
    step = next((s for s in current.steps if s.step_no == step_no), None)
    if current.status != "pending" or step is None or step.status != "open":
        raise Conflict(
            blocks.t("approval.step_closed", lang, step_no=step_no, request_id=current.request_id,
                     status=blocks.status_name(current.status, lang))
        )  # fmt: skip
    return request_id, step_no


def register(app: App, container: Container) -> None:
    @never_raises
    def on_decision(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """Forbidden / Conflict (a second click, a closed step) become an ephemeral reason."""
        ack()
        actor = require_actor(context)
        lang = language_of(body)
        home = from_home(body)
        try:
            request_id, step_no = check_step_open(container, actor, action["value"], lang)
            decided = container.approvals.decide(actor, request_id, decision=DECISIONS[action["action_id"]],
                                                 expected_step=step_no)  # fmt: skip
        except CreditDeskError:
            if home:  # the Home tab may show a closed step: show it as it is now
                publish_home(container, client, actor, body["user"]["id"])
            raise
        if home:
            note = blocks.t("home.updated", lang, request_id=decided.request_id)
            publish_home(container, client, actor, body["user"]["id"], note=note)
        else:
            _update_clickers_copy(container, client, body, decided, step_no, lang)

    def on_open_raise_request(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        actor = require_actor(context)
        arguments = load_value(container.engine, actor.officer_id, action["value"])
        found = get_client_for(actor, container.adapter, int(arguments["client_id"]))
        view = blocks.raise_request_modal(
            arguments, client_name=found.name, value_id=action["value"], lang=language_of(body)
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def on_submit_memo(ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext,
                       respond: Respond) -> None:  # fmt: skip
        """ "Submit memo" under an assistant's draft: the memo service decides who may (author or RM); a
        second click, or a memo submitted meanwhile, is its Conflict, shown where the user clicked."""
        ack()
        actor = require_actor(context)
        arguments = load_value(container.engine, actor.officer_id, action["value"])
        memo = container.memos.submit(actor, int(arguments["memo_id"]))
        said = blocks.t("memo.submitted_here", language_of(body), memo_id=memo.memo_id, version=memo.version)
        respond(text=said, response_type="ephemeral", replace_original=False)

    def on_page(ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext,
                respond: Respond) -> None:  # fmt: skip
        ack()
        actor = require_actor(context)
        verb, _, offset = str(action.get("value", "")).partition(":")
        if verb not in LIST_VERBS or not offset.lstrip("-").isdigit():
            raise InvalidInput("this page link is not valid; run the command again")
        items = list_items(container, actor, verb)
        page = blocks.list_page(verb, items, offset=int(offset), lang=language_of(body))
        respond(text=page.text, blocks=page.blocks, replace_original=True)

    for action_id in DECISIONS:
        app.action(action_id)(on_decision)
    app.action(_regex(OPEN_RAISE_REQUEST))(never_raises(on_open_raise_request))
    app.action(_regex(SUBMIT_MEMO))(never_raises(on_submit_memo))
    for action_id in (ActionId.LIST_PREVIOUS, ActionId.LIST_NEXT):
        app.action(action_id)(never_raises(on_page))


def list_items(container: Container, actor: Actor, verb: str) -> list[Any]:
    as_of = container.today()
    if verb == "due":
        return list(container.credit_engine.reviews_due(actor, as_of=as_of))
    return list(container.credit_engine.watchlist(actor, as_of=as_of, limit=WHOLE_LIST))


def _update_clickers_copy(
    container: Container,
    client: WebClient,
    body: dict[str, Any],
    decided: ApprovalRequestView,
    step_no: int | None,
    lang: str,
) -> None:
    """The notifier updates every recorded copy once a step closes; the clicker's copy is updated here
    when the step stays open (a quorum still short) or the copy was never recorded."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    ts = (body.get("message") or {}).get("ts") or (body.get("container") or {}).get("message_ts")
    if not channel or not ts:
        return
    step = step_no or decided.current_step
    still_open = decided.status == "pending" and any(
        s.step_no == step and s.status == "open" for s in decided.steps
    )
    if still_open or not copy_is_recorded(container.engine, decided.request_id, channel, ts):
        client.chat_update(
            channel=channel,
            ts=ts,
            text=blocks.approval_outcome_text(decided, lang),
            blocks=blocks.approval_copy_blocks(decided, step, lang),
        )


def _regex(pattern: str) -> Any:
    import re

    return re.compile(pattern)
