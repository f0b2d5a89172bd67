"""Review memos: draft a new version, list versions, read one, submit a draft, download as md/html/docx/pdf."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.deps import ActorDep, AsOfDep, ContainerDep
from api.routes.clients import ClientId
from api.schemas import DraftMemoIn
from tools.memos.models import Format, Language, Memo, MemoVersion

router = APIRouter(tags=["memos"])
MEDIA_TYPES: dict[str, str] = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
MemoId = Annotated[int, Path(ge=1, le=2**53)]


@router.post("/clients/{client_id}/memos", status_code=status.HTTP_201_CREATED,
             summary="Draft a review memo (saved as the client's next version)")  # fmt: skip
def draft_memo(container: ContainerDep, actor: ActorDep, client_id: ClientId, as_of: AsOfDep,
               language: Annotated[Language, Query()] = "en", body: DraftMemoIn | None = None) -> Memo:  # fmt: skip
    chosen = body.language if body is not None and body.language is not None else language
    return container.memos.draft_review_memo(actor, client_id, as_of=as_of, language=chosen)


@router.get("/clients/{client_id}/memos", summary="The client's memo versions, newest last")
def list_memos(container: ContainerDep, actor: ActorDep, client_id: ClientId) -> list[MemoVersion]:
    return container.memos.list_versions(actor, client_id)


@router.get("/memos/{memo_id}", summary="One memo version with its data")
def get_memo(container: ContainerDep, actor: ActorDep, memo_id: MemoId) -> Memo:
    return container.memos.get(actor, memo_id)


@router.get(
    "/memos/{memo_id}/download",
    summary="Download a memo as Markdown, HTML, DOCX or PDF",
    response_class=Response,
    responses={200: {"content": {t.split(";")[0]: {} for t in MEDIA_TYPES.values()}}},
)
def download_memo(container: ContainerDep, actor: ActorDep, memo_id: MemoId,
                  format: Annotated[Format, Query()] = "pdf") -> Response:  # fmt: skip
    memo = container.memos.get(actor, memo_id)
    body = container.memos.render(memo, format)
    filename = f"review-memo-{memo.client_id}-v{memo.version}.{format}"
    return Response(body, media_type=MEDIA_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})  # fmt: skip


@router.post("/memos/{memo_id}/submit",
             summary="Submit a draft memo (its author or the client's RM); it can then go on a limit request")  # fmt: skip
def submit_memo(container: ContainerDep, actor: ActorDep, memo_id: MemoId) -> Memo:
    return container.memos.submit(actor, memo_id)
