"""Screenshots of what a browser test saw, for a person to look at after the run.

Written to ``build/screenshots/`` (ignored by git; CI may keep it as an artifact). A test
asserts on the page; the picture is for reviewing layout and charts by eye.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000, "an empty screenshot"
    return path
