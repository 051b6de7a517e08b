"""POST /analyze: label a batch of the caller's own texts with the crawl's analysis."""

from __future__ import annotations

import json
from typing import Callable, Literal

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from api.analysis_work import label_in_chunks, run_bounded
from api.deps import SettingsDep
from api.errors import InvalidParameters, PayloadTooLarge, problem
from core.limits import MAX_ANALYSIS_CHARS
from core.untrusted import parse_json
from api.models.common import ERROR_RESPONSES, ErrorEnvelope

# One request's texts. A thousand comments analyse in about a second; larger corpora go
# through `yuqing analyze` on the command line, which streams.
MAX_TEXTS = 1000
# One request's body. 1,000 long notices (the longest closure notices seen run to ~3,000
# characters, 9 KB in UTF-8, plus JSON escaping) fit in 16 MB; a body larger than that is
# refused before it is read in full, so one request cannot fill the server's memory.
MAX_BODY_BYTES = 16 * 1024 * 1024


def _too_large(received: int | None) -> PayloadTooLarge:
    size = f"{received}" if received is not None else f"more than {MAX_BODY_BYTES}"
    return PayloadTooLarge(
        f"request body of {size} bytes; at most {MAX_BODY_BYTES} per request. Split the batch, "
        "or stream a large corpus through `yuqing analyze`.",
        detail={"max_bytes": MAX_BODY_BYTES, "received_bytes": received},
    )


class CappedBodyRoute(APIRoute):
    """Reads the body itself, stopping at MAX_BODY_BYTES (declared or streamed) with a 413,
    before FastAPI parses and validates it."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def capped(request: Request) -> Response:
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                raise _too_large(int(declared))
            body = bytearray()
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    raise _too_large(None)  # streamed without a length
            # Parsed here first (core/untrusted.py): nesting is bounded and lone surrogates are
            # replaced, so FastAPI's own parsing below gets a body it can always answer about.
            try:
                value = parse_json(bytes(body))
            except ValueError as exc:
                reason = f"the body is not valid JSON ({exc})"
                raise InvalidParameters("invalid parameters: body", [problem("body", "invalid_json", reason)]) from None
            request._body = json.dumps(value, ensure_ascii=False).encode("utf-8")
            return await handler(request)

        return capped


router = APIRouter(prefix="/analyze", tags=["analyze"], route_class=CappedBodyRoute)


class AnalyzeText(BaseModel):
    text: str = Field(..., min_length=1, description="The text to label.")
    title: str | None = Field(None, description="Title (announcements).")
    issuer: str | None = Field(None, description="Issuing body (announcements): the most trusted place evidence.")
    published_at: str | None = Field(None, description="ISO publication date: the year of dates written without one.")
    subject_city: str | None = Field(None, description="City the text is about, when known (comments).")
    wechat_account: str | None = Field(None, description=(
        "Announcements published as a WeChat article: the article's own account, what 本公众号 refers to."))


class AnalyzeRequest(BaseModel):
    kind: Literal["announcement", "comment"] = Field(
        "comment", description="announcement: places, accounts, platforms; comment: stance.")
    texts: list[AnalyzeText] = Field(..., description=f"Up to {MAX_TEXTS} texts.")


class AnalyzeResult(BaseModel):
    truncated: bool = Field(description=f"The text (or title) is longer than {MAX_ANALYSIS_CHARS} characters: "
                            "its labels come from the first that many.")
    sentiment: float | None
    sentiment_label: str | None = Field(description="Null for announcements: snownlp's tone of a formal notice "
                                        "is not meaningful (the raw `sentiment` score is kept).")
    province: str | None
    city: str | None
    district: str | None
    admin_code: str | None
    ambiguous: bool
    themes: list[str]
    platforms: list[str]
    accounts: list[dict]
    stance: str | None
    sentiment_model: str | None = None  # which sentiment model scored the text
    stance_model: str | None = None  # which stance model did (posts and comments)


class AnalyzeResponse(BaseModel):
    data: list[AnalyzeResult]
    count: int


@router.post("", response_model=AnalyzeResponse,
             responses={**ERROR_RESPONSES, 413: {"model": ErrorEnvelope,
                                             "description": f"More than {MAX_TEXTS} texts, or a body over {MAX_BODY_BYTES} bytes."}},
             summary="Label your own texts (sentiment, places, themes, accounts, stance)")
async def analyze(body: AnalyzeRequest, settings: SettingsDep, request: Request) -> dict:
    """The same labels the crawl gives, for up to 1,000 texts per request, in input order.
    Each text is read up to its first 50,000 characters (``truncated`` says when). At most
    two requests are analysed at once (others wait up to 10 s, then 503 ``analysis_busy``);
    one request may take 60 s (then 503 ``analysis_time_limit``); a request whose client
    leaves is stopped. Example body: ``{"kind": "comment", "texts": [{"text": "早就该关了，纯属浪费资源"}]}``"""
    from analysis.enrich import AnalysisOptions

    if len(body.texts) > MAX_TEXTS:
        raise PayloadTooLarge(
            f"{len(body.texts)} texts sent; at most {MAX_TEXTS} per request. Split the batch, "
            "or stream a large corpus through `yuqing analyze`.",
            detail={"max_texts": MAX_TEXTS, "received": len(body.texts)},
        )
    options = AnalysisOptions.from_settings(settings)
    records = [t.model_dump() for t in body.texts]
    labels = await run_bounded(lambda stop: label_in_chunks(body.kind, records, options, stop),
                               client_gone=request.is_disconnected)
    return {"data": labels, "count": len(labels)}
