"""Imports every module that defines SQL tables, so `SQLModel.metadata` is complete.

Alembic's env and the test fixtures import this module; add new table modules to TABLE_MODULES.
"""

from __future__ import annotations

from sqlmodel import SQLModel

import api.launch_replay
import api.tokens
import bot.conversations
import bot.slack.dedupe
import bot.slack.store
import crm_adapter.models
import crm_adapter.sql.changes
import crm_adapter.statements.tables
import tools.approvals.models
import tools.approvals.outbox
import tools.audit.models
import tools.engine.aggregates
import tools.engine.review_runs
import tools.memos.store
import tools.spreading.tables

TABLE_MODULES = (
    crm_adapter.models,
    crm_adapter.sql.changes,
    crm_adapter.statements.tables,
    tools.engine.review_runs,
    tools.engine.aggregates,
    tools.approvals.models,
    tools.approvals.outbox,
    tools.audit.models,
    tools.memos.store,
    tools.spreading.tables,
    api.tokens,
    api.launch_replay,
    bot.slack.dedupe,
    bot.slack.store,
    bot.conversations,
)

metadata = SQLModel.metadata
