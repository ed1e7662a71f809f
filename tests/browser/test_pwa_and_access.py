"""The installable app offline, an accessibility check of every page, and the README's screenshots."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_kit import Visit
from playwright.sync_api import Browser, BrowserContext, Page, expect
from test_journeys import DRAFT_OK, answer_intake, go, settled, write

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# The README's screenshots are rewritten only when asked (`make screenshots`): a test run leaves the
# working tree as it found it, and writes its screenshots to a temporary folder.
DOCS_SHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


@pytest.fixture
def tooling(browser: Browser, server: str) -> Iterator[BrowserContext]:
    """A context that lets the test inject axe-core and read page state (CSP bypassed for the tools only)."""
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}, bypass_csp=True)
    context.set_default_timeout(20_000)
    yield context
    context.close()


def move_clock(page: Page, server: str, moment: str) -> None:
    assert page.request.post(f"{server}/__test__/clock", form={"now": moment}).ok


def test_manifest_and_icons_make_it_installable(visit: Visit) -> None:
    page = visit.page
    page.goto("/")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    assert href == "/manifest.webmanifest"
    manifest = page.request.get(href).json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert page.request.get(icon["src"]).ok, icon["src"]


def test_offline_keeps_the_draft_and_the_help_page_still_opens(tooling: BrowserContext, server: str) -> None:
    page = tooling.new_page()
    move_clock(page, server, "2026-03-01T20:00:00+00:00")
    answer_intake(page)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker, which refreshes its copy of the help page
    expect(page.get_by_test_id("day-count")).to_be_visible()
    page.wait_for_timeout(1500)
    go(page, "Journal")
    entry = "made pasta tonight and called my sister. small things, but they helped"
    page.fill("#journal_text", entry)
    tooling.set_offline(True)
    page.get_by_role("button", name="Save entry").click()
    expect(page.locator("#offline-notice")).to_be_visible()
    expect(page.locator("#journal_text")).to_have_value(entry)  # nothing typed is lost
    page.get_by_role("link", name="Need help now?").click()
    expect(page.get_by_role("heading", name="Need help now?")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Samaritans")
    page.goto("/journal")
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
    tooling.set_offline(False)
    page.goto("/journal")
    page.fill("#journal_text", entry)
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved to your journal")


def axe_problems(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def check_page(page: Page, label: str, found: dict[str, list[str]]) -> None:
    settled(page)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        problems = axe_problems(page)
        if problems:
            found[f"{label} ({scheme})"] = problems
    page.emulate_media(color_scheme="light")


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return DOCS_SHOTS if os.environ.get("OLIVEBRANCH_UPDATE_SCREENSHOTS") == "1" else tmp_path


def shoot(page: Page, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        path = folder / f"{name}-{width}x{height}.png"
        page.screenshot(path=str(path))
        assert path.read_bytes().startswith(b"\x89PNG"), path
    page.set_viewport_size({"width": 390, "height": 844})


def test_every_page_passes_the_accessibility_check_and_screenshots_are_made(
    tooling: BrowserContext, server: str, shots: Path
) -> None:
    page = tooling.new_page()
    found: dict[str, list[str]] = {}
    move_clock(page, server, "2026-03-01T20:00:00+00:00")
    page.goto("/")
    check_page(page, "welcome", found)
    shoot(page, shots, "welcome")
    page.goto("/start")
    check_page(page, "intake", found)
    page.get_by_role("button", name="See my assessment and plan").click()  # nothing answered
    expect(page.locator("#form-errors")).to_be_visible()
    check_page(page, "intake with errors", found)
    answer_intake(page)
    check_page(page, "plan", found)
    for day, mood, urge in (("02", 3, 8), ("04", 4, 7), ("06", 6, 5), ("08", 7, 3)):
        move_clock(page, server, f"2026-03-{day}T22:30:00+00:00")
        page.request.post(f"{server}/checkin", form={"mood": str(mood), "urge": str(urge)})
    page.request.post(f"{server}/urge/write", form={"unsent": "hey", "outcome": "held"})
    page.goto("/")
    check_page(page, "today", found)
    shoot(page, shots, "today")
    page.goto("/urge")
    check_page(page, "urge pause", found)
    page.goto("/urge/write")
    check_page(page, "unsent box", found)
    page.goto("/coach")
    page.select_option("#stage", "first_contact")
    write(page, "#text", "I'm so sorry for everything, please can we talk, I miss you")
    expect(page.locator("#check-result [data-verdict]")).to_be_visible()
    check_page(page, "coach", found)
    shoot(page, shots, "coach")
    for path, label in (
        ("/contact", "contact log"),
        ("/journal", "journal"),
        ("/signals", "signals"),
        ("/patterns", "patterns"),
        ("/timeline", "timeline"),
        ("/guide", "guide"),
        ("/guide/no-contact", "guide page"),
        ("/settings", "settings"),
        ("/settings/delete", "delete"),
        ("/help", "help"),
        ("/offline", "offline"),
    ):
        page.goto(path)
        check_page(page, label, found)
        if label in ("patterns", "journal", "guide page"):
            shoot(page, shots, label.replace(" ", "-"))
    page.goto("/contact")
    page.get_by_text("They replied to my message").click()
    page.fill("#reply_text", "haha yes! " + DRAFT_OK)
    page.get_by_role("button", name="Read it for me").click()
    expect(page.get_by_role("heading", name="How their reply reads")).to_be_visible()
    check_page(page, "reply reading", found)
    assert not found, json.dumps(found, indent=2)
