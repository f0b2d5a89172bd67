"""Routing by the authority matrix: band boundaries, grade floors, exceptions, chains (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from tools.approvals.authority import AuthorityPolicy, ExceptionCode
from tools.approvals.chain import PolicyException, route
from tools.policy.loader import load_policy

AUTH = load_policy().authority


def levels(kind: str = "increase", exposure: str = "0", grade: int = 3, *codes: ExceptionCode) -> list[int]:
    exc = [PolicyException(code=c, message=c.value) for c in codes]
    r = route(
        AUTH, kind=kind, group_exposure_after=Decimal(exposure), grade=grade, exceptions=exc, currency="USD"
    )
    assert r.required_level == r.steps[-1].level
    return [s.level for s in r.steps]


@pytest.mark.parametrize(
    ("exposure", "chain"),
    [
        ("1000000", [1]),  # exactly at the team lead's bound
        ("1000000.01", [2]),  # one cent above
        ("5000000", [2]),
        ("5000000.01", [2, 3]),  # CCO is preceded by the BU head
        ("20000000", [2, 3]),
        ("20000000.01", [2, 3, 4]),  # committee preceded by CCO (and transitively the BU head)
    ],
)
def test_amount_bands_are_inclusive_at_the_bound(exposure: str, chain: list[int]) -> None:
    assert levels("increase", exposure) == chain


def test_weak_grades_escalate_whatever_the_amount() -> None:
    assert levels("increase", "10000", 6) == [1]
    assert levels("increase", "10000", 7) == [2]
    assert levels("increase", "10000", 9) == [2, 3]


def test_exceptions_escalate_by_notches_or_to_a_level() -> None:
    assert levels("increase", "10000", 3, ExceptionCode.ABOVE_RECOMMENDATION) == [2]
    assert levels("increase", "2000000", 3, ExceptionCode.INSURANCE_MISSING) == [2, 3]
    assert levels("increase", "10000", 3, ExceptionCode.CONCENTRATION_BREACH) == [2, 3]
    assert levels("unfreeze", "10000", 3, ExceptionCode.FROZEN_FACILITY) == [2, 3]
    # several exceptions: the highest wins; notches count from the amount/grade level, not cumulatively
    two = (ExceptionCode.ABOVE_RECOMMENDATION, ExceptionCode.INSURANCE_MISSING)
    assert levels("increase", "2000000", 3, *two) == [2, 3]
    # the top level cannot be exceeded
    assert levels("increase", "30000000", 3, ExceptionCode.ABOVE_RECOMMENDATION) == [2, 3, 4]


def test_risk_reducing_requests_need_the_lowest_level() -> None:
    assert levels("decrease", "50000000", 9) == [1]
    assert levels("freeze", "50000000", 10) == [1]


def test_committee_step_has_a_quorum_and_team_lead_is_same_team() -> None:
    r = route(
        AUTH,
        kind="increase",
        group_exposure_after=Decimal("25000000"),
        grade=3,
        exceptions=[],
        currency="USD",
    )
    assert [(s.step_no, s.quorum) for s in r.steps] == [(1, 1), (2, 1), (3, 3)]
    assert route(AUTH, kind="renewal", group_exposure_after=Decimal(1), grade=1, exceptions=[],
                 currency="USD").steps[0].same_team  # fmt: skip


@pytest.mark.parametrize(
    "levels_yaml",
    [
        [{"level": 1, "name": "a", "max_group_exposure": 10}],  # top level bounded
        [{"level": 2, "name": "a", "max_group_exposure": 10}, {"level": 1, "name": "b"}],  # order
        [
            {"level": 1, "name": "a", "max_group_exposure": 10},
            {"level": 2, "name": "b", "max_group_exposure": 5},
            {"level": 3, "name": "c"},
        ],  # bounds must rise  # fmt: skip
        [{"level": 1, "name": "a", "max_group_exposure": 10}, {"level": 2, "name": "b", "preceded_by": [3]}],
    ],
)
def test_inconsistent_matrices_are_refused(levels_yaml: list[dict]) -> None:
    with pytest.raises(ValidationError):
        AuthorityPolicy.model_validate({"levels": levels_yaml})
