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
        store: str | None = typer.Option(None, "--store", help="Store URL (default: $YUQING_STORE, else "
                                         "sqlite:///data/yuqing.db). Example: --store sqlite:///data/demo.db"),
        host: str = typer.Option("127.0.0.1", "--host", help="Address the API listens on."),
        port: int = typer.Option(8000, "--port", help="Port the API listens on."),
        web_port: int = typer.Option(WEB_PORT, "--web-port", help="Port of the offline web (0: any free port)."),
        serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the API after crawling (Ctrl-C stops)."),
    ) -> None:
        """Start the offline web, crawl it into the store, serve the API on http://HOST:PORT."""
        from demo.server import OfflineWeb

        settings = Settings().with_options(store=store)
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
            import uvicorn

            from api.app import create_app

            typer.echo(f"serving the API and page at http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
            uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
