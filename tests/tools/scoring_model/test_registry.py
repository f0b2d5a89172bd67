"""The registry: versioned artefacts, one model in service, a history, audit calls, authority."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from crm_adapter.enums import Role
from kernel.errors import Conflict, Forbidden, NotFound
from tools.actor import Actor
from tools.scoring_model.data import load_csv
from tools.scoring_model.registry import ModelRegistry, ModelStatus
from tools.scoring_model.training import TrainParams, train

PARAMS = TrainParams(cv_folds=2)
RISK = Actor(officer_id="risk.lee", name="Jin Lee", role=Role.RISK, team="Credit Risk")
RM = Actor(officer_id="rm.anna", name="Anna", role=Role.RM, team="North")
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def trained(history_csv: Path):  # type: ignore[no-untyped-def]
    data = load_csv(history_csv, target="status", exclude=("obligor", "opened"))
    return data, train(data, PARAMS)


@pytest.fixture
def audit_calls() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def registry(tmp_path: Path, trained, audit_calls: list[dict[str, Any]]) -> ModelRegistry:  # type: ignore[no-untyped-def]
    reg = ModelRegistry(tmp_path / "models", audit=lambda **kw: audit_calls.append(kw), now=lambda: NOW)
    data, model = trained
    for _ in range(2):
        reg.register(model, data=data, params=PARAMS, name="SME history", actor=RISK)
    return reg


def test_register_writes_versioned_json_artefacts(registry: ModelRegistry) -> None:
    assert [e.model_id for e in registry.entries()] == ["sme-history-v1", "sme-history-v2"]
    files = sorted(p.name for p in (registry.root / "sme-history-v1").iterdir())
    assert files == ["card.json", "model.json", "report.json"]
    card = registry.card("sme-history-v2")
    assert card.version == 2 and card.created_by == "risk.lee" and card.data.kind == "csv"
    assert card.features and card.limitations and "expert scorecard" in card.intended_use
    assert registry.report("sme-history-v1").holdout.auc == card.holdout.auc
    assert registry.promoted() is None


def test_promote_demote_retire_with_history_and_audit(
    registry: ModelRegistry, audit_calls: list[dict[str, Any]]
) -> None:
    registry.promote(RISK, "sme-history-v1", reason="validated")
    assert registry.promoted().model_id == "sme-history-v1"
    registry.promote(RISK, "sme-history-v2")
    statuses = {e.model_id: e.status for e in registry.entries()}
    assert statuses == {"sme-history-v1": ModelStatus.REGISTERED, "sme-history-v2": ModelStatus.PROMOTED}
    registry.retire(RISK, "sme-history-v2", reason="drift")
    assert registry.promoted() is None
    with pytest.raises(Conflict, match="retired"):
        registry.promote(RISK, "sme-history-v2")
    actions = [e.action for e in registry.history()]
    assert actions == ["registered", "registered", "promoted", "demoted", "promoted", "retired"]
    lines = (registry.root / "history.jsonl").read_text().splitlines()
    assert json.loads(lines[2])["actor_id"] == "risk.lee"
    assert [
        (c["action"], c["object_id"], c["before"], c["after"]["model_in_service"]) for c in audit_calls
    ] == [
        ("model.promote", "sme-history-v1", {"model_in_service": None}, "sme-history-v1"),
        ("model.promote", "sme-history-v2", {"model_in_service": "sme-history-v1"}, "sme-history-v2"),
        ("model.retire", "sme-history-v2", {"model_in_service": "sme-history-v2"}, None),
    ]


def test_promotion_needs_authority_and_known_features(registry: ModelRegistry) -> None:
    with pytest.raises(Forbidden):
        registry.promote(RM, "sme-history-v1")
    with pytest.raises(Conflict, match="does not compute"):
        registry.promote(RISK, "sme-history-v1", required_features=["leverage"])
    with pytest.raises(NotFound):
        registry.promote(RISK, "sme-history-v9")
    assert registry.promoted() is None


def test_a_failed_audit_changes_nothing(registry: ModelRegistry) -> None:
    def broken(**_: Any) -> None:
        raise RuntimeError("audit store down")

    strict = ModelRegistry(registry.root, audit=broken)
    with pytest.raises(RuntimeError):
        strict.promote(RISK, "sme-history-v1")
    assert strict.promoted() is None and [e.action for e in strict.history()] == ["registered", "registered"]
