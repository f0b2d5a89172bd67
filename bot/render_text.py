"""Plain-text and Markdown renderings of a Reply (Slack Block Kit lives in bot/slack)."""

from __future__ import annotations

from bot.reply import Reply


def render_plain(reply: Reply) -> str:
    parts = [reply.text]
    if reply.citations:
        parts.append("Sources:\n" + "\n".join(f"  {c.label}" for c in reply.citations))
    for action in reply.actions:
        parts.append(f"→ {action.label}: waiting for your confirmation.")
    if reply.degraded:
        parts.append(f"({reply.notice or 'The model was unavailable; answered offline.'})")
    return "\n\n".join(p for p in parts if p)


def render_markdown(reply: Reply) -> str:
    lines: list[str] = []
    for line in reply.text.splitlines():
        stripped = line.lstrip()
        lines.append(f"- {stripped[2:]}" if stripped.startswith("• ") else line)
    parts = ["\n".join(lines)]
    if reply.figures:
        rows = [f"| {f.label} | {f.display} | `{f.source}` |" for f in reply.figures]
        parts.append("| Figure | Value | Source |\n|---|---|---|\n" + "\n".join(rows))
    if reply.citations:
        parts.append("**Sources**\n\n" + "\n".join(f"- {c.label}" for c in reply.citations))
    for action in reply.actions:
        parts.append(f"**{action.label}?** " + " ".join(action.summary))
    if reply.degraded:
        parts.append(
            f"_{reply.notice or 'The model was unavailable; this answer comes from the offline assistant.'}_"
        )
    return "\n\n".join(p for p in parts if p)
