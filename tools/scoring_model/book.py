"""Training data from the book: the engine's feature frame joined with each client's observed default."""

from __future__ import annotations

import numpy as np

from crm_adapter.snapshot import BookSnapshot
from tools.access import require_role
from tools.actor import BOOK_WIDE_ROLES, Actor
from tools.engine.features import client_features
from tools.engine.scorecard import EXPERT_MODEL_ID, score_expert
from tools.policy.schema import Policy
from tools.scoring_model.data import DataSource, TrainingData, frame_sha256, from_frame

TARGET = "defaulted"


def book_training_data(
    actor: Actor, snapshot: BookSnapshot, policy: Policy
) -> tuple[TrainingData, dict[str, np.ndarray]]:
    """Clients with a known outcome, and the expert scorecard's score of the same clients (the benchmark).

    Needs a book-wide role. Features the book cannot inform (all missing, constant) are dropped and
    listed in the report.
    """
    require_role(actor, BOOK_WIDE_ROLES, "training on the whole book")
    features = client_features(snapshot, policy)
    outcome = snapshot.clients.set_index("client_id")[TARGET].reindex(features.index)
    known = outcome.notna().to_numpy()
    features = features.loc[known]
    frame = features.assign(**{TARGET: outcome[known].astype(bool).to_numpy()})
    source = DataSource(
        kind="book", name=f"book as of {snapshot.as_of}", sha256=frame_sha256(frame), rows=len(frame)
    )
    data = from_frame(frame, target=TARGET, bad_value="true", source=source, on_unusable="drop")
    expert = score_expert(features, policy)["score"].to_numpy(dtype="float64")
    return data, {EXPERT_MODEL_ID: expert}
