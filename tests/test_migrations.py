"""The Alembic migrations build exactly the schema the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from creditdesk.tables import metadata


def test_migrations_match_models(book_container) -> None:  # type: ignore[no-untyped-def]
    with book_container.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], f"models and migrations differ; fill in your reserved Alembic slot: {diff}"


def test_migrate_is_idempotent(container) -> None:  # type: ignore[no-untyped-def]
    container.migrate()
    container.migrate()
