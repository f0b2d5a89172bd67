"""The built-in SQL store (SQLModel): SQLite file by default, PostgreSQL by URL."""
