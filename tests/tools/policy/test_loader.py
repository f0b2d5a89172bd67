from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kernel.errors import InvalidInput
from tools.policy.loader import DEFAULT_POLICY_PATH, load_policy


def test_default_policy_loads() -> None:
    policy = load_policy()
    assert policy.version
    assert [g.grade for g in policy.rating.grades] == list(range(1, 11))
    assert [lv.level for lv in policy.authority.levels] == [1, 2, 3, 4]
    assert policy.authority.levels[-1].quorum == 3
    assert policy.scorecard.max_score == 100


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_bad_field_is_named(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["rating"]["grades"][2]["pd"] = 1.5
    with pytest.raises(InvalidInput) as err:
        load_policy(_write(tmp_path, data))
    assert err.value.field == "rating.grades[2].pd"


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["limits"]["roundng"] = 1000
    with pytest.raises(InvalidInput) as err:
        load_policy(_write(tmp_path, data))
    assert err.value.field == "limits.roundng"


def test_unknown_scorecard_factor(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    data["scorecard"]["factors"][0]["name"] = "vibes"
    with pytest.raises(InvalidInput, match="unknown factor 'vibes'"):
        load_policy(_write(tmp_path, data))


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot be read"):
        load_policy(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("rating: [unclosed", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid YAML"):
        load_policy(bad)


def test_model_monitoring_thresholds_are_validated(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    assert load_policy().model_monitoring.psi_drift == 0.25
    data["model_monitoring"] = {"psi_watch": 0.3, "psi_drift": 0.2}
    with pytest.raises(InvalidInput, match="psi_drift must be above psi_watch"):
        load_policy(_write(tmp_path, data))
