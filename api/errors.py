"""The one error format of the API: RFC 9457 problem details, mapped once for every route.

Every problem carries a stable `code` and an `error_id` that is also written to the log. `detail` is
English; a coded domain error (one raised with a catalogue key) also carries its `message_key` and, when the
request asks for another language (`?lang=zh` or `Accept-Language: zh…`), `localized_detail` in it. Unexpected
errors never show their text or stack trace to the client. Page routes get the same mapping rendered
as an accessible HTML page instead of JSON.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.pages.common import page_language
from kernel.errors import CreditDeskError, InvalidInput, new_error_id
from tools.access import OutOfScope

log = logging.getLogger("creditdesk.api")
PROBLEM_JSON = "application/problem+json"
PAGE_PREFIXES = ("/sidebar", "/dashboard")
HTTP_CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
              409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_input"}  # fmt: skip


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details plus a stable `code` and the `error_id` found in the server log."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    error_id: str
    field: str | None = None
    errors: list[FieldError] | None = None
    message_key: str | None = None
    localized_detail: str | None = None
    lang: str | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": text}
    for status, text in [
        (401, "Missing or invalid credentials"),
        (403, "Outside your scope or role"),
        (404, "Not found"),
        (422, "Invalid input (the field is named)"),
    ]  # fmt: skip
}


def _problem(request: Request, *, status: int, code: str, title: str, detail: str, error_id: str,
             field: str | None = None, errors: list[FieldError] | None = None,
             coded: CreditDeskError | None = None) -> Response:  # fmt: skip
    problem = Problem(type=f"urn:creditdesk:problem:{code}", title=title, status=status, detail=detail,
                      instance=request.url.path, code=code, error_id=error_id, field=field, errors=errors)  # fmt: skip
    if coded is not None and coded.key is not None:
        lang = page_language(request)
        problem.message_key = coded.key
        if lang != "en":
            problem.localized_detail, problem.lang = coded.text_in(lang), lang
    headers = {"WWW-Authenticate": 'Bearer realm="creditdesk"'} if status == 401 else None
    if request.url.path.startswith(PAGE_PREFIXES) and request.method == "GET":
        templates = request.app.state.templates
        return templates.TemplateResponse(
            request, "error.html", {"problem": problem}, status_code=status, headers=headers
        )
    return JSONResponse(
        problem.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CreditDeskError)
    error_id = new_error_id()
    request.state.refusal = (
        "out_of_scope" if isinstance(exc, OutOfScope) else exc.code
    )  # for the access audit
    log.info(
        "%s %s -> %s (%s) error_id=%s", request.method, request.url.path, exc.http_status, exc.code, error_id
    )
    return _problem(request, status=exc.http_status, code=exc.code, title=exc.title, detail=exc.message,
                    error_id=error_id, field=exc.field, coded=exc)  # fmt: skip


def _message(error: Mapping[str, Any]) -> str:
    """pydantic's message without its "Value error, " prefix (a validator's own sentence, as it wrote it)."""
    msg = str(error["msg"])
    return msg.removeprefix("Value error, ") if error.get("type") == "value_error" else msg


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    broken = next((e for e in exc.errors() if e.get("type") == "json_invalid"), None)
    if broken is not None:  # its `loc` is ("body", offset): a character position, not a field
        at = broken["loc"][-1] if isinstance(broken["loc"][-1], int) else 0
        return await on_domain_error(request, InvalidInput(key="api.body_not_json", params={"at": at}))
    errors = [FieldError(field=_field_name(tuple(e["loc"])), message=_message(e)) for e in exc.errors()]
    error_id = new_error_id()
    log.info("%s %s -> 422 invalid_input error_id=%s", request.method, request.url.path, error_id)
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5]) or "invalid request"
    return _problem(request, status=422, code="invalid_input", title="Invalid input", detail=detail,
                    error_id=error_id, field=errors[0].field if errors else None, errors=errors)  # fmt: skip


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    error_id = new_error_id()
    code = HTTP_CODES.get(exc.status_code, "http_error")
    log.info("%s %s -> %s error_id=%s", request.method, request.url.path, exc.status_code, error_id)
    detail = exc.detail if isinstance(exc.detail, str) else "request failed"
    return _problem(
        request, status=exc.status_code, code=code, title=detail, detail=detail, error_id=error_id
    )


async def on_unexpected_error(request: Request, exc: Exception) -> Response:
    error_id = new_error_id()
    log.exception("unexpected error on %s %s error_id=%s", request.method, request.url.path, error_id)
    return _problem(request, status=500, code="internal_error", title="Internal error",
                    detail=f"An unexpected error occurred (error id {error_id}); it has been logged.",
                    error_id=error_id)  # fmt: skip


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CreditDeskError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected_error)
