"""Which guide page explains each judgement the program makes (pure data, no I/O).

Every code the engine, the checker, the reply reader and the screen can give maps
to the page that explains it; ``tests/test_guide_links.py`` checks that none is
missing and that every target exists.
"""

from __future__ import annotations

from olivebranch.program.state import Status

#: Not a guide page: judgements about a crisis point to the support lines themselves.
HELP = "/help"

TRACK_PAGES = {
    "reconcile": "is-it-worth-trying",
    "unclear": "is-it-worth-trying",
    "let_go": "letting-go",
    "safety": "safety-first",
}

NEXT_STEP_PAGES = {
    "stop_harassment": "giving-space",
    "stay_stopped": "giving-space",
    "get_support": "safety-first",
    "respect_boundary": "no-reply",
    "focus_on_yourself": "moving-on",
    "stay_no_contact": "no-contact",
    "readiness_check": "readiness",
    "reassess": "is-it-worth-trying",
    "send_follow_up": "follow-up",
    "wait_for_reply": "follow-up",
    "give_space": "reading-replies",
    "send_first_message": "first-message",
    "conversation_check": "the-conversation",
    "keep_meeting": "meeting-in-person",
    "suggest_meeting": "meeting-in-person",
    "keep_it_light": "rebuilding",
    "keep_building": "rebuilding",
    "have_the_conversation": "the-conversation",
}

WARNING_PAGES = {
    "follow_up_too_soon": "follow-up",
    "pursuit": "mistakes",
    "repeated_calls": "mistakes",
    "showing_up": "mistakes",
    "repeated_apologies": "mistakes",
    "grand_gesture": "mistakes",
    "hot_and_cold": "mistakes",
    "checking_social_media": "social-media",
    "friends_as_messengers": "mutual-friends",
    "asking_friends_for_news": "mutual-friends",
    "contact_after_no": "giving-space",
}

NOTE_PAGES = {
    "social_check": "social-media",
    "friend_news": "mutual-friends",
    "readiness_early": "readiness",
    "readiness_not_yet": "readiness",
    "therapist": "is-it-worth-trying",
    "processing_window": "giving-space",
    "no_contact_halfway": "no-contact",
}

SCENARIO_PAGES = {
    "no_reply": "no-reply",
    "brief_or_cool_reply": "reading-replies",
    "ex_new_partner": "ex-has-someone-new",
    "mutual_friends": "mutual-friends",
    "ex_reached_out": "ex-reaches-out",
    "broke_no_contact": "if-you-slip",
    "shared_life": "shared-children-home-work",
    "marriage": "marriage",
}

FINDING_PAGES = {
    "too_long": "first-message",
    "relationship_talk": "first-message",
    "neediness": "first-message",
    "pleading": "mistakes",
    "over_apology": "mistakes",
    "ultimatum": "mistakes",
    "guilt_trip": "mistakes",
    "jealousy_play": "mistakes",
    "pressure": "giving-space",
    "hostile": "mistakes",
    "crisis": HELP,
    "no_contact_breach": "no-contact",
    "grand_gesture": "mistakes",
    "generic": "first-message",
    "say_in_person": "the-conversation",
}

SCREEN_PAGES = {
    "abuse": "safety-first",
    "crisis": HELP,
    "harassment_risk": "giving-space",
}

PHASE_PAGES = {
    "safety": "safety-first",
    "no_contact": "no-contact",
    "first_contact": "first-message",
    "rebuilding": "rebuilding",
    "conversation": "the-conversation",
    "moving_on": "moving-on",
}

REPLY_PAGE = "reading-replies"
TABLES = {
    "track": TRACK_PAGES,
    "next_step": NEXT_STEP_PAGES,
    "warning": WARNING_PAGES,
    "note": NOTE_PAGES,
    "scenario": SCENARIO_PAGES,
    "finding": FINDING_PAGES,
    "screen": SCREEN_PAGES,
    "phase": PHASE_PAGES,
}
RECENT_DAYS = 7


def situation_page(status: Status) -> str:
    """The one page that fits where the person is right now, most pressing situation first."""
    if status.harassment_hold is not None:
        return "giving-space"
    if status.phase.value == "safety":
        return "safety-first"
    if status.slips and (status.today - max(s.day for s in status.slips)).days <= RECENT_DAYS:
        return "if-you-slip"
    if any(s.code == "ex_new_partner" for s in status.scenarios):
        return "ex-has-someone-new"
    if status.contact.last_reply_tone in ("brief", "cool", "hostile") and status.phase.value != "moving_on":
        return "reading-replies"
    return NEXT_STEP_PAGES.get(status.next_step.code, PHASE_PAGES[status.phase.value])
