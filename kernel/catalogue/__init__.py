"""One message catalogue for English and Chinese, used by every surface.

Messages live in one module per area (`kernel/catalogue/<area>.py`), each defining two dicts, `EN` and
`ZH`, with the same keys. Keys are dotted and name what they mean, not where they are used
(`indicator.max_dpd_12m`, `grade.label`, `assistant.not_understood`); one key is defined in one area only
(a key defined twice is an error at load). Every surface (assistant, Slack, sidebar, dashboard,
memos, CLI) looks text up here with `text(key, lang, **values)`; nothing keeps its own wording table.

Adding an area: create the module; every module of the package is an area. `tests/kernel/test_catalogue.py` checks
that every key exists in both languages with the same placeholders.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Literal

from kernel.catalogue import _render

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")

# Every module in this package is an area (found, not listed, so adding an area touches no shared line).
AREAS: tuple[str, ...] = tuple(
    sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


class MissingMessage(KeyError):
    """A key that no area defines: a programming error, caught by the catalogue test."""


@cache
def _tables() -> dict[Language, dict[str, str]]:
    tables: dict[Language, dict[str, str]] = {"en": {}, "zh": {}}
    for area in AREAS:
        module = importlib.import_module(f"kernel.catalogue.{area}")
        for lang, table in (("en", module.EN), ("zh", module.ZH)):
            for key, value in table.items():
                if key in tables[lang]:  # type: ignore[index]
                    raise MissingMessage(f"{key!r} is defined twice (again in area {area!r})")
                tables[lang][key] = value  # type: ignore[index]
    return tables


def keys() -> set[str]:
    """Every key, in either language (the test checks both hold the same set)."""
    tables = _tables()
    return set(tables["en"]) | set(tables["zh"])


def has(key: str) -> bool:
    return key in _tables()["en"]


def template(key: str, lang: Language) -> str:
    try:
        return _tables()[normalise_language(lang)][key]
    except KeyError as exc:
        raise MissingMessage(key) from exc


def text(key: str, lang: Language | str = "en", /, **values: object) -> str:
    """The message `key` in `lang`, with `{placeholders}` filled from `values`."""
    return template(key, normalise_language(lang)).format(**values)


def render(message: Any, lang: Language | str = "en") -> str:
    """A coded message (an object or dict with `key` and `params`, e.g. `EarlyWarning.code/params`'s
    `Msg`) in `lang`: dates, months, values and engine codes shown the way that language writes them."""
    if isinstance(message, Mapping):
        key, params = message["key"], message.get("params") or {}
    else:
        key, params = message.key, message.params or {}
    return _render.render(key, normalise_language(lang), params, has=has, template=template)


# what `str.format` raises when a stored message's parameters no longer fit its catalogue entry (a record
# stored before the entry gained a placeholder, or changed its format spec)
_STALE_PARAMS = (KeyError, IndexError, ValueError, TypeError)


def render_or(message: Any, fallback: str, lang: Language | str = "en") -> str:
    """`render(message)` when the result carries its code, else the stored (English) text; the stored text
    too when the message was stored under an older catalogue entry whose parameters no longer fit."""
    if message is None:
        return fallback
    try:
        return render(message, lang)
    except _STALE_PARAMS:
        return fallback


def render_each(messages: Sequence[Any], fallbacks: Sequence[str], lang: Language | str = "en") -> list[str]:
    """Coded messages in `lang`, or the stored (English) texts when they are not all coded (older records)."""
    if messages and len(messages) == len(fallbacks):
        try:
            return [render(m, lang) for m in messages]
        except _STALE_PARAMS:  # stored under an older catalogue (see `render_or`)
            pass
    return list(fallbacks)


def named(kind: str, name: str) -> str | dict[str, str]:
    """A name the policy file defines (an approval level's "Team lead") as a message parameter: its catalogue
    entry `<kind>.<slug>` when that entry's English is exactly this name (so English reads as the policy
    wrote it and Chinese gets the translation), else the name itself (a renamed level stays as written)."""
    key = f"{kind}.{re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')}"
    return {"key": key} if has(key) and template(key, "en") == name else name


def name_in(kind: str, name: str, lang: Language | str = "en") -> str:
    """The policy-defined `name` in `lang` (see `named`)."""
    said = named(kind, name)
    return said if isinstance(said, str) else template(said["key"], normalise_language(lang))


def fmt_date(value: object, lang: Language | str = "en") -> str:
    """The one way an answer shows a date: `31 Mar 2026` / `2026年3月31日` (a date or an ISO string)."""
    return _render.fmt_date(value, normalise_language(lang))  # type: ignore[arg-type]


def is_date(value: object) -> bool:
    """A date, a datetime or an ISO date string (`2026-03-31`): what `fmt_date` writes as a date."""
    return _render.as_date(value) is not None


def dates_written(values: Mapping[str, object], lang: Language | str = "en") -> dict[str, object]:
    """`values` with every date in it written by `fmt_date` (for a template's placeholders)."""
    return {k: fmt_date(x, lang) if is_date(x) else x for k, x in values.items()}


def fmt_month(value: object, lang: Language | str = "en") -> str:
    return _render.fmt_month(value, normalise_language(lang))  # type: ignore[arg-type]


def code_name(kind: str, code: object, lang: Language | str = "en") -> str:
    """The user-facing name of an engine code (`vocab` area); the code with spaces if unknown."""
    raw = str(getattr(code, "value", code))
    key = f"{kind}.{raw}"
    return template(key, normalise_language(lang)) if has(key) else raw.replace("_", " ")


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def normalise_language(lang: str | None) -> Language:
    """'zh', 'zh-CN', 'zh_Hans', 'ZH' -> 'zh'; anything else -> 'en'."""
    return "zh" if (lang or "").lower().startswith("zh") else "en"


def detect_language(question: str) -> Language:
    """The language of a question: Chinese when it holds a Chinese character outside quotes. An officer
    writing English does not type Chinese, while a Chinese question is often mostly Latin: client names,
    facility ids and abbreviations ("Iron Distribution LLC 的DSCR", "Sterling Stores 呢？"). A Chinese name
    quoted inside an English question ("is '华为' a client?") leaves it English."""
    unquoted = re.sub(r"\"[^\"]*\"|'[^']*'|“[^”]*”|‘[^’]*’|「[^」]*」", " ", question)
    return "zh" if _CJK.search(unquoted) else "en"


__all__ = [
    "LANGUAGES",
    "Language",
    "MissingMessage",
    "detect_language",
    "dates_written",
    "fmt_date",
    "is_date",
    "fmt_month",
    "has",
    "keys",
    "name_in",
    "named",
    "normalise_language",
    "placeholders",
    "render",
    "render_each",
    "render_or",
    "template",
    "text",
    "code_name",
]
