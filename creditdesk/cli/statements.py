"""`creditdesk statements import`: a client's bank statements (MT940, camt.053, CSV exports) into the book."""

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

app = typer.Typer(help="Bank statements: import MT940, camt.053 and CSV exports of a client's accounts.")


@app.command("import")
def import_statements_cmd(
    files: list[Path] = typer.Argument(
        ..., help="Statement files (MT940 .sta/.940, camt.053 .xml, CSV exports)"
    ),
    client: str = client_option(),
    as_officer: str = as_option(),
    mapping: Path | None = typer.Option(
        None, "--mapping", help="Column mapping (YAML/JSON) for a CSV layout"
    ),
    account: str | None = typer.Option(None, "--account", help="Account number when a CSV export has none"),
    currency: str | None = typer.Option(None, "--currency", help="Currency when a CSV export has none"),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON"),
) -> None:
    """Import statements, all or nothing: balances checked, re-importing changes nothing, bank flows derived."""
    from crm_adapter.enums import Role
    from crm_adapter.statements import import_statements, load_mapping
    from kernel import clock
    from kernel.catalogue import text
    from tools.access import get_client_for, require_role

    c = container()
    actor = actor_for(as_officer)
    client_id = resolve_client(client, actor)
    require_role(actor, (Role.RM, Role.ANALYST, Role.RISK, Role.ADMIN), "importing bank statements")
    get_client_for(actor, c.adapter, client_id)

    def record(conn, result) -> None:  # type: ignore[no-untyped-def]
        c.audit.record_in(conn, actor=actor, action="statements.imported", object_type="client",
                          object_id=str(client_id), policy_version=c.policy.version,
                          after={"files": [str(f) for f in files], "added": result.transactions_added,
                                 "skipped": result.transactions_skipped, "accounts": result.accounts})  # fmt: skip

    result = import_statements(
        c.engine, client_id, list(files), now=clock.now(), mapping=load_mapping(mapping) if mapping else None,
        account=account, currency=currency, record=record,
    )  # fmt: skip
    if as_json:
        print_json(result.to_json())
        return
    from rich.table import Table

    table = Table("account", "ccy", "from", "to", "opening", "closing", "entries", "format", "new",
                  title=text("statements.imported_title", "en", client=client_id))  # fmt: skip
    for s in result.statements:
        table.add_row(s.account, s.currency, str(s.from_), str(s.to), s.opening_balance, s.closing_balance,
                      str(s.transactions), s.dialect, "yes" if s.new else "no")  # fmt: skip
    console.print(table)
    console.print(text("statements.imported_counts", "en", added=result.transactions_added,
                       skipped=result.transactions_skipped, months=", ".join(result.bank_flow_months) or "-"))  # fmt: skip
    for w in result.warnings:
        console.print(f"  warning: {w}", highlight=False, markup=False, soft_wrap=True)


def statement_analysis(c, actor, client_id: int):  # type: ignore[no-untyped-def]
    """The bank-statement analysis `clients analyse` shows (tools/statements)."""
    from tools.statements import analyse_statements

    return analyse_statements(
        actor, c.adapter, c.engine, client_id, as_of=c.today(), policy=c.policy.statements
    )


def print_statement_analysis(analysis, lang: str = "en") -> None:  # type: ignore[no-untyped-def]
    from kernel.catalogue import text

    if not analysis.transactions:
        console.print(text("statements.none", lang))
        return
    console.print(text("statements.analysis_title", lang, accounts=analysis.accounts, transactions=analysis.transactions,
                       start=analysis.from_date, end=analysis.to_date, currency=analysis.currency))  # fmt: skip
    for m in analysis.months:
        console.print("  " + text("statements.month_line", lang, month=m.month, inflows=f"{m.inflows:,.0f}",
                                  outflows=f"{m.outflows:,.0f}", avg=f"{m.avg_balance:,.0f}",
                                  low=f"{m.min_balance:,.0f}", returned=m.returned))  # fmt: skip
    for f in analysis.findings:
        if f.level is None:
            continue
        console.print(f"  {f.level}: {f.code} — {f.message(lang)}", highlight=False)
        for t in f.transactions[:5]:
            console.print(f"      {t.date} {t.amount:>14,.2f} {t.currency} {t.counterparty} {t.description[:60]}",
                          highlight=False, markup=False)  # fmt: skip
    for n in analysis.notes:
        console.print(f"  note: {n}", highlight=False, markup=False)
