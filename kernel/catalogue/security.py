"""Security wording: CLI identity (tokens, break-glass, admin commands), knowledge-base refusals,
request limits."""

from __future__ import annotations

EN: dict[str, str] = {
    "security.page_first_visit": (
        "you are not signed in to Credit Desk in this browser: open this page from the CRM, or print a sign-in "
        "link with `creditdesk token link --officer <officer>` (e.g. rm.anna) and open it"
    ),
    "security.page_session_expired": "your session has expired; open this page again from the CRM",
    "security.cli_token_needed": (
        "in production a command acting as an officer needs that officer's API token in CREDITDESK_TOKEN "
        "(creditdesk token create)"
    ),
    "security.cli_not_your_token": (
        "the token in CREDITDESK_TOKEN is {holder}'s; acting as {officer} needs an admin's token and a "
        "break-glass reason in CREDITDESK_BREAK_GLASS"
    ),
    "security.cli_admin_only": "{action} needs an admin identity (you are {officer}, {role})",
    "security.cli_admin_needed": (
        "{action} needs an admin identity: in production an admin's token in CREDITDESK_TOKEN"
    ),
    "security.kb_shipped": (
        "{file}: '{document}' is a document shipped with Credit Desk; replacing it needs "
        "`creditdesk kb ingest --replace` by an admin"
    ),
    "security.kb_id_taken": (
        "{file}: document id '{document}' is already held by {source}; give this file another id or "
        "remove that document first"
    ),
    "security.kb_outside": "{file}: a link to a file outside {folder}; not followed",
    "security.kb_sanitised": "removed {count} invisible character(s): {chars}",
    "security.body_too_large": "the request body is larger than {limit} bytes",
    "security.expires_days": "--expires-days must be 0 (never) or between 1 and {max} days, not {value}",
    "security.group_banded": (
        "the client's group includes clients outside your portfolio: its figures are shown as a band "
        "(group limits after: at most {ceiling})"
    ),
}

ZH: dict[str, str] = {
    "security.page_first_visit": (
        "您尚未在此浏览器中登录 Credit Desk：请从 CRM 打开此页面，或用 `creditdesk token link --officer <员工编号>`"
        "（如 rm.anna）生成登录链接后打开"
    ),
    "security.page_session_expired": "您的会话已过期；请从 CRM 重新打开此页面",
    "security.cli_token_needed": (
        "生产环境中，以客户经理身份执行的命令需要在 CREDITDESK_TOKEN 中提供该人员的 API 令牌（creditdesk token create）"
    ),
    "security.cli_not_your_token": (
        "CREDITDESK_TOKEN 中的令牌属于 {holder}；以 {officer} 身份操作需要管理员令牌，并在 "
        "CREDITDESK_BREAK_GLASS 中填写紧急授权理由"
    ),
    "security.cli_admin_only": "{action}需要管理员身份（您是 {officer}，角色 {role}）",
    "security.cli_admin_needed": "{action}需要管理员身份：生产环境中请在 CREDITDESK_TOKEN 中提供管理员令牌",
    "security.kb_shipped": (
        "{file}：'{document}' 是 Credit Desk 随附的文件；替换它需要管理员执行 `creditdesk kb ingest --replace`"
    ),
    "security.kb_id_taken": "{file}：文件编号 '{document}' 已被 {source} 占用；请为此文件另取编号，或先删除该文件",
    "security.kb_outside": "{file}：指向 {folder} 以外文件的链接，未读取",
    "security.kb_sanitised": "已删除 {count} 个不可见字符：{chars}",
    "security.body_too_large": "请求内容超过 {limit} 字节",
    "security.expires_days": "--expires-days 必须为 0（永不过期）或 1 至 {max} 天，而不是 {value}",
    "security.group_banded": "该客户所属集团包含您权限以外的客户：集团数据以区间显示（调整后集团额度：不超过 {ceiling}）",
}
