"""`creditdesk kb`: the policy knowledge base — ingest, list, remove, search."""

from __future__ import annotations

from pathlib import Path

import typer

from creditdesk.cli.common import (
    actor_for,
    as_option,
    console,
    container,
    err_console,
    print_json,
    require_database,
)
from kernel.catalogue import text

app = typer.Typer(help="Policy knowledge base: ingest documents, list, remove, search with citations.",
                  no_args_is_help=True)  # fmt: skip

_STATUS_STYLE = {"added": "green", "replaced": "cyan", "unchanged": "dim", "failed": "bold red"}


@app.command("ingest")
def ingest(
    paths: list[Path] = typer.Argument(
        ..., metavar="PATH...", help="Files or folders (Markdown, text, PDF, DOCX)"
    ),
    access: str | None = typer.Option(
        None, "--access", help="Restrict these documents to a role (e.g. risk)"
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Let these files replace a shipped document or an id held by another file"
    ),
    admin: str | None = as_option(required=False),
) -> None:
    """Add or update documents; unchanged ones are skipped. Exits non-zero if any file failed.

    --as names an admin (in prod, with an admin's CREDITDESK_TOKEN); --replace needs one even in dev.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from creditdesk.cli.identity import admin_identity, os_user
    from knowledge.ingest import discover
    from tools.audit.knowledge import audited_ingest

    container().migrate()  # the audit trail records every change
    action = "replacing knowledge-base documents" if replace else "ingesting documents"
    actor = admin_identity(container(), admin, action)
    if replace and actor is None:  # even in dev: substituting the policy the assistant cites names an admin
        from kernel.errors import Forbidden

        raise Forbidden(text("security.cli_admin_needed", action=action))
    store = container().policy_store
    total = len(discover(paths))
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:  # fmt: skip
        task = bar.add_task("Ingesting", total=total)

        def done(outcome) -> None:  # type: ignore[no-untyped-def]
            style = _STATUS_STYLE[outcome.status]
            detail = outcome.reason if outcome.status == "failed" else f"{outcome.chunks} chunks"
            if outcome.sanitised:
                chars = ", ".join(f"{k}×{n}" for k, n in list(outcome.sanitised.items())[:8])
                detail += "; " + text(
                    "security.kb_sanitised", count=sum(outcome.sanitised.values()), chars=chars
                )
            bar.console.print(f"[{style}]{outcome.status:>9}[/] {outcome.path} — {detail}", highlight=False)
            bar.advance(task)

        report = audited_ingest(store, container().audit, paths, actor=actor, os_user=os_user(),
                                access=access, replace=replace, on_file=done)  # fmt: skip
    counts = ", ".join(f"{report.count(s)} {s}" for s in ("added", "replaced", "unchanged", "failed"))
    console.print(f"Knowledge base: {counts}.")
    if report.failed:
        err_console.print(f"[bold red]{len(report.failed)} file(s) failed[/]; the others were ingested.")
        raise typer.Exit(2)


@app.command("list")
def list_documents(as_json: bool = typer.Option(False, "--json", help="Print JSON")) -> None:
    """The documents in the knowledge base."""
    require_database()  # read-only: never seeds a knowledge base in a new (or mistyped) data folder
    docs = container().policy_store.documents()
    if as_json:
        print_json([d.model_dump(mode="json") for d in docs])
        return
    from rich.table import Table

    table = Table("id", "title", "version", "date", "lang", "access", "chunks", title="Policy documents")
    for d in docs:
        table.add_row(
            d.document_id, d.title, d.version or "", str(d.date or ""), d.language, d.access, str(d.chunks)
        )
    console.print(table)


@app.command("remove")
def remove(
    document_id: str = typer.Argument(..., metavar="DOC", help="Document id (see `kb list`)"),
    admin: str | None = as_option(required=False),
) -> None:
    """Remove one document and all its passages (audited). --as names an admin (in prod, with an admin's
    CREDITDESK_TOKEN)."""
    from creditdesk.cli.identity import admin_identity, os_user
    from tools.audit.knowledge import audited_remove

    require_database()  # nothing to remove where there is no data folder yet
    c = container()
    c.migrate()
    actor = admin_identity(container(), admin, "removing a knowledge-base document")
    removed = audited_remove(c.policy_store, c.audit, document_id, actor=actor, os_user=os_user())
    console.print(f"Removed '{document_id}' ({removed} chunks).")


@app.command("search")
def search(
    question: str = typer.Argument(..., metavar="QUESTION", help="What to look for, in your own words"),
    k: int = typer.Option(5, "--k", min=1, max=50, help="How many passages"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: document, section, page, text, score"),
    officer: str | None = as_option(required=False),
) -> None:
    """Policy passages for a question, best first, each with its citation."""
    from knowledge.access import readable_tags

    require_database()
    tags = readable_tags(actor_for(officer).role) if officer else None
    hits = container().policy_store.search(question, k=k, access_tags=tags)
    if as_json:
        print_json([{"document": h.document, "section": h.section, "page": h.page, "text": h.text,
                     "score": h.score, "document_id": h.document_id, "chunk_id": h.chunk_id} for h in hits])  # fmt: skip
        return
    if not hits:
        console.print("No passage found.")
        return
    for number, hit in enumerate(hits, start=1):
        console.print(f"[bold][{number}] {hit.citation}[/]", highlight=False)
        console.print(hit.text, highlight=False, markup=False)
        console.print()
