"""`creditdesk slack` (the Slack app in Socket Mode) and `creditdesk monitor run` (early-warning alerts)."""

from __future__ import annotations

import time

import typer

from creditdesk.cli.common import console, container, print_json
from kernel.errors import InvalidInput

monitor_app = typer.Typer(
    help="Early-warning monitoring: alerts to officers and the risk channel.", no_args_is_help=True
)


def slack() -> None:
    """Run the Slack app in Socket Mode (SLACK_APP_TOKEN xapp-…, SLACK_BOT_TOKEN xoxb-…; no public URL)."""
    c = container()
    settings = c.settings
    if settings.slack_bot_token is None or settings.slack_app_token is None:
        raise InvalidInput(
            "Socket Mode needs SLACK_BOT_TOKEN (xoxb-…) and SLACK_APP_TOKEN (xapp-…); see docs/slack.md",
            field="SLACK_APP_TOKEN",
        )
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import build_slack_app

    c.migrate()
    handler = SocketModeHandler(build_slack_app(c), app_token=settings.slack_app_token.get_secret_value())
    console.print("Credit Desk is connected to Slack (Socket Mode). Ctrl-C to stop.")
    handler.start()


@monitor_app.command("run")
def monitor_run(
    every: int = typer.Option(0, help="Repeat every N minutes (0 = run once and exit)", min=0),
    baseline: bool = typer.Option(
        False, "--baseline", help="Record today's warnings as known without sending (once, when switching on)"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON"),
) -> None:
    """Post new red/amber early warnings to the owning officer and the risk channel (once per warning)."""
    c = container()
    if c.settings.slack_bot_token is None and not baseline:
        raise InvalidInput("SLACK_BOT_TOKEN is not set: alerts would reach no one; see docs/slack.md")
    from bot.slack.alerts import run_monitor

    c.migrate()
    while True:
        result = run_monitor(c, baseline=baseline)
        if as_json:
            print_json(result.model_dump(mode="json"))
        else:
            verb = "recorded as known (nothing sent)" if baseline else "sent"
            console.print(
                f"{result.as_of}: {result.sent} new warning(s) {verb}, {result.already_sent} already known, "
                f"{result.clients_on_watch} client(s) on watch"
            )
        if not every or baseline:
            return
        time.sleep(every * 60)


def register(root: typer.Typer) -> None:
    root.command("slack")(slack)
    root.add_typer(monitor_app, name="monitor")
