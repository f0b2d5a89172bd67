"""Spread a statement file for a client and store it: preview first, tie-outs block unless accepted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Engine, delete

from crm_adapter.models import FinancialStatementRow
from crm_adapter.protocol import CRMAdapter
from crm_adapter.sql.changes import bump_in
from kernel.errors import InvalidInput
from tools.access import get_client_for
from tools.actor import Actor
from tools.spreading.readers import read_source
from tools.spreading.spread import Spread, file_digest, spread_rows
from tools.spreading.synonyms import STORED
from tools.spreading.tables import FinancialSpreadRow


def spread_file(path: Path, *, unit: int | None = None) -> Spread:
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file", field="file")
    return spread_rows(read_source(path), path.name, file_digest(path), unit=unit)


def store_spread(actor: Actor, adapter: CRMAdapter, engine: Engine, client_id: int, spread: Spread, *,
                 currency: str, period_type: str = "annual", accept_tieouts: bool = False,
                 now: dt.datetime, record: Callable[[Connection], None] | None = None) -> list[dt.date]:  # fmt: skip
    """Write one financial statement per period of the spread (replacing that period's), with its mapping.
    `record(conn)` runs in the same transaction (the shell passes the audit trail's writer)."""
    get_client_for(actor, adapter, client_id)
    if spread.tieouts and not accept_tieouts:
        raise InvalidInput(f"{spread.file}: {len(spread.tieouts)} tie-out(s) failed; nothing was written "
                           "(check the spread with --preview, or --accept-tieouts)", details=spread.tieouts)  # fmt: skip
    if not spread.lines:
        raise InvalidInput(f"{spread.file}: no line could be mapped to the chart", details=spread.unmapped)
    fs, sp = FinancialStatementRow.__table__, FinancialSpreadRow.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        for period in spread.periods:
            values = {f: spread.figure(f, period) for f in STORED}
            if all(v is None for v in values.values()):
                continue
            key = (
                (fs.c.client_id == client_id)
                & (fs.c.period_end == period)
                & (fs.c.period_type == period_type)
            )
            conn.execute(delete(fs).where(key))
            conn.execute(fs.insert().values(client_id=client_id, period_end=period, period_type=period_type,
                                            currency=currency, audited=False,
                                            **{k: (v.quantize(Decimal("0.01")) if v is not None else None) for k, v in values.items()}))  # fmt: skip
            skey = (
                (sp.c.client_id == client_id)
                & (sp.c.period_end == period)
                & (sp.c.period_type == period_type)
            )
            conn.execute(delete(sp).where(skey))
            conn.execute(sp.insert().values(
                client_id=client_id, period_end=period, period_type=period_type, source_file=spread.file[:255],
                source_sha256=spread.sha256, unit=spread.unit, officer_id=actor.officer_id, imported_at=now,
                mapping=[{"figure": ln.figure, "label": ln.label, "source": ln.source, "confidence": ln.confidence,
                          "value": ln.values.get(period.isoformat())} for ln in spread.lines if period.isoformat() in ln.values],
                unmapped=spread.unmapped, tieouts_accepted=spread.tieouts,
            ))  # fmt: skip
        if record is not None:
            record(conn)
        bump_in(conn, clients=[client_id])
    return spread.periods
