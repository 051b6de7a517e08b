"""`yuqing crawl gov|weibo|news`: run one spider into the store, with progress."""

from __future__ import annotations

import typer

from core.config import Settings
from yuqing.exit_codes import STORE_UNUSABLE, crawl_outcome
from yuqing.checks import STORE_HELP, check_date, load_settings

crawl_app = typer.Typer(help="Crawl sources into the store (progress is logged every few seconds). Exit codes: "
                        "0 complete; 1 completed with logged errors, blocks, spilled documents or nothing stored; "
                        "2 bad arguments; 3 store unusable (nothing crawled).",
                        no_args_is_help=True)

StoreOpt = typer.Option(None, "--store", help=STORE_HELP)


def _settings(store: str | None) -> Settings:
    # The store URL is judged by `_checked`: for a crawl an unusable store is exit 3, not 2.
    return load_settings(store=store, uses_store=False)


def _checked(settings: Settings) -> Settings:
    """The settings, once their store has opened and answered; else one line and exit 3."""
    from yuqing.store_check import StoreUnusable, check_store

    try:
        check_store(settings)
    except StoreUnusable as exc:
        typer.echo(f"error: {exc}; nothing was crawled.", err=True)
        raise typer.Exit(code=STORE_UNUSABLE) from None
    return settings


def _stored_summary(stats: dict) -> str:
    """"announcement 37 new, 0 updated, 0 unchanged; account 50 new, …" from the store stats."""
    kinds: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith("yuqing/stored/"):
            kind, outcome = key.removeprefix("yuqing/stored/").split("/", 1)
            kinds.setdefault(kind, {})[outcome] = value
    if not kinds:
        return "nothing"
    return "; ".join(f"{kind} {c.get('inserted', 0)} new, {c.get('updated', 0)} updated, "
                     f"{c.get('unchanged', 0)} unchanged" for kind, c in kinds.items())


def _finish(stats: dict, gov: bool = False) -> None:
    typer.echo(f"finished: {stats.get('finish_reason', '?')}; pages {stats.get('response_received_count', 0)}; "
               f"stored {_stored_summary(stats)}")
    if gov:  # how the pages the gov spider read were judged
        typer.echo(f"government pages: {stats.get('yuqing/list_pages', 0)} list pages, "
                   f"{stats.get('yuqing/articles', 0)} articles read, "
                   f"{stats.get('yuqing/not_closure', 0)} not closure notices, "
                   f"{stats.get('yuqing/request_failed', 0) + stats.get('yuqing/start_failed', 0)} fetches failed, "
                   f"{stats.get('robotstxt/forbidden', 0)} refused by robots.txt")
    if stats.get("yuqing/coverage/threads"):
        fetched, reported = stats.get("yuqing/coverage/comments_fetched_of_reported", 0), \
            stats.get("yuqing/coverage/comments_reported", 0)
        share = f" ({fetched / reported:.0%})" if reported else ""
        typer.echo(f"comments: fetched {fetched} of {reported} reported{share}; "
                   f"threads {stats['yuqing/coverage/threads']}, partial {stats.get('yuqing/coverage/partial_threads', 0)}")
    blocked = {k: v for k, v in stats.items() if k.startswith("yuqing/blocked")}
    if blocked:
        typer.echo(f"blocked: {blocked}", err=True)
    outcome = crawl_outcome(stats)
    if outcome.code:
        typer.echo(f"exit {outcome.code}: {'; '.join(outcome.reasons)}; see above.", err=True)
        raise typer.Exit(code=outcome.code)


def _gov_args(start_url: list[str], source: list[str], base_url: str | None, max_list_pages: int,
              settings: Settings) -> dict[str, str]:
    """The gov spider's arguments, checked before Scrapy starts so that a typo is one clear
    line (exit 2), not a traceback after the crawler has set itself up."""
    from crawler.sources import SOURCES_FILE, SourcesError, load_sources, select_sources
    from crawler.spiders.gov import StartUrlError, check_start_url

    try:
        for url in start_url:
            check_start_url(url)
    except StartUrlError as exc:
        raise typer.BadParameter(str(exc), param_hint="--start-url") from None
    if source:
        try:
            for chosen in select_sources(load_sources(settings.sources_file or SOURCES_FILE), source):
                chosen.start_url(base_url)
        except SourcesError as exc:
            raise typer.BadParameter(str(exc).replace("-a base_url=", "--base-url "), param_hint="--source") from None
    args = {"max_list_pages": str(max_list_pages)}
    if start_url:
        args["start_urls"] = ",".join(start_url)
    if source:
        args["sources"] = ",".join(source)
    if base_url:
        args["base_url"] = base_url
    return args


@crawl_app.command("gov")
def crawl_gov(
    start_url: list[str] = typer.Option(None, "--start-url", metavar="URL", help="A notice-list page (or an "
                                        "overview page linking to one, or a single notice) to start from; repeat "
                                        "for several. Without --start-url or --source, every `live` source in "
                                        "crawler/sources.yaml is crawled. Example: --start-url "
                                        "http://www.xa.gov.cn/tzgg/"),
    source: list[str] = typer.Option(None, "--source", metavar="ID", help="A source id from crawler/sources.yaml "
                                     "(or a group: live, demo); repeat for several. Example: --source xian-gsgg"),
    base_url: str | None = typer.Option(None, "--base-url", metavar="URL", help="Address of the offline web, for "
                                        "the `demo` sources (their paths are relative). Example: --source demo "
                                        "--base-url http://127.0.0.1:8765"),
    max_list_pages: int = typer.Option(50, "--max-list-pages", min=1, help="List pages followed per start URL "
                                       "(50 reach back about two years on a city's notice list)."),
    full: bool = typer.Option(False, "--full", help="Fetch every list page and notice again, ignoring what the "
                              "store already has (default: only what changed)."),
    recheck_depth: int | None = typer.Option(None, "--recheck-depth", min=1, help="List pages in a row of known "
                                             "notices before a re-crawl stops walking a list (default: "
                                             "$YUQING_RECHECK_DEPTH, 1). Example: --recheck-depth 3"),
    store: str | None = StoreOpt,
) -> None:
    """Crawl government sites for account-closure announcements (exit 1 if a start URL fails)."""
    from yuqing.crawling import run_crawl

    settings = _settings(store).with_options(incremental=False if full else None, recheck_depth=recheck_depth)
    args = _gov_args(start_url or [], source or [], base_url, max_list_pages, settings)
    _checked(settings)
    _finish(run_crawl("gov", settings, args), gov=True)


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

    since = check_date(since, "--since")
    settings = _checked(_settings(store))
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

    from crawler.spiders.gov import StartUrlError, check_start_url

    try:
        for url in start_url:
            check_start_url(url)
    except StartUrlError as exc:
        raise typer.BadParameter(str(exc).replace("www.km.gov.cn/zwgk/tzgg/", "news.example.com/closures/"),
                                 param_hint="--start-url") from None
    _finish(run_crawl("news", _checked(_settings(store)), {"start_urls": ",".join(start_url)}))


def register(app: typer.Typer) -> None:
    app.add_typer(crawl_app, name="crawl")
