"""Every test: an installation's author salt is generated in a temporary folder, never in
the repository's data/ (tests that build Settings without YUQING_AUTHOR_SALT would write one)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def author_salt_outside_the_repository(tmp_path_factory):
    previous = os.environ.get("YUQING_AUTHOR_SALT_FILE")
    os.environ["YUQING_AUTHOR_SALT_FILE"] = str(tmp_path_factory.mktemp("installation") / ".author_salt")
    yield
    if previous is None:
        os.environ.pop("YUQING_AUTHOR_SALT_FILE", None)
    else:
        os.environ["YUQING_AUTHOR_SALT_FILE"] = previous
