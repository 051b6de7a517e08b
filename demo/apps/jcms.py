"""大汉 JCMS list paging: ``/module/web/jpage/dataproxy.jsp`` of every JCMS-style site.

A JCMS column page embeds its first records as CDATA inside
``<script type="text/xml"><datastore>…</datastore></script>``; the page script (jpage.js)
fetches the rest from ``dataproxy.jsp?startrecord=…&endrecord=…&perpage=…`` with the
column's ``columnid`` (plus ``webid``, ``unitid``, ``path`` … which real sites also send and
which are ignored here). The answer is the same datastore XML. Records past the end give an
empty ``recordset``; an unknown column gives ``totalrecord`` 0, as the real proxy does.

The records of column ``N`` come from ``demo/web/gov/<site>/_jpage/N.yaml``
(``records``: the ``<li>…</li>`` HTML of each record, newest first).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from demo.apps import DemoRequest, DemoResponse
from demo.sites import gov_sites, site_for_path

PROXY_PATH = "module/web/jpage/dataproxy.jsp"
PREFIX = tuple(f"{site.url_prefix}{PROXY_PATH}" for site in gov_sites() if site.style == "jcms")


@lru_cache(maxsize=None)
def column_records(root: Path, column_id: str) -> tuple[str, ...]:
    source = root / "_jpage" / f"{column_id}.yaml"
    if not column_id.isdigit() or not source.is_file():
        return ()
    return tuple(yaml.safe_load(source.read_text(encoding="utf-8"))["records"])


def datastore_xml(records: list[str] | tuple[str, ...], total: int, next_group: str) -> str:
    """The datastore document both the column page and the proxy carry."""
    rows = "".join(f"<record><![CDATA[\n{r}\n]]></record>\n" for r in records)
    return (f"<datastore>\n<nextgroup><![CDATA[<a href=\"{next_group}\"></a>]]></nextgroup>\n"
            f"<totalrecord>{total}</totalrecord>\n<recordset>\n{rows}</recordset>\n</datastore>")


def handle(request: DemoRequest) -> DemoResponse:
    site = site_for_path(request.path)
    assert site is not None  # PREFIX only lists JCMS sites
    column_id = request.arg("columnid", "") or ""
    records = column_records(site.root, column_id)
    start = max(request.int_arg("startrecord", 1), 1)
    perpage = max(request.int_arg("perpage", 15), 1)
    end = max(request.int_arg("endrecord", start + perpage * 3 - 1), start - 1)
    chunk = records[start - 1:end]
    next_group = f"{site.url_prefix}{PROXY_PATH}?page=1&webid=1&path=/&columnid={column_id}&unitid=1"
    xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + datastore_xml(chunk, len(records), next_group)
    return DemoResponse(200, {"Content-Type": "text/xml;charset=UTF-8", "Server": "Apache-Coyote/1.1"},
                        xml.encode("utf-8"))
