"""One browser tab in a test, and the console errors it collected."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import ConsoleMessage, Page


@dataclass
class Visit:
    """A browser tab plus everything it complained about while the test used it."""

    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)

    def open(self, path: str = "/") -> None:
        self.page.goto(self.base_url + path)

    def record(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")
