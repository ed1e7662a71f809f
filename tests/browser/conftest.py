"""Browser tests: the app served by uvicorn in a thread, driven by Playwright with Debian's Chromium."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from browser_kit import Visit
from playwright.sync_api import Browser, Route, expect, sync_playwright

from olivebranch.web.app import create_app

CHROMIUM = os.environ.get("OLIVEBRANCH_CHROMIUM", "/usr/bin/chromium")
NEUTRAL = "<title>Weather</title><h1>Weather</h1>"
# Generous: the first draft check loads the text model, and CI machines can be busy.
expect.set_options(timeout=20_000)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's chromium (make test does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A fresh app on a free port over an empty data directory, with the test clock."""
    app = create_app(tmp_path / "data", test_clock=True)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def visit(browser: Browser, server: str) -> Iterator[Visit]:
    context = browser.new_context(base_url=server, viewport={"width": 360, "height": 800})
    external: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(server):
            route.continue_()
        else:  # nothing may leave the machine; the quick exit's page is answered here
            external.append(url)
            route.fulfill(status=200, content_type="text/html", body=NEUTRAL)

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(20_000)
    if os.environ.get("DEBUG_BROWSER"):
        page.on("response", lambda r: print("resp:", r.status, r.request.method, r.url))
        page.on("console", lambda m: print("console:", m.text))
    yield Visit(page, server, external)
    context.close()
