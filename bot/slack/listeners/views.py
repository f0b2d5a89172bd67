"""Modal submissions: the confirmed approval request goes to the approvals service.

The request is raised before the ack when it is quick (it nearly always is), so a domain error shows
inline in the modal (`response_action: errors`) instead of closing it; if the service is slower than
INLINE_BUDGET the modal is acked and the outcome arrives by DM. The idempotency key is the suggestion's
short id: a double confirmation (two modals from two clicks) raises one request.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.identity import require_actor
from bot.slack.ids import BlockId, ViewId
from bot.slack.safety import error_reply, language_of, never_raises, report_error
from bot.slack.store import load_value
from kernel import money
from kernel.errors import CreditDeskError, InvalidInput
from tools.approvals.models import KEEPS_THE_LIMIT

if TYPE_CHECKING:
    from bot.slack.services import SlackServices as Container
    from tools.approvals.models import ApprovalRequestView

INLINE_BUDGET = 2.0  # seconds of Slack's 3 spent waiting for the service before acking anyway
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="slack-view")


def parse_amount(raw: str) -> Decimal | None:
    """A positive amount as officers write it (`5000000`, `5,000,000`, `5M`, `750k`, `USD 1.2m`), at most
    the domain's maximum; None when it is not one."""
    try:
        amount, _currency = money.parse_amount(raw)
    except InvalidInput:
        return None
    return amount if 0 < amount <= money.MAX_AMOUNT else None


def idempotency_key(value_id: str) -> str:
    return f"slack-suggestion:{value_id}"


def register(app: App, container: Container) -> None:
    @never_raises
    def on_raise_request(
        ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        lang = language_of(body)
        values = view["state"]["values"]
        actor = require_actor(context)
        value_id = view.get("private_metadata") or ""
        try:
            arguments = load_value(container.engine, actor.officer_id, value_id)
        except CreditDeskError as error:
            ack(response_action="errors", errors={BlockId.REASON: error_reply(error, lang)})
            return
        kind = arguments.get("kind", "increase")
        amount = None
        has_amount = kind not in KEEPS_THE_LIMIT
        if has_amount:
            amount = parse_amount(values[BlockId.AMOUNT][BlockId.AMOUNT].get("value") or "")
            if amount is None:
                ack(response_action="errors", errors={BlockId.AMOUNT: blocks.t("modal.bad_amount", lang)})
                return

        def raise_it() -> ApprovalRequestView:
            return container.approvals.raise_request(
                actor,
                client_id=int(arguments["client_id"]),
                facility_id=arguments.get("facility_id"),
                kind=kind,
                new_limit=amount,
                reason=values[BlockId.REASON][BlockId.REASON].get("value") or "",
                idempotency_key=idempotency_key(value_id),
            )

        future = _POOL.submit(raise_it)
        try:
            request = future.result(timeout=INLINE_BUDGET)
        except FutureTimeout:
            ack()
            future.add_done_callback(lambda done: _deliver_later(done, body, client, lang))
            return
        except Exception as error:  # shown under the field it is about; the modal stays open
            field = (
                BlockId.AMOUNT
                if has_amount and getattr(error, "field", None) == "new_limit"
                else BlockId.REASON
            )
            message = error_reply(error, lang)
            ack(response_action="errors", errors={field: message})
            return
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text=blocks.request_raised_text(request, lang))

    app.view(ViewId.RAISE_REQUEST)(on_raise_request)


def _deliver_later(
    done: Future[ApprovalRequestView], body: dict[str, Any], client: WebClient, lang: str
) -> None:
    try:
        request = done.result()
        client.chat_postMessage(channel=body["user"]["id"], text=blocks.request_raised_text(request, lang))
    except Exception as error:  # a domain error's reason, or an error id
        report_error(error, body, client, None)
