from __future__ import annotations

import pytest

from crawler.extraction import Rules, load_rules


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()
