"""One error envelope for every failure the API reports.

Every error body is ``{"error": {"code": str, "message": str, "detail": ...}}``. Route code
raises an ``ApiError`` (which carries its HTTP status); store failures and FastAPI's own
validation errors are translated here, so no bad input ever surfaces as a 500 and a client
needs one parser for every error. ``tests/api/test_errors.py`` pins the shape.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from store.errors import InvalidQuery, QuerySyntaxError, QueryTimeout, StoreError, StoreUnavailable, UnknownBackend

logger = logging.getLogger(__name__)

# Why one parameter was refused: the ``code`` of each ``{"parameter", "code", "reason", "value"}``
# row of a 422. Programs and the web page (which says it in Chinese) read the code, never the
# English ``reason``.
UNKNOWN_PARAMETER = "unknown_parameter"
NOT_ALLOWED = "not_allowed"  # not one of the listed values
BAD_DATE = "bad_date"
DATE_ORDER = "date_order"  # date_from after date_to
TOO_SMALL = "too_small"
TOO_LARGE = "too_large"
TOO_LONG = "too_long"
PAGE_WINDOW = "page_window"  # page × size past the window: page on with the cursor
BAD_CURSOR = "bad_cursor"
INVALID = "invalid"  # anything else
# pydantic error types → row codes.
_CODE_OF_TYPE = {
    "extra_forbidden": UNKNOWN_PARAMETER,
    "literal_error": NOT_ALLOWED, "enum": NOT_ALLOWED,
    "date_from_datetime_parsing": BAD_DATE, "date_parsing": BAD_DATE, "date_type": BAD_DATE,
    "date_from_datetime_inexact": BAD_DATE,
    "greater_than_equal": TOO_SMALL, "greater_than": TOO_SMALL,
    "less_than_equal": TOO_LARGE, "less_than": TOO_LARGE,
    "string_too_long": TOO_LONG, "too_long": TOO_LONG,
}


def problem(parameter: str, code: str, reason: str, value: Any = None) -> dict:
    """One row of a 422's ``detail``."""
    return {"parameter": parameter, "code": code, "reason": reason, "value": value}


class ApiError(Exception):
    """An error the API reports as-is: status, a stable machine code, a human message."""

    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, detail: Any = None, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "detail": self.detail}}


class BadQuery(ApiError):
    status, code = 400, "bad_query"


class NotFound(ApiError):
    status, code = 404, "not_found"


class PayloadTooLarge(ApiError):
    status, code = 413, "payload_too_large"


class InvalidParameters(ApiError):
    """422; ``detail`` lists ``{"parameter", "reason", "value"}`` per offending parameter."""

    status, code = 422, "invalid_parameters"

    @classmethod
    def one(cls, parameter: str, code: str, reason: str, value: Any = None) -> "InvalidParameters":
        return cls(f"invalid parameter {parameter}: {reason}", [problem(parameter, code, reason, value)])


class ServiceUnavailable(ApiError):
    status, code = 503, "store_unavailable"


def parameter_errors(errors: list[dict]) -> list[dict]:
    """FastAPI/pydantic validation errors as ``{"parameter", "code", "reason", "value"}`` rows.

    ``loc`` is ``("query", "date_from")`` or ``("body", 0, "text")``; the parameter is the
    path after the location, so ``body.0.text`` points into a JSON body.
    """
    rows = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ())]
        if loc and loc[0] in {"query", "path", "header", "cookie"}:
            where = loc[1:2]  # ("query", "city", 1): the second repeat of city= is still "city"
        elif loc and loc[0] == "body" and err.get("type") == "json_invalid":
            where = ["body"]  # loc[1] is a character offset into the text, not a field
        elif loc and loc[0] == "body":
            where = loc[1:]
        else:
            where = loc
        value = err.get("input")
        reason = err.get("msg", "invalid")
        if err.get("type") == "json_invalid":
            reason = f"the body is not valid JSON ({err.get('ctx', {}).get('error', 'parse error')} at character {loc[1] if len(loc) > 1 else '?'})"
        if err.get("type") == "extra_forbidden":
            reason = "unknown parameter (misspelt?); /docs lists the parameters of each route"
        rows.append(problem(
            ".".join(where) or (loc[0] if loc else "request"),
            _CODE_OF_TYPE.get(err.get("type", ""), INVALID),
            reason,
            # Echo only simple values: an echoed whole body could be megabytes.
            value if isinstance(value, (str, int, float, bool)) or value is None else None,
        ))
    return rows


def _json(status: int, code: str, message: str, detail: Any = None, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "detail": detail}},
                        status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        rows = parameter_errors(list(exc.errors()))
        names = ", ".join(dict.fromkeys(r["parameter"] for r in rows))
        return _json(422, InvalidParameters.code, f"invalid parameters: {names}", rows)

    @app.exception_handler(QuerySyntaxError)
    async def _syntax(request: Request, exc: QuerySyntaxError) -> JSONResponse:
        return _json(400, exc.code, f"cannot parse the search q: {exc}",
                     {"parameter": "q", "value": request.query_params.get("q")})

    @app.exception_handler(InvalidQuery)
    async def _invalid(request: Request, exc: InvalidQuery) -> JSONResponse:
        return _json(422, InvalidParameters.code, f"invalid query: {exc}", [problem("query", INVALID, str(exc))])

    @app.exception_handler(QueryTimeout)
    async def _timeout(request: Request, exc: QueryTimeout) -> JSONResponse:
        # Retry-After: a timeout is usually load or an expensive query, not a permanent state.
        return _json(503, exc.code, f"the query took too long and was stopped: {exc}", None,
                     headers={"Retry-After": "5"})

    @app.exception_handler(StoreUnavailable)
    async def _unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        return _json(503, exc.code, f"the store is unavailable: {exc}", None, headers={"Retry-After": "30"})

    @app.exception_handler(UnknownBackend)
    async def _unknown_backend(request: Request, exc: UnknownBackend) -> JSONResponse:
        return _json(503, StoreUnavailable.code, f"the store is misconfigured: {exc}")

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> JSONResponse:
        logger.error("store error on %s: %s", request.url.path, exc)
        return _json(503, exc.code, f"the store failed: {exc}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no route {request.url.path}; see /docs for the API"
        return _json(exc.status_code, codes.get(exc.status_code, "http_error"), message,
                     None if isinstance(exc.detail, str) else exc.detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # A bug, not bad input: log the traceback, answer in the same envelope.
        logger.exception("unhandled error on %s", request.url.path)
        return _json(500, "internal_error", "internal error; the server log has the details")
