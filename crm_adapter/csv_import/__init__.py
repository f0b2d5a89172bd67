"""Load the book from CSV exports: validated row by row, written all or nothing."""

from crm_adapter.csv_import.importer import FileResult, ImportResult, import_folder

__all__ = ["FileResult", "ImportResult", "import_folder"]
