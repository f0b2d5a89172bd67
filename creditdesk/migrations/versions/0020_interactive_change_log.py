"""data_change_log: what each version of the change counter changed (the clients written, none, or the
whole book), so caches re-assess only the clients a write touched (crm_adapter/sql/changes.py)

Revision ID: 0020_interactive
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_interactive"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("whole_book", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_data_change_log_version"), "data_change_log", ["version"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_data_change_log_version"), table_name="data_change_log")
    op.drop_table("data_change_log")
