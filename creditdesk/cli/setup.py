"""Top-level commands: init, demo, import, serve."""

from __future__ import annotations

from pathlib import Path

import typer

from creditdesk.cli.common import as_option, console, container, print_json, require_database


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
    app.command("import")(import_book)
    app.command("export")(export_book)
    app.command("serve")(serve)


def _load_demo(clients: int, seed: int) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from crm_adapter.demo import generate_demo

    c = container()
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console,
    ) as bar:  # fmt: skip
        task = bar.add_task("Generating demo book", total=clients)
        summary = generate_demo(
            c.engine, n_clients=clients, seed=seed, as_of=c.today(), progress=lambda n: bar.advance(task, n)
        )
    rows = sum(summary.rows.values())
    console.print(
        f"Demo book: {summary.clients:,} clients, {summary.officers} officers, {rows:,} rows (seed {seed})."
    )


def init(
    demo_if_empty: bool = typer.Option(
        False, "--demo-if-empty", help="Load the demo book when the store is empty"
    ),
    clients: int = typer.Option(300, help="Demo size when loading the demo"),
) -> None:
    """Create or upgrade the database schema (idempotent) and, optionally, load the demo book."""
    c = container()
    c.migrate()
    console.print(f"Database ready: {c.engine.url.render_as_string(hide_password=True)}")
    if demo_if_empty and c.adapter.count_clients() == 0:
        _load_demo(clients, seed=7)
    for hook in c.init_hooks():
        hook()


def demo(
    clients: int = typer.Option(300, "--clients", "-n", help="How many clients (up to 5,000,000)"),
    seed: int = typer.Option(7, help="Random seed (the same seed gives the same book)"),
) -> None:
    """Load a realistic synthetic book into an empty store."""
    container().migrate()
    _load_demo(clients, seed)


def import_book(
    folder: Path = typer.Argument(
        ..., metavar="FOLDER", help="Folder with officers.csv, clients.csv, facilities.csv, …"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON"),
    admin: str | None = as_option(required=False),
) -> None:
    """Import the book from CSV exports: all or nothing, idempotent by natural keys.

    --as names an admin (in prod, with an admin's CREDITDESK_TOKEN).
    """
    from creditdesk.cli.identity import admin_identity

    c = container()
    c.migrate()
    actor = admin_identity(container(), admin, "importing the book")
    result = c.import_book(folder, actor=actor)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    from rich.table import Table

    table = Table("file", "rows", "inserted", "updated", "unchanged", title=f"Imported {folder}")
    for f in result.files:
        table.add_row(f.file, str(f.rows), str(f.inserted), str(f.updated), str(f.unchanged))
    console.print(table)


def export_book(
    folder: Path = typer.Argument(..., metavar="FOLDER", help="Folder to write the CSV files into"),
    client: list[int] = typer.Option(None, "--client", help="Only these clients (repeatable)"),
) -> None:
    """Export the book in the import format (one CSV per entity)."""
    from crm_adapter.csv_import.export import export_folder

    require_database()
    counts = export_folder(container().engine, folder, client_ids=client or None)
    console.print(", ".join(f"{name}: {n}" for name, n in counts.items()))


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind"),
    port: int = typer.Option(8000, help="Port"),
    access_log: bool = typer.Option(
        True, "--access-log/--no-access-log", help="One JSON line per request on stderr (no secrets)"
    ),
) -> None:
    """Serve the REST API, the officer dashboard and the CRM sidebar."""
    import logging

    import uvicorn

    access = logging.getLogger("creditdesk.access")
    access.setLevel(logging.INFO if access_log else logging.WARNING)
    if access_log:  # one JSON object per line on stderr, nothing around it (log shippers parse it as is)
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.propagate = False

    c = container()
    c.migrate()
    from api.app import create_app
    from creditdesk.serving import forget_address, record_address, tune_for_serving

    app = create_app(c)
    for line in c.welcome_lines(host, port):
        console.print(line, soft_wrap=True, highlight=False)
    tune_for_serving()
    home = c.settings.home_dir
    record_address(home, c.settings.public_url if c.settings.public_url_is_set else f"http://{host}:{port}")
    try:
        # uvicorn's own access log is off: api.app logs one structured line per request instead
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:  # after Ctrl-C; uvicorn ends a SIGTERM'd process by re-raising the signal, skipping this, and
        forget_address(home)  # the note then names a dead pid, which `running_address` ignores
