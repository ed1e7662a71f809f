"""Hosted mode's JSON API: accounts, tokens, events, status, check, screen, export, deletion, limits."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hosted_kit import INTAKE, Person, form_post

pytestmark = pytest.mark.postgres


def test_sign_up_refuses_short_and_common_passwords_and_bad_addresses(client: TestClient) -> None:
    short = client.post("/api/users", json={"email": "a@example.org", "password": "tiny"})
    assert short.status_code == 400 and "at least 10 characters" in short.json()["fields"]["password"]
    common = client.post("/api/users", json={"email": "a@example.org", "password": "password123"})
    assert common.status_code == 400 and "most common passwords" in common.json()["fields"]["password"]
    bad = client.post("/api/users", json={"email": "not-an-address", "password": "correct horse battery"})
    assert bad.status_code == 400 and "email" in bad.json()["fields"]
    assert (
        client.post(
            "/api/users", json={"email": "A@Example.org ", "password": "correct horse battery"}
        ).status_code
        == 201
    )
    again = client.post("/api/users", json={"email": "a@example.org", "password": "another long one"})
    assert again.status_code == 409


def test_sign_in_says_the_same_for_an_unknown_account_and_a_wrong_password(client: TestClient) -> None:
    Person(client, "sam@example.org").sign_up()
    wrong = client.post("/api/session", json={"email": "sam@example.org", "password": "not the password"})
    unknown = client.post(
        "/api/session", json={"email": "nobody@example.org", "password": "not the password"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_a_token_works_until_revoked(client: TestClient) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    assert sam.event("journal", text="first night was hard").status_code == 201
    assert sam.delete("/api/session").status_code == 204
    after = sam.get("/api/events")
    assert after.status_code == 401 and "Sign in first" in after.json()["error"]


def test_events_work_before_the_intake_then_status_follows(client: TestClient) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    journal = sam.event("journal", text="couldn't sleep, wrote instead")
    assert journal.status_code == 201 and journal.json()["text"] == "couldn't sleep, wrote instead"
    assert sam.get("/api/status").status_code == 409
    intake = sam.event("intake", at="2026-11-01T20:00:00+00:00", **INTAKE)
    assert intake.status_code == 201, intake.text
    status = sam.get("/api/status")
    assert status.status_code == 200
    body = status.json()
    assert body["phase"] == "no_contact" and body["region"] == "GB"
    assert {"track", "next_step", "no_contact", "resources"} <= set(body)


def test_bad_events_name_each_field_and_save_nothing(client: TestClient) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    answer = sam.event("checkin", mood=12, urge="lots", colour="blue")
    assert answer.status_code == 400
    assert set(answer.json()["fields"]) == {"mood", "urge", "colour"}
    assert sam.event("teleport").status_code == 400
    assert sam.event("journal", at="yesterday-ish", text="x").status_code == 400
    assert sam.event("journal", at="2099-01-01T00:00:00+00:00", text="x").status_code == 400
    assert sam.event("screen", flags=["crisis"]).status_code == 400  # written by the program only
    assert sam.post("/api/events", {"kind": "journal", "text": "no time given"}).status_code == 422
    assert sam.get("/api/events").json()["events"] == []


def test_a_time_without_an_offset_is_in_the_persons_zone(client: TestClient) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    sam.event("intake", at="2026-11-01T20:00:00+00:00", **INTAKE)  # Europe/London
    sam.event("checkin", at="2026-07-01T09:00", mood=5, urge=2)  # before the intake: allowed as history
    page = sam.get("/api/events?limit=1").json()
    assert page["events"][0]["kind"] == "intake"
    checkin = next(e for e in sam.get("/api/events").json()["events"] if e["kind"] == "checkin")
    assert checkin["at"] == "2026-07-01T09:00:00+01:00"


def test_events_come_newest_first_in_pages_with_a_cursor(client: TestClient) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    for day in range(1, 8):
        sam.event("journal", at=f"2026-10-0{day}T21:00:00+00:00", text=f"day {day}")
    first = sam.get("/api/events?limit=3").json()
    assert [e["text"] for e in first["events"]] == ["day 7", "day 6", "day 5"]
    second = sam.get(f"/api/events?limit=3&cursor={first['next']}").json()
    assert [e["text"] for e in second["events"]] == ["day 4", "day 3", "day 2"]
    last = sam.get(f"/api/events?limit=3&cursor={second['next']}").json()
    assert [e["text"] for e in last["events"]] == ["day 1"] and last["next"] is None
    assert sam.get("/api/events?limit=1001").status_code == 400
    assert sam.get("/api/events?cursor=nonsense").status_code == 400


def test_check_and_screen_answer_as_the_command_line_does(client: TestClient) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    checked = sam.post(
        "/api/check", {"stage": "first_contact", "text": "I miss you so much, please talk to me"}
    )
    assert checked.status_code == 200
    assert checked.json()["verdict"] in ("revise", "hold") and checked.json()["findings"]
    screened = sam.post("/api/screen", {"text": "i don't want to be here anymore", "region": "GB"})
    assert screened.json()["flags"] == ["crisis"]
    assert any("Samaritans" in r["name"] for r in screened.json()["resources"])
    assert sam.post("/api/check", {"stage": "someday", "text": "hi"}).status_code == 400
    assert sam.post("/api/screen", {"text": "hi", "region": "UK"}).status_code == 400


def test_export_and_account_deletion_erase_everything(client: TestClient) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    sam.event("journal", text="something private")
    exported = sam.get("/api/export").json()
    assert [e["data"]["text"] for e in exported["events"]] == ["something private"]
    assert sam.delete("/api/account").status_code == 204
    assert sam.get("/api/export").status_code == 401
    again = client.post("/api/session", json={"email": sam.email, "password": sam.password})
    assert again.status_code == 401
    fresh = Person(client, "sam@example.org").sign_up().sign_in()  # the address is free again
    assert fresh.get("/api/events").json()["events"] == []


def test_sign_in_is_rate_limited_per_account(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    Person(client, "sam@example.org").sign_up()
    answers = [
        client.post("/api/session", json={"email": "sam@example.org", "password": "wrong password!"})
        for _ in range(6)
    ]
    assert [a.status_code for a in answers[:5]] == [401] * 5
    assert answers[5].status_code == 429
    assert int(answers[5].headers["retry-after"]) > 0
    assert "please wait" in answers[5].json()["error"]


def test_an_oversized_body_is_refused_with_413(client: TestClient) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    huge = sam.post("/api/screen", {"text": "x" * 2_000_000})
    assert huge.status_code == 413


def test_the_openapi_document_describes_the_api_only(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert {"/api/users", "/api/session", "/api/status", "/api/events", "/api/check", "/api/screen"} <= set(
        document["paths"]
    )
    assert all(path.startswith("/api/") for path in document["paths"])


def test_a_very_long_or_odd_address_gets_a_plain_answer(client: TestClient) -> None:
    odd = "T̺̺o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè͚̮̺̪̹̱̤ " * 12
    answer = client.post("/api/session", json={"email": odd[:320], "password": "whatever it is"})
    assert answer.status_code == 401


@pytest.mark.parametrize("address", ["\x00", "sam\x00@example.org", "sam@exa\x1fmple.org", "\x7f@a.org"])
def test_an_address_with_control_characters_is_refused_plainly(client: TestClient, address: str) -> None:
    # PostgreSQL cannot store a NUL byte: such an address must never reach the database.
    signup = client.post("/api/users", json={"email": address, "password": "correct horse battery"})
    assert signup.status_code == 400 and "email" in signup.json()["fields"]
    signin = client.post("/api/session", json={"email": address, "password": "correct horse battery"})
    assert signin.status_code == 401
    page = form_post(client, "/signin", "/signin", {"email": address, "password": "correct horse battery"})
    assert page.status_code == 400 and "match an account" in page.text
