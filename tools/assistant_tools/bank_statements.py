"""The assistant's bank-statement tool (银行流水): the imported statements' analytics of one client, with the
findings that reach the policy's thresholds — payments to other lenders, returned items, related-party
transfers, cash withdrawals, window dressing, falling or unstable inflows, the largest payer's share — each
with its figures and the transactions behind it. The acting officer's scope is checked first."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from crm_adapter.protocol import CRMAdapter
from tools.access import get_client_for
from tools.actor import Actor
from tools.engine.results import EarlyWarning
from tools.statements.analysis import StatementAnalysis
from tools.statements.indicators import analysis_of, statement_warnings
from tools.statements.policy import StatementsPolicy


class BankStatementsView(BaseModel):
    model_config = ConfigDict(frozen=True)

    client_id: int
    name: str
    imported: bool  # False: no statements were imported for this client
    analysis: StatementAnalysis | None = None
    warnings: list[EarlyWarning] = []


def bank_statements_of(actor: Actor, adapter: CRMAdapter, client_id: int, *, as_of: dt.date,
                       policy: StatementsPolicy) -> BankStatementsView:  # fmt: skip
    """The view of a client the actor may see (out of scope: not found)."""
    client = get_client_for(actor, adapter, client_id)
    analysis = analysis_of(adapter, client_id, as_of=as_of, policy=policy)
    return BankStatementsView(client_id=client_id, name=client.name, imported=analysis is not None,
                              analysis=analysis, warnings=statement_warnings(analysis))  # fmt: skip
