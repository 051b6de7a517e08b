"""`yuqing explain URL`: what the gov spider sees on one page, and why it would or would not
follow each link — the command to run when a new site yields nothing."""

from __future__ import annotations

import json
import logging
import unicodedata

import typer

EXAMPLES = ("Examples:\n\n  yuqing explain http://127.0.0.1:8765/layouts/trs-ul/r3/tzgg/index.html\n\n"
            "  yuqing explain --json http://www.km.gov.cn/zwgk/tzgg/ | jq '.links[] | select(.follow)'")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int) -> str:
    out, used = "", 0
    for c in text:
        w = _width(c)
        if used + w > width:
            return out[:-1] + "…" if out else "…"
        out, used = out + c, used + w
    return out + " " * (width - used)


def render(found: dict) -> str:
    s = found["signals"]
    lines = [f"URL:       {found['url']}",
             f"page kind: {found['kind']} — {found['reason']}",
             f"signals:   {s['prose_chars']} chars of prose; largest repeated group {s['largest_repeated_group']} rows; "
             f"pagination {', '.join(s['pagination']) or 'none'}{' (last page)' if s['last_page'] else ''}; "
             f"{s['notice_links']} notice links; article meta {'yes' if s['article_meta'] else 'no'}",
             f"scope:     {found['scope'] or '(that of the start URL which leads here)'}"]
    if found["kind"] == "list":
        links = found["links"]
        lines.append(f"\nlinks ({len(links)}; followed {sum(1 for link in links if link['follow'])}):")
        lines.append(f"  {'follow':<7}{'kind':<9}{'rule':<16}{'signals':<27}{_cut('text', 34)} url")
        for link in links:
            lines.append(f"  {'yes' if link['follow'] else 'no':<7}{link['kind']:<9}{link['rule']:<16}"
                         f"{','.join(link['signals']) or '-':<27}{_cut(link['text'], 34)} {link['url']}")
        lines.append(f"\nnext pages ({len(found['next_pages'])}):")
        lines += [f"  {u}" for u in found["next_pages"]] or ["  (none)"]
        if found["more_lists"]:
            lines.append(f"\nmore lists ({len(found['more_lists'])}):")
            lines += [f"  {u}" for u in found["more_lists"]]
        return "\n".join(lines)
    a = found.get("article")
    if a:
        date = a["date"]
        said = f"; the other source said {date['overruled']}" if date["overruled"] else ""
        lines += [f"\ntitle:     {a['title']['value']}  (from {a['title']['source']})",
                  f"date:      {date['value'] or '-'}  (from {date['source'] or 'nowhere'}{said})",
                  f"issuer:    {a['issuer']['value'] or '-'}  (from {a['issuer']['source'] or 'nowhere'})",
                  f"body:      {a['body_chars']} chars"]
    c = found.get("closure")
    if c is None:
        lines.append("closure:   no main text, not judged")
    elif c["closure"]:
        lines.append(f"closure:   yes — {c['reason']} ({c['platform_term']} + {c['action_term']}): {c['sentence']}")
    else:
        lines.append(f"closure:   no — {c['reason']}" + (f": {c['sentence']}" if c["sentence"] else ""))
    return "\n".join(lines)


def explain_command(
    url: str = typer.Argument(..., help="The page to explain: a notice list (通知公告) or a notice."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    reached_as: str = typer.Option("start", "--as", help="Read the page as the crawl reads a start URL (start), "
                                   "a list's record (record) or a list's further page (page)."),
) -> None:
    from crawler.explain import ExplainError, explain
    from crawler.spiders.gov import StartUrlError

    if reached_as not in ("start", "record", "page"):
        typer.echo(f"error: --as must be start, record or page, not {reached_as!r}", err=True)
        raise typer.Exit(code=2)
    # The spider's per-page log lines would repeat what the table says; quiet for this call only.
    crawler_log = logging.getLogger("crawler")
    level = crawler_log.level
    crawler_log.setLevel(logging.ERROR)
    try:
        found = explain(url, reached_as)
    except StartUrlError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    except ExplainError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    finally:
        crawler_log.setLevel(level)
    typer.echo(json.dumps(found, ensure_ascii=False, indent=2) if as_json else render(found))


def register(app: typer.Typer) -> None:
    app.command("explain", help="Show what the gov spider sees on one page: list or article and why, every link "
                "with follow yes/no and the rule that decided, next pages; for an article its title, date, "
                "issuer and the closure decision.\n\n" + EXAMPLES)(explain_command)
