"""slack and alerts: events already handled (retries) and early-warning alerts already sent

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_events_seen",
        sa.Column("event_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_key"),
    )
    op.create_table(
        "slack_alerts_sent",
        sa.Column("alert_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("alert_key"),
    )
    with op.batch_alter_table("slack_alerts_sent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slack_alerts_sent_client_id"), ["client_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("slack_alerts_sent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slack_alerts_sent_client_id"))
    op.drop_table("slack_alerts_sent")
    op.drop_table("slack_events_seen")
