"""assistant conversations remember the last amount and concentration dimension (follow-ups: "what would
that do to concentration?", "and the region?")

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assistant_conversations") as batch:
        batch.add_column(sa.Column("last_amount", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch.add_column(
            sa.Column("last_dimension", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("assistant_conversations") as batch:
        batch.drop_column("last_dimension")
        batch.drop_column("last_amount")
