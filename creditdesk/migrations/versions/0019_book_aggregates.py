"""book_aggregates: the book's concentration denominators per (as-of, policy), stamped with the change
counter, so one officer's views read their own clients only (tools/engine/aggregates.py)

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "book_aggregates",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("policy_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("clients", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("as_of", "policy_hash"),
    )


def downgrade() -> None:
    op.drop_table("book_aggregates")
