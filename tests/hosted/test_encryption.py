"""Encryption at rest: a person's own words are unreadable in the database without them."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from hosted_kit import INTAKE, Person, form_post, page_sign_up
from sqlalchemy import create_engine, text

from olivebranch.store import StoreError, open_store

pytestmark = pytest.mark.postgres
# Private words the encryption must keep (any text would do; a screen flag would add events).
SECRET_WORDS = "i still keep the photo booth strip from paris in my wallet"


def raw_rows(url: str, sql: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [
                json.dumps(row[0]) if not isinstance(row[0], str) else row[0]
                for row in conn.execute(text(sql))
            ]
    finally:
        engine.dispose()


def test_journal_text_and_slip_triggers_are_sealed_in_the_database(
    client: TestClient, hosted_env: str
) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    sam.event(
        "intake", at="2026-11-01T20:00:00+00:00", **{**INTAKE, "story": "we met in paris, it ended badly"}
    )
    assert sam.event("journal", at="2026-11-02T21:00:00+00:00", text=SECRET_WORDS).status_code == 201
    assert (
        sam.event("slip", at="2026-11-03T23:00:00+00:00", trigger="our song at the paris cafe").status_code
        == 201
    )
    events = " ".join(raw_rows(hosted_env, "SELECT data FROM events"))
    snapshots = " ".join(raw_rows(hosted_env, "SELECT state FROM snapshots"))
    assert "paris" not in events and "paris" not in snapshots
    assert '"sealed"' in events
    # ...and the person reads them back as written
    texts = [e.get("text") for e in sam.get("/api/events").json()["events"]]
    assert SECRET_WORDS in texts
    assert sam.get("/api/status").json()["slips"][0]["trigger"] == "our song at the paris cafe"
    assert [e["data"]["text"] for e in sam.get("/api/export").json()["events"] if e["kind"] == "journal"] == [
        SECRET_WORDS
    ]


def test_the_store_alone_cannot_read_sealed_text(client: TestClient, hosted_env: str) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    sam.event("journal", text=SECRET_WORDS)
    store = open_store(hosted_env)
    try:
        person = store.account("sam@example.org")
        assert person is not None
        with pytest.raises(StoreError, match="sealed"):
            store.events(person.person_id)
    finally:
        store.close()


def test_signing_out_removes_the_key_copy_and_a_new_sign_in_reads_again(
    client: TestClient, hosted_env: str
) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    sam.event("journal", text=SECRET_WORDS)
    assert raw_rows(hosted_env, "SELECT count(*) FROM tokens") == ["1"]
    sam.delete("/api/session")
    assert raw_rows(hosted_env, "SELECT count(*) FROM tokens") == ["0"]  # no key copy is left
    sam.sign_in()
    assert sam.get("/api/events").json()["events"][0]["text"] == SECRET_WORDS


def test_a_password_change_rewraps_the_key(client: TestClient) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    sam.event("journal", text=SECRET_WORDS)
    wrong = sam.post(
        "/api/password", {"password": "not my password", "new_password": "a brand new passphrase"}
    )
    assert wrong.status_code == 400
    changed = sam.post("/api/password", {"password": sam.password, "new_password": "a brand new passphrase"})
    assert changed.status_code == 204
    old = client.post("/api/session", json={"email": sam.email, "password": sam.password})
    assert old.status_code == 401
    sam.password = "a brand new passphrase"
    sam.sign_in()
    assert sam.get("/api/events").json()["events"][0]["text"] == SECRET_WORDS


def test_export_then_import_round_trips_exactly_and_stays_sealed(client: TestClient, hosted_env: str) -> None:
    page_sign_up(client, "ana@example.org")
    ana = Person(client, "ana@example.org").sign_in()
    ana.event("intake", at="2026-11-01T20:00:00+00:00", **INTAKE)
    ana.event("journal", at="2026-11-02T20:00:00+00:00", text=SECRET_WORDS)
    exported = client.get("/settings/export").json()
    form_post(client, "/settings/delete", "/settings/delete", {"confirm": "yes"})
    assert "paris" not in " ".join(raw_rows(hosted_env, "SELECT data FROM events"))
    token = client.get("/settings").text.split('name="csrf" value="')[1].split('"')[0]
    back = client.post(
        "/settings/import",
        data={"csrf": token},
        files={"file": ("export.json", json.dumps(exported), "application/json")},
        follow_redirects=False,
    )
    assert back.status_code == 303, back.text
    again = client.get("/settings/export").json()
    assert again["events"] == exported["events"]
    assert "paris" not in " ".join(raw_rows(hosted_env, "SELECT data FROM events"))


def test_deleting_an_account_erases_every_row_of_that_person(client: TestClient, hosted_env: str) -> None:
    sam = Person(client, "sam@example.org").sign_up().sign_in()
    kim = Person(client, "kim@example.org").sign_up().sign_in()
    sam.event("intake", at="2026-11-01T20:00:00+00:00", **INTAKE)
    sam.event("journal", text=SECRET_WORDS)
    kim.event("journal", text="kim's own words")
    assert sam.delete("/api/account").status_code == 204
    left = {"events": "1", "snapshots": "0", "tokens": "1", "accounts": "1", "people": "1"}  # kim's only
    for table, count in left.items():
        assert raw_rows(hosted_env, f"SELECT count(*) FROM {table}") == [count], table
    assert kim.get("/api/events").json()["events"][0]["text"] == "kim's own words"
