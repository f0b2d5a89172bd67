"""Approvals: the maker-checker, routing and authority refusals, the validation of a request, the routing
reasons, policy exceptions and staleness reasons an approver reads. The English text is what API clients
have always received (`detail`); parameters named `request_status`, `request_kind` and `facility_status`
are codes shown by their `vocab` names."""

from __future__ import annotations

EN: dict[str, str] = {
    # deciding (maker-checker, authority, state)
    "approvals.already_decided": "request {request_id} is already {request_status}; it cannot be decided again",
    "approvals.maker_checker": "you raised request {request_id}; maker-checker forbids deciding it yourself",
    "approvals.counts_once": "you have already decided on request {request_id}; a person counts once per chain",
    "approvals.no_open_step": "request {request_id} has no open step",
    "approvals.needs_level": "step {step} of request {request_id} needs {name} authority (level {level}); "
    "your approval level is {your_level}",
    "approvals.team_step": "step {step} of request {request_id} is for the {team} team's {name}",
    "approvals.step_closed": "step {step} of request {request_id} is closed; step {current} is open now and "
    "was not decided",
    "approvals.stale": "request {request_id} is stale — {reasons}. Approve with a comment acknowledging the "
    "changes, or return it.",
    "approvals.bad_decision": "decision must be one of {choices}",
    "approvals.list_all_role": "listing every request needs an approver, risk, audit or admin role",
    "approvals.key_reused": "idempotency key '{key}' was already used for a different request ({request_id})",
    "approvals.key_required": "an idempotency key of 1–{max} characters is required",
    "approvals.not_a_request_id": "'{value}' is not a request id (e.g. {prefix}12)",
    "approvals.request_not_found": "request {request_id} not found",
    # what a requester asks for
    "approvals.bad_kind": "kind must be one of {choices} (got '{value}')",
    "approvals.client_not_number": "client id '{value}' is not a number",
    "approvals.limit_negative": "the new limit cannot be negative",
    "approvals.limit_above_max": "the new limit is above the maximum of {max:,.0f}",
    "approvals.limit_decimals": "the new limit has more than 2 decimal places",
    "approvals.limit_needed": "a {request_kind} needs the new limit",
    "approvals.limit_kept": "a {request_kind} keeps the limit; leave the new limit out",
    "approvals.reason_needed": "give a reason for the request",
    "approvals.reason_too_long": "the reason is longer than {max} characters",
    "approvals.facility_not_found": "facility '{facility_id}' not found for client {client_id}",
    "approvals.name_facility": "name the facility (the client's open facilities: {ids})",
    "approvals.no_facilities": "none",
    "approvals.facility_closed": "facility {facility_id} is closed",
    "approvals.increase_not_above": "an increase must exceed the current limit {current:,.2f}",
    "approvals.decrease_not_below": "a decrease must be below the current limit {current:,.2f}",
    "approvals.already_frozen": "facility {facility_id} is already frozen",
    "approvals.not_frozen": "facility {facility_id} is not frozen",
    "approvals.status_moved": "facility {facility_id} is no longer {facility_status}; return the request",
    "approvals.status_is": "facility {facility_id} is {facility_status}, not {expected_status}",
}

ZH: dict[str, str] = {
    "approvals.already_decided": "申请 {request_id} 的状态为“{request_status}”，不能再次审批",
    "approvals.maker_checker": "申请 {request_id} 由您提交；按经办与审批分离（双人复核）原则，您不能自行审批",
    "approvals.counts_once": "您已审批过申请 {request_id}；同一人在一条审批链中只计一次",
    "approvals.no_open_step": "申请 {request_id} 没有待审批的步骤",
    "approvals.needs_level": "申请 {request_id} 第 {step} 步需要{name}权限（第 {level} 级）；您的审批级别为 {your_level}",
    "approvals.team_step": "申请 {request_id} 第 {step} 步须由 {team} 团队的{name}审批",
    "approvals.step_closed": "申请 {request_id} 第 {step} 步已结束；当前待审批的是第 {current} 步，本次未作审批",
    "approvals.stale": "申请 {request_id} 的依据已变化：{reasons}。请在批准时填写意见确认这些变化，或退回该申请。",
    "approvals.bad_decision": "审批决定须为以下之一：{choices}",
    "approvals.list_all_role": "查看全部申请需要审批人、风险、审计或管理员角色",
    "approvals.key_reused": "幂等键“{key}”已用于另一笔不同的申请（{request_id}）",
    "approvals.key_required": "需要长度为 1–{max} 个字符的幂等键",
    "approvals.not_a_request_id": "“{value}”不是申请编号（例如 {prefix}12）",
    "approvals.request_not_found": "未找到申请 {request_id}",
    "approvals.bad_kind": "申请类型须为以下之一：{choices}（收到“{value}”）",
    "approvals.client_not_number": "客户编号“{value}”不是数字",
    "approvals.limit_negative": "新额度不能为负数",
    "approvals.limit_above_max": "新额度超过上限 {max:,.0f}",
    "approvals.limit_decimals": "新额度的小数位超过 2 位",
    "approvals.limit_needed": "{request_kind}申请需要填写新额度",
    "approvals.limit_kept": "{request_kind}申请不改变额度；请不要填写新额度",
    "approvals.reason_needed": "请填写申请理由",
    "approvals.reason_too_long": "申请理由超过 {max} 个字符",
    "approvals.facility_not_found": "客户 {client_id} 名下未找到额度 {facility_id}",
    "approvals.name_facility": "请指明额度（该客户的有效额度：{ids}）",
    "approvals.no_facilities": "无",
    "approvals.facility_closed": "额度 {facility_id} 已关闭",
    "approvals.increase_not_above": "提额后的额度须高于当前额度 {current:,.2f}",
    "approvals.decrease_not_below": "压降后的额度须低于当前额度 {current:,.2f}",
    "approvals.already_frozen": "额度 {facility_id} 已处于冻结状态",
    "approvals.not_frozen": "额度 {facility_id} 未被冻结",
    "approvals.status_moved": "额度 {facility_id} 的状态已不再是“{facility_status}”；请退回该申请",
    "approvals.status_is": "额度 {facility_id} 当前状态为“{facility_status}”，而非“{expected_status}”",
}
