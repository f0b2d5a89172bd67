"""`creditdesk audit verify|anchor|export`: check the chain (hashes, MACs, anchor checkpoints); append a signed
checkpoint outside the database; export events for internal audit (CSV)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from creditdesk.cli.common import (
    actor_for,
    as_option,
    console,
    container,
    date_option,
    err_console,
    print_json,
    require_database,
)

app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
AUDIT_ROLES = ("auditor", "admin", "risk")


@app.command()
def verify(as_json: bool = typer.Option(False, "--json", help="Machine-readable output")) -> None:
    """Recompute the whole hash chain; exit 1 if any event was edited or deleted."""
    require_database()
    result = container().audit.verify()
    if as_json:
        print_json(result.model_dump(mode="json"))
    elif result.ok:
        console.print(f"[green]ok[/]: {result.events} events ({result.signed} signed, {result.legacy_unsigned} "
                      f"legacy unsigned), {result.anchors} checkpoint(s), chain head {result.head_hash}",
                      highlight=False)  # fmt: skip
    else:
        for p in result.problems:
            err_console.print(f"[red]{p.kind}[/] at event {p.seq}: {p.message}", highlight=False)
        err_console.print(f"[bold red]audit trail tampered[/]: {len(result.problems)} problem(s)")
    if not result.ok:
        raise typer.Exit(1)


@app.command()
def anchor() -> None:
    """Append a signed checkpoint of the chain head to HOME/audit-anchors.jsonl (ship it to WORM storage)."""
    require_database()  # a chain to anchor (not an unexpected error, nor a new empty database)
    point = container().audit.anchor()
    console.print(f"anchored event {point.seq} ({point.hash})", highlight=False)


@app.command()
def export(
    start: dt.date = date_option("--from", "First day (UTC), YYYY-MM-DD"),
    end: dt.date = date_option("--to", "Last day (UTC), inclusive"),
    out: Path = typer.Option(Path("audit-export.csv"), "--out", help="CSV file to write"),
    officer: str = as_option(),
) -> None:
    """Export the events of a date range to CSV (the export itself is audited)."""
    from crm_adapter.enums import Role
    from tools.access import require_role

    actor = actor_for(officer)
    require_role(actor, [Role(r) for r in AUDIT_ROLES], "exporting the audit trail")
    trail = container().audit
    count = trail.export_csv(out, start, end)
    trail.record(actor=actor, action="audit.exported", object_type="audit_trail", object_id=str(out.name),
                 after={"from": start.isoformat(), "to": end.isoformat(), "events": count})  # fmt: skip
    console.print(f"{count} events written to {out}")
