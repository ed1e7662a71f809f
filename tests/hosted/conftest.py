"""Hosted-mode fixtures: an app with accounts over a fresh database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from olivebranch.web.app import create_app

SECRET = "k3Y-for-tests-only_9f8e7d6c5b4a3Z2y1X0wVuTsRqPoNmLk"


@pytest.fixture
def hosted_env(monkeypatch: pytest.MonkeyPatch, store_url: str, tmp_path: Path) -> str:
    for name in ("OLIVEBRANCH_TEST_CLOCK", "OLIVEBRANCH_TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OLIVEBRANCH_HOSTED", "1")
    monkeypatch.setenv("OLIVEBRANCH_SECRET_KEY", SECRET)
    monkeypatch.setenv("OLIVEBRANCH_DATABASE_URL", store_url)
    monkeypatch.setenv("OLIVEBRANCH_DATA_DIR", str(tmp_path / "data"))
    return store_url


@pytest.fixture
def app(hosted_env: str) -> Iterator[object]:
    web = create_app(test_clock=False)
    yield web


def client_for(app: object) -> TestClient:
    return TestClient(app, base_url="http://testserver")  # type: ignore[arg-type]


@pytest.fixture
def client(app: object) -> Iterator[TestClient]:
    with client_for(app) as c:
        yield c
