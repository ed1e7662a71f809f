"""Fixtures for the web app: an app over a fresh data directory, with a clock the test sets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import START

from olivebranch.web.app import create_app


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def client(data_dir: Path) -> Iterator[TestClient]:
    app = create_app(data_dir, test_clock=True)
    app.state.clock.move_to(START)
    with TestClient(app) as c:
        yield c
