"""`creditdesk clients`: list, show and analyse clients (scope-checked through --as)."""

from __future__ import annotations

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

app = typer.Typer(help="Look up clients and their full credit assessment.")


@app.command("list")
def list_clients(
    as_officer: str = as_option(),
    officer: str | None = typer.Option(
        None, "--officer", metavar="OFFICER", help="Only this officer's clients"
    ),
    limit: int = typer.Option(50, "--limit", min=1, max=10000, metavar="N", help="At most N clients"),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output"),
) -> None:
    """Clients in your scope with grade, limit, utilisation and warning level."""
    from rich.table import Table

    c = container()
    actor = actor_for(as_officer)
    pa = c.credit_engine.portfolio_for(actor, as_of=c.today())
    t = pa.table()
    if officer:
        t = t[t["officer_id"] == officer]
    t = t.sort_values("total_limit", ascending=False).head(limit)
    if as_json:
        print_json(t.reset_index().to_dict(orient="records"))
        return
    table = Table("id", "name", "officer", "grade", "limit", "util.", "EWS", "proposal")
    for i, r in zip(t.index, t.itertuples(), strict=True):
        util = "n/a" if r.utilisation != r.utilisation else f"{r.utilisation:.0%}"
        table.add_row(
            str(i), r.name, r.officer_id, str(r.grade), f"{r.total_limit:,.0f}", util, r.ews_level, r.action
        )
    console.print(table)


@app.command("show")
def show(
    client_ref: str = client_argument(),
    as_officer: str = as_option(),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output"),
) -> None:
    """The client record with its facilities (no analysis)."""
    from tools.access import get_client_for

    c = container()
    actor = actor_for(as_officer)
    client_id = resolve_client(client_ref, actor)
    client = get_client_for(actor, c.adapter, client_id)
    facilities = c.adapter.get_facilities(client_id)
    if as_json:
        print_json(
            {
                "client": client.model_dump(mode="json"),
                "facilities": [f.model_dump(mode="json") for f in facilities],
            }
        )
        return
    console.print(f"[bold]{client.name}[/] (#{client.client_id}) — {client.industry}, {client.region}, "
                  f"{client.size_segment}; officer {client.officer_id}; group {client.group_id or '—'}")  # fmt: skip
    for f in facilities:
        console.print(f"  {f.facility_id}: {f.product} {f.currency} limit {f.limit_amount:,.0f}, "
                      f"outstanding {f.outstanding:,.0f}, {f.status}")  # fmt: skip


@app.command("analyse")
def analyse(
    client_ref: str = client_argument(),
    as_officer: str = as_option(),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output"),
) -> None:
    """The client in full: exposure, analysis, rating, limit, proposal, warnings, calendar."""
    c = container()
    actor = actor_for(as_officer)
    client_id = resolve_client(client_ref, actor)
    a = c.credit_engine.assess_client(actor, client_id, as_of=c.today())
    from creditdesk.cli.statements import print_statement_analysis, statement_analysis

    bank = statement_analysis(c, actor, client_id)
    if as_json:
        print_json({**a.model_dump(mode="json"), "bank_statements": bank.model_dump(mode="json")})
        return
    ccy = a.exposure.currency
    r = a.rating
    console.print(
        f"[bold]{a.client.name}[/] (#{a.client.client_id}) as of {a.as_of} — policy {a.policy_version}, model {a.model_id}"
    )
    util = "n/a" if a.exposure.utilisation is None else f"{a.exposure.utilisation:.0%}"
    console.print(f"Exposure: limit {ccy} {a.exposure.total_limit:,.0f}, outstanding {a.exposure.outstanding:,.0f} ({util}), "
                  f"insured {a.exposure.insured:,.0f}")  # fmt: skip
    console.print(f"Rating: grade {r.grade} ({r.grade_name}), score {r.score:.1f}, PD {r.pd:.2%}, LGD {r.lgd:.0%}, "
                  f"EAD {r.ead:,.0f}, EL {r.el:,.0f}")  # fmt: skip
    for rc in r.reason_codes:
        console.print(f"  − {rc.text}")
    console.print(f"Limit: {a.limit.explanation}")
    for k in a.limit.constraints:
        mark = "→" if k.binds else " "
        val = "n/a" if k.value is None else f"{k.value:,.0f}"
        console.print(f"  {mark} {k.label}: {val} — {k.explanation}")
    console.print(f"Proposal: [bold]{a.proposal.action}[/] — " + "; ".join(a.proposal.reasons))
    console.print(f"Early warning: [bold]{a.ews_level}[/]")
    for w in a.warnings:
        console.print(f"  {w.level}: {w.indicator} — {w.message}")
    print_statement_analysis(bank)
    console.print(
        f"Review: next due {a.review.next_due}{' (OVERDUE)' if a.review.overdue else ''} — {a.review.note}"
    )
    console.print(
        f"Contact: next due {a.contact.next_due}{' (OVERDUE)' if a.contact.overdue else ''} — {a.contact.note}"
    )
    for n in a.data_quality:
        console.print(f"  data: {n}")
