"""Bank statements as banks deliver them: SWIFT MT940, ISO 20022 camt.053 and CSV exports of online banking.

Parsed into typed records (`records.py`), checked (balances, gaps), stored idempotently (`tables.py`) and
turned into the monthly `bank_flows` the engine reads (`flows.py`). `import_statements` is the entry point.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crm_adapter.statements.csv_export import CsvMapping, load_mapping
    from crm_adapter.statements.importer import StatementImport, import_statements, read_statement_file
    from crm_adapter.statements.records import ParsedStatement, ParsedTransaction, StatementFormatError

# The parsers load on first use (PEP 562): reading stored statements (flows, tables) needs none of them, and
# a cold `creditdesk ask` should not pay for MT940/camt/CSV parsing it never does.
_WHERE = {
    "CsvMapping": "csv_export", "load_mapping": "csv_export",
    "StatementImport": "importer", "import_statements": "importer", "read_statement_file": "importer",
    "ParsedStatement": "records", "ParsedTransaction": "records", "StatementFormatError": "records",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)


__all__ = [
    "CsvMapping",
    "ParsedStatement",
    "ParsedTransaction",
    "StatementFormatError",
    "StatementImport",
    "import_statements",
    "load_mapping",
    "read_statement_file",
]
