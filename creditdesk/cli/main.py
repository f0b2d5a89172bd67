"""Entry point of the `creditdesk` command.

Command groups live in sibling modules, each exposing `app` (a Typer) or `register(root)`.
Modules keep heavy imports inside their commands so `creditdesk --help` stays fast.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import logging
import os
import sys
import threading
from typing import NoReturn

# No pydantic plugin is used; without this pydantic scans every installed distribution's entry points at
# the first model it builds (~50 ms of a cold command). Set PYDANTIC_DISABLE_PLUGINS= (empty) to load them.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer
from typer.core import TyperGroup

from creditdesk.cli.common import handle_errors


class _ErrorMappingGroup(TyperGroup):
    """Runs every command inside `handle_errors`, however the app is invoked (console script or tests);
    its commands' help names values in capitals (creditdesk/cli/help.py)."""

    def main(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        from creditdesk.cli.help import tidy

        tidy(self)  # here, not in __init__: typer adds the completion options after building the group
        return super().main(*args, **kwargs)

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        with handle_errors():
            return super().invoke(ctx)


app = typer.Typer(
    cls=_ErrorMappingGroup,
    name="creditdesk",
    help="Credit Desk: credit lines of existing customers — reviews, limits, warnings, approvals, memos.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# (module, sub-command name or None when the module registers top-level commands itself)
COMMAND_MODULES: list[tuple[str, str | None]] = [
    ("creditdesk.cli.setup", None),  # init, demo, import, serve
    ("creditdesk.cli.clients", "clients"),
    ("creditdesk.cli.review", "review"),
    ("creditdesk.cli.kb", "kb"),
    ("creditdesk.cli.model", "model"),
    ("creditdesk.cli.approvals", "approvals"),
    ("creditdesk.cli.audit", "audit"),
    ("creditdesk.cli.memo", None),  # memo
    ("creditdesk.cli.assistant", None),  # ask, chat
    ("creditdesk.cli.tokens", "token"),
    ("creditdesk.cli.slack", None),  # slack, monitor
    ("creditdesk.cli.statements", "statements"),
    ("creditdesk.cli.financials", "financials"),
]


def _register() -> None:
    for module_name, name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # that command group is not built yet
            raise
        if hasattr(module, "register"):
            module.register(app)
        elif name is not None:
            app.add_typer(module.app, name=name)


def _version(value: bool) -> None:
    if value:
        from creditdesk import __version__
        from kernel.catalogue import text

        typer.echo(text("cli.version", version=__version__))
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Credit Desk: credit lines of existing customers — reviews, limits, warnings, approvals, memos."""


_register()


def _exit_now(code: object) -> NoReturn:
    """End the process without the interpreter's teardown (freeing every module and object: ~0.3 s of a
    cold `creditdesk ask`): exit handlers run, other threads are waited for, the streams are flushed."""
    status = code if isinstance(code, int) else (0 if code is None else 1)
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
    try:
        atexit._run_exitfuncs()
        main = threading.main_thread()
        for t in threading.enumerate():
            if t is not main and not t.daemon:
                t.join()
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # a closed pipe at exit must not turn into a traceback
        status = status or 1
    os._exit(status)


# The collector's thresholds for a command's process. With CPython's defaults (700, 10, 10) a cold
# `creditdesk ask` ran ~400 collections, three of them full ones walking every imported module's objects:
# ~0.2 s of its CPU. Start-up allocates long-lived objects (modules, classes, schemas), not garbage; the
# values are the server's (creditdesk/serving.py), under which young cycles are still collected.
CLI_GC_THRESHOLDS = (50_000, 50, 100)


def run() -> None:
    gc.set_threshold(*CLI_GC_THRESHOLDS)
    # Warnings of libraries on stderr, one line each; tracebacks of unexpected errors go to the log file
    # (see common.handle_errors), never to the terminal.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except SystemExit as exc:
        _exit_now(exc.code)
    _exit_now(0)


if __name__ == "__main__":
    run()
