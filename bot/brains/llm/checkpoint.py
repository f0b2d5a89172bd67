"""The agent's conversation memory: a LangGraph checkpointer in SQLite (a file in HOME) or PostgreSQL."""

from __future__ import annotations

import sqlite3

from langgraph.checkpoint.base import BaseCheckpointSaver


def open_checkpointer(url: str) -> BaseCheckpointSaver[str]:
    """`sqlite:///path/conversations.db` or the app's `postgresql[+driver]://…` URL; tables are created once."""
    if url.startswith("sqlite:///"):
        from langgraph.checkpoint.sqlite import SqliteSaver

        saver: BaseCheckpointSaver[str] = SqliteSaver(sqlite3.connect(url.removeprefix("sqlite:///"),
                                                                      check_same_thread=False))  # fmt: skip
    elif url.startswith("postgresql"):
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg import Connection
        from psycopg.rows import dict_row

        dsn = "postgresql://" + url.split("://", 1)[1]
        conn = Connection.connect(dsn, autocommit=True, prepare_threshold=0, row_factory=dict_row)
        saver = PostgresSaver(conn)  # type: ignore[arg-type]
    else:
        raise ValueError(f"unsupported checkpoint URL: {url.split(':', 1)[0]}")
    saver.setup()  # type: ignore[attr-defined]
    return saver
