"""Assistant fixtures: a module-wide demo book, fake approvals and policy store (in-memory test doubles)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from bot.assistant import Assistant
from bot.brains.offline.brain import OfflineBrain
from bot.conversations import ConversationStore
from tests.conftest import make_container
from tools.access import get_client_for
from tools.actor import Actor
from tools.assistant_tools import Toolbox


class FakeHit(BaseModel):
    document: str
    section_path: list[str]
    page: int
    text: str
    score: float
    chunk_id: str


class FakePolicyStore:
    def __init__(self) -> None:
        self.queries: list[str] = []

    def search(self, query: str, *, k: int = 5, access_tags: object = None) -> list[FakeHit]:
        self.queries.append(query)
        return [
            FakeHit(document="Credit Policy Manual", section_path=["4 Limits", "4.2 Large exposures"], page=12,
                    text="Limits above USD 5,000,000 need the Credit Committee.", score=0.9, chunk_id="cpm-4.2"),
        ][:k]  # fmt: skip


class FakeApprovals:
    """Records prepare/raise calls; raise is idempotent by key like the real service."""

    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter
        self.prepared: list[dict[str, Any]] = []
        self.raised: dict[str, dict[str, Any]] = {}

    def prepare_request(self, actor: Actor, *, client_id: int, facility_id: str | None = None, kind: str,
                        new_limit: Decimal | None = None, reason: str = "") -> dict[str, Any]:  # fmt: skip
        get_client_for(actor, self.adapter, client_id)
        self.prepared.append({"client_id": client_id, "kind": kind, "new_limit": new_limit})
        return {"client_id": client_id, "kind": kind, "facility_id": facility_id,
                "approval_chain": [{"name": "Team lead"}, {"name": "BU head"}], "exceptions": []}  # fmt: skip

    def raise_request(self, actor: Actor, **arguments: Any) -> dict[str, Any]:
        key = arguments["idempotency_key"]
        self.raised.setdefault(
            key, {"request_id": f"R{len(self.raised) + 1}", "status": "pending", **arguments}
        )
        return self.raised[key]

    def get(self, actor: Actor, request_id: str) -> dict[str, Any]:
        return {"request_id": request_id, "kind": "increase", "client_id": 1001, "status": "pending"}

    def list_awaiting(self, actor: Actor) -> list[dict[str, Any]]:
        return []

    def list_raised_by(self, actor: Actor) -> list[dict[str, Any]]:
        return list(self.raised.values())


@pytest.fixture(scope="module")
def book(_demo_template: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("assistant") / "home"
    shutil.copytree(_demo_template, home)
    return make_container(home)


@pytest.fixture(scope="module")
def toolbox(book) -> Toolbox:  # type: ignore[no-untyped-def]
    return Toolbox(adapter=book.adapter, credit_engine=book.credit_engine, today=book.today,
                   policy_store=FakePolicyStore(), approvals=FakeApprovals(book.adapter))  # fmt: skip


@pytest.fixture(scope="module")
def assistant(book, toolbox: Toolbox) -> Assistant:  # type: ignore[no-untyped-def]
    return Assistant(brain=OfflineBrain(toolbox), conversations=ConversationStore(book.engine),
                     turn_scope=toolbox.turn)  # fmt: skip


@pytest.fixture(scope="module")
def anna(book) -> Actor:  # type: ignore[no-untyped-def]
    return book.actor("rm.anna")


@pytest.fixture(scope="module")
def risk(book) -> Actor:  # type: ignore[no-untyped-def]
    return book.actor("risk.lee")
