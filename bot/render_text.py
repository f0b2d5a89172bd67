"""Plain-text and Markdown renderings of a Reply (Slack Block Kit lives in bot/slack), in the reader's
language: the words around the answer come from the message catalogue (area `assistant`)."""

from __future__ import annotations

import re

from bot.reply import Figure, Reply
from kernel.catalogue import code_name, detect_language, fmt_date, has, is_date, text


def reply_language(reply: Reply, lang: str | None = None) -> str:
    """The reply's language: the caller's, else the answer's own (a Chinese answer is in Chinese)."""
    return lang or detect_language(reply.text)


def figure_label(figure: Figure, lang: str) -> str:
    """A headline figure's label in the reader's language (`assistant.figure.<label>`)."""
    key = "assistant.figure." + re.sub(r"[^a-z0-9]+", "_", figure.label.lower()).strip("_")
    return text(key, lang) if has(key) else figure.label


def figure_display(figure: Figure, lang: str) -> str:
    """A figure as shown: codes (an EWS level, a grade's name), dates and "n/a" in the reader's language."""
    if figure.display == "n/a":
        return text("common.not_available", lang)
    if figure.unit == "level" and isinstance(figure.value, str):
        return code_name("level", figure.value, lang)
    if figure.unit == "date" and is_date(figure.value):  # 31 Mar 2026 / 2026年3月31日, as in the answer
        return fmt_date(figure.value, lang)
    if figure.unit == "grade" and isinstance(figure.value, int):
        return f"{figure.value} ({code_name('grade', figure.value, lang)})"
    return figure.display


def render_plain(reply: Reply, lang: str | None = None) -> str:
    lang = reply_language(reply, lang)
    parts = [reply.text]
    if reply.citations:
        parts.append(
            text("assistant.render.sources", lang) + "\n" + "\n".join(f"  {c.label}" for c in reply.citations)
        )
    for action in reply.actions:
        parts.append(text("assistant.render.waiting", lang, label=action.label))
    if reply.degraded:
        parts.append(f"({reply.notice or text('assistant.render.offline_short', lang)})")
    return "\n\n".join(p for p in parts if p)


def render_markdown(reply: Reply, lang: str | None = None) -> str:
    lang = reply_language(reply, lang)
    lines: list[str] = []
    for line in reply.text.splitlines():
        stripped = line.lstrip()
        lines.append(f"- {stripped[2:]}" if stripped.startswith("• ") else line)
    parts = ["\n".join(lines)]
    if reply.figures:
        rows = [
            f"| {figure_label(f, lang)} | {figure_display(f, lang)} | `{f.source}` |" for f in reply.figures
        ]
        head = text("assistant.render.figures_head", lang)
        parts.append(f"{head}\n|---|---|---|\n" + "\n".join(rows))
    if reply.citations:
        parts.append(
            f"**{text('assistant.render.sources_title', lang)}**\n\n"
            + "\n".join(f"- {c.label}" for c in reply.citations)
        )
    for action in reply.actions:
        parts.append(f"**{action.label}?** " + " ".join(action.summary))
    if reply.degraded:
        parts.append(f"_{reply.notice or text('assistant.render.offline_long', lang)}_")
    return "\n\n".join(p for p in parts if p)
