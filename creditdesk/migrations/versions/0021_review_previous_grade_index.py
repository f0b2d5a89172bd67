"""review_run_results: a covering index (client_id, as_of, grade) for the previous-grade lookup of a review
run, in place of the plain client_id index; the as_of index is dropped (no query filters on as_of alone, and
every stored run inserts 1M rows into it) — tools/engine/review_runs.py, `previous_grades_query`

Revision ID: 0021_review
Revises: 0020_interactive
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021_review"
down_revision: str | None = "0020_interactive"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "review_run_results"
INDEX = "ix_review_run_results_client_id_as_of_grade"


def upgrade() -> None:
    op.create_index(INDEX, TABLE, ["client_id", "as_of", "grade"], unique=False)
    op.drop_index(op.f("ix_review_run_results_client_id"), table_name=TABLE)
    op.drop_index(op.f("ix_review_run_results_as_of"), table_name=TABLE)


def downgrade() -> None:
    op.create_index(op.f("ix_review_run_results_as_of"), TABLE, ["as_of"], unique=False)
    op.create_index(op.f("ix_review_run_results_client_id"), TABLE, ["client_id"], unique=False)
    op.drop_index(INDEX, table_name=TABLE)
