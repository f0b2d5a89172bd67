"""Help as a newcomer reads it: values in capitals (CLIENT, FILE, FILES..., DATE, INTEGER), nothing after a flag.

typer 0.29 (pinned in requirements.lock) describes each value by its Python type (`<str>`, `<int>`, `<path>`,
`<list[Path]>`, `<%Y-%m-%d>`, and `<bool>` after every flag) and writes required arguments as `{name}` in the
usage line. `tidy(command)` rewrites every parameter of a command tree once, when the root group is built
(creditdesk/cli/main.py): an explicit `metavar=` is kept; an option without one is named by its type; an
argument by its own name in capitals; a flag shows nothing.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

from typer import _click as click
from typer.core import TyperArgument, TyperOption

# What an option's value is called when its declaration does not say (click's own words where it has them).
TYPE_NAMES: dict[Any, str] = {
    str: "TEXT",
    int: "INTEGER",
    float: "NUMBER",
    Decimal: "NUMBER",
    Path: "PATH",
    dt.date: "DATE",
    dt.datetime: "DATE",
}


class Argument(TyperArgument):
    """An argument named in capitals, without a type column; usage `CLIENT`, `[CLIENT]`, `FILES...`."""

    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None

    def _rich_display_name(self) -> str:
        name = self.display_name_raw
        return name if self.nargs == 1 or name.endswith("...") else f"{name}..."

    def _usage_display_name(self) -> str:
        name = self._rich_display_name()
        return name if self.required else f"[{name}]"


def _type_name(annotation: Any) -> str:
    while typing.get_origin(annotation) in (list, tuple, typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if not args:
            break
        annotation = args[0]
    if typing.get_origin(annotation) is typing.Literal:
        return "|".join(str(v) for v in typing.get_args(annotation))
    return TYPE_NAMES.get(annotation, "VALUE")


def _tidy_param(param: click.Parameter) -> None:
    if isinstance(param, TyperArgument):
        if param.metavar is None:
            param.metavar = (param.name or "value").upper() + ("..." if param.nargs != 1 else "")
        param.__class__ = Argument
    elif isinstance(param, TyperOption) and param.metavar is None:
        if param.is_flag or param.count:
            param.metavar = ""  # a flag takes no value: nothing is shown after it
        else:
            param.metavar = _type_name(param.type_descriptor.annotation)


def tidy(command: click.Command) -> None:
    """Rewrite the parameters of `command` and of every command under it (the help option included)."""
    for param in command.params:
        _tidy_param(param)
    help_option = command.get_help_option(click.Context(command))
    if help_option is not None:
        _tidy_param(help_option)
    for sub in getattr(command, "commands", {}).values():
        tidy(sub)
