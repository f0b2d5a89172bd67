"""`creditdesk token`: create, list and revoke per-officer API tokens (stored hashed)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

import typer

from creditdesk.cli.common import as_option, console, container, print_json, require_database

if TYPE_CHECKING:
    from creditdesk.settings import Settings
    from tools.actor import Actor

app = typer.Typer(help="Per-officer API tokens for the REST API (sent as 'Authorization: Bearer …').")


@app.command("create")
def create(
    officer: str = typer.Option(..., "--officer", help="The officer the token acts as"),
    label: str = typer.Option("", "--label", help="What the token is for (e.g. 'salesforce sync')"),
    expires_days: int = typer.Option(90, "--expires-days", help="Days until it expires (1-3650); 0: never"),
    as_json: bool = typer.Option(False, "--json"),
    admin: str | None = as_option(required=False),
) -> None:
    """Issue a token. It is shown once: only its sha256 is stored.

    --as names an admin (in prod, with an admin's CREDITDESK_TOKEN).
    """
    import datetime as dt

    from creditdesk.cli.identity import admin_identity, check_expires_days

    check_expires_days(expires_days)
    c = container()
    c.migrate()
    admin_identity(container(), admin, "issuing an API token")
    actor = c.actor(officer)  # unknown or inactive officers are refused
    lifetime = dt.timedelta(days=expires_days) if expires_days else None
    issued = c.tokens.create(actor.officer_id, label=label, lifetime=lifetime)
    if as_json:
        print_json({**issued.info.model_dump(mode="json"), "token": issued.token})
        return
    console.print(
        f"Token {issued.info.token_id} for {actor.officer_id} ({actor.role.value}, team {actor.team}):"
    )
    console.print(issued.token, highlight=False, markup=False, soft_wrap=True)
    expiry = f"expires {issued.info.expires_at:%Y-%m-%d}" if issued.info.expires_at else "never expires"
    console.print(
        f"Store it now: it cannot be shown again ({expiry}). Revoke with `creditdesk token revoke ID`."
    )


@app.command("list")
def list_tokens(
    officer: str | None = typer.Option(None, "--officer", help="Only this officer's tokens"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Tokens with their officer, creation, last use and revocation (never the secret)."""
    require_database()  # read-only: no empty database made in a new (or mistyped) data folder
    c = container()
    c.migrate()
    tokens = c.tokens.list(officer_id=officer)
    if as_json:
        print_json([t.model_dump(mode="json") for t in tokens])
        return
    from rich.table import Table

    table = Table("id", "officer", "label", "created", "expires", "last used", "revoked")
    for t in tokens:
        table.add_row(str(t.token_id), t.officer_id, t.label, f"{t.created_at:%Y-%m-%d %H:%M}",
                      f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "never",
                      f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "—",
                      f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "—")  # fmt: skip
    console.print(table)


@app.command("revoke")
def revoke(
    token_id: int = typer.Argument(..., metavar="TOKEN", help="The token id (see `creditdesk token list`)"),
) -> None:
    """Revoke a token: requests with it get 401 from now on."""
    require_database()
    c = container()
    c.migrate()
    info = c.tokens.revoke(token_id)
    console.print(
        f"Token {info.token_id} of {info.officer_id} revoked at {info.revoked_at:%Y-%m-%d %H:%M} UTC."
    )


def link_base(settings: Settings) -> str:
    """CREDITDESK_PUBLIC_URL when the deployment set it; else the running `creditdesk serve` on this data
    folder (whatever its --port); else the default address."""
    from creditdesk.serving import running_address

    if settings.public_url_is_set:
        return settings.public_url
    return running_address(settings.home_dir) or settings.public_url


@app.command("link")
def link(
    officer: str = typer.Option(..., "--officer", help="The officer the page opens as"),
    client: str = typer.Option(
        "",
        "--client",
        metavar="CLIENT",
        help="Client id, CRM id or name for a sidebar link; none: the dashboard",
    ),
    ttl: int = typer.Option(
        300, "--ttl", min=10, max=24 * 3600, help="Seconds the link may wait to be opened"
    ),
) -> None:
    """A fresh single-use launch link (what the CRM builds for each page view), for tests and demos."""
    from api.launch import sign_launch

    require_database()
    c = container()
    c.migrate()
    actor = c.actor(officer)  # unknown or inactive officers are refused
    ref, query = _sidebar_ref(actor, client) if client.strip() else ("", "")
    token = sign_launch(c.settings.sidebar_key, actor.officer_id, ref, ttl_s=ttl)
    base = link_base(c.settings).rstrip("/")
    page = f"{base}/sidebar/{quote(ref, safe='')}" if ref else f"{base}/dashboard"
    console.print(f"{page}?{query}token={token}", highlight=False, markup=False, soft_wrap=True)


def _sidebar_ref(actor: Actor, client: str) -> tuple[str, str]:
    """The sidebar's client reference for CLIENT (a CRM id, or an id or name within the officer's scope):
    the client's CRM id, as the CRM links it; our id (`id_type=ours`) for a client without one."""
    from creditdesk.cli.common import resolve_client
    from kernel.errors import NotFound

    adapter = container().adapter
    try:
        found = adapter.get_client_by_external_id(client.strip())
    except NotFound:
        found = adapter.get_client(resolve_client(client, actor))
    if found.external_id:
        return found.external_id, "id_type=external&" if found.external_id.isdigit() else ""
    return str(found.client_id), "id_type=ours&"
