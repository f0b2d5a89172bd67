"""The LLM brain's user-facing lines: why an answer came from the offline assistant instead."""

from __future__ import annotations

EN: dict[str, str] = {
    "llm.degraded.unreachable": "Answered offline: the language model could not be reached.",
    "llm.degraded.timeout": "Answered offline: the language model took too long.",
    "llm.degraded.context_too_small": "Answered offline: the question did not fit the model's context.",
    "llm.degraded.malformed_tool_calls": "Answered offline: the model did not call its tools correctly.",
    "llm.degraded.unverified_answer": "Answered offline: the model's answer could not be checked against the data.",
}

ZH: dict[str, str] = {
    "llm.degraded.unreachable": "离线回答：无法连接语言模型。",
    "llm.degraded.timeout": "离线回答：语言模型响应超时。",
    "llm.degraded.context_too_small": "离线回答：问题超出了模型的上下文长度。",
    "llm.degraded.malformed_tool_calls": "离线回答：模型未能正确调用工具。",
    "llm.degraded.unverified_answer": "离线回答：模型的回答无法与数据核对。",
}
