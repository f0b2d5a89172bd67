"""`creditdesk model …` end to end: CSV training, bad input writes nothing, the book beats the expert."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from creditdesk.cli import common
from creditdesk.cli.main import app
from creditdesk.wiring import Container
from tests.conftest import AS_OF, make_container
from tools.engine.features import analyse
from tools.engine.rating import rate

BOOK_CLIENTS = 5000
BOOK_SEED = 3


def _use(monkeypatch: pytest.MonkeyPatch, container: Container) -> None:
    monkeypatch.setattr(common, "container", lambda: container)
    monkeypatch.setattr("creditdesk.cli.model.container", lambda: container)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["model", *args])
    return result.exit_code, result.output


def test_train_list_show_monitor_from_csv(
    container: Container, history_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, container)
    code, out = _run("train", "--csv", str(history_csv), "--target", "status", "--time-column", "opened",
                     "--exclude", "obligor", "--name", "sme", "--json")  # fmt: skip
    assert code == 0, out
    trained = json.loads(out)
    assert trained["card"]["model_id"] == "sme-v1"
    assert trained["report"]["split"]["method"] == "out_of_time"
    code, out = _run("list", "--json")
    assert code == 0 and [m["status"] for m in json.loads(out)] == ["registered"]
    code, out = _run("show", "sme-v1")
    assert code == 0 and "intended use" in out and "Calibration" in out
    code, out = _run("monitor", "sme-v1", "--csv", str(history_csv), "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["rows"] == 2000 and report["status"] in {"stable", "watch"}
    assert {f["name"] for f in report["features"]} == set(trained["card"]["features"])
    assert report["thresholds"] == {"watch": 0.1, "drift": 0.25}  # the shipped policy's model_monitoring
    strict = container.policy.model_copy(
        update={"model_monitoring": container.policy.model_monitoring.model_copy(
            update={"psi_watch": 0.0001, "psi_drift": 0.0002})}
    )  # fmt: skip
    monkeypatch.setattr(type(container), "policy", property(lambda self: strict))
    code, out = _run("monitor", "sme-v1", "--csv", str(history_csv), "--json")
    assert code == 0, out
    assert json.loads(out)["thresholds"] == {"watch": 0.0001, "drift": 0.0002}  # the bank's policy decides


@pytest.mark.parametrize(
    ("content", "args"),
    [
        (b"a,b\n1,2\n", ["--target", "outcome"]),
        (b"a,y\n1,x\n2,y\n3,z\n", ["--target", "y"]),
        ("name,y\nM\u00fcller,1\n".encode("latin-1"), ["--target", "y"]),
    ],
)
def test_bad_input_exits_2_and_writes_no_artefact(
    container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, args: list[str]
) -> None:
    _use(monkeypatch, container)
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    code, out = _run("train", "--csv", str(path), *args)
    assert code == 2, out
    assert "error" in out
    models = container.settings.home_dir / "models"
    assert not models.exists() or not [p for p in models.iterdir() if p.is_dir()]


@pytest.mark.slow
def test_book_model_beats_the_expert_scorecard_and_serves_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crm_adapter.demo import generate_demo

    container = make_container(tmp_path / "book")
    generate_demo(container.engine, n_clients=BOOK_CLIENTS, seed=BOOK_SEED, as_of=AS_OF)
    _use(monkeypatch, container)
    code, out = _run("train", "--from-book", "--as", "rm.anna")
    assert code == 4  # an RM cannot train on the whole book
    code, out = _run("train", "--from-book", "--as", "risk.lee", "--json")
    assert code == 0, out
    report = json.loads(out)["report"]
    model_auc, expert_auc = report["holdout"]["auc"], report["benchmark"]["expert"]["auc"]
    assert model_auc > expert_auc, (model_auc, expert_auc)
    code, out = _run("promote", "book-v1", "--as", "risk.lee", "--reason", "beats the expert scorecard")
    assert code == 0, out

    served = make_container(tmp_path / "book")  # a fresh process: the scorer is the promoted model
    assert served.scorer is not None and served.scorer.model_id == "book-v1"
    frames = analyse(served.adapter.snapshot(as_of=AS_OF), served.policy)
    rating = rate(frames.features, frames.exposure, served.policy, served.scorer)
    assert (rating["model_id"] == "book-v1").all()
    assert np.isfinite(rating["score"]).all() and rating["reason_1"].notna().any()
    events = served.audit.verify()
    assert events.ok and events.events >= 1
