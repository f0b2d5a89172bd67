"""`creditdesk approvals list|show|raise|decide --as OFFICER`: limit requests and maker-checker decisions."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

import typer

from creditdesk.cli.common import (
    actor_for,
    as_option,
    client_argument,
    console,
    container,
    print_json,
    resolve_client,
)
from kernel.catalogue import text

if TYPE_CHECKING:
    from crm_adapter.models import Facility
    from tools.actor import Actor
    from tools.approvals.models import ApprovalRequestView, PreparedRequest

app = typer.Typer(
    help="Limit requests routed by the authority matrix; approve / reject / return.", no_args_is_help=True
)

AS_OPTION = as_option()
JSON_OPTION = typer.Option(False, "--json", help="Machine-readable output")
REQUEST_ARGUMENT = typer.Argument(..., metavar="REQUEST", help="Request id (see `approvals list`)")


def _line(v: ApprovalRequestView) -> str:
    step = v.open_step
    at = f"step {step.step_no}/{len(v.steps)} {step.name}" if step else v.status
    amount = f"{v.currency} {v.new_limit:,.2f}" if v.new_limit is not None else "—"
    return f"{v.request_id:>7}  {v.status:<9} {v.kind:<9} {v.client_name[:28]:<28} {amount:>18}  {at}"


def _show(v: ApprovalRequestView) -> None:
    console.print(
        f"[bold]{v.request_id}[/] {v.kind} for {v.client_name} ({v.client_id}), facility {v.facility_id}"
    )
    new = "—" if v.new_limit is None else f"{v.new_limit:,.2f}"
    console.print(f"  limit {v.currency} {v.current_limit:,.2f} → {new}; grade {v.grade}; group exposure after "
                  f"{v.reporting_currency} {v.group_exposure_after:,.2f}", highlight=False)  # fmt: skip
    console.print(
        f"  raised by {v.raised_by_name} ({v.raised_by}) at {v.raised_at:%Y-%m-%d %H:%M} UTC: {v.reason}"
    )
    for reason in v.routing:
        console.print(f"  routing: {reason}", highlight=False)
    for s in v.steps:
        due = f", due {s.due_at:%Y-%m-%d %H:%M}" if s.due_at and s.status == "open" else ""
        console.print(f"  step {s.step_no}: {s.name} (level {s.level}, quorum {s.quorum}) — {s.status}, "
                      f"{s.approvals}/{s.quorum} approvals{due}")  # fmt: skip
    for d in v.decisions:
        console.print(f"  {d.decided_at:%Y-%m-%d %H:%M} {d.officer_id} {d.decision}: {d.comment or '—'}")
    for r in v.stale_reasons:
        console.print(f"  [yellow]stale:[/] {r}", highlight=False)
    console.print(
        f"  status [bold]{v.status}[/]; snapshot {v.snapshot_hash[:16]}…; policy {v.policy_version}"
    )


def _out(views: list[ApprovalRequestView], as_json: bool) -> None:
    if as_json:
        print_json([v.model_dump(mode="json") for v in views])
        return
    if not views:
        console.print("no requests")
    for v in views:
        console.print(_line(v), highlight=False)


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
    view = container().approvals.staleness(actor_for(officer), request_id)
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
            _show_prepared(prepared)
        return
    view = svc.raise_request(actor, client_id=client_id, facility_id=facility, kind=kind, new_limit=amount,
                             reason=reason, memo_id=memo, idempotency_key=key or f"cli:{uuid.uuid4().hex}")  # fmt: skip
    if as_json:
        print_json(view.model_dump(mode="json"))
    else:
        _show(view)


def _facility(actor: Actor, client_id: int, facility_id: str | None) -> Facility:
    """The facility the request is for: the one named, or the client's only open one (scope checked first:
    nothing about a client the officer may not see is shown)."""
    from types import SimpleNamespace

    from tools.access import get_client_for
    from tools.approvals.requests import choose_facility

    c = container()
    get_client_for(actor, c.adapter, client_id)
    body = SimpleNamespace(client_id=client_id, facility_id=facility_id.strip() if facility_id else None)
    return choose_facility(body, c.adapter.get_facilities(client_id))  # type: ignore[arg-type]


def _limit_and_kind(
    actor: Actor, client_id: int, facility_id: str | None, new_limit: str | None, kind: str | None
) -> tuple[Decimal | None, str]:
    """Read `3M`, `750k`, `2.5 million`, `USD 3,000,000` (a currency given must be the facility's) and,
    without --kind, infer it: a figure above the facility's limit is an increase, below it a decrease."""
    from kernel.errors import InvalidInput
    from kernel.money import parse_amount

    amount, currency = parse_amount(new_limit, field="new_limit") if new_limit is not None else (None, None)
    if kind is None and amount is None:
        raise InvalidInput("give --new-limit AMOUNT, or --kind freeze, unfreeze or renewal", field="kind")
    if kind is not None and currency is None:
        return amount, kind  # the service checks the figure against the kind
    facility = _facility(actor, client_id, facility_id)
    if currency is not None and currency != facility.currency:
        raise InvalidInput(text("cli.amount.currency", given=currency, currency=facility.currency,
                                facility=facility.facility_id), field="new_limit")  # fmt: skip
    if kind is None:
        assert amount is not None
        if amount == facility.limit_amount:
            raise InvalidInput(text("cli.kind.same_limit", amount=f"{amount:,.2f}"), field="new_limit")
        kind = "increase" if amount > facility.limit_amount else "decrease"
    return amount, kind


def _show_prepared(p: PreparedRequest) -> None:
    """The preview as an officer reads it: the change, the recommendation, the exceptions, the chain."""
    none = text("cli.preview.none")
    out = [
        text(
            "cli.preview.title",
            kind=p.kind,
            client=p.client_name,
            client_id=p.client_id,
            facility=p.facility_id,
        ),
        "  "
        + text(
            "cli.preview.limit",
            currency=p.currency,
            current=f"{p.current_limit:,.2f}",
            new=none if p.new_limit is None else f"{p.new_limit:,.2f}",
        ),  # fmt: skip
        f"  grade {p.grade}; group exposure after {p.reporting_currency} {p.group_exposure_after:,.2f}",
    ]
    if p.recommended_limit is not None:
        binding = f" ({p.binding})" if p.binding else ""
        recommended = f"{p.reporting_currency} {p.recommended_limit:,.2f}{binding}"
        out.append("  " + text("cli.preview.recommendation", text=recommended))
    out += ["  " + text("cli.preview.exception", text=e.message) for e in p.exceptions]
    out += [f"  concentration: {c}" for c in p.concentration]
    out += ["  " + text("cli.preview.step", step_no=s.step_no, name=s.name, level=s.level, quorum=s.quorum)
            for s in p.route.steps]  # fmt: skip
    out += ["  " + text("cli.preview.routing", text=r) for r in p.route.reasons]
    for line in out:
        console.print(line, highlight=False, markup=False, soft_wrap=True)


@app.command()
def decide(
    request_id: str = REQUEST_ARGUMENT,
    decision: str = typer.Argument(..., metavar="DECISION", help="approve, reject or return"),
    comment: str = typer.Option("", help="Comment (required to approve a stale request)"),
    officer: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Decide the open step of a request (maker-checker and authority are enforced)."""
    view = container().approvals.decide(actor_for(officer), request_id, decision=decision, comment=comment)
    if as_json:
        print_json(view.model_dump(mode="json"))
    else:
        _show(view)


@app.command()
def remind(as_json: bool = JSON_OPTION) -> None:
    """Remind approvers of steps past their SLA (Slack DM, once a day per step); run it from cron."""
    c = container()
    c.migrate()
    late = c.approvals.remind_overdue()
    if as_json:
        print_json([{"request_id": v.request_id, "step": v.current_step,
                     "due_at": v.open_step.due_at.isoformat() if v.open_step and v.open_step.due_at else None}
                    for v in late])  # fmt: skip
        return
    if not late:
        console.print("no overdue steps")
    for v in late:
        console.print(f"{_line(v)} — overdue since {v.open_step.due_at:%Y-%m-%d %H:%M}", highlight=False)  # type: ignore[union-attr]


@app.command()
def deliver(as_json: bool = JSON_OPTION) -> None:
    """Send approved changes waiting for an external CRM (the outbox); run it from cron. Built-in store: none."""
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
