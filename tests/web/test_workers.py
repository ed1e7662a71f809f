"""Several worker processes serve one person: nothing a request needs lives in one worker's memory."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from web_helpers import START, start

from olivebranch.web.app import create_app


def day_count(client: TestClient) -> str:
    page = client.get("/").text
    line = next(line for line in page.splitlines() if 'data-testid="day-count"' in line)
    return line.split(">", 1)[1].split("<", 1)[0]


def test_two_apps_over_one_data_directory_see_the_same_clock_and_the_same_log(data_dir: Path) -> None:
    one, two = create_app(data_dir, test_clock=True), create_app(data_dir, test_clock=True)
    with TestClient(one) as first, TestClient(two) as second:
        first.post("/__test__/clock", data={"now": START.isoformat()})
        assert start(first).status_code == 200
        assert day_count(second) == day_count(first)
        second.post("/__test__/clock", data={"now": "2026-03-10T20:00:00+00:00"})
        assert day_count(first) == "Day 16 of 45" == day_count(second)
        assert "Last check-in" not in second.get("/").text
        assert first.post("/checkin", data={"mood": "6", "urge": "2"}).status_code in (200, 303)
        assert "Last check-in: Tue 10 Mar 2026" in second.get("/").text
        # A slip written through one process restarts the count the other one shows.
        second.post("/contact/sent", data={"text": "Happy birthday", "at": "2026-03-10T19:00"})
        assert day_count(first) == day_count(second) == "Day 1 of 45 starts tomorrow"
