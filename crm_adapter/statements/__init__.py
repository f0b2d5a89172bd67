"""Bank statements as banks deliver them: SWIFT MT940, ISO 20022 camt.053 and CSV exports of online banking.

Parsed into typed records (`records.py`), checked (balances, gaps), stored idempotently (`tables.py`) and
turned into the monthly `bank_flows` the engine reads (`flows.py`). `import_statements` is the entry point.
"""

from crm_adapter.statements.csv_export import CsvMapping, load_mapping
from crm_adapter.statements.importer import StatementImport, import_statements, read_statement_file
from crm_adapter.statements.records import ParsedStatement, ParsedTransaction, StatementFormatError

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
