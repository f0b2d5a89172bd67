"""The CRMAdapter port: everything the product reads from, and writes to, the system of record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from crm_adapter.models import (
    BankFlow,
    Client,
    ClientGroup,
    ClientNote,
    ContactLog,
    Facility,
    FinancialStatement,
    InsuranceCover,
    Officer,
    RepaymentEvent,
    ReputationSignal,
)
from crm_adapter.snapshot import BookSnapshot, FrameRead


class ClientMatch(BaseModel):
    """A search hit: the client and how well the query matched it (0–100)."""

    client: Client
    score: float
    matched_on: str


class ClientFilter(BaseModel):
    officer_ids: set[str] | None = None
    industry: str | None = None
    region: str | None = None
    status: str | None = None
    group_id: str | None = None
    limit: int = 100
    offset: int = 0


class SnapshotReader(Protocol):
    """Snapshots of one bulk read of the book (`CRMAdapter.snapshot_reader`)."""

    def prefetch(self, chunks: Sequence[list[int]]) -> None:
        """The client-id chunks that `snapshot` will be asked for next, in order (a hint to read ahead)."""
        ...

    def snapshot(
        self, *, client_ids: list[int] | None = None, include: Collection[str] | None = None
    ) -> BookSnapshot:
        """As `CRMAdapter.snapshot` at the reader's as-of date."""
        ...


@runtime_checkable
class CRMAdapter(Protocol):
    """Reads are per client or set-based for the whole book; writes are a note and a limit change."""

    # people
    def get_officer(self, officer_id: str) -> Officer | None: ...
    def get_officer_by_slack_id(self, slack_user_id: str) -> Officer | None: ...
    def list_officers(self, *, team: str | None = None) -> list[Officer]: ...

    # clients
    def get_client(self, client_id: int) -> Client:
        """The client, or raise NotFound (with close matches when the id looks like a name)."""
        ...

    def get_client_by_external_id(self, external_id: str) -> Client: ...
    def get_group(self, group_id: str) -> ClientGroup | None: ...
    def search_clients(
        self, query: str, *, limit: int = 10, officer_ids: set[str] | None = None
    ) -> list[ClientMatch]: ...
    def list_clients(self, flt: ClientFilter | None = None) -> list[Client]: ...
    def count_clients(self) -> int: ...

    # client data
    def get_facilities(self, client_id: int) -> list[Facility]: ...
    def get_facility(self, facility_id: str) -> Facility: ...
    def get_statements(self, client_id: int) -> list[FinancialStatement]: ...
    def get_bank_flows(self, client_id: int) -> list[BankFlow]: ...
    def get_repayments(self, client_id: int) -> list[RepaymentEvent]: ...
    def get_signals(self, client_id: int) -> list[ReputationSignal]: ...
    def get_covers(self, client_id: int) -> list[InsuranceCover]: ...
    def get_contacts(self, client_id: int) -> list[ContactLog]: ...
    def get_notes(self, client_id: int) -> list[ClientNote]: ...

    @property
    def data_version(self) -> int:
        """A counter this adapter bumps after each of its own committed writes (caches key on it)."""
        ...

    def mark_changed(self) -> None:
        """Bump `data_version` after a write committed in a caller's transaction (an approval's)."""
        ...

    # the whole book, columnar
    def snapshot(
        self,
        *,
        as_of: dt.date,
        client_ids: list[int] | None = None,
        history_months: int = 36,
        include: Collection[str] | None = None,
    ) -> BookSnapshot:
        """The book (or some clients) as frames; `include` names the frames to read (others come empty)."""
        ...

    def snapshot_reader(
        self, *, as_of: dt.date, history_months: int = 36, reads: Mapping[str, FrameRead] | None = None
    ) -> AbstractContextManager[SnapshotReader]:
        """Snapshots of one bulk read (a review run): `with` it, then `.prefetch(chunks)` (the client-id chunks
        to come, a hint) and `.snapshot(client_ids=..., include=...)` per chunk, as `snapshot` gives them.
        `reads`: per frame, the only columns and date window the caller uses (`FrameRead`); an adapter may
        read more (the caller drops the rest), never less."""
        ...

    # writes
    def add_note(
        self, client_id: int, officer_id: str, text: str, *, source: str = "assistant"
    ) -> ClientNote: ...
    def add_contact(self, contact: ContactLog) -> ContactLog: ...
    def update_limit(
        self, facility_id: str, new_limit: Decimal, *, expected_current: Decimal | None = None
    ) -> Facility:
        """Set a facility's limit. With `expected_current`, refuse (Conflict) if it changed meanwhile."""
        ...

    def set_facility_status(self, facility_id: str, status: str) -> Facility: ...
