"""Shared CLI plumbing: the error mapping, the console, settings and wiring access."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from kernel.errors import CreditDeskError, new_error_id

if TYPE_CHECKING:
    from creditdesk.settings import Settings
    from creditdesk.wiring import Container

console = Console()
err_console = Console(stderr=True)
log = logging.getLogger("creditdesk.cli")


@contextmanager
def handle_errors() -> Iterator[None]:
    """Map domain errors to a clear message and the error's exit code; never a stack trace."""
    try:
        yield
    except CreditDeskError as exc:
        where = f" ({exc.field})" if exc.field else ""
        err_console.print(f"[bold red]error[/]{where}: {exc.message}", highlight=False, soft_wrap=True)
        if isinstance(exc.details, list):
            for line in exc.details[:200]:
                err_console.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)
            if len(exc.details) > 200:
                err_console.print(f"  … and {len(exc.details) - 200} more")
        sys.exit(exc.exit_code)
    except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
        raise
    except Exception:
        error_id = new_error_id()
        log.exception("unexpected error %s", error_id)
        err_console.print(f"[bold red]unexpected error[/] (error id {error_id}); see the log for details")
        sys.exit(70)


@lru_cache(maxsize=1)
def settings() -> Settings:
    from creditdesk.settings import Settings

    return Settings()


@lru_cache(maxsize=1)
def container() -> Container:
    """The wired application (engine, adapter, policy, stores), built once per process."""
    from creditdesk.wiring import Container

    return Container.from_settings(settings())


def print_json(data: Any) -> None:
    """Print JSON to stdout (plain, machine-readable)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


def actor_for(officer_id: str):  # type: ignore[no-untyped-def]
    """Resolve `--as OFFICER` into an Actor (authority comes from the officers table, not the flag; in prod
    the officer's API token is needed too: creditdesk/cli/identity.py)."""
    from creditdesk.cli.identity import acting_officer

    return acting_officer(officer_id)
