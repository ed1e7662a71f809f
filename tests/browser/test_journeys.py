"""Whole journeys in a real browser (headless Chromium), with the app's clock moved by the test."""

from __future__ import annotations

import re

from browser_kit import Visit
from playwright.sync_api import Page, expect

DRAFT_OK = "Walked past that little bakery on Elm St today, the one with the lemon tarts. Hope you're well."


def answer_intake(page: Page, *, unsafe: bool = False, let_go: bool = False) -> None:
    page.goto("/")
    page.get_by_role("link", name="Begin").click()
    expect(page.get_by_role("heading", name="Getting started")).to_be_visible()
    for name in (
        "safety_emotional_abuse",
        "safety_controlling",
        "safety_physical_aggression",
        "safety_threats",
        "repeated_betrayal",
        "breakup_messy",
        "anxious_contact_since",
    ):
        page.locator(f'input[name="{name}"][value="no"]').check()
    answer = "yes" if unsafe else "no"
    page.locator(f'input[name="safety_felt_unsafe"][value="{answer}"]').check()
    page.fill("#months_together", "30")
    page.fill("#ended_on", "2026-02-20")
    page.fill("#last_contact_on", "2026-02-22")
    page.select_option("#how_it_ended", "impulsive")
    if let_go:
        page.check('input[name="reasons"][value="patterns_of_harm"]')
        page.select_option("#cause_can_change", "no")
        page.check('input[name="disrespect_unchanged"]')
        page.check('input[name="wellbeing_compromised"]')
        page.fill("#on_off_cycles", "4")
    else:
        page.check('input[name="reasons"][value="communication_breakdown"]')
        page.select_option("#mutual_investment", "mutual")
        page.select_option("#cause_can_change", "yes")
    page.select_option("#region", "GB")
    page.select_option("#timezone", "Europe/London")
    page.get_by_role("button", name="See my assessment and plan").click()


def write(page: Page, selector: str, text: str) -> None:
    """Type as a person does: the last key arrives after the page has fully settled."""
    settled(page)
    page.fill(selector, text[:-1])
    page.locator(selector).press_sequentially(text[-1])


def settled(page: Page) -> None:
    expect(page.locator(".htmx-request, .htmx-settling, .htmx-swapping")).to_have_count(0)


def go(page: Page, section: str) -> None:
    """Open a section from the navigation and wait until it is on screen."""
    link = page.get_by_role("navigation").get_by_role("link", name=section, exact=True)
    link.click()
    expect(link).to_have_attribute("aria-current", "page")
    settled(page)


def today(page: Page) -> str:
    go(page, "Today")
    return page.locator("main").inner_text()


def test_the_whole_journey_from_onboarding_to_the_conversation(visit: Visit) -> None:
    page = visit.page
    visit.clock("2026-03-01T20:00:00+00:00")
    answer_intake(page)
    expect(page.get_by_role("heading", name=re.compile(r"No contact: \d+ days"))).to_be_visible()
    expect(page.get_by_text("Why this length")).to_be_visible()
    page.get_by_role("link", name="Go to today").click()
    expect(page.get_by_test_id("day-count")).to_contain_text("of")

    # A slip on day 16, through the urge flow: the count starts again, kindly.
    visit.clock("2026-03-10T22:30:00+00:00")
    page.goto("/")
    page.get_by_role("link", name="I want to reach out to them").click()
    expect(page.get_by_role("heading", name="Pause first")).to_be_visible()
    page.get_by_role("link", name=re.compile("I've paused")).click()
    write(page, "#unsent", "i miss you so much, can we talk tonight?")
    expect(page.locator("#check-result [data-verdict]")).to_be_visible()  # read live by the checker
    page.get_by_role("button", name="I sent it anyway").click()
    expect(page.get_by_role("heading", name="It's logged, and you're still here")).to_be_visible()
    expect(page.locator("main")).to_contain_text("not a failure")
    assert "starts tomorrow" in today(page)

    # The self-assessment in the journal.
    go(page, "Journal")
    page.select_option("#prompt", "what_ended_it")
    page.fill(
        "#journal_text", "we stopped listening to each other. i went quiet instead of saying what i needed."
    )
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("status")).to_contain_text("Saved to your journal")

    # The readiness check after the planned days.
    visit.clock("2026-05-01T19:00:00+01:00")
    go(page, "Journal")
    for box in page.locator('form[action="/journal/readiness"] input[type="checkbox"]').all():
        box.check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Your readiness check is saved")).to_be_visible()
    assert "First contact" in today(page)

    # First contact: the coach reads the draft live, then the message is logged.
    go(page, "Coach")
    expect(page.locator("#stage")).to_have_value("first_contact")
    write(page, "#text", DRAFT_OK)
    expect(page.locator("#check-result [data-verdict]")).to_have_attribute("data-verdict", "send")
    go(page, "Contact log")
    page.get_by_text("I sent them a message").click()
    page.fill("#sent_text", DRAFT_OK)
    page.locator('form[action="/contact/sent"] button').click()
    expect(page.get_by_role("status")).to_contain_text("Saved")

    # A warm reply, read by the reply reader and confirmed.
    visit.clock("2026-05-02T09:00:00+01:00")
    go(page, "Contact log")
    page.get_by_text("They replied to my message").click()
    page.fill("#reply_text", "omg I loved those tarts!! so good to hear from you, how have you been? 😊")
    page.get_by_role("button", name="Read it for me").click()
    expect(page.get_by_role("heading", name="How their reply reads")).to_be_visible()
    page.check('input[name="tone"][value="warm"]')  # correctable: the person has the last word
    page.get_by_role("button", name="Save the reply").click()
    expect(page.get_by_role("status")).to_contain_text("Saved to your contact log")
    assert "Rebuilding, slowly" in today(page)

    # Three good meetings, a week or more apart.
    go(page, "Contact log")
    history = page.locator(".history li")
    expect(history).to_have_count(2)  # the first message and the reply
    for n, day in enumerate(("2026-05-10", "2026-05-17", "2026-05-24"), start=3):
        visit.clock(f"{day}T21:00:00+01:00")
        page.get_by_text("We met in person").click()
        page.check('input[name="went"][value="good"]')
        page.locator('form[action="/contact/meeting"] button').click()
        expect(history).to_have_count(n)
        settled(page)

    # The checklist before the honest conversation.
    visit.clock("2026-05-25T10:00:00+01:00")
    go(page, "Journal")
    for box in page.locator('form[action="/journal/conversation-readiness"] input[type="checkbox"]').all():
        box.check()
    page.locator('form[action="/journal/conversation-readiness"] button').click()
    # Wait for the answer before leaving the page: a slow reply would otherwise land on Today.
    expect(page.get_by_text("Your checklist is saved")).to_be_visible()
    assert "The honest conversation" in today(page)
    assert visit.external == []  # not one request left the machine


def test_the_safety_track(visit: Visit) -> None:
    page = visit.page
    visit.clock("2026-03-01T20:00:00+00:00")
    answer_intake(page, unsafe=True)
    expect(page.get_by_role("heading", name="Your safety comes first")).to_be_visible()
    body = today(page)
    assert "Safety and support" in body
    assert "I want to reach out to them" not in body
    page.get_by_role("link", name="Need help now?").click()
    expect(page.locator("main")).to_contain_text("checked 20")  # each line shows when it was checked


def test_the_let_go_track(visit: Visit) -> None:
    page = visit.page
    visit.clock("2026-03-01T20:00:00+00:00")
    answer_intake(page, let_go=True)
    expect(page.get_by_role("heading", name="Letting go, gently")).to_be_visible()
    assert "Moving on" in today(page)


def test_quick_exit_leaves_nothing_to_go_back_to(visit: Visit) -> None:
    page = visit.page
    visit.clock("2026-03-01T20:00:00+00:00")
    page.goto("about:blank")
    answer_intake(page)
    page.get_by_role("link", name="Go to today").click()
    go(page, "Journal")
    page.get_by_role("button", name="Quick exit").or_(page.get_by_role("link", name="Quick exit")).click()
    page.wait_for_url(re.compile(r"^https://www\.bbc\.co\.uk/"))
    page.go_back()
    assert not page.url.startswith(visit.server), page.url


def test_escape_twice_is_a_quick_exit(visit: Visit) -> None:
    page = visit.page
    page.goto("/")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"^https://www\.bbc\.co\.uk/"))


def test_the_urge_flow_held_keeps_the_count(visit: Visit) -> None:
    page = visit.page
    visit.clock("2026-03-01T20:00:00+00:00")
    answer_intake(page)
    visit.clock("2026-03-06T23:10:00+00:00")
    before = today(page)
    count = re.search(r"Day \d+ of \d+", before)
    assert count
    page.get_by_role("link", name="I want to reach out to them").click()
    page.select_option("#minutes", "5")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("[data-timer-display]")).to_have_text(re.compile(r"^[45]:\d\d$"))
    page.get_by_role("link", name=re.compile("I've paused")).click()
    page.fill("#unsent", "do you ever think about us")
    page.fill("#trigger", "our song in the supermarket")
    page.get_by_role("button", name="I didn't send it").click()
    expect(page.get_by_role("heading", name="You rode it out")).to_be_visible()
    assert count.group(0) in today(page)


def test_crisis_words_bring_help_at_once_while_writing(visit: Visit) -> None:
    page = visit.page
    visit.clock("2026-03-01T20:00:00+00:00")
    answer_intake(page)
    page.get_by_role("link", name="Go to today").click()
    go(page, "Journal")
    write(page, "#journal_text", "i don't want to be here anymore. everyone would be better off without me")
    expect(page.locator("#journal-screen")).to_contain_text("Samaritans")
