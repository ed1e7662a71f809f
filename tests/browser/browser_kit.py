"""What the browser tests share: one tab on the app, and the requests that tried to leave."""

from __future__ import annotations

from playwright.sync_api import Page


class Visit:
    """One browser tab on the app, with every request that tried to leave the machine."""

    def __init__(self, page: Page, server: str, external: list[str]) -> None:
        self.page = page
        self.server = server
        self.external = external

    def clock(self, moment: str) -> None:
        answer = self.page.request.post(f"{self.server}/__test__/clock", form={"now": moment})
        assert answer.ok, answer.text()
