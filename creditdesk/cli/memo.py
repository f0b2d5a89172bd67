"""`creditdesk memo CLIENT --as OFFICER [--submit]`: draft the periodic review memo, write it as
md/html/docx/pdf and, with --submit, submit it (a submitted memo can be attached to a limit request)."""

from __future__ import annotations

from pathlib import Path

import typer

from creditdesk.cli.common import (
    actor_for,
    as_option,
    check_output_path,
    cli_language,
    client_argument,
    console,
    container,
    err_console,
    resolve_client,
)

FORMATS = ("md", "html", "docx", "pdf")


def register(app: typer.Typer) -> None:
    app.command("memo")(memo)


def memo(
    client: str = client_argument(),
    officer: str = as_option(),
    fmt: str = typer.Option("md", "--format", "-f", metavar="FORMAT", help="md | html | docx | pdf"),
    out: Path | None = typer.Option(
        None, "-o", "--out", metavar="FILE", help="Output file (default: stdout for md/html)"
    ),
    language: str = typer.Option("en", "--language", "-l", metavar="LANG", help="en | zh"),
    submit: bool = typer.Option(
        False,
        "--submit",
        help="Submit the draft (author or the client's RM): it can then go on a limit request",
    ),
) -> None:
    """Draft the client's periodic review memo (saved as a new draft version) and write it out; --submit
    submits it."""
    from kernel.catalogue import text
    from kernel.errors import InvalidInput

    if fmt not in FORMATS:
        raise InvalidInput(f"--format must be one of {', '.join(FORMATS)}", field="format")
    if language not in ("en", "zh"):
        raise InvalidInput("--language must be en or zh", field="language")
    if out is not None:
        out = check_output_path(out)  # before the draft is stored: no orphan version on a bad path
    c = container()
    actor = actor_for(officer)
    client_id = resolve_client(client, actor)
    if out is None and fmt in ("docx", "pdf"):  # into the current folder, named once the version is known
        check_output_path(Path(f"memo-{client_id}-vN.{fmt}"))
    drafted = c.memos.draft_review_memo(actor, client_id, language=language)  # type: ignore[arg-type]
    if submit:  # the same figures as the client's latest draft are that draft: it is the one submitted
        drafted = c.memos.submit(actor, drafted.memo_id)  # type: ignore[arg-type]
    data = c.memos.render(drafted, fmt)  # type: ignore[arg-type]
    if out is None and fmt in ("docx", "pdf"):
        out = Path(f"memo-{client_id}-v{drafted.version}.{fmt}")
    if out is None:
        typer.echo(data.decode("utf-8"))
    else:
        out.write_bytes(data)
        console.print(f"Memo v{drafted.version} ({drafted.status}) for {drafted.client_name} → {out}")
    if submit:  # on stderr: stdout may be the memo itself
        said = text("cli.memo.submitted", cli_language(), memo_id=drafted.memo_id, version=drafted.version)
        err_console.print(said, highlight=False, markup=False, soft_wrap=True)
    for note in drafted.narrative_notes:
        err_console.print(f"[yellow]note[/]: {note}", highlight=False)
