"""`creditdesk approvals list|show|raise|decide --as OFFICER`: limit requests and maker-checker decisions."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import typer

from creditdesk.cli.common import actor_for, console, container, print_json

if TYPE_CHECKING:
    from tools.approvals.models import ApprovalRequestView

app = typer.Typer(
    help="Limit requests routed by the authority matrix; approve / reject / return.", no_args_is_help=True
)

AS_OPTION = typer.Option(..., "--as", help="Officer id acting (authority comes from the officers table)")
JSON_OPTION = typer.Option(False, "--json", help="Machine-readable output")


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
def show(request_id: str, officer: str = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """A request, its chain and decisions, and whether its data changed since it was raised."""
    view = container().approvals.staleness(actor_for(officer), request_id)
    if as_json:
        print_json(view.model_dump(mode="json") | {"stale": view.stale})
    else:
        _show(view)


@app.command("raise")
def raise_(
    client_id: int = typer.Argument(..., help="Client id"),
    kind: str = typer.Option("increase", help="increase, decrease, freeze, unfreeze or renewal"),
    new_limit: str | None = typer.Option(None, "--new-limit", help="New limit in the facility's currency"),
    facility: str | None = typer.Option(None, help="Facility id (optional when the client has one open)"),
    reason: str = typer.Option(..., help="Why"),
    memo: int | None = typer.Option(None, help="Review memo id to attach"),
    key: str | None = typer.Option(None, "--idempotency-key", help="Retry-safe key (default: a new one)"),
    preview: bool = typer.Option(False, "--preview", help="Show the chain it would need; write nothing"),
    officer: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Raise a limit request (or --preview the recommendation, exceptions and chain it would need)."""
    actor, svc = actor_for(officer), container().approvals
    if preview:
        prepared = svc.prepare_request(actor, client_id=client_id, facility_id=facility, kind=kind,
                                       new_limit=new_limit, reason=reason)  # fmt: skip
        print_json(prepared.model_dump(mode="json"))
        return
    view = svc.raise_request(actor, client_id=client_id, facility_id=facility, kind=kind, new_limit=new_limit,
                             reason=reason, memo_id=memo, idempotency_key=key or f"cli:{uuid.uuid4().hex}")  # fmt: skip
    if as_json:
        print_json(view.model_dump(mode="json"))
    else:
        _show(view)


@app.command()
def decide(
    request_id: str,
    decision: str = typer.Argument(..., help="approve, reject or return"),
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
