"""The REST API's own wording: what it says about a request it cannot read."""

from __future__ import annotations

EN: dict[str, str] = {
    "api.body_not_json": "the body is not valid JSON (at character {at})",
}

ZH: dict[str, str] = {
    "api.body_not_json": "请求体不是有效的 JSON（第 {at} 个字符处）",
}
