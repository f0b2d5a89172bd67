"""Routing reasons, policy exceptions, staleness and refusals are coded messages (#18): the English text API
clients have always read is unchanged, and the same messages are said in Chinese from the catalogue.
Expected sentences written by hand from the demo book's figures (tests/tools/approvals/conftest.py)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import text as sql

from kernel.catalogue import render, render_each
from kernel.errors import Conflict, Forbidden
from tests.conftest import actor_of
from tests.tools.approvals.conftest import CLEAN_MID, CLEAN_SMALL, decide, raise_for
from tools.approvals import store


def test_a_band_reason_in_both_languages(demo_container) -> None:  # type: ignore[no-untyped-def]
    view = raise_for(demo_container, CLEAN_SMALL, "1000000")  # team lead's band: up to 1,000,000
    assert view.routing == ["group exposure after the change USD 1,000,000.00: Team lead (up to 1,000,000)"]
    zh = render_each(view.routing_msgs, view.routing, "zh")
    assert zh == ["调整后集团敞口 USD 1,000,000.00：团队负责人（上限 1,000,000）"]


def test_a_decrease_reason_in_chinese(demo_container) -> None:  # type: ignore[no-untyped-def]
    view = raise_for(demo_container, CLEAN_SMALL, "500000", kind="decrease")
    assert view.routing == ["a decrease reduces exposure: Team lead decides"]
    assert [render(m, "zh") for m in view.routing_msgs] == ["压降降低风险敞口：由团队负责人审批"]


def test_an_exception_above_the_recommendation_in_chinese(demo_container) -> None:  # type: ignore[no-untyped-def]
    prepared = demo_container.approvals.prepare_request(
        actor_of(demo_container, "rm.anna"), client_id=CLEAN_SMALL[0], facility_id=CLEAN_SMALL[1],
        kind="increase", new_limit=Decimal("2500000"),
    )  # fmt: skip  # recommendation 1,960,000 (conftest)
    above = next(e for e in prepared.exceptions if e.code.value == "above_recommendation")
    assert above.message.startswith("the new total exceeds the recommendation USD 1,960,000.00 (binding: ")
    assert render(above.msg, "zh").startswith("调整后总额超过建议额度 USD 1,960,000.00（约束条件：")
    reason = next(m for m in prepared.route.reason_msgs if m.key == "approvals.route.exception")
    assert render(reason, "zh").startswith("政策例外“超出建议额度”：调整后总额超过建议额度 USD 1,960,000.00")
    assert render(reason, "en").startswith("exception 'above the recommendation': the new total exceeds")
    # 2,500,000 is in the BU head's band (≤ 5,000,000); the exception notches it up one: the CCO
    assert render(reason, "zh").endswith("→ 至少需首席信贷官审批")
    assert render(reason, "en").endswith("→ at least Chief credit officer")


def test_routing_is_stored_with_its_codes_and_old_rows_still_load(demo_container) -> None:  # type: ignore[no-untyped-def]
    view = raise_for(demo_container, CLEAN_SMALL, "900000")
    again = demo_container.approvals.get(actor_of(demo_container, "rm.anna"), view.request_id)
    assert again.routing == view.routing and again.routing_msgs == view.routing_msgs != []
    with demo_container.engine.begin() as conn:  # a request stored before the codes: a plain list
        conn.execute(sql("UPDATE approval_requests SET routing_json = :r WHERE id = :id"),
                     {"r": json.dumps(["legacy reason"]), "id": store.parse_request_id(view.request_id)})  # fmt: skip
    old = demo_container.approvals.get(actor_of(demo_container, "rm.anna"), view.request_id)
    assert old.routing == ["legacy reason"] and old.routing_msgs == []
    assert render_each(old.routing_msgs, old.routing, "zh") == ["legacy reason"]


def test_a_stale_change_and_the_refusal_in_chinese(demo_container) -> None:  # type: ignore[no-untyped-def]
    c = demo_container
    view = raise_for(c, CLEAN_MID, "3000000")
    c.adapter.update_limit("F-1095-1", Decimal("1500000"))  # was 1,880,000 (conftest)
    flagged = c.approvals.staleness(actor_of(c, "bu.head"), view.request_id)
    assert "facility F-1095-1 limit changed USD 1,880,000.00 → 1,500,000.00" in flagged.stale_reasons
    zh = render_each(flagged.stale_msgs, flagged.stale_reasons, "zh")
    assert "额度 F-1095-1 的金额由 USD 1,880,000.00 变为 1,500,000.00" in zh
    with pytest.raises(Conflict) as refused:
        decide(c, "bu.head", view.request_id)
    said = refused.value.text_in("zh")
    assert said.startswith(f"申请 {view.request_id} 的依据已变化：") and "额度 F-1095-1 的金额由" in said
    assert said.endswith("。请在批准时填写意见确认这些变化，或退回该申请。")
    assert refused.value.message.startswith(f"request {view.request_id} is stale — ")
    assert refused.value.message.endswith(". Approve with a comment acknowledging the changes, or return it.")


def test_authority_refusal_in_chinese(demo_container) -> None:  # type: ignore[no-untyped-def]
    view = raise_for(demo_container, CLEAN_MID, "5000000.01")  # BU head then CCO
    with pytest.raises(Forbidden) as refused:
        decide(demo_container, "lead.north", view.request_id)
    assert refused.value.text_in("zh") == (
        f"申请 {view.request_id} 第 1 步需要事业部负责人权限（第 2 级）；您的审批级别为 1"
    )
    assert refused.value.message == (
        f"step 1 of request {view.request_id} needs Business-unit head authority (level 2); your approval level is 1"
    )
