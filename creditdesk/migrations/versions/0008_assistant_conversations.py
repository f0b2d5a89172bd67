"""assistant conversations: the offline brain's follow-up context per (officer, conversation)

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assistant_conversations",
        sa.Column("officer_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("conversation_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("last_client_id", sa.Integer(), nullable=True),
        sa.Column("last_client_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("last_intents", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("officer_id", "conversation_id"),
    )


def downgrade() -> None:
    op.drop_table("assistant_conversations")
