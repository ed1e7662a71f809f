"""Helpers for hosted-mode tests: people with accounts, API calls, page forms with their CSRF value."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

INTAKE: dict[str, Any] = {
    "months_together": 30,
    "ended_on": "2026-10-01",
    "last_contact_on": "2026-10-02",
    "breakup_messy": False,
    "anxious_contact_since": False,
    "safety": {
        "emotional_abuse": False,
        "controlling": False,
        "physical_aggression": False,
        "threats": False,
        "felt_unsafe": False,
    },
    "repeated_betrayal": False,
    "region": "GB",
    "timezone": "Europe/London",
    "reasons": ["communication_breakdown"],
    "mutual_investment": "mutual",
    "cause_can_change": "yes",
}


class Person:
    """Someone using the API with a token."""

    def __init__(self, client: TestClient, email: str, password: str = "correct horse battery") -> None:
        self.client = client
        self.email = email
        self.password = password
        self.token: str | None = None

    def sign_up(self) -> Person:
        answer = self.client.post("/api/users", json={"email": self.email, "password": self.password})
        assert answer.status_code == 201, answer.text
        return self

    def sign_in(self) -> Person:
        answer = self.client.post("/api/session", json={"email": self.email, "password": self.password})
        assert answer.status_code == 200, answer.text
        self.token = answer.json()["token"]
        return self

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, headers=self.auth, **kw)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(path, json=body, headers=self.auth)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.auth)

    def event(self, kind: str, at: str = "2026-11-01T10:00:00+00:00", **fields: Any) -> Any:
        return self.post("/api/events", {"kind": kind, "at": at, **fields})


def csrf(page_html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page_html)
    assert found, "the page's forms carry no anti-forgery value"
    return found.group(1)


def page_sign_up(client: TestClient, email: str, password: str = "correct horse battery") -> Any:
    token = csrf(client.get("/signup").text)
    return client.post(
        "/signup", data={"email": email, "password": password, "csrf": token}, follow_redirects=False
    )


def form_post(client: TestClient, page: str, action: str, data: dict[str, str]) -> Any:
    token = csrf(client.get(page).text)
    return client.post(action, data={**data, "csrf": token}, follow_redirects=False)
