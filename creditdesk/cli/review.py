"""`creditdesk review run`: the portfolio review over the whole book (or an officer's)."""

from __future__ import annotations

from pathlib import Path

import typer

from creditdesk.cli.common import as_option, console, container, print_json, require_database

app = typer.Typer(
    help="Portfolio review runs: rating, limits, warnings, proposals and calendar for the book."
)


@app.command("run")
def run(
    officer: str | None = typer.Option(None, "--officer", help="Only this officer's clients"),
    out: Path | None = typer.Option(None, "--out", help="Write the per-client results (CSV or Parquet)"),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON"),
    save: bool = typer.Option(True, "--save/--no-save", help="Store the dated results for later comparison"),
    admin: str | None = as_option(required=False),
) -> None:
    """Compute every capability for the book, store a dated snapshot of results and print a summary.

    --as names an admin (in prod, with an admin's CREDITDESK_TOKEN).
    """
    import time

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from creditdesk.cli.identity import admin_identity
    from tools.engine.service import summary_of, watchlist_of

    require_database()
    c = container()
    admin_identity(container(), admin, "running the portfolio review")
    engine = c.credit_engine
    as_of = c.today()
    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console,
                  transient=as_json) as bar:  # fmt: skip
        task = bar.add_task("Reading and assessing the book in client chunks", total=3)
        pa = engine.review_book(as_of=as_of, officer_ids={officer} if officer else None)
        if officer and not len(pa.rating):
            from kernel.errors import NotFound

            raise NotFound(f"officer '{officer}' has no clients")
        bar.update(task, advance=1, description="Storing results")
        seconds = time.perf_counter() - started
        run_id = c.review_runs.save(pa, scope=officer or "book", seconds=seconds) if save else None
        bar.update(task, advance=1, description="Summarising")
        summary = summary_of(pa)
        watch = watchlist_of(pa, limit=10)
        if out is not None:
            table = pa.table()
            if out.suffix == ".parquet":
                table.to_parquet(out)
            else:
                from kernel.spreadsheet import neutralise_frame

                neutralise_frame(table).to_csv(out)
        bar.update(task, advance=1, description="Done")
    elapsed = time.perf_counter() - started
    if as_json:
        print_json(
            {"run_id": run_id, "seconds": round(elapsed, 2), "summary": summary.model_dump(mode="json")}
        )
        return
    _print_summary(summary, watch, run_id, elapsed)


def _print_summary(summary, watch, run_id, elapsed) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    console.print(
        f"Review of {summary.clients:,} clients as of {summary.as_of} — policy {summary.policy_version}, "
        f"model {summary.model_id}; limits {summary.total_limit:,.0f}, outstanding {summary.outstanding:,.0f}, "
        f"expected loss {summary.expected_loss:,.0f}; {elapsed:.1f}s" + (f"; run {run_id}" if run_id else "")
    )
    grades = Table("grade", "clients", title="Grade distribution")
    for g, n in summary.grade_distribution.items():
        grades.add_row(str(g), f"{n:,}")
    actions = Table("proposal", "clients", title="Proposals by action")
    for a, n in summary.proposals.items():
        actions.add_row(a, f"{n:,}")
    ews = Table("level", "clients", title="Early warning")
    for k, n in summary.ews_counts.items():
        ews.add_row(k, f"{n:,}")
    console.print(grades, actions, ews)
    console.print(
        f"Reviews overdue: {summary.reviews_overdue:,}; due within the horizon: {summary.reviews_due:,}"
    )
    wl = Table(
        "client", "name", "officer", "grade", "level", "exposure", "top warning", title="Watch-list (top 10)"
    )
    for w in watch:
        wl.add_row(str(w.client_id), w.name, w.officer_id, str(w.grade), w.ews_level, f"{w.exposure:,.0f}",
                   w.warnings[0].message if w.warnings else "")  # fmt: skip
    console.print(wl)
    br = Table("dimension", "bucket", "share", "limit", title="Concentration breaches")
    for b in summary.concentration_breaches[:20]:
        br.add_row(b.dimension, b.bucket, f"{b.share:.2%}", f"{b.limit_share:.2%}")
    console.print(br if summary.concentration_breaches else "Concentration: no breaches")
