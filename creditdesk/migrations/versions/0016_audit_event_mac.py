"""audit_events.mac: HMAC-SHA256 of each event's hash under a key kept outside the database

Rows written before this revision keep mac NULL ("legacy"); `creditdesk audit verify` reports them and
requires a mac on every event after the first signed one. Plain ADD COLUMN (no batch rebuild), so the
SQLite append-only triggers of 0011 stay in place.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "audit_events", sa.Column("mac", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("audit_events", "mac")
