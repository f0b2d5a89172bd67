"""Block Kit rendering: the assistant's Reply, client cards, lists, approvals, alerts, the Home tab.

Pure functions from the other areas' typed records to Slack JSON; no Slack calls and no domain
decisions here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from bot.reply import Action, Reply
from bot.reply import ClientCard as ReplyCard
from bot.slack.ids import ActionId, BlockId, ViewId
from tools.approvals.models import KEEPS_THE_LIMIT
from tools.engine.results import ClientAssessment, EarlyWarning, ReviewDue, WatchItem

if TYPE_CHECKING:
    from tools.approvals.models import ApprovalRequestView

Block = dict[str, Any]
ALERT_LEVELS = ("amber", "red")
LEVEL_EMOJI = {"red": ":red_circle:", "amber": ":large_orange_circle:", "green": ":large_green_circle:"}
SECTION_LIMIT = 2900  # Slack refuses section text above 3,000 characters
MAX_BLOCKS = 48  # of Slack's 50 per message
RAISE_REQUEST_ACTION = "raise_approval_request"
HELP_TEXT = (
    "*Credit Desk* — ask me about your clients, limits, warnings and policy.\n"
    "• `/credit ACME` — the client's card (grade, limit, utilisation, warnings, review date)\n"
    "• `/credit memo ACME` — draft the review memo and send it to you as a PDF\n"
    "• `/credit watchlist` — your clients with amber/red early warnings\n"
    "• `/credit due` — reviews due in the next 30 days and overdue ones\n"
    "• `/credit help` — this message\n"
    "Mention me in a channel (I answer in the thread) or write to me directly."
)


# --- formatting ----------------------------------------------------------------------------------


def money(value: Decimal | None, currency: str | None = None) -> str:
    if value is None:
        return "n/a"
    text = f"{value:,.0f}"
    return f"{currency} {text}" if currency else text


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


# --- primitives ------------------------------------------------------------------------------------


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}


def fields_section(pairs: Iterable[tuple[str, str]]) -> Block:
    fields = [{"type": "mrkdwn", "text": f"*{label}*\n{value}"} for label, value in pairs]
    return {"type": "section", "fields": fields[:10]}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:SECTION_LIMIT]}]}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def button(
    text: str, action_id: str, value: str, *, style: str | None = None, confirm: Block | None = None
) -> Block:
    out: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text[:75], "emoji": True},
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        out["style"] = style
    if confirm:
        out["confirm"] = confirm
    return out


def confirm_dialog(title: str, text: str, yes: str, *, danger: bool = False) -> Block:
    out: Block = {
        "title": {"type": "plain_text", "text": title[:100]},
        "text": {"type": "mrkdwn", "text": text[:300]},
        "confirm": {"type": "plain_text", "text": yes[:30]},
        "deny": {"type": "plain_text", "text": "Cancel"},
    }
    if danger:
        out["style"] = "danger"
    return out


def chunks(text: str, size: int = SECTION_LIMIT) -> list[str]:
    """Split long text on line boundaries into section-sized pieces (code fences kept balanced)."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if current and len(current) + len(line) > size:
            pieces.append(current)
            current = ""
        current += line[:size]
    if current:
        pieces.append(current)
    return [_balance_fences(p) for p in pieces]


def _balance_fences(text: str) -> str:
    return text + "\n```" if text.count("```") % 2 else text


# --- markdown to Slack mrkdwn ---------------------------------------------------------------------

_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def table_text(rows: Sequence[Sequence[object]]) -> str:
    """A table as aligned monospace text in a code block (Slack has no markdown tables)."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells if i < len(row)) for i in range(max(map(len, cells)))]
    lines = ["  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip() for row in cells]
    if len(lines) > 1:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return "```\n" + "\n".join(lines) + "\n```"


def to_mrkdwn(markdown: str) -> str:
    """Markdown (as a model writes it) to Slack mrkdwn: bold, headings, links, and tables."""
    out: list[str] = []
    table: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        if _TABLE_ROW.match(line):
            if not _TABLE_RULE.match(line):
                table.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if table:
            out.append(table_text(table))
            table = []
        out.append(line)
    text = "\n".join(out).rstrip("\n")
    text = re.sub(r"\*\*(.+?)\*\*", r"*\1*", text)
    text = re.sub(r"^#{1,6}\s+(.+)$", r"*\1*", text, flags=re.MULTILINE)
    return re.sub(r"\[([^\]]+)\]\((https?://[^)]+)\)", r"<\2|\1>", text)


# --- the client card --------------------------------------------------------------------------------


class ClientCard(BaseModel):
    """What a client card shows, from an assessment (`/credit ACME`) or the assistant's card data."""

    client_id: int
    name: str
    currency: str | None = None
    officer: str | None = None
    grade: int | None = None
    grade_name: str | None = None
    total_limit: Decimal | None = None
    outstanding: Decimal | None = None
    utilisation: float | None = None
    recommended_limit: Decimal | None = None
    ews_level: str | None = None
    next_review: dt.date | None = None
    review_overdue: bool | None = None
    warnings: list[EarlyWarning] = []

    @classmethod
    def from_assessment(cls, a: ClientAssessment) -> ClientCard:
        return cls(
            client_id=a.client.client_id,
            name=a.client.name,
            currency=a.exposure.currency,
            officer=a.client.officer_name or a.client.officer_id,
            grade=a.rating.grade,
            grade_name=a.rating.grade_name,
            total_limit=a.exposure.total_limit,
            outstanding=a.exposure.outstanding,
            utilisation=a.exposure.utilisation,
            recommended_limit=a.limit.recommended,
            ews_level=a.ews_level,
            next_review=a.review.next_due,
            review_overdue=a.review.overdue,
            warnings=[w for w in a.warnings if w.level in ALERT_LEVELS],
        )

    @classmethod
    def from_reply_card(cls, card: ReplyCard) -> ClientCard:
        return cls(**card.model_dump(exclude={"officer_id"}), officer=card.officer_id)


def client_card_blocks(card: ClientCard) -> list[Block]:
    level = card.ews_level or "green"
    grade = f"{card.grade} ({card.grade_name})" if card.grade_name else str(card.grade or "n/a")
    review = str(card.next_review or "n/a")
    if card.review_overdue:
        review = f":warning: {review} (overdue)"
    blocks = [
        header(f"{card.name} · #{card.client_id}"),
        fields_section(
            [
                ("Grade", grade),
                ("Early warning", f"{LEVEL_EMOJI.get(level, '')} {level}"),
                ("Limit", money(card.total_limit, card.currency)),
                ("Outstanding", money(card.outstanding, card.currency)),
                ("Utilisation", percent(card.utilisation)),
                ("Recommended limit", money(card.recommended_limit, card.currency)),
                ("Next review", review),
                ("Officer", card.officer or "n/a"),
            ]
        ),
    ]
    if card.warnings:
        blocks.append(warning_section(card.warnings))
    return blocks


def warning_section(warnings: Iterable[EarlyWarning]) -> Block:
    lines = [
        f"{LEVEL_EMOJI.get(w.level, '•')} *{w.indicator}*"
        + (f" ({w.date})" if w.date else "")
        + f": {w.message}"
        for w in warnings
    ]
    return section(":warning: *Warnings*\n" + "\n".join(lines))


# --- the assistant's reply ---------------------------------------------------------------------------


def action_button(action: Action, index: int) -> Block:
    """A suggested follow-up; its prepared arguments travel in the button (scope is re-checked on click)."""
    value = json.dumps(action.arguments, default=str)
    return button(action.label, f"{ActionId.OPEN_RAISE_REQUEST}:{index}", value)


def reply_blocks(reply: Reply) -> list[Block]:
    """The assistant's Reply: cards first, then the answer, figures, sources, warnings and buttons."""
    blocks: list[Block] = []
    for card in reply.cards:
        blocks.extend(client_card_blocks(ClientCard.from_reply_card(card)))
    blocks.extend(section(piece) for piece in chunks(to_mrkdwn(reply.text)))
    figures = [(f.label, f.display) for f in reply.figures]
    for start in range(0, len(figures), 10):
        blocks.append(fields_section(figures[start : start + 10]))
    if reply.citations:
        blocks.append(context("*Sources*\n" + "\n".join(c.label for c in reply.citations)))
    if reply.degraded:
        blocks.append(context(":warning: Answered without the language model (figures are from the tools)."))
    buttons = [action_button(a, i) for i, a in enumerate(reply.actions) if a.kind == RAISE_REQUEST_ACTION]
    if buttons:
        blocks.append({"type": "actions", "elements": buttons[:5]})
    return blocks[:MAX_BLOCKS]


def reply_text(reply: Reply) -> str:
    """The notification / accessibility fallback of a reply."""
    return (reply.text or "Credit Desk")[:3000]


def working_text() -> str:
    return ":hourglass_flowing_sand: Working…"


def help_blocks() -> list[Block]:
    return [section(HELP_TEXT)]


def error_text(message: str, error_id: str | None = None) -> str:
    if error_id:
        return (
            f":x: Something went wrong on our side (error id `{error_id}`). Please try again or quote the id."
        )
    return f":no_entry: {message}"


# --- lists --------------------------------------------------------------------------------------------


def watchlist_blocks(items: Sequence[WatchItem]) -> list[Block]:
    if not items:
        return [section(":white_check_mark: No clients on your watch-list.")]
    lines = [
        f"{LEVEL_EMOJI.get(w.ews_level, '•')} *{w.name}* (#{w.client_id}) · grade {w.grade} · "
        f"exposure {money(w.exposure)}"
        + (f" · {', '.join(x.indicator for x in w.warnings[:3])}" if w.warnings else "")
        for w in items
    ]
    return [header("Watch-list"), *(section(p) for p in chunks("\n".join(lines)))][:MAX_BLOCKS]


def reviews_due_blocks(items: Sequence[ReviewDue]) -> list[Block]:
    if not items:
        return [section(":white_check_mark: No reviews due in the next 30 days.")]
    lines = [
        f"• *{r.name}* (#{r.client_id}) · "
        + (f":warning: overdue {r.days_overdue} d" if r.overdue else f"due {r.next_due}")
        + f" · grade {r.grade}"
        for r in items
    ]
    return [header("Reviews due"), *(section(p) for p in chunks("\n".join(lines)))][:MAX_BLOCKS]


# --- approvals ---------------------------------------------------------------------------------------

STATUS_EMOJI = {
    "approved": ":white_check_mark:",
    "rejected": ":x:",
    "returned": ":leftwards_arrow_with_hook:",
}


def _chain(request: ApprovalRequestView) -> str:
    marks = {
        "approved": ":white_check_mark: ",
        "open": ":arrow_right: ",
        "rejected": ":x: ",
        "returned": "↩ ",
    }
    return " → ".join(f"{marks.get(s.status, '')}{s.name}" for s in request.steps)


def _request_summary(request: ApprovalRequestView) -> list[Block]:
    ccy, rccy = request.currency, request.reporting_currency
    blocks = [
        section(
            f"*{request.kind.capitalize()}* request `{request.request_id}` for *{request.client_name}* "
            f"(#{request.client_id}, grade {request.grade})"
        ),
        fields_section(
            [
                ("Facility", request.facility_id),
                ("Current limit", money(request.current_limit, ccy)),
                ("Requested limit", money(request.new_limit, ccy)),
                ("Recommended", money(request.recommended_limit, rccy)),
                ("Group exposure after", money(request.group_exposure_after, rccy)),
                ("Raised by", request.raised_by_name),
            ]
        ),
        section(f"*Reason*\n{request.reason or 'n/a'}"),
    ]
    if request.exceptions:
        lines = "\n".join(f"• {e.message}" for e in request.exceptions)
        blocks.append(section(f":warning: *Policy exceptions*\n{lines}"))
    if request.stale_reasons:
        lines = "\n".join(f"• {r}" for r in request.stale_reasons)
        blocks.append(section(f":hourglass: *Changed since it was raised*\n{lines}"))
    blocks.append(context(f"Approval chain: {_chain(request)}"))
    return blocks


def approval_request_blocks(request: ApprovalRequestView) -> list[Block]:
    """The approver's DM: the summary and Approve / Reject / Return (each behind a confirm dialog)."""
    rid, client = request.request_id, request.client_name
    buttons = [
        button(
            "Approve",
            ActionId.APPROVE,
            rid,
            style="primary",
            confirm=confirm_dialog("Approve?", f"Approve request `{rid}` for {client}?", "Approve"),
        ),
        button(
            "Reject",
            ActionId.REJECT,
            rid,
            style="danger",
            confirm=confirm_dialog("Reject?", f"Reject request `{rid}` for {client}?", "Reject", danger=True),
        ),
        button(
            "Return",
            ActionId.RETURN,
            rid,
            confirm=confirm_dialog(
                "Return?", f"Return request `{rid}` to {request.raised_by_name}?", "Return"
            ),
        ),
    ]
    return [*_request_summary(request), {"type": "actions", "block_id": f"decide:{rid}", "elements": buttons}]


def approval_outcome_blocks(request: ApprovalRequestView, *, decided_by: str | None = None) -> list[Block]:
    """The request after a decision: the same summary, the outcome instead of the buttons."""
    by = f" by {decided_by}" if decided_by else ""
    if request.status == "pending":
        step = request.open_step
        waiting = f" · now with {step.name}" if step else ""
        return [
            *_request_summary(request),
            context(f":white_check_mark: *Your step is approved*{by}{waiting}"),
        ]
    emoji = STATUS_EMOJI.get(request.status, ":information_source:")
    return [*_request_summary(request), context(f"{emoji} *{request.status}*{by}")]


def approval_outcome_text(request: ApprovalRequestView) -> str:
    return f"Request `{request.request_id}` for {request.client_name} is *{request.status}*."


def raise_request_modal(arguments: Mapping[str, Any], *, client_name: str) -> Block:
    """The confirm step for a suggested limit change: amount and reason pre-filled, editable."""
    kind = str(arguments.get("kind", "increase"))
    amount = arguments.get("new_limit")
    amount_input: Block = {"type": "plain_text_input", "action_id": BlockId.AMOUNT}
    if amount is not None:
        amount_input["initial_value"] = str(amount)
    reason_input: Block = {"type": "plain_text_input", "action_id": BlockId.REASON, "multiline": True}
    if arguments.get("reason"):
        reason_input["initial_value"] = str(arguments["reason"])[:3000]
    keeps_limit = kind in KEEPS_THE_LIMIT  # freeze / unfreeze: no amount to ask for
    headline = (
        f"*{kind.capitalize()}* {'the facility' if keeps_limit else 'of the limit'} for *{client_name}*"
    )
    amount_block: list[Block] = [] if keeps_limit else [{
        "type": "input",
        "block_id": BlockId.AMOUNT,
        "label": {"type": "plain_text", "text": "New limit"},
        "element": amount_input,
    }]  # fmt: skip
    return {
        "type": "modal",
        "callback_id": ViewId.RAISE_REQUEST,
        "private_metadata": json.dumps(dict(arguments), default=str)[:3000],
        "title": {"type": "plain_text", "text": "Approval request"},
        "submit": {"type": "plain_text", "text": "Raise request"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(headline),
            *amount_block,
            {
                "type": "input",
                "block_id": BlockId.REASON,
                "label": {"type": "plain_text", "text": "Reason"},
                "element": reason_input,
            },
        ],
    }


def request_raised_text(request: ApprovalRequestView) -> str:
    step = request.open_step
    waiting = f", waiting for {step.name}" if step else ""
    return (
        f":inbox_tray: Request `{request.request_id}` for {request.client_name} raised ({request.status}{waiting}). "
        "I will tell you when it is decided."
    )


# --- alerts and the Home tab ----------------------------------------------------------------------------


def warning_alert_blocks(
    client_name: str, client_id: int, warning: EarlyWarning, officer_name: str
) -> list[Block]:
    when = f" on {warning.date}" if warning.date else ""
    measured = (
        f" (value {warning.value:.2f}, threshold {warning.threshold:.2f})"
        if warning.value is not None and warning.threshold is not None
        else ""
    )
    return [
        section(
            f"{LEVEL_EMOJI.get(warning.level, '')} *New {warning.level} warning* for *{client_name}* "
            f"(#{client_id}){when}\n*{warning.indicator}*: {warning.message}{measured}"
        ),
        context(f"Owner: {officer_name} · ask me “why is {client_name} {warning.level}?” for the details"),
    ]


def home_view(
    *, reviews: Sequence[object], watch: Sequence[object], awaiting: Sequence[ApprovalRequestView]
) -> Block:
    blocks: list[Block] = [header("Credit Desk")]
    blocks.extend(reviews_due_blocks(reviews)[:12])
    blocks.append({"type": "divider"})
    blocks.extend(watchlist_blocks(watch)[:12])
    blocks.append({"type": "divider"})
    blocks.append(header("Approvals waiting for you"))
    if not awaiting:
        blocks.append(section("Nothing waiting for your decision."))
    for request in awaiting[:5]:
        blocks.extend(approval_request_blocks(request))
    return {"type": "home", "blocks": blocks[:100]}
