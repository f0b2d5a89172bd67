"""`creditdesk memo CLIENT --as OFFICER`: draft the periodic review memo and write it as md/html/docx/pdf."""

from __future__ import annotations

from pathlib import Path

import typer

from creditdesk.cli.common import actor_for, console, container, err_console

FORMATS = ("md", "html", "docx", "pdf")


def register(app: typer.Typer) -> None:
    app.command("memo")(memo)


def memo(
    client: str = typer.Argument(..., help="Client id or name (searched within your portfolio)"),
    officer: str = typer.Option(..., "--as", help="Acting officer id"),
    fmt: str = typer.Option("md", "--format", "-f", help="md | html | docx | pdf"),
    out: Path | None = typer.Option(None, "-o", "--out", help="Output file (default: stdout for md/html)"),
    language: str = typer.Option("en", "--language", "-l", help="en | zh"),
) -> None:
    """Draft the client's periodic review memo (saved as a new draft version) and write it out."""
    from kernel.errors import InvalidInput

    if fmt not in FORMATS:
        raise InvalidInput(f"--format must be one of {', '.join(FORMATS)}", field="format")
    c = container()
    actor = actor_for(officer)
    client_id = resolve_client(client, actor)
    drafted = c.memos.draft_review_memo(actor, client_id, language=language)  # type: ignore[arg-type]
    data = c.memos.render(drafted, fmt)  # type: ignore[arg-type]
    if out is None and fmt in ("docx", "pdf"):
        out = Path(f"memo-{client_id}-v{drafted.version}.{fmt}")
    if out is None:
        typer.echo(data.decode("utf-8"))
    else:
        out.write_bytes(data)
        console.print(f"Memo v{drafted.version} ({drafted.status}) for {drafted.client_name} → {out}")
    for note in drafted.narrative_notes:
        err_console.print(f"[yellow]note[/]: {note}", highlight=False)


def resolve_client(query: str, actor) -> int:  # type: ignore[no-untyped-def]
    """A client id, or the single best name match within the actor's scope; ambiguous → list the choices."""
    from kernel.errors import InvalidInput, NotFound
    from tools.access import scope_officer_ids

    if query.strip().isdigit():
        return int(query)
    adapter = container().adapter
    matches = adapter.search_clients(query, limit=8, officer_ids=scope_officer_ids(actor, adapter))
    if not matches:
        raise NotFound(f"no client in your portfolio matches '{query}'")
    exact = [m for m in matches if m.client.name.casefold() == query.strip().casefold()]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0].client.client_id
    choices = [
        f"{m.client.client_id}  {m.client.name}  ({m.client.industry}, {m.client.region})" for m in matches
    ]
    raise InvalidInput(f"'{query}' matches several clients; give the id", field="client", details=choices)
