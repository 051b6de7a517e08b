"""GET /export/{announcement|account|post|comment}: the whole matching set, streamed.

One route per kind, each with the filters of that kind's list route (so OpenAPI lists
them and a filter the kind lacks is a 422). Before the first byte is sent the query is
checked and counted, so bad search syntax or a store that is down still answers with the
error envelope and its status; after that the records stream from ``store.iterate``.
"""

# No ``from __future__ import annotations``: the routes are built in a loop, and FastAPI
# must see each route's own params model, not a string it would resolve in module scope.

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from api.csv_output import chunked, content_disposition, csv_lines, wants_csv
from api.deps import SettingsDep, StoreDep
from api.exporting import EXPORT_KINDS, EXPORT_PARAMS, MEDIA_TYPES, columns, export_query, filename, jsonl_lines, records
from api.models.common import ERROR_RESPONSES
from api.params import Params
from api.provenance import provenance

router = APIRouter(prefix="/export", tags=["export"])

EXPORT_RESPONSES: dict = {
    **ERROR_RESPONSES,
    200: {"description": "JSON Lines (first line `{\"_meta\": …}`) or CSV (UTF-8 with BOM); provenance "
                         "in `X-Yuqing-*` headers either way.",
          "content": {"application/x-ndjson": {"schema": {"type": "string"}},
                      "text/csv": {"schema": {"type": "string"}}}},
}


def _route(kind: str, model: type[Params]):
    def export(params: Annotated[model, Query()], request: Request, store: StoreDep,  # type: ignore[valid-type]
               settings: SettingsDep) -> StreamingResponse:
        query = export_query(kind, params, settings)
        count = store.count(kind, query)  # fails here, as a proper error, if the store or q is bad
        prov = provenance(store, kind, query, count=count)
        fmt = "csv" if wants_csv(request, getattr(params, "format", None)) else "jsonl"
        rows = records(store, kind, query)
        lines = csv_lines(columns(kind), rows) if fmt == "csv" else jsonl_lines(prov, rows)
        headers = {"Content-Disposition": content_disposition(filename(prov, fmt)), **prov.headers()}
        return StreamingResponse(chunked(lines), media_type=MEDIA_TYPES[fmt], headers=headers)

    export.__name__ = f"export_{kind}"
    export.__doc__ = (
        f"Every {kind} matching the filters (the same as the list route's), in id order.\n\n"
        f"Columns: {', '.join(columns(kind))}. Lists are JSON arrays in JSON Lines and joined "
        f"with `|` in CSV. Example: `/export/{kind}?format=csv`"
    )
    return export


for _kind in EXPORT_KINDS:
    router.add_api_route(
        f"/{_kind}", _route(_kind, EXPORT_PARAMS[_kind]), methods=["GET"], response_class=StreamingResponse,
        responses=EXPORT_RESPONSES, summary=f"Download {_kind}s as JSON Lines or CSV, with provenance",
    )
