"""The web app's pages and forms, through HTTP: every state answers, bad input says why and saves nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import GOOD_INTAKE, move, start

from olivebranch.program.events import Event
from olivebranch.store import open_store


def events(data_dir: Path) -> list[Event]:
    with open_store(f"sqlite:///{data_dir / 'olivebranch.db'}") as store:
        return store.events()


def kinds(data_dir: Path) -> list[str]:
    return [e.kind.value for e in events(data_dir)]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def day_count(client: TestClient) -> int:
    page = text_of(client.get("/").text)
    if re.search(r"Day 1 of \d+ starts tomorrow", page):
        return 0
    found = re.search(r"Day (\d+) of \d+", page)
    assert found, "no day count on Today"
    return int(found.group(1))


def test_home_is_onboarding_for_a_new_person(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "education, not therapy" in page.text
    assert 'href="/start"' in page.text
    assert "<title>Notes</title>" in page.text  # a neutral title


def test_every_page_answers_before_the_intake(client: TestClient) -> None:
    for path in ("/", "/start", "/help", "/settings", "/settings/delete", "/urge"):
        assert client.get(path).status_code == 200, path


def test_intake_shows_the_assessment_and_plan_then_today(client: TestClient, data_dir: Path) -> None:
    page = start(client)
    assert page.status_code == 200
    body = text_of(page.text)
    assert "No contact: 21 days" in body or "No contact: 30 days" in body or "No contact: 45 days" in body
    assert "Why this length" in body
    today = text_of(client.get("/").text)
    assert "Day 1 of" in today
    assert "Next step" in today
    assert kinds(data_dir) == ["intake"]


def test_intake_with_missing_and_bad_answers_names_each_and_saves_nothing(
    client: TestClient, data_dir: Path
) -> None:
    page = start(client, safety_threats=None, months_together="lots", ended_on="2027-01-01", region="UK")
    assert page.status_code == 400
    body = text_of(page.text)
    assert "nothing was saved yet" in body
    assert "Please answer yes or no." in body
    assert "“lots” is not a number of months." in body
    # what was typed stays in the form
    assert 'value="2027-01-01"' in page.text
    assert not (data_dir / "olivebranch.db").exists() or kinds(data_dir) == []


def test_a_future_breakup_date_is_refused_with_the_date(client: TestClient, data_dir: Path) -> None:
    page = start(client, ended_on="2026-12-01", last_contact_on="2026-12-01")
    assert page.status_code == 400
    assert "Is in the future (today is 2026-03-01)." in page.text
    assert kinds(data_dir) == []


def test_a_safety_answer_leads_to_the_safety_track(client: TestClient) -> None:
    page = start(client, safety_physical_aggression="yes")
    body = text_of(page.text)
    assert "Your safety comes first" in body
    assert "Refuge" in body or "National Domestic Abuse Helpline" in body  # GB abuse line
    today = text_of(client.get("/").text)
    assert "Safety and support" in today
    assert "I want to reach out to them" not in today  # no urge flow on the safety track


def test_let_go_answers_lead_to_moving_on(client: TestClient) -> None:
    start(
        client,
        reasons="patterns_of_harm",
        cause_can_change="no",
        disrespect_unchanged="yes",
        wellbeing_compromised="yes",
        on_off_cycles="4",
    )
    today = text_of(client.get("/").text)
    assert "Moving on" in today


def test_checkin_saves_and_bad_values_are_refused(client: TestClient, data_dir: Path) -> None:
    start(client)
    bad = client.post("/checkin", data={"mood": "11", "urge": "x"})
    assert bad.status_code == 400
    assert "Please choose a number from 1 to 10." in bad.text
    assert "is not a whole number" in bad.text
    assert kinds(data_dir) == ["intake"]
    ok = client.post("/checkin", data={"mood": "4", "urge": "7"}, follow_redirects=False)
    assert ok.status_code == 303
    assert kinds(data_dir) == ["intake", "checkin"]
    assert "Check-in saved" in client.get(ok.headers["location"]).text


def test_urge_flow_held_keeps_the_count_and_sent_restarts_it(client: TestClient, data_dir: Path) -> None:
    start(client)
    move(client, "2026-03-05T23:00:00+00:00")
    before = day_count(client)
    assert before > 1
    pause = client.get("/urge?minutes=5")
    assert "5 minutes" in pause.text and "Breathe in slowly" in pause.text
    held = client.post("/urge/write", data={"unsent": "i miss you so much", "outcome": "held"})
    assert "You rode it out" in held.text
    assert day_count(client) == before
    sent = client.post("/urge/write", data={"unsent": "i miss you", "outcome": "sent"})
    body = text_of(sent.text)
    assert "not a failure" in body and "starts again" in body
    assert day_count(client) == 0  # the slip was today: day 1 is tomorrow
    urges = [e for e in events(data_dir) if e.kind.value == "urge"]
    assert [u.data["outcome"] for u in urges] == ["held", "sent"]
    assert urges[0].data["unsent"] == "i miss you so much"


def test_urge_flow_needs_an_outcome(client: TestClient, data_dir: Path) -> None:
    start(client)
    page = client.post("/urge/write", data={"unsent": "hey"})
    assert page.status_code == 400
    assert "Please choose what you did with the message." in page.text
    assert "hey" in page.text  # the message is not lost
    assert kinds(data_dir) == ["intake"]


def test_coach_reads_a_draft_without_javascript(client: TestClient, data_dir: Path) -> None:
    start(client)
    page = client.post(
        "/coach",
        data={
            "stage": "first_contact",
            "text": "I'm so sorry for everything, I can't stop thinking about you, "
            "please we need to talk about us",
        },
    )
    assert page.status_code == 200
    assert "<mark" in page.text
    assert 'data-verdict="revise"' in page.text or 'data-verdict="hold"' in page.text
    assert kinds(data_dir) == ["intake"]  # drafts are not stored


def test_coach_live_answers_with_a_fragment(client: TestClient) -> None:
    start(client)
    page = client.post(
        "/coach",
        data={
            "stage": "first_contact",
            "text": "Saw a dog that looked just like Biscuit today. Hope you're well!",
        },
        headers={"HX-Request": "true"},
    )
    assert page.status_code == 200
    assert "<html" not in page.text
    assert 'data-verdict="send"' in page.text


def test_coach_refuses_an_unknown_stage(client: TestClient) -> None:
    start(client)
    page = client.post("/coach", data={"stage": "whenever", "text": "hi"})
    assert page.status_code == 400
    assert "Please choose one of the stages." in page.text


def test_crisis_in_a_journal_entry_shows_help_at_once(client: TestClient, data_dir: Path) -> None:
    start(client)
    page = client.post(
        "/journal",
        data={
            "prompt": "free",
            "text": "honestly everyone would be better off without me. i've started giving my things away",
        },
    )
    assert page.status_code == 200
    body = text_of(page.text)
    assert "You matter, and help is there right now" in body
    assert "Samaritans" in body  # GB crisis line, from the resources data
    assert kinds(data_dir) == ["intake", "journal", "screen"]


def test_live_screen_shows_crisis_help_while_typing_and_stores_nothing(
    client: TestClient, data_dir: Path
) -> None:
    start(client)
    page = client.post("/screen", data={"text": "i just want to go to sleep and not wake up"})
    assert "You matter" in page.text
    assert client.post("/screen", data={"text": "work was long, made pasta"}).text.strip() == ""
    assert kinds(data_dir) == ["intake"]


def test_journal_entry_needs_text_and_a_known_prompt(client: TestClient, data_dir: Path) -> None:
    start(client)
    empty = client.post("/journal", data={"prompt": "free", "text": "   "})
    assert empty.status_code == 400 and "The entry is empty." in empty.text
    unknown = client.post("/journal", data={"prompt": "nope", "text": "hello"})
    assert unknown.status_code == 400 and "is not a prompt" in unknown.text
    assert kinds(data_dir) == ["intake"]


def test_contact_reply_is_read_then_confirmed_and_correctable(client: TestClient, data_dir: Path) -> None:
    start(client)
    read = client.post(
        "/contact/reply/read", data={"text": "please stop texting me. i need you to leave me alone", "at": ""}
    )
    assert read.status_code == 200
    assert "they asked not to be contacted" in text_of(read.text)
    assert kinds(data_dir) == ["intake"]  # nothing saved until confirmed
    saved = client.post(
        "/contact/reply",
        data={"text": "please stop texting me", "tone": "cool", "no_contact_requested": "yes"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    reply = events(data_dir)[-1]
    assert reply.kind.value == "reply" and reply.data["no_contact_requested"] is True
    assert "Moving on" in text_of(client.get("/").text)


def test_contact_forms_refuse_bad_dates_and_unknown_choices(client: TestClient, data_dir: Path) -> None:
    start(client)
    future = client.post("/contact/sent", data={"text": "hi", "at": "2026-04-01T10:00"})
    assert future.status_code == 400 and "is in the future" in future.text
    garbled = client.post("/contact/meeting", data={"went": "great", "at": ""})
    assert garbled.status_code == 400 and "Please choose how it went." in garbled.text
    not_a_date = client.post("/contact/ex", data={"text": "hey", "at": "yesterday"})
    assert not_a_date.status_code == 400 and "is not a date or time" in not_a_date.text
    no_tone = client.post("/contact/reply", data={"text": "ok", "tone": "lukewarm"})
    assert no_tone.status_code == 400
    assert kinds(data_dir) == ["intake"]


def test_settings_region_export_import_and_delete(client: TestClient, data_dir: Path) -> None:
    start(client)
    client.post("/checkin", data={"mood": "5", "urge": "3"})
    assert client.post("/settings/region", data={"region": "UK"}).status_code == 400
    assert client.post("/settings/region", data={"region": "ie"}, follow_redirects=False).status_code == 303
    assert "Samaritans" in client.get("/help").text  # IE lists Samaritans too, with its own number
    exported = client.get("/settings/export")
    assert exported.headers["content-disposition"].startswith("attachment")
    document = exported.json()
    assert len(document["events"]) == 3
    confirm = client.get("/settings/delete")
    assert "1 check-in" in text_of(confirm.text)
    refused = client.post("/settings/delete", data={})
    assert refused.status_code == 400 and "nothing has been deleted" in refused.text
    assert len(kinds(data_dir)) == 3
    client.post("/settings/delete", data={"confirm": "yes"})
    assert kinds(data_dir) == []
    assert "Begin" in client.get("/").text
    back = client.post(
        "/settings/import",
        files={"file": ("export.json", json.dumps(document), "application/json")},
        follow_redirects=False,
    )
    assert back.status_code == 303
    assert len(kinds(data_dir)) == 3
    again = client.post(
        "/settings/import", files={"file": ("export.json", json.dumps(document), "application/json")}
    )
    assert again.status_code == 400
    assert len(kinds(data_dir)) == 3  # nothing duplicated


def test_import_refuses_a_file_that_is_not_an_export(client: TestClient, data_dir: Path) -> None:
    page = client.post(
        "/settings/import", files={"file": ("x.json", b"\xff\xfe not json", "application/json")}
    )
    assert page.status_code == 400 and "not an Olive Branch export" in page.text
    missing = client.post("/settings/import", data={})
    assert missing.status_code == 400 and "Please choose the file" in missing.text


def test_pages_use_only_local_scripts_and_no_inline_script(client: TestClient) -> None:
    start(client)
    for path in (
        "/",
        "/coach",
        "/contact",
        "/journal",
        "/settings",
        "/help",
        "/urge",
        "/urge/write",
        "/plan",
    ):
        html = client.get(path).text
        for src in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html):
            assert src.startswith("/"), (path, src)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+=", html), path  # no inline event handlers
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]


def test_every_page_has_help_quick_exit_and_the_disclaimer(client: TestClient) -> None:
    start(client)
    for path in ("/", "/coach", "/contact", "/journal", "/settings", "/help"):
        html = client.get(path).text
        assert 'href="/help"' in html and 'id="quick-exit"' in html
        assert "education, not therapy" in html


def test_static_htmx_is_vendored_with_its_licence(client: TestClient) -> None:
    assert client.get("/static/vendor/htmx.min.js").status_code == 200
    assert "BSD" in client.get("/static/vendor/htmx.LICENSE").text


def test_cross_site_posts_are_refused(client: TestClient, data_dir: Path) -> None:
    start(client)
    page = client.post("/settings/delete", data={"confirm": "yes"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert page.status_code == 403
    assert kinds(data_dir) == ["intake"]


def test_unknown_page_is_a_calm_404(client: TestClient) -> None:
    page = client.get("/nowhere")
    assert page.status_code == 404 and "There is no page here." in page.text


def test_the_test_clock_exists_only_when_enabled(data_dir: Path) -> None:
    from olivebranch.web.app import create_app

    with TestClient(create_app(data_dir, test_clock=False)) as c:
        assert c.post("/__test__/clock", data={"now": "2026-05-01T10:00:00+00:00"}).status_code == 404


def test_the_test_clock_is_refused_in_hosted_mode(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    from olivebranch.web.app import create_app

    monkeypatch.setenv("OLIVEBRANCH_HOSTED", "1")
    with pytest.raises(RuntimeError, match="refused in hosted mode"):
        create_app(data_dir, test_clock=True)


def test_intake_fixture_is_the_reconcile_track(client: TestClient) -> None:
    start(client)
    assert "Reconnecting, if it" in client.get("/").text
    assert GOOD_INTAKE["region"] == "GB"


def test_conversation_and_safety_review_forms_refuse_unknown_answers(
    client: TestClient, data_dir: Path
) -> None:
    start(client)
    conversation = client.post("/contact/conversation", data={"outcome": "maybe"})
    assert conversation.status_code == 400 and "Please choose how it ended." in conversation.text
    review = client.post("/safety/review", data={"outcome": "perhaps"})
    assert review.status_code == 400 and "Please choose an answer" in review.text
    assert kinds(data_dir) == ["intake"]


def test_the_test_clock_refuses_a_moment_without_an_offset(client: TestClient) -> None:
    assert client.post("/__test__/clock", data={"now": "2026-05-01T10:00"}).status_code == 400
    assert client.post("/__test__/clock", data={"now": "soon"}).status_code == 400


def test_harassment_in_a_journal_entry_stops_contact_coaching(client: TestClient) -> None:
    start(client)
    entry = "i made a fake account so i can keep watching her stories, and i drove past her work again today"
    page = client.post("/journal", data={"prompt": "free", "text": entry})
    assert "This has crossed a line" in page.text
    coach = client.get("/coach")
    assert 'data-testid="coach-hold"' in coach.text and 'name="text"' not in coach.text
    refused = client.post("/coach", data={"stage": "first_contact", "text": "hey, how are you?"})
    assert refused.status_code == 409 and "data-verdict" not in refused.text
    assert "This has to stop" in client.get("/").text
    assert client.post("/harassment-stopped", follow_redirects=False).status_code == 303
    assert "Coaching can return from" in client.get("/").text


def test_abuse_in_the_story_moves_to_the_safety_track_and_a_misread_can_be_undone(client: TestClient) -> None:
    page = start(
        client,
        story="he checked my phone every night and wouldn't let me see my sister. "
        "once he shoved me into the door",
    )
    assert "sounds like abuse or control" in page.text
    assert "Safety and support" in client.get("/").text
    client.post("/safety/review", data={"outcome": "misread"})
    assert "Safety and support" not in client.get("/").text


def test_the_contact_log_shows_the_next_step_after_each_entry(client: TestClient) -> None:
    start(client)
    move(client, "2026-04-20T10:00:00+01:00")
    client.post(
        "/journal/readiness",
        data=dict.fromkeys(("self_assessment_done", "urges_calmer", "fine_without_reply"), "yes"),
    )
    client.post("/contact/sent", data={"text": "saw the cutest corgi in a raincoat, thought of you"})
    move(client, "2026-04-20T18:00:00+01:00")
    client.post("/contact/reply", data={"text": "haha that's adorable! how are you?", "tone": "warm"})
    page = text_of(client.get("/contact").text)
    assert page.count("Next step then:") == 2
    assert "They replied: warm" in page


def test_the_unclear_track_ends_with_the_reassessment_on_the_journal_page(client: TestClient) -> None:
    start(client, married="yes")
    assert "Unclear" in client.get("/").text
    move(client, "2026-05-01T10:00:00+01:00")
    ready = dict.fromkeys(("self_assessment_done", "urges_calmer", "fine_without_reply"), "yes")
    client.post("/journal/readiness", data=ready)
    journal = client.get("/journal").text
    assert 'action="/journal/reassessment"' in journal
    page = client.post("/journal/reassessment", data={"talked_it_through": "yes"})  # not all yes
    assert page.status_code == 200
    assert "Moving on" in client.get("/").text


def test_a_passphrase_locks_the_app_and_seals_the_text(client: TestClient, data_dir: Path) -> None:
    start(client)
    client.post("/journal", data={"prompt": "free", "text": "the paris letter is in my drawer"})
    short = client.post(
        "/settings/passphrase",
        data={"action": "set", "new_passphrase": "short", "confirm_passphrase": "short"},
    )
    assert short.status_code == 400 and "at least 10 characters" in short.text
    phrase = "river stones and tea"
    locked = client.post(
        "/settings/passphrase",
        data={"action": "set", "new_passphrase": phrase, "confirm_passphrase": phrase},
        follow_redirects=False,
    )
    assert locked.status_code == 303
    import sqlite3

    rows = sqlite3.connect(data_dir / "olivebranch.db").execute("select data from events").fetchall()
    assert not any("paris" in row[0] for row in rows)
    assert "paris letter" in client.get("/journal").text  # this browser stays unlocked
    client.post("/lock")
    assert 'action="/unlock"' in client.get("/").text  # "/" answers with the unlock page
    assert client.get("/journal", follow_redirects=False).headers["location"] == "/unlock"
    assert client.get("/help").status_code == 200  # the support lines stay open
    wrong = client.post("/unlock", data={"passphrase": "not it at all"})
    assert wrong.status_code == 400 and "does not unlock" in wrong.text
    client.post("/unlock", data={"passphrase": phrase})
    assert "paris letter" in client.get("/journal").text
    client.post("/settings/passphrase", data={"action": "remove", "passphrase": phrase})
    rows = sqlite3.connect(data_dir / "olivebranch.db").execute("select data from events").fetchall()
    assert any("paris" in row[0] for row in rows)
    client.cookies.clear()
    assert "paris letter" in client.get("/journal").text  # no passphrase: open again
