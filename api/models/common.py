"""Shapes shared by every resource: the list envelope and the error body."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class PublicModel(BaseModel):
    # Stored documents may carry fields a model does not publish; they are dropped, not errors.
    model_config = ConfigDict(extra="ignore")


class Identified(PublicModel):
    """Listed first among the bases of a Public model, so ``id`` leads each JSON object."""

    id: str


class ListEnvelope(BaseModel, Generic[T]):
    data: list[T]
    count: int = Field(description="Total number of matching documents (all pages).")
    page: int = Field(description="This page's number (1 when paging by cursor).")
    size: int = Field(description="Requested page size.")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last page.")


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. invalid_parameters, bad_query, not_found.")
    message: str = Field(description="What went wrong, for a human.")
    detail: Any = Field(None, description="For 422: one {parameter, reason, value} per bad parameter.")


class ErrorEnvelope(BaseModel):
    error: ErrorBody


# For OpenAPI: the error responses every list/detail route can give.
ERROR_RESPONSES: dict[int | str, dict] = {
    400: {"model": ErrorEnvelope, "description": "Unparseable search syntax."},
    422: {"model": ErrorEnvelope, "description": "Bad parameters; detail lists each with its reason."},
    503: {"model": ErrorEnvelope, "description": "Store unavailable or query timed out."},
}
NOT_FOUND_RESPONSE: dict[int | str, dict] = {404: {"model": ErrorEnvelope, "description": "No document with this id."}}
