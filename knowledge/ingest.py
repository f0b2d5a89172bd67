"""Batch ingest of files and folders: each file succeeds or fails on its own, and the batch goes on.

Guards against substituting the policy the assistant cites:
- a shipped document's id (the credit policy manual, …) is held only by the shipped file; another file
  claiming it is refused unless `replace=True` (the CLI allows that to an admin only, and audits it);
- a document id already held by another source file is refused (no silent take-over of an id);
- inside an ingested folder, files and symlinks resolving outside that folder are not followed;
- invisible characters are removed (`knowledge.sanitize`) and counted in each outcome (`sanitised`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import chain
from pathlib import Path

from kernel.catalogue import text
from kernel.errors import Conflict, CreditDeskError, Forbidden, NotFound
from knowledge.loaders import SUPPORTED_SUFFIXES, load_document
from knowledge.models import IngestOutcome, IngestReport, LoadedDocument
from knowledge.store import PolicyStore

DEFAULT_POLICY_DIR = Path(__file__).parent / "policies"


def _candidates(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES
                  and not p.name.startswith((".", "~$")) and p.is_file())  # fmt: skip


def _outside(path: Path, folder: Path) -> bool:
    return not path.resolve().is_relative_to(folder.resolve())


def discover_all(paths: Iterable[Path]) -> tuple[list[Path], list[IngestOutcome]]:
    """The files to ingest (given files as they are, folders searched recursively for supported types),
    and a refusal for every file of a folder that resolves outside it (a symlink out of the folder)."""
    found: list[Path] = []
    refused: list[IngestOutcome] = []
    for path in paths:
        if path.is_dir():
            for p in _candidates(path):
                if _outside(p, path):
                    refused.append(IngestOutcome(path=str(p), status="failed", source=p.name,
                                                 reason=text("security.kb_outside", file=p.name, folder=path)))  # fmt: skip
                else:
                    found.append(p)
        elif path.is_file():
            found.append(path)
        else:
            raise NotFound(f"no such file or folder: {path}", field="path")
    return found, refused


def discover(paths: Iterable[Path]) -> list[Path]:
    """The files an ingest of `paths` reads (links out of a folder excluded)."""
    return discover_all(paths)[0]


@cache
def shipped_ids() -> frozenset[str]:
    """Ids of the documents shipped with the product (reserved for the shipped files)."""
    return frozenset(load_document(p).document_id for p in _candidates(DEFAULT_POLICY_DIR))


def _is_shipped_file(path: Path) -> bool:
    return not _outside(path, DEFAULT_POLICY_DIR)


def check_claim(document: LoadedDocument, path: Path, held: dict[str, str], *, replace: bool) -> None:
    """Refuse a file that would take over a shipped document's id or an id held by another source
    (`held`: document id -> source file name), unless `replace`."""
    if replace:
        return
    doc_id = document.document_id
    if doc_id in shipped_ids() and not _is_shipped_file(path):
        raise Forbidden(text("security.kb_shipped", file=path.name, document=doc_id), field=path.name)
    source = held.get(doc_id)
    if source is not None and source != document.source:
        raise Conflict(
            text("security.kb_id_taken", file=path.name, document=doc_id, source=source), field=path.name
        )


def _outcomes(
    store: PolicyStore, files: list[Path], access: str | None, replace: bool
) -> Iterator[IngestOutcome]:
    held = {d.document_id: d.source for d in store.documents()}
    for path in files:
        try:
            document = load_document(path, access=access)
            check_claim(document, path, held, replace=replace)
            status, chunks = store.ingest(document)
        except CreditDeskError as exc:
            yield IngestOutcome(path=str(path), status="failed", reason=exc.message, source=path.name)
            continue
        held[document.document_id] = document.source
        yield IngestOutcome(path=str(path), status=status, document_id=document.document_id,
                            title=document.title, chunks=chunks, content_hash=document.content_hash,
                            source=document.source, sanitised=document.sanitised)  # fmt: skip


def ingest_paths(store: PolicyStore, paths: Iterable[Path], *, access: str | None = None,
                 on_file: Callable[[IngestOutcome], None] | None = None, replace: bool = False) -> IngestReport:  # fmt: skip
    """Ingest every file under `paths`; failures and refusals are reported by name with the reason."""
    files, refused = discover_all(paths)
    outcomes = []
    with store.bulk():
        for outcome in chain(refused, _outcomes(store, files, access, replace)):
            outcomes.append(outcome)
            if on_file is not None:
                on_file(outcome)
    return IngestReport(outcomes=outcomes)


def ensure_default_policies(store: PolicyStore) -> IngestReport:
    """Ingest the shipped policy manual (idempotent: unchanged documents are skipped)."""
    return ingest_paths(store, [DEFAULT_POLICY_DIR])
