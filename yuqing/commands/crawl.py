"""`yuqing crawl gov|weibo|news`: run one spider into the store, with progress."""

from __future__ import annotations

import typer

from yuqing.config import Settings

crawl_app = typer.Typer(help="Crawl sources into the store (progress is logged every few seconds).",
                        no_args_is_help=True)

StoreOpt = typer.Option(None, "--store", help="Store URL, e.g. sqlite:///data/yuqing.db or http://localhost:9200 "
                        "(default: $YUQING_STORE, else sqlite:///data/yuqing.db).")


def _settings(store: str | None) -> Settings:
    s = Settings()
    return s.model_copy(update={"store": store}) if store else s


def _finish(stats: dict) -> None:
    stored = {k.removeprefix("yuqing/stored/"): v for k, v in stats.items() if k.startswith("yuqing/stored/")}
    typer.echo(f"finished: {stats.get('finish_reason', '?')}; pages {stats.get('response_received_count', 0)}; "
               f"stored {stored or 'nothing'}")
    blocked = {k: v for k, v in stats.items() if k.startswith("yuqing/blocked")}
    if blocked:
        typer.echo(f"blocked: {blocked}", err=True)
    if stats.get("log_count/ERROR"):
        typer.echo(f"{stats['log_count/ERROR']} errors were logged; see above.", err=True)
        raise typer.Exit(code=1)


@crawl_app.command("gov")
def crawl_gov(
    start_url: list[str] = typer.Option(None, "--start-url", help="A notice-list or article URL to start from; "
                                        "repeat for several. Without it, every source in crawler/sources.yaml "
                                        "is crawled. Example: --start-url http://127.0.0.1:8765/gov/kunming/"),
    source: list[str] = typer.Option(None, "--source", help="Only these source ids from sources.yaml."),
    store: str | None = StoreOpt,
) -> None:
    """Crawl government sites for account-closure announcements."""
    from yuqing.crawling import run_crawl

    args = {}
    if start_url:
        args["start_urls"] = ",".join(start_url)
    if source:
        args["sources"] = ",".join(source)
    _finish(run_crawl("gov", _settings(store), args))


@crawl_app.command("weibo")
def crawl_weibo(
    keyword: list[str] = typer.Option(..., "--keyword", help="Search keyword; repeat for several. "
                                      "Example: --keyword 政务新媒体 --keyword 关停"),
    max_pages: int = typer.Option(10, "--max-pages", min=1, help="Search result pages per keyword."),
    since: str | None = typer.Option(None, "--since", help="Only posts created on or after this date (YYYY-MM-DD)."),
    base_url: str | None = typer.Option(None, "--base-url", help="Host answering Weibo's mobile JSON endpoints "
                                        "(default: $YUQING_WEIBO_BASE_URL, https://m.weibo.cn)."),
    store: str | None = StoreOpt,
) -> None:
    """Crawl Weibo posts about closures, with their comments and replies."""
    from yuqing.crawling import run_crawl

    settings = _settings(store)
    args = {"keywords": ",".join(keyword), "max_pages": str(max_pages),
            "base_url": base_url or settings.weibo_base_url}
    if since:
        args["since"] = since
    _finish(run_crawl("weibo", settings, args))


@crawl_app.command("news")
def crawl_news(
    start_url: list[str] = typer.Option(..., "--start-url", help="A news list or article URL; repeat for several."),
    store: str | None = StoreOpt,
) -> None:
    """Crawl news articles about closures with their comment threads."""
    from yuqing.crawling import run_crawl

    _finish(run_crawl("news", _settings(store), {"start_urls": ",".join(start_url)}))


def register(app: typer.Typer) -> None:
    app.add_typer(crawl_app, name="crawl")
