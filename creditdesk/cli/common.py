"""Shared CLI plumbing: the error mapping, the console, shared options, settings and wiring access."""

from __future__ import annotations

import datetime as dt
import errno
import gc
import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from kernel.catalogue import text
from kernel.errors import CreditDeskError, InvalidInput, NotFound, new_error_id

if TYPE_CHECKING:
    from creditdesk.settings import Settings
    from creditdesk.wiring import Container
    from tools.actor import Actor

console = Console()
err_console = Console(stderr=True)
log = logging.getLogger("creditdesk.cli")

LOG_NAME = "creditdesk-cli.log"
EX_SOFTWARE = 70  # an unexpected error (sysexits.h)


def log_path() -> Path:
    """Where an unexpected error's traceback goes: the data folder when there is one, else the temp folder."""
    try:
        home = settings().home_dir
    except Exception:  # the settings themselves may be what failed
        return Path(tempfile.gettempdir()) / LOG_NAME
    return home / LOG_NAME


def _log_unexpected(error_id: str) -> Path:
    """Write the traceback to the log file (never to the terminal) and return where it went."""
    path = log_path()
    handler: logging.Handler
    try:
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        path = Path(tempfile.gettempdir()) / LOG_NAME
        handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    propagate, log.propagate = log.propagate, False  # the console handler must not print the traceback
    try:
        log.exception("unexpected error %s", error_id)
    finally:
        log.propagate = propagate
        log.removeHandler(handler)
        handler.close()
    return path


def cli_language() -> str:
    """The terminal user's language: `CREDITDESK_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`);
    `zh…` is Chinese, anything else English."""
    for name in ("CREDITDESK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            return "zh" if os.environ[name].lower().startswith("zh") else "en"
    return "en"


@contextmanager
def handle_errors() -> Iterator[None]:
    """Map errors to a clear message and an exit code; never a stack trace.

    Click's own usage errors (typo'd command, missing argument or option, bad value) pass through so
    click prints its message and exits 2; domain errors print their message and exit with their code;
    anything else prints an error id, and the traceback goes to the log file.
    """
    try:
        yield
    except CreditDeskError as exc:
        where = f" ({exc.field})" if exc.field else ""
        said = exc.text_in(cli_language())  # a coded message in the user's language (English by default)
        err_console.print(f"[bold red]error[/]{where}: {said}", highlight=False, soft_wrap=True)
        if isinstance(exc.details, list):
            for line in exc.details[:200]:
                err_console.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)
            if len(exc.details) > 200:
                err_console.print(f"  … and {len(exc.details) - 200} more")
        sys.exit(exc.exit_code)
    except (typer.TyperException, typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
        raise  # click's usage errors (TyperException subclasses) are shown by click itself, exit 2
    except BrokenPipeError:  # `creditdesk … | head`: the reader left; nothing to report
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the interpreter flushes stderr at exit
        sys.exit(0)
    except Exception:
        error_id = new_error_id()
        path = _log_unexpected(error_id)
        err_console.print(
            f"[bold red]{text('cli.unexpected', error_id=error_id, log=path)}[/]",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(EX_SOFTWARE)


@contextmanager
def without_collector() -> Iterator[None]:
    """Run a command of bounded work (one question) without the cyclic garbage collector: what it allocates
    is mostly long-lived (imported modules, classes) or freed by reference counting, and the collections it
    would run cost ~60 ms of a cold `creditdesk ask`. The collector's state is restored afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@lru_cache(maxsize=1)
def settings() -> Settings:
    from pydantic import ValidationError

    from creditdesk.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:  # e.g. CREDITDESK_ENV=prod without a real sidebar secret
        problems = "; ".join(
            (f"{'.'.join(str(p) for p in e['loc'])}: " if e["loc"] else "") + e["msg"] for e in exc.errors()
        )
        raise InvalidInput(text("cli.bad_settings", problems=problems), field="settings") from None


@lru_cache(maxsize=1)
def container() -> Container:
    """The wired application (engine, adapter, policy, stores), built once per process."""
    from creditdesk.wiring import Container

    return Container.from_settings(settings())


def require_database() -> None:
    """A command that reads the book needs an initialised database: say how to make one if there is none
    (rather than an SQL error about a missing table)."""
    s = container().settings
    if s.database_url and not s.database_url.startswith("sqlite"):
        return  # a server database: its errors name it
    from creditdesk.settings import database_is_initialised

    # asked without creating the data folder: a mistyped CREDITDESK_HOME must not leave a stray one behind
    if not s.home_path.is_dir() or not database_is_initialised(s.resolved_database_url):
        raise NotFound(text("cli.no_database", home=s.home_path))


def print_json(data: Any) -> None:
    """Print JSON to stdout (plain, machine-readable)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


def actor_for(officer_id: str) -> Actor:
    """Resolve `--as OFFICER` into an Actor (authority comes from the officers table, not the flag; in prod
    the officer's API token is needed too: creditdesk/cli/identity.py)."""
    from creditdesk.cli.identity import acting_officer

    require_database()
    return acting_officer(container(), officer_id)


# --- options and arguments shared by the commands (one wording each) -----------------------------


def _officer_id(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise typer.BadParameter(text("cli.as.empty"))
    return value.strip() if value is not None else None


def as_option(*, required: bool = True) -> Any:
    """`--as OFFICER`: the officer a command acts as."""
    return typer.Option(
        ... if required else None, "--as", metavar="OFFICER", help=text("cli.as.help"), callback=_officer_id
    )


def _date(value: str) -> dt.date:
    try:
        if len(value.strip()) == 10:
            return dt.date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise typer.BadParameter(text("cli.date.invalid", value=value))


def date_option(name: str, help: str) -> Any:
    """`--from DATE`: a required calendar date written YYYY-MM-DD (2026-02-30 is not a date)."""
    return typer.Option(..., name, metavar="DATE", parser=_date, help=help)


def client_argument() -> Any:
    """`CLIENT`: a client id or a name searched within the acting officer's portfolio."""
    return typer.Argument(..., metavar="CLIENT", help=text("cli.client.help"))


def client_option() -> Any:
    """`--client CLIENT`: the same, as an option (a command whose arguments are files)."""
    return typer.Option(..., "--client", metavar="CLIENT", help=text("cli.client.help"))


def resolve_client(query: str, actor: Actor) -> int:
    """A client id, or the single best name match within the actor's scope; ambiguous → list the choices."""
    from tools.access import scope_officer_ids

    if query.strip().isdigit():
        return int(query)
    adapter = container().adapter
    matches = adapter.search_clients(query, limit=8, officer_ids=scope_officer_ids(actor, adapter))
    if not matches:
        raise NotFound(text("cli.client.no_match", query=query))
    exact = [m for m in matches if m.client.name.casefold() == query.strip().casefold()]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0].client.client_id
    choices = [
        f"{m.client.client_id}  {m.client.name}  ({m.client.industry}, {m.client.region})" for m in matches
    ]
    raise InvalidInput(text("cli.client.ambiguous", query=query), field="client", details=choices)


def _name_max(folder: Path) -> int:
    """The longest file name the folder's file system takes (255 where it does not say)."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def check_output_path(path: Path) -> Path:
    """Refuse an output file that cannot be written, before anything is computed or stored."""
    target = path.expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    try:
        if target.is_dir():
            raise InvalidInput(text("cli.out.is_folder", path=path), field="out")
        if not folder.is_dir():
            raise InvalidInput(text("cli.out.no_folder", path=path, folder=folder), field="out")
        if len(os.fsencode(target.name)) > _name_max(folder):
            raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG))
        writable = os.access(folder, os.W_OK) and (not target.exists() or os.access(target, os.W_OK))
    except OSError as exc:  # e.g. a file name too long for the file system (ENAMETOOLONG)
        raise InvalidInput(
            text("cli.out.unusable", path=path, reason=exc.strerror or exc), field="out"
        ) from None
    if not writable:
        raise InvalidInput(text("cli.out.not_writable", path=path), field="out")
    return target
