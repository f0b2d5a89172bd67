"""The built-in CRM: client data in SQL (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import threading
from collections import deque
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from rapidfuzz import fuzz, process
from sqlalchemy import Engine, Float, Select, String, cast, func, literal, update
from sqlmodel import Session, col, select

from crm_adapter.enums import FacilityStatus
from crm_adapter.models import (
    BankFlow,
    BankFlowRow,
    Client,
    ClientGroup,
    ClientGroupRow,
    ClientNote,
    ClientNoteRow,
    ClientRow,
    ContactLog,
    ContactLogRow,
    Facility,
    FacilityRow,
    FinancialStatement,
    FinancialStatementRow,
    FxRateRow,
    InsuranceCover,
    InsuranceCoverRow,
    Officer,
    OfficerRow,
    RepaymentEvent,
    RepaymentEventRow,
    ReputationSignal,
    ReputationSignalRow,
)
from crm_adapter.protocol import ClientFilter, ClientMatch, SnapshotReader
from crm_adapter.snapshot import FRAMES, BookSnapshot, FrameRead
from crm_adapter.sql.changes import ChangeCounter, bump_in
from crm_adapter.sql.columnar import ArrowReader, arrow_frame
from crm_adapter.sql.reader_process import SqliteReaderProcess
from crm_adapter.sql.reader_thread import PostgresReaderThread
from kernel.errors import Conflict, InvalidInput, NotFound

RANGE_READ_MIN_IDS = 500  # above this many client ids a snapshot selects their id range
RECORD_CACHE_SIZE = 20_000  # clients and officers kept in memory per data version (a few MiB)
_ID_PATTERN = re.compile(r"^\s*(?:client\s*(?:id)?\s*#?\s*)?(\d{1,12})\s*$", re.IGNORECASE)


def _months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(y, m + 1, 1)


class SqlCRMAdapter:
    """CRMAdapter over the built-in SQL tables. Whole-book reads are a handful of set-based queries."""

    def __init__(
        self, engine: Engine, *, reporting_currency: str = "USD", changes: ChangeCounter | None = None
    ) -> None:
        self.engine = engine
        self.reporting_currency = reporting_currency
        self.changes = changes or ChangeCounter(engine)
        self._names_lock = threading.Lock()
        self._names: tuple[tuple[int, int], list[str], list[int]] | None = None
        self._records: dict[tuple[str, object], Client | Officer | None] = {}
        self._records_lock = threading.Lock()  # not _names_lock: that one is held through a names reload
        self._records_version = -1
        # the bulk read path: Arrow batches from the database's ADBC driver when there is one (else the cursor)
        self._arrow: ArrowReader | None = ArrowReader.for_engine(engine)
        self.reader_process = True  # `snapshot_reader` on a SQLite file: columns from a reader process

    @property
    def data_version(self) -> int:
        return self.changes.current()

    def mark_changed(self) -> None:
        """After a caller's transaction that wrote through `update_limit_in` (or bumped) has committed."""
        self.changes.touch()

    def _record(self, kind: str, key: object, load):  # type: ignore[no-untyped-def]
        """A client or officer by key, kept until the data version moves (a copy: callers may mutate)."""
        version = self.changes.current()
        with self._records_lock:
            if version != self._records_version:
                self._records, self._records_version = {}, version
            hit = self._records.get((kind, key), self)
        if hit is self:
            hit = load()
            with self._records_lock:
                if version == self._records_version:
                    if len(self._records) >= RECORD_CACHE_SIZE:
                        self._records.pop(next(iter(self._records)))
                    self._records[(kind, key)] = hit
        return None if hit is None else hit.model_copy()  # type: ignore[union-attr]

    # --- helpers -------------------------------------------------------------------------
    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _all(self, stmt: Select, record: type) -> list:  # type: ignore[type-arg]
        with self._session() as s:
            return [record.model_validate(row, from_attributes=True) for row in s.exec(stmt).all()]  # type: ignore[call-overload]

    # --- people --------------------------------------------------------------------------
    def get_officer(self, officer_id: str) -> Officer | None:
        def load() -> Officer | None:
            with self._session() as s:
                row = s.get(OfficerRow, officer_id)
                return Officer.model_validate(row, from_attributes=True) if row else None

        return self._record("officer", officer_id, load)  # type: ignore[no-any-return]

    def get_officer_by_slack_id(self, slack_user_id: str) -> Officer | None:
        rows = self._all(select(OfficerRow).where(OfficerRow.slack_user_id == slack_user_id), Officer)
        return rows[0] if rows else None

    def list_officers(self, *, team: str | None = None) -> list[Officer]:
        stmt = select(OfficerRow).order_by(OfficerRow.officer_id)
        if team is not None:
            stmt = stmt.where(OfficerRow.team == team)
        return self._all(stmt, Officer)

    # --- clients -------------------------------------------------------------------------
    def get_client(self, client_id: int) -> Client:
        def load() -> Client | None:
            with self._session() as s:
                row = s.get(ClientRow, client_id)
                return Client.model_validate(row, from_attributes=True) if row else None

        client = self._record("client", client_id, load)
        if client is None:
            raise NotFound(f"client {client_id} not found")
        return client  # type: ignore[no-any-return]

    def get_client_by_external_id(self, external_id: str) -> Client:
        rows = self._all(select(ClientRow).where(ClientRow.external_id == external_id), Client)
        if not rows:
            raise NotFound(f"no client with CRM id '{external_id}'")
        return rows[0]

    def get_group(self, group_id: str) -> ClientGroup | None:
        with self._session() as s:
            row = s.get(ClientGroupRow, group_id)
            return ClientGroup.model_validate(row, from_attributes=True) if row else None

    def count_clients(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(ClientRow)).scalar_one())

    def _name_index(self) -> tuple[list[str], list[int]]:
        """Names of the whole book for fuzzy search, cached until the book changes size."""
        with self.engine.connect() as conn:
            key = tuple(conn.execute(select(func.count(), func.max(ClientRow.client_id))).one())
        with self._names_lock:
            if self._names is None or self._names[0] != key:
                with self.engine.connect() as conn:
                    rows = conn.execute(select(ClientRow.client_id, ClientRow.name)).all()
                self._names = (key, [r[1] for r in rows], [r[0] for r in rows])  # type: ignore[assignment]
            return self._names[1], self._names[2]  # type: ignore[index]

    def search_clients(
        self, query: str, *, limit: int = 10, officer_ids: set[str] | None = None
    ) -> list[ClientMatch]:
        """Find clients by id, CRM id or name (typos and partial names welcome), best first."""
        text = query.strip()
        if not text:
            raise InvalidInput("search text is empty", field="query")
        if officer_ids is not None and not officer_ids:
            return []
        matches: list[ClientMatch] = []
        id_match = _ID_PATTERN.match(text)
        if id_match:
            try:
                client = self.get_client(int(id_match.group(1)))
                if officer_ids is None or client.officer_id in officer_ids:
                    matches.append(ClientMatch(client=client, score=100.0, matched_on="id"))
            except NotFound:
                pass
        ext = self._all(select(ClientRow).where(ClientRow.external_id == text), Client)
        matches += [
            ClientMatch(client=c, score=100.0, matched_on="external_id")
            for c in ext
            if officer_ids is None or c.officer_id in officer_ids
        ]
        if officer_ids is not None:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(ClientRow.client_id, ClientRow.name).where(
                        col(ClientRow.officer_id).in_(officer_ids)
                    )
                ).all()
            names, ids = [r[1] for r in rows], [r[0] for r in rows]
        else:
            names, ids = self._name_index()
        hits = process.extract(
            text.lower(), names, scorer=fuzz.WRatio, processor=str.lower, limit=limit * 3, score_cutoff=70
        )
        seen = {m.client.client_id for m in matches}
        wanted = [(ids[i], score) for _, score, i in hits if ids[i] not in seen]
        if wanted:
            by_id = {
                c.client_id: c
                for c in self._all(
                    select(ClientRow).where(col(ClientRow.client_id).in_([w[0] for w in wanted])), Client
                )
            }
            matches += [
                ClientMatch(client=by_id[cid], score=float(score), matched_on="name")
                for cid, score in wanted
                if cid in by_id
            ]
        matches.sort(key=lambda m: (-m.score, m.client.name))
        if matches and matches[0].score >= 85:  # a clear best match: drop the long fuzzy tail
            matches = [m for m in matches if m.score >= matches[0].score - 12]
        return matches[:limit]

    def list_clients(self, flt: ClientFilter | None = None) -> list[Client]:
        flt = flt or ClientFilter()
        stmt = select(ClientRow).order_by(ClientRow.client_id)
        if flt.officer_ids is not None:
            stmt = stmt.where(col(ClientRow.officer_id).in_(flt.officer_ids))
        for name in ("industry", "region", "status", "group_id"):
            value = getattr(flt, name)
            if value is not None:
                stmt = stmt.where(getattr(ClientRow, name) == value)
        return self._all(stmt.offset(flt.offset).limit(flt.limit), Client)

    # --- client data ---------------------------------------------------------------------
    def get_facilities(self, client_id: int) -> list[Facility]:
        stmt = select(FacilityRow).where(FacilityRow.client_id == client_id).order_by(FacilityRow.facility_id)
        return self._all(stmt, Facility)

    def get_facility(self, facility_id: str) -> Facility:
        with self._session() as s:
            row = s.get(FacilityRow, facility_id)
            if row is None:
                raise NotFound(f"facility '{facility_id}' not found")
            return Facility.model_validate(row, from_attributes=True)

    def get_statements(self, client_id: int) -> list[FinancialStatement]:
        stmt = (
            select(FinancialStatementRow)
            .where(FinancialStatementRow.client_id == client_id)
            .order_by(FinancialStatementRow.period_end, FinancialStatementRow.period_type)
        )
        return self._all(stmt, FinancialStatement)

    def get_bank_flows(self, client_id: int) -> list[BankFlow]:
        stmt = select(BankFlowRow).where(BankFlowRow.client_id == client_id).order_by(BankFlowRow.month)
        return self._all(stmt, BankFlow)

    def get_repayments(self, client_id: int) -> list[RepaymentEvent]:
        stmt = (
            select(RepaymentEventRow)
            .where(RepaymentEventRow.client_id == client_id)
            .order_by(RepaymentEventRow.due_date, RepaymentEventRow.facility_id)
        )
        return self._all(stmt, RepaymentEvent)

    def get_signals(self, client_id: int) -> list[ReputationSignal]:
        stmt = (
            select(ReputationSignalRow)
            .where(ReputationSignalRow.client_id == client_id)
            .order_by(ReputationSignalRow.signal_date)
        )
        return self._all(stmt, ReputationSignal)

    def get_covers(self, client_id: int) -> list[InsuranceCover]:
        stmt = (
            select(InsuranceCoverRow)
            .where(InsuranceCoverRow.client_id == client_id)
            .order_by(InsuranceCoverRow.start_date)
        )
        return self._all(stmt, InsuranceCover)

    def get_contacts(self, client_id: int) -> list[ContactLog]:
        stmt = (
            select(ContactLogRow)
            .where(ContactLogRow.client_id == client_id)
            .order_by(ContactLogRow.contact_date)
        )
        return self._all(stmt, ContactLog)

    def get_notes(self, client_id: int) -> list[ClientNote]:
        stmt = (
            select(ClientNoteRow)
            .where(ClientNoteRow.client_id == client_id)
            .order_by(ClientNoteRow.created_at)
        )
        return self._all(stmt, ClientNote)

    # --- the whole book ------------------------------------------------------------------
    def snapshot(
        self,
        *,
        as_of: dt.date,
        client_ids: list[int] | None = None,
        history_months: int = 36,
        include: Collection[str] | None = None,
        reads: Mapping[str, FrameRead] | None = None,
    ) -> BookSnapshot:
        """`reads`: per frame, only the columns and date window a bulk reader needs (`FrameRead`)."""
        arrow = self._arrow
        # the driver types dates itself: no cast to text in the server
        plan = _SnapshotPlan(
            as_of, client_ids, history_months, include, native=arrow is not None, reads=reads
        )
        arrow_conn = arrow.connect() if arrow is not None else None
        try:
            frames = {}
            for q in plan.queries:
                df = None
                if arrow_conn is None and q.name not in plan.wanted:
                    df = plan.empty(q)  # what the cursor path builds from the query's empty result, unread
                elif arrow_conn is not None:  # columnar: the driver's Arrow batches, no object per value
                    df = arrow_frame(ArrowReader.table(arrow_conn, self._sql(q.stmt)), q.date_cols)
                    df = plan.empty(q) if df is None else df
                if df is None:
                    with self.engine.connect() as conn:
                        result = conn.execute(q.stmt)
                        # the driver's rows as they are: no per-value SQLAlchemy processing (dates come as ISO text)
                        df = pd.DataFrame.from_records(
                            result.cursor.fetchall(), columns=list(result.keys()), coerce_float=True
                        )
                frames[q.name] = plan.finish(q, df)
        finally:
            if arrow_conn is not None:
                arrow_conn.close()
        return self._book(as_of, frames)

    def _sql(self, stmt: Select) -> str:  # type: ignore[type-arg]
        return str(stmt.compile(dialect=self.engine.dialect, compile_kwargs={"literal_binds": True}))

    def _book(self, as_of: dt.date, frames: dict[str, pd.DataFrame]) -> BookSnapshot:
        return BookSnapshot(as_of=as_of, reporting_currency=self.reporting_currency, **frames)

    @contextmanager
    def snapshot_reader(
        self, *, as_of: dt.date, history_months: int = 36, reads: Mapping[str, FrameRead] | None = None
    ) -> Iterator[SnapshotReader]:
        """Snapshots for one bulk read (a review run). On a SQLite file with the ADBC driver, a reader process
        reads them in columns inside one read transaction (one consistent state of the book for every
        snapshot of the session), reading the next `prefetch`ed chunk while this process computes; on
        PostgreSQL with the ADBC driver a reader thread does the same (one REPEATABLE READ transaction, the
        server and the driver working beside this process's compute); else the adapter's own `snapshot` per
        call. `reads` narrows every snapshot of the session (`FrameRead`)."""
        if self.reader_process and self._arrow is not None:
            with PostgresReaderThread(self._arrow.connect) as thread:
                yield _ProcessSnapshotReader(self, as_of, history_months, thread, native=True, reads=reads)
            return
        path = self.engine.url.database
        columnar = (
            self.reader_process
            and self.engine.url.get_backend_name() == "sqlite"
            and path not in (None, "", ":memory:")
            and not self.engine.url.query.get("mode")
            and importlib.util.find_spec("adbc_driver_sqlite") is not None
        )
        if not columnar:
            yield SqlSnapshotReader(self, as_of, history_months, reads=reads)
            return
        with SqliteReaderProcess(str(path)) as proc:
            yield _ProcessSnapshotReader(self, as_of, history_months, proc, reads=reads)

    # --- writes --------------------------------------------------------------------------
    def add_note(
        self, client_id: int, officer_id: str, text: str, *, source: str = "assistant"
    ) -> ClientNote:
        self.get_client(client_id)
        if not text.strip():
            raise InvalidInput("note text is empty", field="text")
        with self._session() as s:
            row = ClientNoteRow(
                client_id=client_id,
                officer_id=officer_id,
                text=text.strip(),
                source=source,
                created_at=dt.datetime.now(dt.UTC),
            )
            s.add(row)
            s.commit()
            s.refresh(row)
            return ClientNote.model_validate(row, from_attributes=True)

    def add_contact(self, contact: ContactLog) -> ContactLog:
        self.get_client(contact.client_id)
        with self._session() as s:
            if s.get(ContactLogRow, contact.contact_id) is not None:
                raise Conflict(f"contact '{contact.contact_id}' already exists")
            s.add(ContactLogRow.model_validate(contact.model_dump()))
            bump_in(s.connection(), clients=[contact.client_id])
            s.commit()
        self.mark_changed()
        return contact

    def update_limit(
        self, facility_id: str, new_limit: Decimal, *, expected_current: Decimal | None = None
    ) -> Facility:
        if new_limit < 0:
            raise InvalidInput("a limit cannot be negative", field="new_limit")
        with self.engine.begin() as conn:
            facility = self.update_limit_in(conn, facility_id, new_limit, expected_current=expected_current)
        self.mark_changed()
        return facility

    def update_limit_in(
        self, conn, facility_id: str, new_limit: Decimal, *, expected_current: Decimal | None = None
    ) -> Facility:  # type: ignore[no-untyped-def]
        """The limit change inside the caller's transaction (used by approvals for one atomic step).

        The caller calls `mark_changed()` once its transaction has committed."""
        table = FacilityRow.__table__  # type: ignore[attr-defined]
        stmt = update(table).where(table.c.facility_id == facility_id)
        if expected_current is not None:
            stmt = stmt.where(table.c.limit_amount == expected_current)
        result = conn.execute(stmt.values(limit_amount=new_limit))
        if result.rowcount != 1:
            current = conn.execute(select(table).where(table.c.facility_id == facility_id)).mappings().first()
            if current is None:
                raise NotFound(f"facility '{facility_id}' not found")
            raise Conflict(
                f"facility '{facility_id}' limit is {current['limit_amount']}, expected {expected_current}; "
                "it changed since the request was made"
            )
        row = conn.execute(select(table).where(table.c.facility_id == facility_id)).mappings().one()
        bump_in(conn, clients=[row["client_id"]])
        return Facility.model_validate(dict(row))

    def set_facility_status(self, facility_id: str, status: str) -> Facility:
        try:
            new_status = FacilityStatus(status)
        except ValueError:
            raise InvalidInput(f"unknown facility status '{status}'", field="status") from None
        table = FacilityRow.__table__  # type: ignore[attr-defined]
        with self.engine.begin() as conn:
            result = conn.execute(
                update(table).where(table.c.facility_id == facility_id).values(status=new_status.value)
            )
            if result.rowcount != 1:
                raise NotFound(f"facility '{facility_id}' not found")
            owner = conn.execute(select(table.c.client_id).where(table.c.facility_id == facility_id)).scalar()
            bump_in(conn, clients=[owner])
        self.mark_changed()
        return self.get_facility(facility_id)


@dataclass
class _FrameQuery:
    name: str
    stmt: Select  # type: ignore[type-arg]
    date_cols: tuple[str, ...]
    flags: list[str]
    numeric: list[str]


# frame name, table, date columns (ISO text on SQLite), the date column bounding the history read
_FRAME_TABLES: tuple[tuple[str, type, tuple[str, ...], str | None], ...] = (
    ("officers", OfficerRow, (), None),
    ("groups", ClientGroupRow, (), None),
    ("clients", ClientRow, ("onboarded", "last_review_date", "default_date"), None),
    ("facilities", FacilityRow, ("opened", "maturity"), None),
    ("statements", FinancialStatementRow, ("period_end",), None),
    ("flows", BankFlowRow, ("month",), "month"),
    ("repayments", RepaymentEventRow, ("due_date", "paid_date"), "due_date"),
    ("signals", ReputationSignalRow, ("signal_date",), "signal_date"),
    ("covers", InsuranceCoverRow, ("start_date", "expiry_date"), None),
    ("contacts", ContactLogRow, ("contact_date", "next_contact_date"), None),
    ("fx", FxRateRow, ("rate_date",), None),
)


class _SnapshotPlan:
    """One snapshot's queries (one per frame) and how each result becomes the frame (both read paths)."""

    def __init__(
        self,
        as_of: dt.date,
        client_ids: list[int] | None,
        history_months: int,
        include: Collection[str] | None,
        *,
        native: bool = False,
        reads: Mapping[str, FrameRead] | None = None,
    ) -> None:
        """`native`: the reader's driver types dates (PostgreSQL's ADBC driver gives date32): they are selected
        as they are, not cast to text by the server and parsed again here (same frames: `arrow_frame`).
        Numerics are cast to float by the server on every path: the driver's numeric-as-text is ~4x the
        client CPU of a float8 column (a 25k-client statements read: 0.57 vs 0.11 s)."""
        since = _months_before(as_of, history_months)
        reads = reads or {}
        ids = None if client_ids is None else list(client_ids)
        # Many densely packed ids (a review chunk): select the id range and keep the wanted ids in pandas.
        # Binding tens of thousands of IN parameters per table cost SQLAlchemy ~0.8 s a chunk; a chunk of the
        # sorted book is a whole range anyway, so the range reads no extra rows there. Sparse sets use IN.
        by_range = (
            ids is not None and len(ids) > RANGE_READ_MIN_IDS and max(ids) - min(ids) < 2 * len(ids)
        )  # many ids, densely packed: the range reads at most about twice the rows wanted
        self.wanted_ids = pd.Index(ids) if by_range else None
        wanted = set(FRAMES if include is None else include)
        self.wanted = frozenset(wanted)
        unknown = (wanted | set(reads)) - set(FRAMES)
        if unknown:
            raise InvalidInput(f"unknown snapshot frames: {', '.join(sorted(unknown))}", field="include")

        def of_clients(column):  # type: ignore[no-untyped-def]
            return column.between(min(ids), max(ids)) if by_range else column.in_(ids)  # type: ignore[arg-type, type-var]

        self.queries: list[_FrameQuery] = []
        for name, table, date_cols, since_col in _FRAME_TABLES:
            cols, flags, numeric = [], [], []
            tbl = table.__table__  # type: ignore[attr-defined]
            read = reads.get(name, FrameRead())
            keep = None if read.columns is None else {*read.columns, "client_id"}
            if keep is not None and keep - set(tbl.columns.keys()) - {"client_id"}:
                missing = ", ".join(sorted(keep - set(tbl.columns.keys()) - {"client_id"}))
                raise InvalidInput(f"{name} has no columns {missing}", field="reads")
            if keep is not None:  # only what the reader needs: fewer values for the driver to decode
                date_cols = tuple(d for d in date_cols if d in keep)
            for c in tbl.columns:
                if keep is not None and c.name not in keep:
                    continue
                kind = c.type.__class__.__name__
                if kind == "Boolean":  # the driver gives 0/1 on SQLite
                    flags.append(c.name)
                if kind == "Numeric":
                    numeric.append(c.name)
                    cols.append(cast(c, Float).label(c.name))
                elif c.name in date_cols and not native:  # ISO text, parsed below in one vectorised pass
                    cols.append(cast(c, String).label(c.name))
                else:
                    cols.append(c)
            stmt = select(*cols)
            if name not in wanted:
                stmt = stmt.where(literal(False))  # an empty frame with the right columns
            if ids is not None and "client_id" in tbl.columns:
                stmt = stmt.where(of_clients(tbl.c.client_id))
            elif ids is not None and name in ("officers", "groups"):  # only what these clients refer to
                ref = (
                    ClientRow.__table__.c.officer_id if name == "officers" else ClientRow.__table__.c.group_id
                )  # type: ignore[attr-defined]
                key = tbl.c.officer_id if name == "officers" else tbl.c.group_id
                stmt = stmt.where(key.in_(select(ref).where(of_clients(ClientRow.__table__.c.client_id))))  # type: ignore[attr-defined]
            if since_col is not None:
                stmt = stmt.where(tbl.c[since_col] >= since)
            if read.on is not None and read.since is not None:  # ISO text on SQLite: compares as dates
                stmt = stmt.where(tbl.c[read.on] >= read.since)
            if read.on is not None and read.until is not None:
                stmt = stmt.where(tbl.c[read.on] < read.until)
            self.queries.append(_FrameQuery(name, stmt, date_cols, flags, numeric))

    @staticmethod
    def empty(q: _FrameQuery) -> pd.DataFrame:
        """No rows: the frame the cursor path builds from an empty result."""
        return pd.DataFrame.from_records(
            [], columns=[c.name for c in q.stmt.selected_columns], coerce_float=True
        )

    def finish(self, q: _FrameQuery, df: pd.DataFrame) -> pd.DataFrame:
        for b in q.flags:
            df[b] = (
                df[b].astype(bool)
                if df[b].notna().all()
                else df[b].map(bool, na_action="ignore").astype(object)
            )
        for d in q.date_cols:
            if df[d].dtype != "datetime64[s]":
                df[d] = pd.to_datetime(df[d], format="ISO8601").astype("datetime64[s]")
        for n in q.numeric:  # float64 even when every value is NULL (else an object column of None)
            if df[n].dtype != "float64":
                df[n] = pd.to_numeric(df[n]).astype("float64")
        if self.wanted_ids is not None and "client_id" in df.columns:
            inside = df["client_id"].isin(self.wanted_ids)
            if not inside.all():
                df = df[inside].reset_index(drop=True)
        return df


class SqlSnapshotReader:
    """Snapshots of one bulk read, one `snapshot` call each (the adapter's own read per call)."""

    def __init__(self, adapter: SqlCRMAdapter, as_of: dt.date, history_months: int, *,
                 reads: Mapping[str, FrameRead] | None = None) -> None:  # fmt: skip
        self.adapter, self.as_of, self.history_months = adapter, as_of, history_months
        self.reads = dict(reads or {})

    def prefetch(self, chunks: Sequence[list[int]]) -> None:
        """The client-id chunks that `snapshot` will be asked for next, in order (a hint)."""

    def snapshot(
        self, *, client_ids: list[int] | None = None, include: Collection[str] | None = None
    ) -> BookSnapshot:
        return self.adapter.snapshot(as_of=self.as_of, client_ids=client_ids, history_months=self.history_months,
                                     include=include, reads=self.reads)  # fmt: skip


class _ProcessSnapshotReader(SqlSnapshotReader):
    """Snapshots read by a reader process, one prefetched chunk ahead of the one being computed."""

    AHEAD = 1  # chunks queued beyond the one asked for: each is ~100 MiB of Arrow at 25k clients

    def __init__(self, adapter: SqlCRMAdapter, as_of: dt.date, history_months: int,
                 proc: SqliteReaderProcess | PostgresReaderThread, *, native: bool = False,
                 reads: Mapping[str, FrameRead] | None = None) -> None:  # fmt: skip
        super().__init__(adapter, as_of, history_months, reads=reads)
        self.proc, self.native = proc, native
        self._planned: deque[list[int]] = deque()
        self._queued: deque[tuple[tuple[int, ...] | None, _SnapshotPlan]] = deque()

    def prefetch(self, chunks: Sequence[list[int]]) -> None:
        self._planned.extend(list(c) for c in chunks)
        self._queue(self.AHEAD + 1)

    def _queue(self, depth: int) -> None:
        while self._planned and len(self._queued) < depth:
            ids = self._planned.popleft()
            self._submit(
                tuple(ids),
                _SnapshotPlan(
                    self.as_of, ids, self.history_months, None, native=self.native, reads=self.reads
                ),
            )

    def _submit(self, key: tuple[int, ...] | None, plan: _SnapshotPlan) -> None:
        self.proc.submit(
            [self.adapter._sql(q.stmt) for q in plan.queries], [q.date_cols for q in plan.queries]
        )
        self._queued.append((key, plan))

    def _collect(self, plan: _SnapshotPlan) -> dict[str, pd.DataFrame]:
        frames = {}
        for q in plan.queries:
            df = arrow_frame(self.proc.result(), q.date_cols)
            frames[q.name] = plan.finish(q, plan.empty(q) if df is None else df)
        return frames

    def snapshot(
        self, *, client_ids: list[int] | None = None, include: Collection[str] | None = None
    ) -> BookSnapshot:
        key = None if client_ids is None else tuple(client_ids)
        if include is not None or not self._queued or self._queued[0][0] != key:
            while self._queued:  # not the planned order: answers come in order, drop the queued ones
                self._collect(self._queued.popleft()[1])
            self._planned.clear()
            self._submit(key, _SnapshotPlan(self.as_of, client_ids, self.history_months, include,
                                            native=self.native, reads=self.reads))  # fmt: skip
        _, plan = self._queued[0]
        self._queue(self.AHEAD + 1)  # the next chunk is read while this one is computed
        frames = self._collect(plan)
        self._queued.popleft()
        return self.adapter._book(self.as_of, frames)
