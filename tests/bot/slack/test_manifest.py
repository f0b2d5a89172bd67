"""The shipped manifest asks for what the app listens to, and nothing it does not use."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack.listeners.commands import COMMAND

MANIFEST = yaml.safe_load((Path(__file__).parents[3] / "slack" / "manifest.yml").read_text())


def test_manifest_matches_the_app() -> None:
    assert [c["command"] for c in MANIFEST["features"]["slash_commands"]] == [COMMAND]
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "app_mention",
        "assistant_thread_context_changed",
        "assistant_thread_started",
        "message.im",
    }
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "commands", "files:write", "im:write", "app_mentions:read"} <= scopes
    assert (
        MANIFEST["settings"]["socket_mode_enabled"] is True
        and MANIFEST["settings"]["interactivity"]["is_enabled"]
    )
