"""Helpers shared by the web tests: a reconcile-track intake, moving the clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

START = datetime.fromisoformat("2026-03-01T20:00:00+00:00")

# A reconcile-track intake (communication broke down, mutual, changeable), as the form sends it.
GOOD_INTAKE: dict[str, Any] = {
    "safety_emotional_abuse": "no",
    "safety_controlling": "no",
    "safety_physical_aggression": "no",
    "safety_threats": "no",
    "safety_felt_unsafe": "no",
    "repeated_betrayal": "no",
    "months_together": "30",
    "ended_on": "2026-02-20",
    "last_contact_on": "2026-02-22",
    "breakup_messy": "no",
    "anxious_contact_since": "no",
    "ended_by": "mutual",
    "how_it_ended": "impulsive",
    "reasons": "communication_breakdown",
    "mutual_investment": "mutual",
    "cause_can_change": "yes",
    "change_steps": "I started seeing a counsellor about how I shut down in arguments.",
    "on_off_cycles": "0",
    "ex_pronouns": "she",
    "region": "GB",
    "timezone": "Europe/London",
}


def move(client: TestClient, moment: str) -> None:
    client.app.state.clock.move_to(datetime.fromisoformat(moment))  # type: ignore[attr-defined]


def start(client: TestClient, **changes: Any) -> Any:
    form = {**GOOD_INTAKE, **changes}
    return client.post("/start", data={k: v for k, v in form.items() if v is not None})
