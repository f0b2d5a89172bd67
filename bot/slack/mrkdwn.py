"""Text for Slack: the one escaping function for data, Markdown to mrkdwn, and splitting without loss.

Slack parses `&`, `<` and `>` in mrkdwn and in a message's `text`: `<!channel>`, `<@U…>`, `<#C…>` and
`<url|label>` are mentions and links. Every piece of data (a client name, a reason, a warning message,
an officer's name, the assistant's prose) goes through `escape` before it is placed in mrkdwn or text;
only the renderer's own markup is left unescaped. `plain_text` objects are not parsed by Slack and are
not escaped (an `&amp;` there would show literally).
"""

from __future__ import annotations

import re

# Typed broadcasts: Slack only pings on `<!here>`, but a zero-width space keeps `@here` from ever
# being turned into one (e.g. by a client that sets link_names).
_BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.IGNORECASE)
ZERO_WIDTH_SPACE = "\u200b"


def escape(value: object) -> str:
    """Data as mrkdwn: `&`, `<`, `>` as entities (no mention, channel or link can be formed)."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: f"@{ZERO_WIDTH_SPACE}{m.group(1)}", text)


def unescape(text: str) -> str:
    """The inverse of `escape` (for tests and for plain-text fallbacks)."""
    text = text.replace(f"@{ZERO_WIDTH_SPACE}", "@")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# --- markdown to Slack mrkdwn ---------------------------------------------------------------------

_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


def table_text(rows: list[list[str]]) -> str:
    """A table as aligned monospace text in a code block (Slack has no markdown tables)."""
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(max(map(len, rows)))]
    lines = ["  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip() for row in rows]
    if len(lines) > 1:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return "```\n" + "\n".join(lines) + "\n```"


def to_mrkdwn(markdown: str) -> str:
    """Markdown prose (as a model writes it) to escaped Slack mrkdwn: bold, headings, links, tables.

    The prose is escaped first (it can quote client names); only links written as Markdown links become
    Slack links, with an escaped label.
    """
    out: list[str] = []
    table: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        if _TABLE_ROW.match(line):
            if not _TABLE_RULE.match(line):
                table.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if table:
            out.append(table_text(table))
            table = []
        out.append(line)
    text = "\n".join(out).rstrip("\n")
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        safe_url = url.replace("&", "&amp;").replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")
        links.append(f"<{safe_url}|{escape(label).replace('|', '¦')}>")
        return f"\x00{len(links) - 1}\x00"

    text = escape(_LINK.sub(keep_link, text.replace("\x00", "")))
    text = re.sub(r"\*\*(.+?)\*\*", r"*\1*", text)
    text = re.sub(r"^#{1,6}\s+(.+)$", r"*\1*", text, flags=re.MULTILINE)
    return re.sub("\x00(\\d+)\x00", lambda m: links[int(m.group(1))], text)


# --- splitting ---------------------------------------------------------------------------------------

_ENTITY_TAIL = re.compile(r"&[a-z]{0,4}$")


def _cut(text: str, size: int) -> int:
    """Where to cut `text` to at most `size` characters: a line, else a space, never inside an entity."""
    window = text[:size]
    for sep in ("\n", " "):
        at = window.rfind(sep)
        if at > size // 2:
            return at + 1
    tail = _ENTITY_TAIL.search(window)
    return tail.start() if tail and tail.start() > 0 else size


def split_text(text: str, size: int) -> list[str]:
    """`text` in pieces of at most `size` characters, nothing dropped; code fences closed and reopened."""
    pieces: list[str] = []
    rest = text
    reopen = False
    while rest:
        budget = size - (4 if reopen else 0) - 4  # room for "```\n" before and "\n```" after
        if len(rest) <= budget:
            piece, rest = rest, ""
        else:
            at = _cut(rest, budget)
            piece, rest = rest[:at], rest[at:]
        if reopen:
            piece = "```\n" + piece
        reopen = piece.count("```") % 2 == 1
        if reopen:
            piece = piece.rstrip("\n") + "\n```"
        pieces.append(piece)
    return pieces or [""]
