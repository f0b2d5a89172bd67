"""engine review runs: dated per-client results and completed reviews

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_runs",
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("policy_version", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("model_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("clients", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("run_id"),
    )
    op.create_index(op.f("ix_review_runs_as_of"), "review_runs", ["as_of"], unique=False)
    op.create_table(
        "review_run_results",
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("pd", sa.Float(), nullable=False),
        sa.Column("total_limit", sa.Float(), nullable=False),
        sa.Column("outstanding", sa.Float(), nullable=False),
        sa.Column("utilisation", sa.Float(), nullable=True),
        sa.Column("recommended", sa.Float(), nullable=True),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("ews_level", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("debt_to_ebitda", sa.Float(), nullable=True),
        sa.Column("current_ratio", sa.Float(), nullable=True),
        sa.Column("interest_coverage", sa.Float(), nullable=True),
        sa.Column("max_dpd_12m", sa.Float(), nullable=True),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["review_runs.run_id"]),
        sa.PrimaryKeyConstraint("run_id", "client_id"),
    )
    op.create_index(op.f("ix_review_run_results_as_of"), "review_run_results", ["as_of"], unique=False)
    op.create_index(
        op.f("ix_review_run_results_client_id"), "review_run_results", ["client_id"], unique=False
    )
    op.create_table(
        "client_reviews",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("officer_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.PrimaryKeyConstraint("review_id"),
    )
    op.create_index(op.f("ix_client_reviews_client_id"), "client_reviews", ["client_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_client_reviews_client_id"), table_name="client_reviews")
    op.drop_table("client_reviews")
    op.drop_index(op.f("ix_review_run_results_client_id"), table_name="review_run_results")
    op.drop_index(op.f("ix_review_run_results_as_of"), table_name="review_run_results")
    op.drop_table("review_run_results")
    op.drop_index(op.f("ix_review_runs_as_of"), table_name="review_runs")
    op.drop_table("review_runs")
