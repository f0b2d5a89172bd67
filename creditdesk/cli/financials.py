"""`creditdesk financials import`: spread a client's Excel or PDF financial statements onto the standard chart."""

from __future__ import annotations

from pathlib import Path

import typer

from creditdesk.cli.common import (
    actor_for,
    as_option,
    client_option,
    console,
    container,
    print_json,
    resolve_client,
)

app = typer.Typer(help="Financial statements: spread Excel workbooks and text PDFs (English or Chinese).")


@app.command("import")
def import_financials(
    file: Path = typer.Argument(..., help="The statement file (.xlsx or text .pdf)"),
    client: str = client_option(),
    as_officer: str = as_option(),
    currency: str = typer.Option(..., "--currency", help="Reporting currency of the statements, e.g. CNY"),
    unit: int | None = typer.Option(
        None, "--unit", help="Multiplier when the file does not say (1000, 10000 …)"
    ),
    period_type: str = typer.Option("annual", "--period-type", help="annual or quarterly"),
    preview: bool = typer.Option(False, "--preview", help="Show the spread; write nothing"),
    accept_tieouts: bool = typer.Option(False, "--accept-tieouts", help="Write although a tie-out failed"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Spread and store: each figure with its source cell/line and confidence; failed tie-outs block the write."""
    from crm_adapter.enums import Role
    from kernel import clock
    from tools.access import get_client_for, require_role
    from tools.spreading import spread_file, store_spread

    c = container()
    actor = actor_for(as_officer)
    client_id = resolve_client(client, actor)
    get_client_for(actor, c.adapter, client_id)
    spread = spread_file(file, unit=unit)
    written: list[str] = []
    if not preview:
        require_role(actor, (Role.RM, Role.ANALYST, Role.RISK, Role.ADMIN), "importing financial statements")

        def record(conn) -> None:  # type: ignore[no-untyped-def]
            c.audit.record_in(conn, actor=actor, action="financials.imported", object_type="client",
                              object_id=str(client_id), policy_version=c.policy.version,
                              after={"file": spread.file, "sha256": spread.sha256, "periods": [str(p) for p in spread.periods],
                                     "tieouts_accepted": spread.tieouts})  # fmt: skip

        periods = store_spread(actor, c.adapter, c.engine, client_id, spread, currency=currency.upper(),
                               period_type=period_type, accept_tieouts=accept_tieouts, now=clock.now(),
                               record=record)  # fmt: skip
        written = [p.isoformat() for p in periods]
    if as_json:
        print_json({**spread.model_dump(mode="json"), "written": written})
        return
    from rich.table import Table

    table = Table("figure", *(p.isoformat() for p in spread.periods), "source", "label", "conf.",
                  title=f"{spread.file} (unit {spread.unit}: {spread.unit_source})")  # fmt: skip
    for ln in spread.lines:
        table.add_row(ln.figure, *(f"{float(ln.values[p.isoformat()]):,.0f}" if p.isoformat() in ln.values else "—"
                                   for p in spread.periods), ln.source, ln.label, f"{ln.confidence:.0f}")  # fmt: skip
    console.print(table)
    for u in spread.unmapped:
        console.print(f"  unmapped: {u}", highlight=False, markup=False)
    for t in spread.tieouts:
        console.print(f"  [yellow]tie-out[/]: {t}", highlight=False)
    console.print("written: " + (", ".join(written) if written else "nothing (preview)"))
