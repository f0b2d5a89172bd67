"""Slack's published limits and escaping rules, checked on every payload the app sends in the tests.

Each block is parsed and validated by slack_sdk's own models (`Block.parse(...).validate_json()`, the
`View` model for modals and Home tabs); on top, the limits of Slack's Block Kit reference that the models
do not check (https://docs.slack.dev/reference/block-kit): blocks per message and per view, text
lengths, elements per block, option counts. Every mrkdwn text and message `text` must hold data only in
escaped form: no `<!…>`, `<@…>`, `<#…>`, no bare `<` / `>` / `&`; links only as `<http(s)://…|label>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 40_000
SECTION_TEXT = 3000
SECTION_FIELDS = 10
FIELD_TEXT = 2000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ID = 255
BLOCK_ID = 255
OPTIONS = 100
CONFIRM_TITLE = 100
CONFIRM_TEXT = 300
CONFIRM_BUTTON = 30
VIEW_TITLE = 24
PRIVATE_METADATA = 3000
CALLBACK_ID = 255
INPUT_LABEL = 2000

MESSAGE_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral")
VIEW_METHODS = ("views.open", "views.publish", "views.update", "views.push")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_LINK = re.compile(r"<https?://[^<>|\s]+(\|[^<>]*)?>")


def check_call(method: str, params: dict[str, Any]) -> list[str]:
    """Every rule `params` of a Web API call (or a response_url post) breaks."""
    if method in MESSAGE_METHODS or method.startswith("response/"):
        return check_message(params)
    if method in VIEW_METHODS:
        view = params.get("view")
        return check_view(view) if isinstance(view, dict) else ["no view"]
    if method == "files.completeUploadExternal" and isinstance(params.get("initial_comment"), str):
        return unescaped(params["initial_comment"], "initial_comment")
    return []


def check_message(params: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    text = params.get("text")
    blocks = params.get("blocks") or []
    if not text and not blocks:
        problems.append("a message with neither text nor blocks")
    if isinstance(text, str):
        if len(text) > MESSAGE_TEXT:
            problems.append(f"text of {len(text)} characters > {MESSAGE_TEXT}")
        problems.extend(unescaped(text, "text"))
    if len(blocks) > MESSAGE_BLOCKS:
        problems.append(f"{len(blocks)} blocks > {MESSAGE_BLOCKS} per message")
    problems.extend(check_blocks(blocks))
    return problems


def check_view(view: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    try:
        View(**view).validate_json()
    except (SlackObjectFormationError, TypeError) as error:
        problems.append(f"view: {error}")
    blocks = view.get("blocks") or []
    if len(blocks) > VIEW_BLOCKS:
        problems.append(f"{len(blocks)} blocks > {VIEW_BLOCKS} per view")
    for key in ("title", "submit", "close"):
        if view.get(key) and len(view[key]["text"]) > VIEW_TITLE:
            problems.append(f"view {key} longer than {VIEW_TITLE}")
    if len(view.get("private_metadata") or "") > PRIVATE_METADATA:
        problems.append("private_metadata too long")
    if len(view.get("callback_id") or "") > CALLBACK_ID:
        problems.append("callback_id too long")
    problems.extend(check_blocks(blocks))
    return problems


def check_blocks(blocks: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    for block in blocks:
        parsed = Block.parse(block)
        if parsed is None:
            problems.append(f"unknown block {block.get('type')}")
            continue
        try:
            parsed.validate_json()
        except SlackObjectFormationError as error:
            problems.append(f"{block.get('type')}: {error}")
        problems.extend(_limits(block))
    for where, text in mrkdwn_texts(blocks):
        problems.extend(unescaped(text, where))
    return problems


def _limits(block: dict[str, Any]) -> Iterator[str]:
    kind = block.get("type")
    if len(block.get("block_id") or "") > BLOCK_ID:
        yield "block_id too long"
    if kind == "section":
        if block.get("text") and len(block["text"]["text"]) > SECTION_TEXT:
            yield f"section text of {len(block['text']['text'])} > {SECTION_TEXT}"
        fields = block.get("fields") or []
        if len(fields) > SECTION_FIELDS:
            yield f"{len(fields)} fields > {SECTION_FIELDS}"
        yield from (f"field text > {FIELD_TEXT}" for f in fields if len(f["text"]) > FIELD_TEXT)
        if block.get("accessory"):
            yield from _element(block["accessory"])
    elif kind == "header" and len(block["text"]["text"]) > HEADER_TEXT:
        yield f"header text > {HEADER_TEXT}"
    elif kind == "context" and len(block.get("elements") or []) > CONTEXT_ELEMENTS:
        yield f"context elements > {CONTEXT_ELEMENTS}"
    elif kind == "actions":
        elements = block.get("elements") or []
        if len(elements) > ACTIONS_ELEMENTS:
            yield f"{len(elements)} elements > {ACTIONS_ELEMENTS} per actions block"
        for element in elements:
            yield from _element(element)
    elif kind == "input":
        if len(block["label"]["text"]) > INPUT_LABEL:
            yield "input label too long"
        yield from _element(block["element"])


def _element(element: dict[str, Any]) -> Iterator[str]:
    if len(element.get("action_id") or "") > ACTION_ID:
        yield "action_id too long"
    if element.get("type") == "button":
        if len(element["text"]["text"]) > BUTTON_TEXT:
            yield f"button text > {BUTTON_TEXT}"
        if len(element.get("value") or "") > BUTTON_VALUE:
            yield f"button value > {BUTTON_VALUE}"
    if len(element.get("options") or []) > OPTIONS:
        yield f"options > {OPTIONS}"
    confirm = element.get("confirm")
    if confirm:
        if len(confirm["title"]["text"]) > CONFIRM_TITLE:
            yield "confirm title too long"
        if len(confirm["text"]["text"]) > CONFIRM_TEXT:
            yield "confirm text too long"
        for key in ("confirm", "deny"):
            if len(confirm[key]["text"]) > CONFIRM_BUTTON:
                yield f"confirm {key} too long"


def mrkdwn_texts(node: Any, where: str = "blocks") -> Iterator[tuple[str, str]]:
    """Every mrkdwn text object under `node` (sections, fields, contexts, confirm dialogs)."""
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            yield where, node["text"]
        for key, value in node.items():
            yield from mrkdwn_texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from mrkdwn_texts(value, f"{where}[{i}]")


def unescaped(text: str, where: str) -> list[str]:
    """Markup Slack would act on that the app did not mean: mentions, broadcasts, bare `<>&`."""
    rest = _LINK.sub("", text)
    problems = []
    if "<" in rest or ">" in rest:
        problems.append(f"{where}: unescaped < or > in {text[:80]!r}")
    if rest.count("&") != len(_ENTITY.findall(rest)):
        problems.append(f"{where}: unescaped & in {text[:80]!r}")
    return problems
