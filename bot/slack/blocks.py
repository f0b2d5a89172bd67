"""Block Kit rendering: the assistant's Reply, client cards, lists, approvals, alerts, the Home tab.

Pure functions from the other areas' typed records to Slack JSON; no Slack calls and no domain
decisions here. Every piece of data goes through `mrkdwn.escape` (or `to_mrkdwn` for prose); wording
comes from the `slack` catalogue area in the officer's language. Nothing is cut silently: long text is
split across blocks and messages, lists say "N of M" and offer the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from bot.render_text import figure_display, figure_label
from bot.reply import RAISE_REQUEST, SUBMIT_MEMO, Reply
from bot.reply import ClientCard as ReplyCard
from bot.slack.ids import ActionId, BlockId, ViewId
from bot.slack.mrkdwn import escape, split_text, to_mrkdwn
from kernel import catalogue
from tools.approvals.models import KEEPS_THE_LIMIT
from tools.engine.results import ClientAssessment, EarlyWarning, ReviewDue, WatchItem

if TYPE_CHECKING:
    from tools.approvals.models import ApprovalRequestView

Block = dict[str, Any]
ALERT_LEVELS = ("amber", "red")
LEVEL_EMOJI = {"red": ":red_circle:", "amber": ":large_orange_circle:", "green": ":large_green_circle:"}
# Slack's published limits (https://docs.slack.dev/reference/block-kit/blocks)
SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
CONTEXT_TEXT_LIMIT = 3000  # per element; we send one element
HEADER_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 3000  # the notification fallback: kept short (Slack truncates at 40,000)
BLOCK_BUDGET = 45  # blocks per message we fill before starting the next message
PAGE_SIZE = 20  # list lines per page (/credit due, /credit watchlist)
HOME_LIST_SIZE = 10
HOME_APPROVALS = 5
BUTTONS: dict[str, str] = {  # a reply's action kind -> its button's action id (prefix)
    RAISE_REQUEST: ActionId.OPEN_RAISE_REQUEST,
    SUBMIT_MEMO: ActionId.SUBMIT_MEMO,
}
STATUS_EMOJI = {
    "approved": ":white_check_mark:",
    "rejected": ":x:",
    "returned": ":leftwards_arrow_with_hook:",
    "pending": ":hourglass:",
}


def t(key: str, lang: str, /, **values: object) -> str:
    return catalogue.text(f"slack.{key}", lang, **values)


@dataclass
class Message:
    """One Slack message: the notification text (escaped) and its blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)


# --- formatting ----------------------------------------------------------------------------------


def money(value: Decimal | None, currency: str | None = None) -> str:
    if value is None:
        return "n/a"
    text = f"{value:,.0f}"
    return f"{escape(currency)} {text}" if currency else text


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def level_name(level: str | None, lang: str) -> str:
    return t(f"level.{level}", lang) if level in LEVEL_EMOJI else str(level or "")


def indicator_name(code: str, lang: str) -> str:
    """An indicator's name (the `vocab`/`engine` catalogue areas); never the raw code."""
    key = f"indicator.{code}"
    if catalogue.has(key):
        return catalogue.text(key, lang)
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def status_name(status: str, lang: str) -> str:
    key = f"slack.status.{status}"
    return catalogue.text(key, lang) if catalogue.has(key) else status


# --- primitives ------------------------------------------------------------------------------------


def section(text: str) -> Block:
    """One section of mrkdwn; `text` must already be escaped and within Slack's limit."""
    if len(text) > SECTION_TEXT_LIMIT:
        raise ValueError(f"section text of {len(text)} characters; use sections()")
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def sections(text: str) -> list[Block]:
    """As many sections as the (escaped) text needs; nothing is dropped."""
    return [section(piece) for piece in split_text(text, SECTION_TEXT_LIMIT) if piece.strip()]


def fields_section(pairs: Iterable[tuple[str, str]]) -> Block:
    fields = [{"type": "mrkdwn", "text": f"*{label}*\n{value}"[:FIELD_TEXT_LIMIT]} for label, value in pairs]
    return {"type": "section", "fields": fields[:10]}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:CONTEXT_TEXT_LIMIT]}]}


def header(text: str) -> Block:
    if len(text) > HEADER_LIMIT:
        text = text[: HEADER_LIMIT - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def plain(text: str, limit: int) -> Block:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


def button(
    text: str, action_id: str, value: str, *, style: str | None = None, confirm: Block | None = None
) -> Block:
    if len(value) > BUTTON_VALUE_LIMIT:
        raise ValueError("button values carry a short id, never a payload")
    out: Block = {
        "type": "button",
        "text": {**plain(text, BUTTON_TEXT_LIMIT), "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        out["style"] = style
    if confirm:
        out["confirm"] = confirm
    return out


def confirm_dialog(title: str, text: str, yes: str, no: str, *, danger: bool = False) -> Block:
    out: Block = {
        "title": plain(title, 100),
        "text": {"type": "mrkdwn", "text": text if len(text) <= 300 else text[:299] + "…"},
        "confirm": plain(yes, 30),
        "deny": plain(no, 30),
    }
    if danger:
        out["style"] = "danger"
    return out


def fallback(text: str) -> str:
    """A message's notification text (escaped already), kept short."""
    return text if len(text) <= MESSAGE_TEXT else text[: MESSAGE_TEXT - 1] + "…"


def paginate(blocks: list[Block], text: str, *, budget: int = BLOCK_BUDGET) -> list[Message]:
    """Blocks spread over as many messages as they need (the first carries `text`)."""
    messages = [Message(text, blocks[i : i + budget]) for i in range(0, len(blocks), budget)]
    return messages or [Message(text, [])]


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


def client_card_blocks(card: ClientCard, lang: str = "en") -> list[Block]:
    level = card.ews_level or "green"
    na = catalogue.text("common.not_available", lang)
    named = (
        catalogue.code_name("grade", card.grade, lang) if card.grade else card.grade_name
    )  # one name per grade
    grade = f"{card.grade} ({escape(named)})" if card.grade_name else str(card.grade or na)
    review = str(card.next_review or na)
    if card.review_overdue:
        review = ":warning: " + t("card.overdue", lang, date=review)
    blocks = [
        header(f"{card.name} · #{card.client_id}"),
        fields_section(
            [
                (t("card.grade", lang), grade),
                (t("card.early_warning", lang), f"{LEVEL_EMOJI.get(level, '')} {level_name(level, lang)}"),
                (t("card.limit", lang), money(card.total_limit, card.currency)),
                (t("card.outstanding", lang), money(card.outstanding, card.currency)),
                (t("card.utilisation", lang), percent(card.utilisation)),
                (t("card.recommended", lang), money(card.recommended_limit, card.currency)),
                (t("card.next_review", lang), review),
                (t("card.officer", lang), escape(card.officer or "n/a")),
            ]
        ),
    ]
    if card.warnings:
        blocks.extend(warning_sections(card.warnings, lang))
    return blocks


def warning_line(w: EarlyWarning, lang: str) -> str:
    when = f" ({w.date})" if w.date else ""
    said = catalogue.render_or(w.msg, w.message, lang)  # from the warning's code + params
    return (
        f"{LEVEL_EMOJI.get(w.level, '•')} *{escape(indicator_name(w.indicator, lang))}*{when}: {escape(said)}"
    )


def warning_sections(warnings: Iterable[EarlyWarning], lang: str = "en") -> list[Block]:
    lines = [warning_line(w, lang) for w in warnings]
    return sections(f":warning: *{t('card.warnings', lang)}*\n" + "\n".join(lines))


# --- the assistant's reply ---------------------------------------------------------------------------


def reply_messages(reply: Reply, lang: str = "en", *, action_ids: Sequence[str] = ()) -> list[Message]:
    """The assistant's Reply as one or more messages: cards, the answer (split, never cut), figures,
    then sources, the degraded note and the action buttons on the last message.

    `action_ids` are the short server-side ids of the reply's actions that have a button (`BUTTONS`: raise
    an approval request, submit a memo; see bot.slack.store), in order; a button carries only that id.
    """
    body: list[Block] = []
    for card in reply.cards:
        body.extend(client_card_blocks(ClientCard.from_reply_card(card), lang))
    body.extend(sections(to_mrkdwn(reply.text)))
    figures = [(escape(figure_label(f, lang)), escape(figure_display(f, lang))) for f in reply.figures]
    for start in range(0, len(figures), 10):
        body.append(fields_section(figures[start : start + 10]))
    tail: list[Block] = []
    if reply.citations:
        lines = [escape(c.label) for c in reply.citations]
        for piece in split_text("\n".join(lines), CONTEXT_TEXT_LIMIT - 20):
            tail.append(context(f"*{t('reply.sources', lang)}*\n{piece}"))
    if reply.degraded:  # the brain's own reason when it gave one (model timed out, answer unverified, ...)
        notice = escape(reply.notice) if reply.notice else t("reply.degraded", lang)
        tail.append(context(f":warning: {notice}" if reply.notice else notice))
    offered = [a for a in reply.actions if a.kind in BUTTONS]
    buttons = [
        button(action.label, f"{BUTTONS[action.kind]}:{i}", value_id)
        for i, (action, value_id) in enumerate(zip(offered, action_ids, strict=False))
    ]
    for start in range(0, len(buttons), 25):
        tail.append({"type": "actions", "elements": buttons[start : start + 25]})
    messages = paginate(body, reply_text(reply))
    last = messages[-1]
    if len(last.blocks) + len(tail) > MESSAGE_BLOCKS:
        messages.append(Message(reply_text(reply), []))
    messages[-1].blocks.extend(tail)
    if len(messages) > 1:
        for n, message in enumerate(messages, start=1):
            message.blocks.append(context(t("reply.part", lang, part=n, parts=len(messages))))
    return messages


def reply_text(reply: Reply) -> str:
    """The notification / accessibility fallback of a reply (escaped)."""
    return fallback(escape(reply.text.strip() or "Credit Desk"))


def help_blocks(lang: str = "en") -> list[Block]:
    return [section(t("help", lang))]


def error_text(message: str, error_id: str | None = None, lang: str = "en") -> str:
    if error_id:
        return t("error.unexpected", lang, error_id=error_id)
    return t("error.refused", lang, message=escape(message))


# --- lists (paged) -------------------------------------------------------------------------------------


def _watch_line(w: WatchItem, lang: str) -> str:
    names = ", ".join(escape(indicator_name(x.indicator, lang)) for x in w.warnings[:3])
    more = f" +{len(w.warnings) - 3}" if len(w.warnings) > 3 else ""
    return (
        f"{LEVEL_EMOJI.get(w.ews_level, '•')} *{escape(w.name)}* (#{w.client_id}) · "
        f"{t('list.grade', lang, grade=w.grade)} · {t('list.exposure', lang, amount=money(w.exposure))}"
        + (f" · {names}{more}" if names else "")
    )


def _due_line(r: ReviewDue, lang: str) -> str:
    when = (
        t("list.overdue_days", lang, days=r.days_overdue)
        if r.overdue
        else t("list.due_on", lang, date=r.next_due)
    )
    return f"• *{escape(r.name)}* (#{r.client_id}) · {when} · {t('list.grade', lang, grade=r.grade)}"


def list_summary(verb: str, items: Sequence[Any], lang: str) -> str:
    if verb == "due":
        overdue = sum(1 for r in items if r.overdue)
        return t("list.due_summary", lang, total=len(items), overdue=overdue, upcoming=len(items) - overdue)
    red = sum(1 for w in items if w.ews_level == "red")
    return t("list.watch_summary", lang, total=len(items), red=red, amber=len(items) - red)


def list_page(verb: str, items: Sequence[Any], *, offset: int = 0, lang: str = "en") -> Message:
    """One page of `/credit due` or `/credit watchlist`: a summary, PAGE_SIZE lines, "N–M of T" and
    Previous / Next buttons (their value is the verb and offset; the list is re-read on click)."""
    title = t("list.due" if verb == "due" else "list.watchlist", lang)
    if not items:
        return Message(
            title, [section(t("list.due_empty" if verb == "due" else "list.watchlist_empty", lang))]
        )
    offset = max(0, min(offset, (len(items) - 1) // PAGE_SIZE * PAGE_SIZE))
    page = items[offset : offset + PAGE_SIZE]
    render = _due_line if verb == "due" else _watch_line
    blocks: list[Block] = [header(title), section(list_summary(verb, items, lang))]
    blocks.extend(sections("\n".join(render(x, lang) for x in page)))
    blocks.append(context(t("list.range", lang, first=offset + 1, last=offset + len(page), total=len(items))))
    buttons = []
    if offset > 0:
        buttons.append(
            button(t("list.previous", lang), ActionId.LIST_PREVIOUS, f"{verb}:{offset - PAGE_SIZE}")
        )
    if offset + PAGE_SIZE < len(items):
        remaining = min(PAGE_SIZE, len(items) - offset - PAGE_SIZE)
        buttons.append(
            button(t("list.next", lang, count=remaining), ActionId.LIST_NEXT, f"{verb}:{offset + PAGE_SIZE}")
        )
    if buttons:
        blocks.append({"type": "actions", "block_id": f"page:{verb}", "elements": buttons})
    return Message(f"{title}: {list_summary(verb, items, lang)}", blocks)


def list_preview(verb: str, items: Sequence[Any], *, size: int, lang: str) -> list[Block]:
    """The first `size` lines of a list and, when there are more, "N of M" and the command for the rest
    (the Home tab has no response_url to page in)."""
    title = t("list.due" if verb == "due" else "list.watchlist", lang)
    if not items:
        return [section(t("list.due_empty" if verb == "due" else "list.watchlist_empty", lang))]
    render = _due_line if verb == "due" else _watch_line
    blocks = [header(title), *sections("\n".join(render(x, lang) for x in items[:size]))]
    if len(items) > size:
        blocks.append(context(t("list.see_all", lang, shown=size, total=len(items), verb=verb)))
    return blocks


# --- approvals ---------------------------------------------------------------------------------------


def _chain(request: ApprovalRequestView, lang: str = "en") -> str:
    marks = {
        "approved": ":white_check_mark: ",
        "open": ":arrow_right: ",
        "rejected": ":x: ",
        "returned": "↩ ",
    }
    return " → ".join(
        f"{marks.get(s.status, '')}{escape(catalogue.name_in('approval_level', s.name, lang))}"
        for s in request.steps
    )


def _kind(request_kind: str, lang: str) -> str:
    key = f"slack.kind.{request_kind}"
    return catalogue.text(key, lang) if catalogue.has(key) else escape(request_kind)


def _request_summary(request: ApprovalRequestView, lang: str) -> list[Block]:
    ccy, rccy = request.currency, request.reporting_currency
    headline = t(
        "approval.headline",
        lang,
        kind=_kind(request.kind, lang),
        request_id=request.request_id,
        client=escape(request.client_name),
        client_id=request.client_id,
        grade=request.grade,
    )
    blocks = [
        section(headline),
        fields_section(
            [
                (t("approval.facility", lang), escape(request.facility_id)),
                (t("approval.current_limit", lang), money(request.current_limit, ccy)),
                (t("approval.requested_limit", lang), money(request.new_limit, ccy)),
                (t("approval.recommended", lang), money(request.recommended_limit, rccy)),
                (t("approval.group_after", lang), money(request.group_exposure_after, rccy)),
                (t("approval.raised_by", lang), escape(request.raised_by_name)),
            ]
        ),
        *sections(f"*{t('approval.reason', lang)}*\n{escape(request.reason or 'n/a')}"),
    ]
    if request.exceptions:
        lines = "\n".join(
            f"• {escape(catalogue.render_or(e.msg, e.message, lang))}" for e in request.exceptions
        )
        blocks.extend(sections(f":warning: *{t('approval.exceptions', lang)}*\n{lines}"))
    if request.stale_reasons:
        said = catalogue.render_each(request.stale_msgs, request.stale_reasons, lang)
        lines = "\n".join(f"• {escape(r)}" for r in said)
        blocks.extend(sections(f":hourglass: *{t('approval.changed', lang)}*\n{lines}"))
    blocks.append(context(t("approval.chain", lang, chain=_chain(request, lang))))
    return blocks


def decision_value(request_id: str, step_no: int) -> str:
    """A decision button's value: the request and the step it was sent for (`AR-12:2`)."""
    return f"{request_id}:{step_no}"


def parse_decision_value(value: str) -> tuple[str, int | None]:
    request_id, _, step = value.partition(":")
    return request_id, int(step) if step.isdigit() else None


def approval_request_blocks(request: ApprovalRequestView, lang: str = "en") -> list[Block]:
    """The approver's copy for the open step: the summary and Approve / Reject / Return (each behind a
    confirm dialog); the buttons name the step they decide."""
    step = request.open_step
    if step is None:
        return approval_copy_blocks(request, request.current_step, lang)
    rid, client = request.request_id, escape(request.client_name)
    value = decision_value(rid, step.step_no)
    no = t("approval.cancel", lang)
    buttons = [
        button(t("approval.approve", lang), ActionId.APPROVE, value, style="primary",
               confirm=confirm_dialog(t("approval.confirm_approve_title", lang),
                                      t("approval.confirm_approve", lang, step_no=step.step_no, request_id=rid,
                                        client=client), t("approval.approve", lang), no)),
        button(t("approval.reject", lang), ActionId.REJECT, value, style="danger",
               confirm=confirm_dialog(t("approval.confirm_reject_title", lang),
                                      t("approval.confirm_reject", lang, request_id=rid, client=client),
                                      t("approval.reject", lang), no, danger=True)),
        button(t("approval.return", lang), ActionId.RETURN, value,
               confirm=confirm_dialog(t("approval.confirm_return_title", lang),
                                      t("approval.confirm_return", lang, request_id=rid,
                                        raised_by=escape(request.raised_by_name)), t("approval.return", lang), no)),
    ]  # fmt: skip
    return [
        *_request_summary(request, lang),
        context(t("approval.for_step", lang, step_no=step.step_no, name=escape(step.name))),
        {"type": "actions", "block_id": f"decide:{value}", "elements": buttons},
    ]


def step_outcome(request: ApprovalRequestView, step_no: int, lang: str) -> str:
    """What became of step `step_no` (and of the request)."""
    if request.status != "pending":
        status = request.status
        return t(
            "approval.closed", lang, emoji=STATUS_EMOJI.get(status, ""), status=status_name(status, lang)
        )
    step = next((s for s in request.steps if s.step_no == step_no), None)
    now = request.open_step
    if step is not None and step.status == "open":
        missing = max(step.quorum - step.approvals, 0)
        return t("approval.step_partly", lang, step_no=step_no, missing=missing)
    return t(
        "approval.step_decided",
        lang,
        step_no=step_no,
        name=escape(step.name if step else ""),
        next=escape(now.name if now else ""),
    )


def approval_copy_blocks(request: ApprovalRequestView, step_no: int, lang: str = "en") -> list[Block]:
    """A copy sent for `step_no`, after that step (or the request) was decided: no buttons left."""
    return [*_request_summary(request, lang), context(step_outcome(request, step_no, lang))]


def approval_outcome_text(request: ApprovalRequestView, lang: str = "en") -> str:
    return t(
        "approval.outcome",
        lang,
        request_id=request.request_id,
        client=escape(request.client_name),
        status=status_name(request.status, lang),
    )


def needs_decision_text(request: ApprovalRequestView, lang: str = "en") -> str:
    step = request.open_step
    return t(
        "approval.needs_decision",
        lang,
        request_id=request.request_id,
        client=escape(request.client_name),
        step_no=step.step_no if step else request.current_step,
    )


def raise_request_modal(
    arguments: dict[str, Any], *, client_name: str, value_id: str, lang: str = "en"
) -> Block:
    """The confirm step for a suggested limit change: amount and reason pre-filled, editable. The
    modal's metadata is the suggestion's short id (its key makes a double confirmation raise once)."""
    kind = str(arguments.get("kind", "increase"))
    amount = arguments.get("new_limit")
    amount_input: Block = {"type": "plain_text_input", "action_id": BlockId.AMOUNT}
    if amount is not None:
        amount_input["initial_value"] = str(amount)[:3000]
    reason_input: Block = {"type": "plain_text_input", "action_id": BlockId.REASON, "multiline": True}
    if arguments.get("reason"):
        reason_input["initial_value"] = str(arguments["reason"])[:3000]
    keeps_limit = kind in KEEPS_THE_LIMIT  # freeze / unfreeze: no amount to ask for
    headline = t(
        "modal.headline_facility" if keeps_limit else "modal.headline_limit",
        lang,
        kind=_kind(kind, lang),
        client=escape(client_name),
    )
    amount_block: list[Block] = [] if keeps_limit else [{
        "type": "input",
        "block_id": BlockId.AMOUNT,
        "label": plain(t("modal.new_limit", lang), 2000),
        "element": amount_input,
    }]  # fmt: skip
    return {
        "type": "modal",
        "callback_id": ViewId.RAISE_REQUEST,
        "private_metadata": value_id,
        "title": plain(t("modal.title", lang), 24),
        "submit": plain(t("modal.submit", lang), 24),
        "close": plain(t("modal.cancel", lang), 24),
        "blocks": [
            *sections(headline),
            *amount_block,
            {
                "type": "input",
                "block_id": BlockId.REASON,
                "label": plain(t("modal.reason", lang), 2000),
                "element": reason_input,
            },
        ],
    }


def request_raised_text(request: ApprovalRequestView, lang: str = "en") -> str:
    step = request.open_step
    return t(
        "approval.raised",
        lang,
        request_id=request.request_id,
        client=escape(request.client_name),
        status=status_name(request.status, lang),
        waiting=t("approval.waiting_for", lang, name=escape(step.name)) if step else "",
    )


# --- alerts and the Home tab ----------------------------------------------------------------------------


def warning_alert_blocks(
    client_name: str, client_id: int, warning: EarlyWarning, officer_name: str, lang: str = "en"
) -> list[Block]:
    when = t("alert.on", lang, date=warning.date) if warning.date else ""
    measured = (
        " ("
        + t("card.value_threshold", lang, value=f"{warning.value:.2f}", threshold=f"{warning.threshold:.2f}")
        + ")"
        if warning.value is not None and warning.threshold is not None
        else ""
    )
    level = level_name(warning.level, lang)
    headline = t(
        "alert.new", lang, emoji=LEVEL_EMOJI.get(warning.level, ""), level=level, client=escape(client_name),
        client_id=client_id, when=when,
    )  # fmt: skip
    said = catalogue.render_or(getattr(warning, "msg", None), warning.message, lang)  # code + params
    detail = f"*{escape(indicator_name(warning.indicator, lang))}*: {escape(said)}{measured}"
    return [
        *sections(f"{headline}\n{detail}"),
        context(
            t("alert.owner", lang, officer=escape(officer_name), client=escape(client_name), level=level)
        ),
    ]


@dataclass(frozen=True)
class NewWarning:
    """One new warning of a monitor run, with the client and officer it is about."""

    client_id: int
    client_name: str
    officer_name: str
    warning: EarlyWarning


def digest_counts(items: Sequence[NewWarning]) -> dict[str, int]:
    red = sum(1 for i in items if i.warning.level == "red")
    return {
        "total": len(items),
        "red": red,
        "amber": len(items) - red,
        "clients": len({i.client_id for i in items}),
    }


def digest_message(as_of: dt.date, items: Sequence[NewWarning], lang: str = "en") -> Message:
    """The risk channel's one post per monitor run: counts by severity (details in its thread)."""
    counts = digest_counts(items)
    blocks = [
        header(t("alert.digest_title", lang, date=as_of)),
        section(t("alert.digest_counts", lang, **counts)),
        context(t("alert.digest_thread", lang)),
    ]
    return Message(
        t("alert.digest_text", lang, date=as_of, **{k: counts[k] for k in ("total", "red", "amber")}), blocks
    )


def digest_details(items: Sequence[NewWarning], lang: str = "en") -> list[Message]:
    """The details of a run's new warnings, grouped by client, as few thread messages as they need."""
    by_client: dict[int, list[NewWarning]] = {}
    for item in sorted(items, key=lambda i: (i.warning.level != "red", i.client_name)):
        by_client.setdefault(item.client_id, []).append(item)
    lines = []
    for client_id, group in by_client.items():
        first = group[0]
        lines.append(f"*{escape(first.client_name)}* (#{client_id}) · {escape(first.officer_name)}")
        lines.extend(f"    {warning_line(i.warning, lang)}" for i in group)
    blocks = sections("\n".join(lines))
    return paginate(blocks, t("alert.digest_text", lang, date="", **{
        k: v for k, v in digest_counts(items).items() if k != "clients"}).strip(), budget=BLOCK_BUDGET)  # fmt: skip


def officer_digest_messages(as_of: dt.date, items: Sequence[NewWarning], lang: str = "en") -> list[Message]:
    """An officer's new warnings of one run, in one DM (or as few as they need)."""
    if len(items) == 1:
        i = items[0]
        return [
            Message(
                t("alert.text", lang, level=level_name(i.warning.level, lang), client=escape(i.client_name),
                  indicator=escape(indicator_name(i.warning.indicator, lang))),
                warning_alert_blocks(i.client_name, i.client_id, i.warning, i.officer_name, lang),
            )
        ]  # fmt: skip
    text = t("alert.officer_digest", lang, total=len(items), date=as_of)
    lines = [f"*{escape(i.client_name)}* (#{i.client_id}) {warning_line(i.warning, lang)}" for i in items]
    return paginate([section(text), *sections("\n".join(lines))], text)


def home_view(
    *,
    reviews: Sequence[ReviewDue],
    watch: Sequence[WatchItem],
    awaiting: Sequence[ApprovalRequestView],
    lang: str = "en",
    note: str | None = None,
) -> Block:
    """The Home tab: the first lines of each list with "N of M" and the command for the rest."""
    blocks: list[Block] = [header(t("home.title", lang))]
    if note:
        blocks.append(context(note))
    blocks.extend(list_preview("due", reviews, size=HOME_LIST_SIZE, lang=lang))
    blocks.append({"type": "divider"})
    blocks.extend(list_preview("watchlist", watch, size=HOME_LIST_SIZE, lang=lang))
    blocks.append({"type": "divider"})
    blocks.append(header(t("home.approvals", lang)))
    if not awaiting:
        blocks.append(section(t("home.nothing_waiting", lang)))
    shown = 0
    for request in awaiting:
        copy = approval_request_blocks(request, lang)
        if shown == HOME_APPROVALS or len(blocks) + len(copy) + 2 > VIEW_BLOCKS:
            break
        blocks.extend([*copy, {"type": "divider"}])
        shown += 1
    if shown < len(awaiting):
        blocks.append(context(t("home.more_approvals", lang, shown=shown, total=len(awaiting))))
    return {"type": "home", "blocks": blocks}
