"""Signals, patterns, timeline and guide pages through HTTP."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from web_helpers import move, start

from olivebranch.store import open_store


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_signals_keep_facts_apart_from_the_reading_and_need_a_pattern(
    client: TestClient, data_dir: Path
) -> None:
    start(client)
    move(client, "2026-03-05T20:00:00+00:00")
    client.post(
        "/signals",
        data={"kind": "asked_about_you", "note": "asked Sam how I was", "interpretation": "she misses me?"},
    )
    page = text_of(client.get("/signals").text)
    assert "Not a pattern" in page
    assert "Fact: asked Sam how I was" in page and "Your reading: she misses me?" in page
    move(client, "2026-03-08T20:00:00+00:00")
    client.post("/signals", data={"kind": "shared_memory", "note": "sent a photo from the lake trip"})
    assert "A pattern worth noticing" in text_of(client.get("/signals").text)
    with open_store(f"sqlite:///{data_dir / 'olivebranch.db'}") as store:
        signal = next(e for e in store.events() if e.kind.value == "signal")
    assert signal.data == {
        "kind": "asked_about_you",
        "note": "asked Sam how I was",
        "interpretation": "she misses me?",
    }


def test_many_small_signals_bring_the_do_not_over_read_note(client: TestClient) -> None:
    start(client)
    for day in ("03", "04", "05", "06"):
        move(client, f"2026-03-{day}T20:00:00+00:00")
        client.post("/signals", data={"kind": "story_view"})
    assert 'data-testid="over-read"' in client.get("/signals").text


def test_a_signal_needs_a_known_kind(client: TestClient, data_dir: Path) -> None:
    start(client)
    page = client.post("/signals", data={"kind": "vibes", "note": "they posted a sad song"})
    assert page.status_code == 400 and "Please choose what they did." in page.text
    assert "they posted a sad song" in page.text  # what was typed is kept


def test_patterns_summarise_mood_urges_streaks_and_meetings_in_words(client: TestClient) -> None:
    start(client)
    for day, mood, urge in (("02", 3, 8), ("03", 5, 6), ("04", 7, 3)):
        move(client, f"2026-03-{day}T22:30:00+00:00")
        client.post("/checkin", data={"mood": str(mood), "urge": str(urge)})
    move(client, "2026-03-05T23:15:00+00:00")
    client.post("/urge/write", data={"unsent": "hey", "outcome": "held"})
    page = client.get("/patterns")
    body = text_of(page.text)
    assert "Mood over 3 check-ins: lowest 3 on 2 March, highest 7 on 4 March, most recent 7." in body
    assert "from 8 at the start to 3 most recently" in body
    assert "most often around 23:00" in body and "Thursdays" in body
    assert "The current run is" in body
    assert page.text.count("<canvas") == 4  # mood, by hour, by weekday, streaks
    assert 'aria-label="Chart of mood and urge by day. Mood over 3 check-ins' in page.text


def test_patterns_before_anything_is_logged_say_so(client: TestClient) -> None:
    start(client)
    body = text_of(client.get("/patterns").text)
    assert "No check-ins yet" in body and "No urges or slips logged yet" in body


def test_timeline_lists_milestones_and_the_ics_matches_the_cli(client: TestClient, data_dir: Path) -> None:
    start(client)
    body = text_of(client.get("/timeline").text)
    assert "The breakup" in body and "Last planned day" in body
    ics = client.get("/timeline.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.headers["content-disposition"].startswith("attachment")
    from typer.testing import CliRunner

    from olivebranch.cli import app

    out = data_dir.parent / "cli.ics"
    result = CliRunner().invoke(
        app,
        ["--data-dir", str(data_dir), "--now", "2026-03-01T20:01:00+00:00", "timeline", "--ics", str(out)],
    )
    assert result.exit_code == 0, result.output

    def lines(data: bytes) -> list[bytes]:
        return [line for line in data.splitlines() if not line.startswith(b"DTSTAMP")]

    assert lines(ics.content) == lines(out.read_bytes())


def test_guide_lists_pages_and_shows_one_with_the_regions_lines(client: TestClient) -> None:
    start(client)  # GB
    listing = client.get("/guide").text
    assert 'href="/guide/no-contact"' in listing and 'href="/guide/safety-first"' in listing
    page = client.get("/guide/no-contact")
    assert page.status_code == 200
    assert "Samaritans" in page.text  # the placeholder became the GB crisis lines
    assert "[[support" not in page.text
    assert "Brehm, J. W. (1966)" in page.text  # sources are shown


def test_guide_search_is_a_post_and_finds_by_word(client: TestClient) -> None:
    found = client.post("/guide", data={"q": "safety plan"})
    assert found.status_code == 200
    results = found.text.split('id="guide-results"')[1].split("All pages")[0]
    first = re.search(r'href="/guide/([a-z-]+)"', results)
    assert first and first.group(1) == "safety-first"  # the page titled for it comes first
    nothing = text_of(client.post("/guide", data={"q": "zebra crossing"}).text)
    assert "Nothing matched" in nothing


def test_an_unknown_guide_page_is_a_404(client: TestClient) -> None:
    page = client.get("/guide/nope")
    assert page.status_code == 404 and "There is no guide page here." in page.text


def situation(client: TestClient) -> str:
    found = re.search(r'href="/guide/([a-z-]+)" data-testid="situation-page"', client.get("/").text)
    assert found, "Today shows no page for the situation"
    return found.group(1)


def test_today_shows_the_page_that_fits_the_situation(client: TestClient) -> None:
    start(client)
    assert situation(client) == "no-contact"
    move(client, "2026-03-05T21:00:00+00:00")
    client.post("/urge/write", data={"unsent": "hey", "outcome": "sent"})
    assert situation(client) == "if-you-slip"


def test_a_cool_reply_and_a_new_partner_bring_their_pages(client: TestClient) -> None:
    start(client)
    move(client, "2026-04-20T10:00:00+01:00")
    ready = dict.fromkeys(("self_assessment_done", "urges_calmer", "fine_without_reply"), "yes")
    client.post("/journal/readiness", data=ready)
    client.post("/contact/sent", data={"text": "saw a corgi in a raincoat, thought of you"})
    move(client, "2026-04-21T10:00:00+01:00")
    client.post("/contact/reply", data={"text": "ok.", "tone": "cool"})
    assert situation(client) == "reading-replies"
    move(client, "2026-04-22T10:00:00+01:00")
    saved = client.post("/contact/other", data={"kind": "ex_new_partner"}, follow_redirects=False)
    assert saved.status_code == 303
    assert situation(client) == "ex-has-someone-new"
    assert 'class="why" href="/guide/' in client.get("/").text  # the next step links to its page


def test_other_contact_kinds_are_logged_and_unknown_ones_refused(client: TestClient, data_dir: Path) -> None:
    start(client)
    move(client, "2026-03-03T22:00:00+00:00")
    client.post("/contact/other", data={"kind": "social_check", "note": "looked at her stories"})
    refused = client.post("/contact/other", data={"kind": "telepathy"})
    assert refused.status_code == 400 and "Please choose what happened." in refused.text
    with open_store(f"sqlite:///{data_dir / 'olivebranch.db'}") as store:
        assert [e.kind.value for e in store.events()][-1] == "social_check"
    assert "doesn" in text_of(client.get("/").text) or "social" in text_of(client.get("/").text)


def test_every_finding_in_the_coach_links_to_its_page(client: TestClient) -> None:
    start(client)
    draft = "I'm so sorry, I miss you so much, please can we talk"
    page = client.post("/coach", data={"stage": "first_contact", "text": draft})
    assert page.text.count('class="why"') >= 2
