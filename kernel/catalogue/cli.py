"""The command line's own wording (help shared by several commands, its errors and hints).

Click's usage messages ("No such command", "Missing option") stay click's; these are ours.
"""

from __future__ import annotations

EN: dict[str, str] = {
    "cli.as.help": "The officer you act as (an officer id such as rm.anna; authority comes from the officers table)",
    "cli.as.empty": "give an officer id, such as rm.anna",
    "cli.date.invalid": "'{value}' is not a date (YYYY-MM-DD)",
    "cli.client.help": "Client id or name (searched within your portfolio)",
    "cli.client.no_match": "no client in your portfolio matches '{query}'",
    "cli.client.ambiguous": "'{query}' matches several clients; give the id",
    "cli.kind.needs_limit": "give --new-limit AMOUNT, or --kind freeze, unfreeze or renewal",
    "cli.amount.help": "New limit in the facility's currency: 3M, 750k, 2.5 million or 3,000,000",
    "cli.version": "creditdesk {version}",
    "cli.unexpected": "unexpected error (error id {error_id}); the details are in {log}",
    "cli.no_database": (
        "no Credit Desk database in {home}: run `creditdesk init` there (add --demo-if-empty for a demo "
        "book), or point CREDITDESK_HOME at an existing data folder"
    ),
    "cli.bad_settings": "the configuration (CREDITDESK_* variables or .env) is invalid: {problems}",
    "settings.home_not_folder": "CREDITDESK_HOME {path} is a file, not a folder: point it at a data folder "
    "(or at a path where one may be created)",
    "settings.home_not_created": "cannot create the data folder CREDITDESK_HOME {path}: {reason}",
    "cli.out.no_folder": "cannot write {path}: the folder {folder} does not exist",
    "cli.out.is_folder": "cannot write {path}: it is a folder",
    "cli.out.not_writable": "cannot write {path}: permission denied",
    "cli.out.unusable": "cannot write {path}: {reason}",
    "cli.preview.title": "Preview (nothing written): {kind} for {client} ({client_id}), facility {facility}",
    "cli.preview.limit": "limit {currency} {current} → {new}",
    "cli.preview.recommendation": "recommendation: {text}",
    "cli.preview.recommendation_bound": "recommendation: {text} ({constraint})",
    "cli.preview.exception": "exception: {text}",
    "cli.preview.step": "step {step_no}: {name} (level {level}, quorum {quorum})",
    "cli.preview.routing": "routing: {text}",
    "cli.preview.none": "none",
    "cli.preview.figures": "grade {grade}; group exposure after {currency} {amount}",
    "cli.preview.concentration": "concentration: {text}",
    "cli.request.title": "{request_id} {kind} for {client} ({client_id}), facility {facility}",
    "cli.request.limit": "limit {currency} {current} → {new}; grade {grade}; group exposure after "
    "{reporting_currency} {group}",
    "cli.request.raised": "raised by {name} ({officer}) at {at} UTC: {reason}",
    "cli.request.step": "step {step_no}: {name} (level {level}, quorum {quorum}) — {status}, {approvals}/{quorum} "
    "approvals{due}",
    "cli.request.due": ", due {at}",
    "cli.request.decision": "{at} {officer} {decision}: {comment}",
    "cli.request.stale": "stale: {text}",
    "cli.request.status": "status {status}; snapshot {snapshot}…; policy {policy}",
    "cli.request.at_step": "step {step_no}/{steps} {name}",
    "cli.requests.none": "no requests",
    "cli.remind.none": "no overdue steps",
    "cli.remind.overdue": "{line} — overdue since {at}",
    "cli.request.memo": "review memo {memo_id} attached (creditdesk memo, or GET /api/v1/memos/{memo_id})",
    "cli.memo.submitted": "Memo {memo_id} (v{version}) submitted; attach it with `creditdesk approvals raise … "
    "--memo {memo_id}`",
    "cli.chat.raise_confirm": "Raise this request?",
    "cli.chat.not_raised": "Not raised.",
    "cli.chat.raised": "Raised request {request_id}: {status}.",
    "cli.chat.submit_confirm": "Submit this memo?",
    "cli.chat.not_submitted": "Not submitted.",
    "cli.chat.not_done": "Not done: {reason}",
    "cli.ask.confirm_elsewhere": "Nothing was done: confirm it in `creditdesk chat` or by running `creditdesk ask` in "
    "a terminal.",
}

ZH: dict[str, str] = {
    "cli.as.help": "以哪位员工的身份操作（员工编号，如 rm.anna；权限以员工表为准）",
    "cli.as.empty": "请给出员工编号，如 rm.anna",
    "cli.date.invalid": "“{value}”不是日期（格式 YYYY-MM-DD）",
    "cli.client.help": "客户编号或名称（在您的客户范围内查找）",
    "cli.client.no_match": "您的客户范围内没有与“{query}”匹配的客户",
    "cli.client.ambiguous": "“{query}”匹配多个客户，请给出客户编号",
    "cli.kind.needs_limit": "请给出 --new-limit 金额，或 --kind freeze、unfreeze 或 renewal",
    "cli.amount.help": "以额度币种表示的新额度：3M、750k、2.5 million 或 3,000,000",
    "cli.version": "creditdesk {version}",
    "cli.unexpected": "意外错误（错误编号 {error_id}）；详情见 {log}",
    "cli.no_database": (
        "{home} 中没有 Credit Desk 数据库：请在该处运行 `creditdesk init`（加 --demo-if-empty 载入演示数据），"
        "或将 CREDITDESK_HOME 指向已有的数据目录"
    ),
    "cli.bad_settings": "配置（CREDITDESK_* 环境变量或 .env）无效：{problems}",
    "settings.home_not_folder": "CREDITDESK_HOME {path} 是一个文件，不是文件夹：请指向数据文件夹（或可以新建文件夹的路径）",
    "settings.home_not_created": "无法创建数据文件夹 CREDITDESK_HOME {path}：{reason}",
    "cli.out.no_folder": "无法写入 {path}：目录 {folder} 不存在",
    "cli.out.is_folder": "无法写入 {path}：这是一个目录",
    "cli.out.not_writable": "无法写入 {path}：没有权限",
    "cli.out.unusable": "无法写入 {path}：{reason}",
    "cli.preview.title": "预览（未保存）：{client}（{client_id}）额度 {facility} 的{kind}申请",
    "cli.preview.limit": "额度 {currency} {current} → {new}",
    "cli.preview.recommendation": "建议：{text}",
    "cli.preview.recommendation_bound": "建议：{text}（{constraint}）",
    "cli.preview.exception": "例外：{text}",
    "cli.preview.step": "第 {step_no} 步：{name}（级别 {level}，需 {quorum} 人）",
    "cli.preview.routing": "审批路径：{text}",
    "cli.preview.none": "无",
    "cli.preview.figures": "评级 {grade} 级；调整后集团敞口 {currency} {amount}",
    "cli.preview.concentration": "集中度：{text}",
    "cli.request.title": "{request_id} {client}（{client_id}）额度 {facility} 的{kind}申请",
    "cli.request.limit": "额度 {currency} {current} → {new}；评级 {grade} 级；调整后集团敞口 {reporting_currency} {group}",
    "cli.request.raised": "由 {name}（{officer}）于 {at}（UTC）提交：{reason}",
    "cli.request.step": "第 {step_no} 步：{name}（级别 {level}，需 {quorum} 人）— {status}，已批准 {approvals}/{quorum}{due}",
    "cli.request.due": "，{at} 到期",
    "cli.request.decision": "{at} {officer} {decision}：{comment}",
    "cli.request.stale": "数据已变化：{text}",
    "cli.request.status": "状态：{status}；快照 {snapshot}…；政策版本 {policy}",
    "cli.request.at_step": "第 {step_no}/{steps} 步 {name}",
    "cli.requests.none": "没有申请",
    "cli.remind.none": "没有超时的审批步骤",
    "cli.remind.overdue": "{line} — 自 {at} 起超时",
    "cli.request.memo": "已附审查报告 {memo_id}（creditdesk memo，或 GET /api/v1/memos/{memo_id}）",
    "cli.memo.submitted": "审查报告 {memo_id}（第 {version} 版）已提交；可用 `creditdesk approvals raise … --memo "
    "{memo_id}` 附到额度申请上",
    "cli.chat.raise_confirm": "提交这笔申请吗？",
    "cli.chat.not_raised": "未提交申请。",
    "cli.chat.raised": "已提交申请 {request_id}：{status}。",
    "cli.chat.submit_confirm": "提交这份审查报告吗？",
    "cli.chat.not_submitted": "未提交报告。",
    "cli.chat.not_done": "未完成：{reason}",
    "cli.ask.confirm_elsewhere": "尚未执行：请在 `creditdesk chat` 中确认，或在终端中运行 `creditdesk ask`。",
}
