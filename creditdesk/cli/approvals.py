"""`creditdesk approvals list|show|raise|decide --as OFFICER`: limit requests and maker-checker decisions."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

import typer

from creditdesk.cli.common import (
    actor_for,
    as_option,
    cli_language,
    client_argument,
    console,
    container,
    print_json,
    require_database,
    resolve_client,
)
from kernel.catalogue import code_name, name_in, render_each, text
from tools.approvals.preview import preview_lines

if TYPE_CHECKING:
    from tools.actor import Actor
    from tools.approvals.models import ApprovalRequestView

app = typer.Typer(
    help="Limit requests routed by the authority matrix; approve / reject / return.", no_args_is_help=True
)

AS_OPTION = as_option()
JSON_OPTION = typer.Option(False, "--json", help="Machine-readable output")
REQUEST_ARGUMENT = typer.Argument(..., metavar="REQUEST", help="Request id (see `approvals list`)")


def _plain(lines: list[str]) -> None:
    """Print as written: names, reasons and comments are the users' own text, never console markup."""
    for line in lines:
        console.print(line, highlight=False, markup=False, soft_wrap=True)


def _line(v: ApprovalRequestView, lang: str) -> str:
    step = v.open_step
    at = (
        text("cli.request.at_step", lang, step_no=step.step_no, steps=len(v.steps),
             name=name_in("approval_level", step.name, lang))
        if step
        else code_name("request_status", v.status, lang)
    )  # fmt: skip
    amount = f"{v.currency} {v.new_limit:,.2f}" if v.new_limit is not None else "—"
    status, kind = code_name("request_status", v.status, lang), code_name("request_kind", v.kind, lang)
    return f"{v.request_id:>7}  {status:<9} {kind:<9} {v.client_name[:28]:<28} {amount:>18}  {at}"


def _show(v: ApprovalRequestView) -> None:
    lang = cli_language()
    out = [
        text("cli.request.title", lang, request_id=v.request_id, kind=code_name("request_kind", v.kind, lang),
             client=v.client_name, client_id=v.client_id, facility=v.facility_id),
        "  " + text("cli.request.limit", lang, currency=v.currency, current=f"{v.current_limit:,.2f}",
                    new="—" if v.new_limit is None else f"{v.new_limit:,.2f}", grade=v.grade,
                    reporting_currency=v.reporting_currency, group=f"{v.group_exposure_after:,.2f}"),
        "  " + text("cli.request.raised", lang, name=v.raised_by_name, officer=v.raised_by,
                    at=f"{v.raised_at:%Y-%m-%d %H:%M}", reason=v.reason),
    ]  # fmt: skip
    if v.memo_id is not None:
        out.append("  " + text("cli.request.memo", lang, memo_id=v.memo_id))
    out += [
        "  " + text("cli.preview.routing", lang, text=r) for r in render_each(v.routing_msgs, v.routing, lang)
    ]
    for s in v.steps:
        due = (
            text("cli.request.due", lang, at=f"{s.due_at:%Y-%m-%d %H:%M}")
            if s.due_at and s.status == "open"
            else ""
        )
        out.append("  " + text("cli.request.step", lang, step_no=s.step_no, name=name_in("approval_level", s.name, lang),
                               level=s.level, quorum=s.quorum, status=code_name("step_status", s.status, lang),
                               approvals=s.approvals, due=due))  # fmt: skip
    out += ["  " + text("cli.request.decision", lang, at=f"{d.decided_at:%Y-%m-%d %H:%M}", officer=d.officer_id,
                        decision=code_name("decision", d.decision, lang), comment=d.comment or "—")
            for d in v.decisions]  # fmt: skip
    out += [
        "  " + text("cli.request.stale", lang, text=r)
        for r in render_each(v.stale_msgs, v.stale_reasons, lang)
    ]
    out.append("  " + text("cli.request.status", lang, status=code_name("request_status", v.status, lang),
                           snapshot=v.snapshot_hash[:16], policy=v.policy_version))  # fmt: skip
    _plain(out)


def _out(views: list[ApprovalRequestView], as_json: bool) -> None:
    if as_json:
        print_json([v.model_dump(mode="json") for v in views])
        return
    lang = cli_language()
    _plain([_line(v, lang) for v in views] or [text("cli.requests.none", lang)])


@app.command("list")
def list_(
    officer: str = AS_OPTION,
    mine: bool = typer.Option(False, "--mine", help="Requests I raised (default: awaiting my decision)"),
    all_: bool = typer.Option(False, "--all", help="Every request (approvers, risk, audit, admin)"),
    status: str | None = typer.Option(None, help="With --all: pending, approved, rejected, returned"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Requests awaiting your decision (or --mine, or --all)."""
    actor, svc = actor_for(officer), container().approvals
    if all_:
        views = svc.list_all(actor, status=status)
    else:
        views = svc.list_raised_by(actor) if mine else svc.list_awaiting(actor)
    _out(views, as_json)


@app.command()
def show(request_id: str = REQUEST_ARGUMENT, officer: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """A request, its chain and decisions, and whether its data changed since it was raised."""
    actor = actor_for(officer)  # first: it says how to make a database where there is none
    view = container().approvals.staleness(actor, request_id)
    if as_json:
        print_json(view.model_dump(mode="json") | {"stale": view.stale})
    else:
        _show(view)


@app.command("raise")
def raise_(
    client: str = client_argument(),
    kind: str | None = typer.Option(
        None,
        metavar="KIND",
        help="increase, decrease, freeze, unfreeze or renewal (default: increase or decrease, from --new-limit)",
    ),
    new_limit: str | None = typer.Option(None, "--new-limit", metavar="AMOUNT", help=text("cli.amount.help")),
    facility: str | None = typer.Option(
        None, metavar="FACILITY", help="Facility id (optional when the client has one open)"
    ),
    reason: str = typer.Option(..., metavar="TEXT", help="Why"),
    memo: int | None = typer.Option(None, metavar="MEMO", help="Review memo id to attach"),
    key: str | None = typer.Option(
        None, "--idempotency-key", metavar="KEY", help="Retry-safe key (default: a new one)"
    ),
    preview: bool = typer.Option(False, "--preview", help="Show the chain it would need; write nothing"),
    officer: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Raise a limit request (or --preview the recommendation, exceptions and chain it would need)."""
    actor, svc = actor_for(officer), container().approvals
    client_id = resolve_client(client, actor)
    amount, kind = _limit_and_kind(actor, client_id, facility, new_limit, kind)
    if preview:
        prepared = svc.prepare_request(actor, client_id=client_id, facility_id=facility, kind=kind,
                                       new_limit=amount, reason=reason)  # fmt: skip
        if as_json:
            print_json(prepared.model_dump(mode="json"))
        else:
            _plain(preview_lines(prepared, cli_language()))
        return
    view = svc.raise_request(actor, client_id=client_id, facility_id=facility, kind=kind, new_limit=amount,
                             reason=reason, memo_id=memo, idempotency_key=key or f"cli:{uuid.uuid4().hex}")  # fmt: skip
    if as_json:
        print_json(view.model_dump(mode="json"))
    else:
        _show(view)


def _limit_and_kind(
    actor: Actor, client_id: int, facility_id: str | None, new_limit: str | None, kind: str | None
) -> tuple[Decimal | None, str]:
    """Read `3M`, `750k`, `2.5 million`, `USD 3,000,000` (kernel.money.parse_amount) and, without --kind,
    infer it as the API does (ApprovalService.request_kind: above the facility's limit an increase, below it
    a decrease; a currency given must be the facility's)."""
    from kernel.errors import InvalidInput
    from kernel.money import parse_amount

    amount, currency = parse_amount(new_limit, field="new_limit") if new_limit is not None else (None, None)
    if kind is None and amount is None:
        raise InvalidInput(text("cli.kind.needs_limit", cli_language()), field="kind")
    kind = container().approvals.request_kind(actor, client_id=client_id, facility_id=facility_id, kind=kind,
                                              new_limit=amount, currency=currency)  # fmt: skip
    return amount, kind


@app.command()
def decide(
    request_id: str = REQUEST_ARGUMENT,
    decision: str = typer.Argument(..., metavar="DECISION", help="approve, reject or return"),
    comment: str = typer.Option("", help="Comment (required to approve a stale request)"),
    officer: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Decide the open step of a request (maker-checker and authority are enforced)."""
    actor = actor_for(officer)
    view = container().approvals.decide(actor, request_id, decision=decision, comment=comment)
    if as_json:
        print_json(view.model_dump(mode="json"))
    else:
        _show(view)


@app.command()
def remind(as_json: bool = JSON_OPTION) -> None:
    """Remind approvers of steps past their SLA (Slack DM, once a day per step); run it from cron."""
    require_database()  # a mistyped CREDITDESK_HOME in a cron line fails, not "no overdue steps" forever
    c = container()
    c.migrate()
    late = c.approvals.remind_overdue()
    if as_json:
        print_json([{"request_id": v.request_id, "step": v.current_step,
                     "due_at": v.open_step.due_at.isoformat() if v.open_step and v.open_step.due_at else None}
                    for v in late])  # fmt: skip
        return
    lang = cli_language()
    _plain([text("cli.remind.overdue", lang, line=_line(v, lang), at=f"{v.open_step.due_at:%Y-%m-%d %H:%M}")  # type: ignore[union-attr]
            for v in late] or [text("cli.remind.none", lang)])  # fmt: skip


@app.command()
def deliver(as_json: bool = JSON_OPTION) -> None:
    """Send approved changes waiting for an external CRM (the outbox); run it from cron. Built-in store: none."""
    require_database()
    c = container()
    c.migrate()
    sent = c.approvals.deliver_outbox()
    if as_json:
        print_json([e.model_dump(mode="json") for e in sent])
        return
    if not sent:
        console.print("nothing to deliver")
    for e in sent:
        console.print(f"{e.request_id} {e.kind} {e.facility_id}: {e.status} (attempt {e.attempts})"
                      + (f" — {e.last_error}" if e.last_error else ""), highlight=False)  # fmt: skip
