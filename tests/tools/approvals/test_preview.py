"""A prepared request's preview, worded once (tools/approvals/preview) for the CLI's `raise --preview` and
the REST preview's `said` (#18). Expected lines written by hand from the catalogue entries (`cli.preview.*`,
`approvals.route.band`, `approvals.exception.above_recommendation`, the `vocab` names)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tools.approvals.authority import ExceptionCode
from tools.approvals.chain import PolicyException, Route, StepPlan
from tools.approvals.models import PreparedRequest
from tools.approvals.preview import preview_lines, preview_words
from tools.engine.results import Msg

BAND = Msg(key="approvals.route.band", params={"ccy": "USD", "amount": "550,000.00",
           "name": {"key": "approval_level.team_lead"},
           "bound": {"key": "approvals.route.up_to", "params": {"max": "1,000,000"}}})  # fmt: skip


def _prepared(**changes: object) -> PreparedRequest:
    above = PolicyException.coded(ExceptionCode.ABOVE_RECOMMENDATION, "approvals.exception.above_recommendation",
                                  ccy="USD", amount="490,000.00", constraint="no_increase")  # fmt: skip
    step = StepPlan(step_no=1, level=1, name="Team lead", quorum=1, same_team=True, sla_hours=24)
    fields: dict[str, object] = dict(
        client_id=1001, client_name="ACME Holdings", facility_id="F-1001-1", kind="increase", currency="USD",
        current_limit=Decimal("240000"), new_limit=Decimal("300000"), reporting_currency="USD", grade=8,
        recommended_limit=Decimal("490000"), binding="no_increase", group_exposure_after=Decimal("550000"),
        concentration=[], exceptions=[above], route=Route.of(1, [step], [BAND]), reason="seasonal",
    )  # fmt: skip
    return PreparedRequest.model_validate(fields | changes)


EXPECTED = {
    "en": [
        "Preview (nothing written): increase for ACME Holdings (1001), facility F-1001-1",
        "  limit USD 240,000.00 → 300,000.00",
        "  grade 8; group exposure after USD 550,000.00",
        "  recommendation: USD 490,000.00 (No increase at this grade)",
        "  exception: the new total exceeds the recommendation USD 490,000.00 (binding: No increase at this grade)",
        "  step 1: Team lead (level 1, quorum 1)",
        "  routing: group exposure after the change USD 550,000.00: Team lead (up to 1,000,000)",
    ],
    "zh-CN": [
        "预览（未保存）：ACME Holdings（1001）额度 F-1001-1 的提额申请",
        "  额度 USD 240,000.00 → 300,000.00",
        "  评级 8 级；调整后集团敞口 USD 550,000.00",
        "  建议：USD 490,000.00（该评级不得提额）",
        "  例外：调整后总额超过建议额度 USD 490,000.00（约束条件：该评级不得提额）",
        "  第 1 步：团队负责人（级别 1，需 1 人）",
        "  审批路径：调整后集团敞口 USD 550,000.00：团队负责人（上限 1,000,000）",
    ],
}


@pytest.mark.parametrize("lang", EXPECTED)
def test_the_preview_lines_in_the_readers_language(lang: str) -> None:
    assert preview_lines(_prepared(), lang) == EXPECTED[lang]


def test_a_freeze_without_recommendation_says_none_and_no_recommendation_line() -> None:
    lines = preview_lines(_prepared(kind="freeze", new_limit=None, recommended_limit=None, binding=None,
                                    exceptions=[]), "en")  # fmt: skip
    assert lines[0] == "Preview (nothing written): freeze for ACME Holdings (1001), facility F-1001-1"
    assert lines[1] == "  limit USD 240,000.00 → none"
    assert not any("recommendation" in line for line in lines)


def test_the_words_the_rest_preview_carries_are_the_lines_words() -> None:
    words = preview_words(_prepared(), "zh")
    assert words.model_dump() == {
        "lang": "zh",
        "kind": "提额",
        "binding": "该评级不得提额",
        "concentration": [],
        "exceptions": ["调整后总额超过建议额度 USD 490,000.00（约束条件：该评级不得提额）"],
        "chain": ["团队负责人"],
        "routing": ["调整后集团敞口 USD 550,000.00：团队负责人（上限 1,000,000）"],
    }


def test_a_request_stored_before_its_reasons_were_coded_shows_the_stored_english() -> None:
    old = _prepared(route=Route(required_level=1, steps=_prepared().route.steps, reasons=["band 1"]))
    assert preview_words(old, "zh").routing == ["band 1"]
    assert preview_lines(old, "zh")[-1] == "  审批路径：band 1"
