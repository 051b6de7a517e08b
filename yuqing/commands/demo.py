"""`yuqing demo`: the whole job on a laptop, offline.

Starts the offline web on 127.0.0.1, crawls it with the real spiders into the embedded
store (progress on the terminal), then serves the API and page. `make run` calls this.
"""

from __future__ import annotations

import os
import subprocess
import sys

import typer

from core.config import Settings
from yuqing.checks import STORE_HELP, load_settings

DEMO_DOWNLOAD_DELAY = 0.05
WEB_PORT = 8765  # fixed so that source links stored by one demo run still work in the next


def crawl_subprocess(spider: str, args: list[str], env: dict[str, str]) -> int:
    """Each crawl in its own process: Twisted's reactor cannot be restarted in one process,
    and the API's event loop must not share it."""
    cmd = [sys.executable, "-m", "yuqing.cli", "crawl", spider, *args]
    return subprocess.run(cmd, env=env).returncode


def gov_crawl_args(web_base_url: str) -> list[str]:
    """The offline web's sites as the `demo` group of crawler/sources.yaml, so that every
    stored announcement names its source (``demo-kunming``…) as a live crawl's would."""
    return ["--source", "demo", "--base-url", web_base_url]


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        store: str | None = typer.Option(None, "--store", help=STORE_HELP),
        host: str | None = typer.Option(None, "--host", help="Address the API listens on (default: $YUQING_HOST, "
                                        "127.0.0.1)."),
        port: int | None = typer.Option(None, "--port", min=1, max=65535, help="Port the API listens on (default: "
                                        "$YUQING_PORT, 8000). Example: --port 8001 (make run PORT=8001)"),
        web_port: int = typer.Option(WEB_PORT, "--web-port", help="Port of the offline web (0: any free port)."),
        serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the API after crawling (Ctrl-C stops)."),
    ) -> None:
        """Start the offline web, crawl it into the store, serve the API on http://HOST:PORT."""
        from demo.server import OfflineWeb

        from api.http_server import port_problem

        settings = load_settings(store=store, host=host, port=port)
        # Before a minute of crawling: a taken port must fail now, not after the crawl. The
        # offline web's own port is free now, but will not be once the web starts.
        if not serve:
            problem = None
        elif settings.port == web_port:
            problem = f"port {web_port} is the offline web's own (--web-port)"
        else:
            taken = port_problem(settings.host, settings.port)
            problem = f"{taken} (another server running?)" if taken else None
        if problem:
            other = next(p for p in range(settings.port + 1, settings.port + 3) if p != web_port)
            typer.echo(f"error: {problem}; pick another, e.g. --port {other} or make run PORT={other}", err=True)
            raise typer.Exit(code=2)
        # The demo pseudonymises like any installation: its own random key, made on first use.
        settings.author_key()
        env = {**os.environ, "YUQING_STORE": settings.store,
               "YUQING_AUTHOR_SALT_FILE": str(settings.author_salt_file.resolve())}
        if settings.author_salt is None:
            typer.echo(f"author salt: {settings.author_salt_file.resolve()} (owner-only; YUQING_AUTHOR_SALT overrides)")
        # The offline web is on loopback: politeness delays would only slow the demo down.
        env.setdefault("YUQING_DOWNLOAD_DELAY", str(DEMO_DOWNLOAD_DELAY))
        web = OfflineWeb(port=web_port)
        try:
            web.start()
        except OSError as exc:
            raise typer.BadParameter(f"cannot serve the offline web on port {web_port}: {exc.strerror or exc} "
                                     "(another demo running?); use --web-port 0 for any free port",
                                     param_hint="--web-port") from None
        with web:
            typer.echo(f"offline web: {web.base_url}  (robots.txt at {web.base_url}/robots.txt)")
            gov_args = gov_crawl_args(web.base_url)
            typer.echo(f"1/3 crawling {len(web.gov_start_urls())} government sites into {settings.store} …")
            failed = crawl_subprocess("gov", gov_args, env)
            typer.echo("2/3 crawling Weibo commentary (offline replay) …")
            failed |= crawl_subprocess("weibo", ["--keyword", "政务新媒体 关停", "--keyword", "公众号 停止更新",
                                                 "--base-url", f"{web.base_url}/weibo"], env)
            typer.echo("3/3 crawling news comment threads (offline replay) …")
            failed |= crawl_subprocess("news", ["--start-url", web.url("/news/pinglun/"),
                                               "--start-url", web.url("/news/daily/")], env)
            if failed:
                # The offline web fails on purpose (blocks, a comment API that always answers
                # 500) to show how yuqing reports them; a crawl that logged errors exits 1.
                typer.echo("some crawls logged errors (the offline web injects failures on purpose: blocks, "
                           "HTTP 500s); see the log above and GET /crawl-runs. Serving what was stored.", err=True)
            if not serve:
                return
            from api.app import create_app
            from api.http_server import run

            where = f"http://{settings.host}:{settings.port}"
            typer.echo(f"serving the API and page at {where}  (API docs: {where}/docs)")
            run(create_app(settings, served=True), host=settings.host, port=settings.port, log_level="info")
