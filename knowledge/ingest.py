"""Batch ingest of files and folders: each file succeeds or fails on its own, and the batch goes on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kernel.errors import CreditDeskError, NotFound
from knowledge.loaders import SUPPORTED_SUFFIXES, load_document
from knowledge.models import IngestOutcome, IngestReport
from knowledge.store import PolicyStore

DEFAULT_POLICY_DIR = Path(__file__).parent / "policies"


def discover(paths: Iterable[Path]) -> list[Path]:
    """The files to ingest: given files as they are, folders searched recursively for supported types."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                                and not p.name.startswith((".", "~$"))))  # fmt: skip
        elif path.is_file():
            found.append(path)
        else:
            raise NotFound(f"no such file or folder: {path}", field="path")
    return found


def _outcomes(store: PolicyStore, files: list[Path], access: str | None) -> Iterator[IngestOutcome]:
    for path in files:
        try:
            document = load_document(path, access=access)
            status, chunks = store.ingest(document)
        except CreditDeskError as exc:
            yield IngestOutcome(path=str(path), status="failed", reason=exc.message)
            continue
        yield IngestOutcome(path=str(path), status=status, document_id=document.document_id,
                            title=document.title, chunks=chunks)  # fmt: skip


def ingest_paths(store: PolicyStore, paths: Iterable[Path], *, access: str | None = None,
                 on_file: Callable[[IngestOutcome], None] | None = None) -> IngestReport:  # fmt: skip
    """Ingest every file under `paths`; failures are reported by name with the reason."""
    files = discover(paths)
    outcomes = []
    with store.bulk():
        for outcome in _outcomes(store, files, access):
            outcomes.append(outcome)
            if on_file is not None:
                on_file(outcome)
    return IngestReport(outcomes=outcomes)


def ensure_default_policies(store: PolicyStore) -> IngestReport:
    """Ingest the shipped policy manual (idempotent: unchanged documents are skipped)."""
    return ingest_paths(store, [DEFAULT_POLICY_DIR])
