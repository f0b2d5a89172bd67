"""The model registry: versioned artefacts in a directory (CREDITDESK_HOME/models), one model in service.

    models/
      history.jsonl            append-only events (registered, promoted, demoted, retired) — the status source
      <name>-v<N>/model.json   the spec (JSON, loads without executing code)
      <name>-v<N>/card.json    the model card
      <name>-v<N>/report.json  the validation report

A model is written to a temporary directory and renamed into place, so a failed training leaves
nothing behind. Promoting a model demotes the one in service; retiring is final. Promotion and
retirement need the risk or admin role and are also sent to the audit trail when one is injected.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
import shutil
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from crm_adapter.enums import Role
from kernel import clock
from kernel.errors import Conflict, InvalidInput, NotFound
from tools.access import require_role
from tools.actor import Actor
from tools.scoring_model.card import ModelCard, build_card
from tools.scoring_model.data import TrainingData
from tools.scoring_model.params import TrainedModel, TrainParams
from tools.scoring_model.report import ValidationReport
from tools.scoring_model.scorer import RegisteredModel
from tools.scoring_model.spec import ModelSpec

HISTORY_FILE = "history.jsonl"
PROMOTE_ROLES = (Role.RISK, Role.ADMIN)
AUDIT_OBJECT_TYPE = "scoring_model"


class ModelStatus(StrEnum):
    REGISTERED = "registered"
    PROMOTED = "promoted"
    RETIRED = "retired"


class RegistryEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: dt.datetime
    action: Literal["registered", "promoted", "demoted", "retired"]
    model_id: str
    actor_id: str | None = None
    reason: str | None = None


class ModelEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    model_id: str
    name: str
    version: int
    status: ModelStatus
    created_at: dt.datetime
    source: str
    holdout_auc: float


class AuditAppend(Protocol):
    """The audit trail's append (tools.audit.trail.AuditTrail.record has this keyword signature)."""

    def __call__(
        self,
        *,
        actor: Actor | None,
        action: str,
        object_type: str,
        object_id: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> object: ...


class ModelRegistry:
    def __init__(
        self, root: Path, *, audit: AuditAppend | None = None, now: Callable[[], dt.datetime] = clock.now
    ) -> None:
        self.root = root
        self._audit = audit
        self._now = now

    # --- writing ---------------------------------------------------------------------------------
    def register(
        self,
        trained: TrainedModel,
        *,
        data: TrainingData,
        params: TrainParams,
        name: str,
        time_column: str | None = None,
        actor: Actor | None = None,
    ) -> ModelCard:
        """Store a trained model as the next version of `name` (status: registered)."""
        slug = _slug(name)
        with self._locked():
            version = 1 + max((e.version for e in self._all_entries() if e.name == slug), default=0)
            model_id = f"{slug}-v{version}"
            card = build_card(model_id=model_id, name=slug, version=version, created_at=self._now(),
                              created_by=actor.officer_id if actor else None, data=data, trained=trained,
                              params=params, time_column=time_column)  # fmt: skip
            tmp = self.root / f".tmp-{uuid.uuid4().hex}"
            tmp.mkdir(parents=True)
            try:
                (tmp / "model.json").write_text(trained.spec.model_dump_json(indent=1), encoding="utf-8")
                (tmp / "card.json").write_text(card.model_dump_json(indent=1), encoding="utf-8")
                (tmp / "report.json").write_text(trained.report.model_dump_json(indent=1), encoding="utf-8")
                os.rename(tmp, self.root / model_id)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            self._append(RegistryEvent(at=card.created_at, action="registered", model_id=model_id,
                                       actor_id=card.created_by))  # fmt: skip
        return card

    def promote(
        self,
        actor: Actor,
        model_id: str,
        *,
        reason: str | None = None,
        required_features: Collection[str] | None = None,
    ) -> ModelEntry:
        """Put a model into service (the engine scores with it); the model in service is demoted.

        `required_features`: the columns the consumer can supply (the engine's feature frame); a model
        that needs others is refused.
        """
        require_role(actor, PROMOTE_ROLES, "promoting a scoring model")
        with self._locked():
            statuses = self._statuses()
            status = self._status_of(model_id, statuses)
            if status is ModelStatus.RETIRED:
                raise Conflict(f"model {model_id} is retired and cannot be put back into service")
            if status is ModelStatus.PROMOTED:
                raise Conflict(f"model {model_id} is already in service")
            if required_features is not None:
                unknown = sorted(set(self.spec(model_id).feature_names) - set(required_features))
                if unknown:
                    raise Conflict(
                        f"model {model_id} uses features the engine does not compute: {', '.join(unknown)}"
                    )
            current = next((m for m, s in statuses.items() if s is ModelStatus.PROMOTED), None)
            self._record_audit(actor, "model.promote", model_id, reason, before=current, after=model_id)
            at = self._now()
            if current is not None:
                self._append(RegistryEvent(at=at, action="demoted", model_id=current, actor_id=actor.officer_id,
                                           reason=f"replaced by {model_id}"))  # fmt: skip
            self._append(RegistryEvent(at=at, action="promoted", model_id=model_id, actor_id=actor.officer_id,
                                       reason=reason))  # fmt: skip
        return self.entry(model_id)

    def retire(self, actor: Actor, model_id: str, *, reason: str | None = None) -> ModelEntry:
        """Take a model out of use for good (the engine falls back to the expert scorecard if it was in service)."""
        require_role(actor, PROMOTE_ROLES, "retiring a scoring model")
        with self._locked():
            statuses = self._statuses()
            status = self._status_of(model_id, statuses)
            if status is ModelStatus.RETIRED:
                raise Conflict(f"model {model_id} is already retired")
            current = next((m for m, s in statuses.items() if s is ModelStatus.PROMOTED), None)
            after = None if current == model_id else current
            self._record_audit(actor, "model.retire", model_id, reason, before=current, after=after)
            self._append(RegistryEvent(at=self._now(), action="retired", model_id=model_id,
                                       actor_id=actor.officer_id, reason=reason))  # fmt: skip
        return self.entry(model_id)

    # --- reading ---------------------------------------------------------------------------------
    def entries(self) -> list[ModelEntry]:
        return sorted(self._all_entries(), key=lambda e: (e.name, e.version))

    def entry(self, model_id: str) -> ModelEntry:
        status = self._status_of(model_id, self._statuses())
        card = self.card(model_id)
        return _entry(card, status)

    def card(self, model_id: str) -> ModelCard:
        return ModelCard.model_validate_json(self._read(model_id, "card.json"))

    def report(self, model_id: str) -> ValidationReport:
        return ValidationReport.model_validate_json(self._read(model_id, "report.json"))

    def spec(self, model_id: str) -> ModelSpec:
        return ModelSpec.model_validate_json(self._read(model_id, "model.json"))

    def load(self, model_id: str) -> RegisteredModel:
        return RegisteredModel(self.spec(model_id), model_id)

    def promoted_id(self) -> str | None:
        return next((m for m, s in self._statuses().items() if s is ModelStatus.PROMOTED), None)

    def promoted(self) -> RegisteredModel | None:
        """The model in service, or None (the engine then uses the expert scorecard)."""
        model_id = self.promoted_id()
        return self.load(model_id) if model_id else None

    def history(self) -> list[RegistryEvent]:
        path = self.root / HISTORY_FILE
        if not path.exists():
            return []
        lines = path.read_text(encoding="utf-8").splitlines()
        return [RegistryEvent.model_validate_json(line) for line in lines if line.strip()]

    # --- internals -------------------------------------------------------------------------------
    def _statuses(self) -> dict[str, ModelStatus]:
        status: dict[str, ModelStatus] = {}
        for event in self.history():
            status[event.model_id] = {
                "registered": ModelStatus.REGISTERED,
                "promoted": ModelStatus.PROMOTED,
                "demoted": ModelStatus.REGISTERED,
                "retired": ModelStatus.RETIRED,
            }[event.action]
        return status

    def _status_of(self, model_id: str, statuses: dict[str, ModelStatus]) -> ModelStatus:
        if model_id not in statuses or not (self.root / model_id).is_dir():
            known = ", ".join(sorted(statuses)[:8])
            raise NotFound(
                f"no model '{model_id}'" + (f" (known: {known})" if known else " (none trained yet)")
            )
        return statuses[model_id]

    def _all_entries(self) -> list[ModelEntry]:
        return [_entry(self.card(m), s) for m, s in self._statuses().items() if (self.root / m).is_dir()]

    def _read(self, model_id: str, name: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*-v\d+", model_id):
            raise InvalidInput(f"'{model_id}' is not a model id (like credit-v1)", field="model_id")
        path = self.root / model_id / name
        if not path.exists():
            raise NotFound(f"no model '{model_id}'")
        return path.read_text(encoding="utf-8")

    def _append(self, event: RegistryEvent) -> None:
        with (self.root / HISTORY_FILE).open("a", encoding="utf-8") as fh:
            fh.write(event.model_dump_json() + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def _record_audit(
        self,
        actor: Actor,
        action: str,
        model_id: str,
        reason: str | None,
        *,
        before: str | None,
        after: str | None,
    ) -> None:
        """Send the change to the audit trail first: if that fails, nothing changes."""
        if self._audit is None:
            return
        self._audit(actor=actor, action=action, object_type=AUDIT_OBJECT_TYPE, object_id=model_id,
                    before={"model_in_service": before},
                    after={"model_in_service": after, "reason": reason})  # fmt: skip

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def _entry(card: ModelCard, status: ModelStatus) -> ModelEntry:
    return ModelEntry(model_id=card.model_id, name=card.name, version=card.version, status=status,
                      created_at=card.created_at, source=f"{card.data.kind}: {card.data.name}",
                      holdout_auc=card.holdout.auc)  # fmt: skip


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise InvalidInput("a model name needs at least one letter or digit", field="name")
    return slug[:48]
