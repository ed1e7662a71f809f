"""Hosted pages: sign-in for visitors, forms with anti-forgery values, each person's data theirs alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hosted_kit import INTAKE, Person, csrf, form_post, page_sign_up

from olivebranch.hosted.settings import SETTINGS, ConfigError, load
from olivebranch.web.app import create_app

pytestmark = pytest.mark.postgres
README = (Path(__file__).resolve().parent.parent.parent / "README.md").read_text()
SRC = Path(__file__).resolve().parent.parent.parent / "src"


def test_a_visitor_gets_the_sign_in_page_and_the_help_page_only(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200 and 'action="/signin"' in home.text
    assert client.get("/help").status_code == 200
    for path in ("/journal", "/coach", "/settings", "/contact", "/patterns"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/signin", path


def test_sign_up_on_the_page_signs_in_with_a_safe_cookie(client: TestClient) -> None:
    answer = page_sign_up(client, "ana@example.org")
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"]
    assert "ob_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Begin" in client.get("/").text  # signed in: onboarding


def test_sign_in_page_refuses_a_wrong_password_without_saying_which_part(client: TestClient) -> None:
    page_sign_up(client, "ana@example.org")
    client.cookies.clear()
    wrong = form_post(
        client, "/signin", "/signin", {"email": "ana@example.org", "password": "wrong one here"}
    )
    unknown = form_post(
        client, "/signin", "/signin", {"email": "who@example.org", "password": "wrong one here"}
    )
    assert wrong.status_code == unknown.status_code == 400
    assert "match an account" in wrong.text and "match an account" in unknown.text


def test_a_form_without_its_anti_forgery_value_is_refused_and_saves_nothing(client: TestClient) -> None:
    page_sign_up(client, "ana@example.org")
    Person(client, "ana@example.org").sign_in().event("intake", at="2026-11-01T20:00:00+00:00", **INTAKE)
    forged = client.post("/journal", data={"prompt": "free", "text": "forged"}, follow_redirects=False)
    assert forged.status_code == 403 and "expired" in forged.text
    ok = form_post(client, "/journal", "/journal", {"prompt": "free", "text": "mine, really"})
    assert ok.status_code in (200, 303)
    exported = client.get("/settings/export").json()
    assert [e["data"].get("text") for e in exported["events"] if e["kind"] == "journal"] == ["mine, really"]


def test_three_people_see_and_change_only_their_own(app: object) -> None:
    owner, other, stranger = TestClient(app), TestClient(app), TestClient(app)  # type: ignore[arg-type]
    page_sign_up(owner, "owner@example.org")
    page_sign_up(other, "other@example.org")
    owner_api = Person(owner, "owner@example.org").sign_in()
    other_api = Person(other, "other@example.org").sign_in()
    owner_api.event("intake", at="2026-11-01T20:00:00+00:00", **INTAKE)
    form_post(owner, "/journal", "/journal", {"prompt": "free", "text": "the owner secret entry"})
    # pages
    for path in (
        "/",
        "/journal",
        "/contact",
        "/signals",
        "/patterns",
        "/timeline",
        "/settings",
        "/settings/delete",
    ):
        page = other.get(path)
        assert "the owner secret entry" not in page.text, path
        assert stranger.get(path, follow_redirects=False).status_code in (200, 303), path
    assert "Begin" in other.get("/").text  # the other person has no intake of their own
    assert other.get("/settings/export").json()["events"] == []
    # API
    assert other_api.get("/api/events").json()["events"] == []
    assert other_api.get("/api/status").status_code == 409
    assert other_api.get("/api/export").json()["events"] == []
    assert stranger.get("/api/events").status_code == 401
    assert stranger.get("/api/export").status_code == 401
    assert (
        stranger.post(
            "/api/events", json={"kind": "journal", "at": "2026-11-01T10:00", "text": "x"}
        ).status_code
        == 401
    )
    # changing: another person's deletion or sign-out touches only their own
    form_post(other, "/settings/delete", "/settings/delete", {"confirm": "yes"})
    assert other_api.delete("/api/account").status_code == 204
    texts = [e["data"].get("text") for e in owner_api.get("/api/export").json()["events"]]
    assert "the owner secret entry" in texts
    assert "the owner secret entry" in owner.get("/journal").text


def test_the_events_per_minute_limit_applies_to_each_person(
    hosted_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OLIVEBRANCH_EVENTS_PER_MINUTE", "3")
    with TestClient(create_app(test_clock=False)) as client:
        sam = Person(client, "sam@example.org").sign_up().sign_in()
        codes = [sam.event("journal", text=f"entry {n}").status_code for n in range(4)]
        assert codes == [201, 201, 201, 429]
        other = Person(client, "kim@example.org").sign_up().sign_in()
        assert other.event("journal", text="mine").status_code == 201


def test_forwarded_addresses_count_only_from_trusted_proxies(
    hosted_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OLIVEBRANCH_SIGNINS_PER_MINUTE", "2")
    monkeypatch.setenv("OLIVEBRANCH_ACCOUNT_SIGNINS_PER_MINUTE", "100")
    with TestClient(create_app(test_clock=False)) as client:
        codes = [
            client.post(
                "/api/session",
                json={"email": f"x{n}@example.org", "password": "whatever it is"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            ).status_code
            for n in range(3)
        ]
        assert codes == [401, 401, 429]  # the header is not believed: all from one address


def test_hosted_mode_refuses_to_start_without_a_strong_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="OLIVEBRANCH_SECRET_KEY: missing"):
        load({"OLIVEBRANCH_HOSTED": "1"})
    with pytest.raises(ConfigError, match="too short"):
        load({"OLIVEBRANCH_SECRET_KEY": "abc123"})
    with pytest.raises(ConfigError, match="too predictable"):
        load({"OLIVEBRANCH_SECRET_KEY": "a" * 40})
    with pytest.raises(ConfigError, match="OLIVEBRANCH_EVENTS_PER_MINUTE: 'many' is not a whole number"):
        load(
            {
                "OLIVEBRANCH_SECRET_KEY": "k3Y-for-tests-only_9f8e7d6c5b4a3Z2y1X0w",
                "OLIVEBRANCH_EVENTS_PER_MINUTE": "many",
            }
        )
    with pytest.raises(ConfigError, match="refused in hosted mode"):
        load(
            {
                "OLIVEBRANCH_SECRET_KEY": "k3Y-for-tests-only_9f8e7d6c5b4a3Z2y1X0w",
                "OLIVEBRANCH_TEST_CLOCK": "1",
            }
        )


def test_every_setting_is_documented() -> None:
    names = set()
    for path in SRC.rglob("*.py"):
        names |= set(re.findall(r"OLIVEBRANCH_[A-Z_]+", path.read_text()))
    names |= {s.name for s in SETTINGS}
    missing = sorted(n for n in names if f"`{n}`" not in README)
    assert not missing, f"undocumented settings: {missing}"


def test_csrf_values_differ_between_browsers(app: object) -> None:
    one, two = TestClient(app), TestClient(app)  # type: ignore[arg-type]
    assert csrf(one.get("/signup").text) != csrf(two.get("/signup").text)


def test_the_password_can_be_changed_on_the_settings_page(client: TestClient) -> None:
    page_sign_up(client, "ana@example.org")
    Person(client, "ana@example.org").sign_in().event("intake", at="2026-11-01T20:00:00+00:00", **INTAKE)
    form_post(client, "/journal", "/journal", {"prompt": "free", "text": "kept through a password change"})
    differ = form_post(
        client,
        "/settings",
        "/settings/password",
        {
            "password": "correct horse battery",
            "new_password": "a new long phrase",
            "confirm_password": "other",
        },
    )
    assert differ.status_code == 400 and "differ" in differ.text
    wrong = form_post(
        client,
        "/settings",
        "/settings/password",
        {
            "password": "not it at all",
            "new_password": "a new long phrase",
            "confirm_password": "a new long phrase",
        },
    )
    assert wrong.status_code == 400 and "not right" in wrong.text
    ok = form_post(
        client,
        "/settings",
        "/settings/password",
        {
            "password": "correct horse battery",
            "new_password": "a new long phrase",
            "confirm_password": "a new long phrase",
        },
    )
    assert ok.status_code == 303
    client.cookies.clear()
    signed = form_post(
        client, "/signin", "/signin", {"email": "ana@example.org", "password": "a new long phrase"}
    )
    assert signed.status_code == 303
    assert "kept through a password change" in client.get("/journal").text


def test_sign_up_warns_that_a_forgotten_password_loses_the_text(client: TestClient) -> None:
    page = client.get("/signup").text
    assert "cannot be recovered" in page and "export a copy" in page
