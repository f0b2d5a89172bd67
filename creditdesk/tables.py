"""Imports every module that defines SQL tables, so `SQLModel.metadata` is complete.

Alembic's env and the test fixtures import this module; add new table modules here.
"""

from __future__ import annotations

from sqlmodel import SQLModel

import crm_adapter.models  # noqa: F401

metadata = SQLModel.metadata
