"""Modal submissions: the confirmed approval request goes to the approvals service."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.identity import require_actor
from bot.slack.ids import BlockId, ViewId
from kernel import money
from kernel.errors import InvalidInput
from tools.approvals.models import KEEPS_THE_LIMIT

if TYPE_CHECKING:
    from bot.slack.services import SlackServices as Container


def parse_amount(raw: str) -> Decimal | None:
    """A positive amount as officers write it (`5000000`, `5,000,000`, `5M`, `750k`, `USD 1.2m`), at most
    the domain's maximum; None when it is not one."""
    try:
        amount, _currency = money.parse_amount(raw)
    except InvalidInput:
        return None
    return amount if 0 < amount <= money.MAX_AMOUNT else None


def register(app: App, container: Container) -> None:
    def on_raise_request(
        ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        values = view["state"]["values"]
        arguments = json.loads(view["private_metadata"])
        kind = arguments.get("kind", "increase")
        amount = None
        if kind not in KEEPS_THE_LIMIT:
            amount = parse_amount(values[BlockId.AMOUNT][BlockId.AMOUNT].get("value") or "")
            if amount is None:
                ack(
                    response_action="errors",
                    errors={BlockId.AMOUNT: "Enter a positive amount, e.g. 5000000 or 5M (at most 10^15)."},
                )
                return
        ack()
        actor = require_actor(context)
        request = container.approvals.raise_request(
            actor,
            client_id=int(arguments["client_id"]),
            facility_id=arguments.get("facility_id"),
            kind=kind,
            new_limit=amount,
            reason=values[BlockId.REASON][BlockId.REASON].get("value") or "",
            idempotency_key=f"slack-view:{view['id']}",
        )
        client.chat_postMessage(channel=body["user"]["id"], text=blocks.request_raised_text(request))

    app.view(ViewId.RAISE_REQUEST)(on_raise_request)
