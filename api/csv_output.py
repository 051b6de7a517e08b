"""CSV for every aggregate and export: negotiation, flat cells, a streamed response.

Researchers open these files in Excel as often as in pandas, so:

- UTF-8 with a byte-order mark: without it Excel guesses the legacy code page and shows
  Chinese as mojibake; pandas and R skip the BOM (``encoding="utf-8-sig"``).
- Lists joined with ``|`` (a city's top themes ``formalism:5|consolidation:3``): commas
  would fight the separator, and ``|`` never occurs in the ids and keys we store.
- Text cells that start with ``= + - @`` get a leading apostrophe, so a comment written
  as ``=HYPERLINK(…)`` stays text instead of becoming a live formula in a spreadsheet
  (OWASP "CSV injection"). Numbers are never touched; JSON output is never touched.
- CRLF line ends, as RFC 4180 and Excel expect.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Iterator, Literal, Mapping, TypeVar

from fastapi import Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
LIST_SEPARATOR = "|"
# Characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Bytes handed to the server per write when streaming: large enough that a 100,000-row
# export is a few thousand writes, small enough that the first bytes leave at once.
CHUNK_CHARS = 64 * 1024

OutputFormat = Literal["json", "csv"]
P = TypeVar("P", bound=BaseModel)


def wants_csv(request: Request, fmt: str | None) -> bool:
    """``format=csv`` wins; without ``format``, an ``Accept`` header naming text/csv."""
    if fmt:
        return fmt == "csv"
    accept = request.headers.get("accept", "")
    return any(part.split(";")[0].strip().lower() == "text/csv" for part in accept.split(","))


def without_format(params: BaseModel, base: type[P]) -> P:
    """The request's parameters as ``base`` (the route's filter model, which has no
    ``format``), so the shared ``to_query`` sees only filters."""
    return base.model_validate(params.model_dump(exclude={"format"}, exclude_none=True))


def cell(value: Any) -> str:
    """One value as CSV text: empty for null, ``true``/``false``, lists joined with ``|``,
    objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(_list_item(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _list_item(value: Any) -> str:
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return cell(value)


def csv_lines(columns: list[str], rows: Iterable[Mapping[str, Any]], *, bom: bool = True) -> Iterator[str]:
    """The header line (with the BOM first), then one line per row; missing keys are empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: list[str]) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield (BOM if bom else "") + line(columns)
    for row in rows:
        yield line([cell(row.get(c)) for c in columns])


def chunked(lines: Iterable[str], size: int = CHUNK_CHARS) -> Iterator[str]:
    """Lines gathered into chunks of about ``size`` characters (fewer, larger writes)."""
    parts: list[str] = []
    held = 0
    for text in lines:
        parts.append(text)
        held += len(text)
        if held >= size:
            yield "".join(parts)
            parts, held = [], 0
    if parts:
        yield "".join(parts)


def content_disposition(filename: str) -> str:
    # Our filenames are ASCII by construction (kinds, routes, dates), so the plain form
    # is enough for every browser and curl -J.
    return f'attachment; filename="{filename}"'


def csv_response(columns: list[str], rows: Iterable[Mapping[str, Any]], filename: str,
                 headers: Mapping[str, str] | None = None) -> StreamingResponse:
    return StreamingResponse(
        chunked(csv_lines(columns, rows)), media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": content_disposition(filename), **(headers or {})},
    )


CSV_RESPONSE: dict[int | str, dict] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}},
          "description": "JSON by default; with `format=csv` or `Accept: text/csv`, a flat CSV (UTF-8 with BOM)."},
}
