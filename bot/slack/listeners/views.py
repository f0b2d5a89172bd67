"""Modal submissions: the confirmed approval request goes to the approvals service."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.identity import require_actor
from bot.slack.ids import BlockId, ViewId

if TYPE_CHECKING:
    from creditdesk.wiring import Container


def parse_amount(raw: str) -> Decimal | None:
    """A positive amount from what an officer types: `5000000`, `5,000,000`, `5M`, `750k`."""
    text = raw.strip().replace(",", "").replace(" ", "").upper()
    scale = {"K": Decimal(1_000), "M": Decimal(1_000_000)}.get(text[-1:], Decimal(1))
    try:
        amount = Decimal(text.rstrip("KM")) * scale
    except InvalidOperation:
        return None
    return amount if amount > 0 else None


def register(app: App, container: Container) -> None:
    def on_raise_request(
        ack: Ack, view: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        values = view["state"]["values"]
        amount = parse_amount(values[BlockId.AMOUNT][BlockId.AMOUNT].get("value") or "")
        if amount is None:
            ack(
                response_action="errors",
                errors={BlockId.AMOUNT: "Enter a positive amount, e.g. 5000000 or 5M."},
            )
            return
        ack()
        actor = require_actor(context)
        arguments = json.loads(view["private_metadata"])
        request = container.approvals.raise_request(
            actor,
            client_id=int(arguments["client_id"]),
            facility_id=arguments.get("facility_id"),
            kind=arguments.get("kind", "increase"),
            new_limit=amount,
            reason=values[BlockId.REASON][BlockId.REASON].get("value") or "",
            idempotency_key=f"slack-view:{view['id']}",
        )
        client.chat_postMessage(channel=body["user"]["id"], text=blocks.request_raised_text(request))

    app.view(ViewId.RAISE_REQUEST)(on_raise_request)
