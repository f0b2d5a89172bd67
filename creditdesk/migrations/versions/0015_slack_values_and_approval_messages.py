"""slack: short ids for button payloads, and every approval step's posted messages (channel, ts)

Revision ID: 0015
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_stored_values",
        sa.Column("value_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("officer_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("value_id"),
    )
    op.create_table(
        "slack_approval_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("step_no", sa.Integer(), nullable=False),
        sa.Column("officer_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("posted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "step_no", "officer_id"),
    )
    with op.batch_alter_table("slack_approval_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_slack_approval_messages_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("slack_approval_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slack_approval_messages_request_id"))
    op.drop_table("slack_approval_messages")
    op.drop_table("slack_stored_values")
