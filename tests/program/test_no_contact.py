"""No contact: local-day counting, slips, monitoring, readiness, the unclear track's healing period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from olivebranch.program.assessment import Track
from olivebranch.program.journal import PROMPTS
from olivebranch.program.readiness import NO_CONTACT_READINESS
from olivebranch.program.state import Phase

from .helpers import (
    PLAN_END,
    at,
    codes,
    day_at,
    ev,
    intake,
    readiness_passed,
    status,
)

# ---------------------------------------------------------------- day counting


@pytest.mark.parametrize(
    ("now", "day", "step"),
    [
        ("2026-09-06 10:00", 1, "stay_no_contact"),  # day 1 is the day after the last contact
        ("2026-09-06 23:59", 1, "stay_no_contact"),
        ("2026-09-07 00:00", 2, "stay_no_contact"),
        ("2026-09-20 12:00", 15, "stay_no_contact"),
        ("2026-10-04 23:59", 29, "stay_no_contact"),
        ("2026-10-05 00:00", 30, "readiness_check"),  # the last planned day: time for the check
        ("2026-11-20 09:00", 76, "readiness_check"),  # the calendar alone never ends it
    ],
)
def test_day_counting(now: str, day: int, step: str) -> None:
    s = status([intake()], now)
    assert s.phase is Phase.NO_CONTACT
    assert s.no_contact is not None
    assert s.no_contact.day == day
    assert s.no_contact.started_on == date(2026, 9, 6)
    assert s.no_contact.planned_end == PLAN_END
    assert s.next_step.code == step
    if step == "stay_no_contact":
        assert f"Day {day} of 30" in s.next_step.text


def test_the_day_of_the_last_contact_is_day_0() -> None:
    s = status([intake("2026-09-05 20:00")], "2026-09-05 22:00")
    assert s.no_contact is not None and s.no_contact.day == 0


@pytest.mark.parametrize(
    ("now_utc", "day"),
    [
        # 02:00 UTC on the 7th is still the evening of the 6th in New York
        ("2026-09-07 02:00", 1),
        ("2026-09-07 03:59", 1),
        ("2026-09-07 04:00", 2),  # midnight in New York (UTC-4 in September)
    ],
)
def test_today_is_the_persons_local_day_not_utc(now_utc: str, day: int) -> None:
    s = status([intake()], at(now_utc, "UTC"))
    assert s.today == date(2026, 9, 6) + timedelta(days=day - 1)
    assert s.no_contact is not None and s.no_contact.day == day


def test_a_slip_at_2330_local_counts_on_the_local_day_though_utc_is_the_next_day() -> None:
    slip_time = at("2026-09-20 23:30")  # New York; 03:30 UTC on the 21st
    assert slip_time.astimezone(at("2026-01-01 00:00", "UTC").tzinfo).day == 21
    s = status([intake(), ev("slip", slip_time, trigger="our song")], "2026-09-21 09:00")
    assert s.slips[0].day == date(2026, 9, 20)
    assert s.no_contact is not None
    assert s.no_contact.day == 1
    assert s.no_contact.started_on == date(2026, 9, 21)
    assert s.no_contact.planned_end == date(2026, 10, 20)


def test_an_event_stored_in_another_offset_is_read_in_the_persons_zone() -> None:
    # Logged as 04:30 UTC on the 21st, which is 00:30 on the 21st in New York.
    s = status([intake(), ev("call", at("2026-09-21 04:30", "UTC"))], "2026-09-21 09:00")
    assert s.slips[0].day == date(2026, 9, 21)
    assert s.no_contact is not None and s.no_contact.day == 0


@pytest.mark.parametrize(
    ("now", "day"),
    [
        ("2026-03-28 23:59", 3),
        ("2026-03-29 00:30", 4),  # the night the clocks go forward in Berlin
        ("2026-03-29 03:30", 4),
        ("2026-03-29 23:59", 4),
        ("2026-03-30 00:01", 5),
        ("2026-04-01 12:00", 7),
    ],
)
def test_day_counting_across_the_spring_clock_change(now: str, day: int) -> None:
    berlin = {
        "timezone": "Europe/Berlin",
        "region": "DE",
        "ended_on": "2026-03-20",
        "last_contact_on": "2026-03-25",
    }
    s = status([intake(at("2026-03-26 08:00", "Europe/Berlin"), **berlin)], at(now, "Europe/Berlin"))
    assert s.no_contact is not None and s.no_contact.day == day


@pytest.mark.parametrize(
    ("now", "day"),
    [
        ("2026-10-31 23:59", 3),
        ("2026-11-01 01:30", 4),  # the repeated hour when New York falls back
        ("2026-11-01 23:59", 4),
        ("2026-11-02 00:00", 5),
        ("2026-11-04 09:00", 7),
    ],
)
def test_day_counting_across_the_autumn_clock_change(now: str, day: int) -> None:
    dates = {"ended_on": "2026-10-20", "last_contact_on": "2026-10-28"}
    s = status([intake("2026-10-29 08:00", **dates)], now)
    assert s.no_contact is not None and s.no_contact.day == day


def test_a_slip_in_the_dst_week_restarts_on_its_local_day() -> None:
    dates = {"ended_on": "2026-10-20", "last_contact_on": "2026-10-28"}
    events = [intake("2026-10-29 08:00", **dates), ev("sent", "2026-11-01 23:30", text="are you up")]
    s = status(events, "2026-11-08 12:00")
    assert s.slips[0].day == date(2026, 11, 1)
    assert s.no_contact is not None and s.no_contact.day == 7


# ---------------------------------------------------------------- slips


@pytest.mark.parametrize(
    ("kind", "data", "restarts"),
    [
        ("sent", {"text": "I miss you"}, True),
        ("call", {}, True),
        ("visit", {}, True),
        ("slip", {"trigger": "saw her car"}, True),
        ("sent", {"text": "Can I pick up my bike Saturday?", "logistics": True}, False),
        ("sent", {"text": "Yes, the key is under the mat.", "answering": True}, False),
        ("social_check", {}, False),
        ("friend_news", {}, False),
        ("ex_contact", {"text": "hey, how are you?"}, False),
        ("ex_contact", {"text": "your mail came here", "logistics": True}, False),
        ("checkin", {"mood": 3, "urge": 8}, False),
        ("urge", {"trigger": "weekend", "note": "wanted to text"}, False),
        ("journal", {"prompt": "what_ended_it", "text": "We stopped talking."}, False),
        ("signal", {"kind": "like"}, False),
    ],
)
def test_what_restarts_the_count(kind: str, data: dict[str, object], restarts: bool) -> None:
    events = [intake(), ev(kind, "2026-09-20 18:00", **data)]
    s = status(events, "2026-09-25 09:00")
    assert s.no_contact is not None
    if restarts:
        assert s.no_contact.day == 5
        assert s.no_contact.restarts == 1
        assert [(sl.day, sl.kind) for sl in s.slips] == [(date(2026, 9, 20), kind)]
        assert "broke_no_contact" in codes(s.scenarios)
        assert s.no_contact.planned_end == date(2026, 10, 20)
    else:
        assert s.no_contact.day == 20
        assert s.no_contact.restarts == 0
        assert s.slips == ()
        assert "broke_no_contact" not in codes(s.scenarios)
    assert s.phase is Phase.NO_CONTACT


def test_a_slip_keeps_its_trigger_and_is_named_kindly() -> None:
    s = status([intake(), ev("slip", "2026-09-20 18:00", trigger="our anniversary")], "2026-09-21 09:00")
    assert s.slips[0].trigger == "our anniversary"
    broke = next(sc for sc in s.scenarios if sc.code == "broke_no_contact")
    assert "not a failure" in broke.text
    assert s.next_step.code == "stay_no_contact"
    assert "Day 1 of 30" in s.next_step.text


def test_each_slip_restarts_from_the_latest() -> None:
    events = [
        intake(),
        ev("call", "2026-09-10 20:00"),
        ev("visit", "2026-09-18 12:00"),
        ev("sent", "2026-09-12 09:00"),
    ]
    s = status(events, "2026-09-20 09:00")
    assert s.no_contact is not None
    assert s.no_contact.restarts == 3
    assert s.no_contact.day == 2
    assert [sl.kind for sl in s.slips] == ["call", "sent", "visit"]


def test_the_broke_no_contact_note_fades_after_two_weeks() -> None:
    events = [intake(), ev("slip", "2026-09-10 18:00")]
    assert "broke_no_contact" in codes(status(events, "2026-09-23 09:00").scenarios)
    assert "broke_no_contact" not in codes(status(events, "2026-09-24 09:00").scenarios)


# ---------------------------------------------------------------- monitoring


@pytest.mark.parametrize(("kind", "note"), [("social_check", "social_check"), ("friend_news", "friend_news")])
def test_monitoring_is_named_in_the_notes_for_a_week(kind: str, note: str) -> None:
    events = [intake(), ev(kind, "2026-09-20 22:00")]
    s = status(events, "2026-09-21 09:00")
    assert note in codes(s.notes)
    assert "doesn't restart the count" in next(n.text for n in s.notes if n.code == note)
    assert s.no_contact is not None and s.no_contact.restarts == 0
    assert note in codes(status(events, "2026-09-26 09:00").notes)  # 7th day
    assert note not in codes(status(events, "2026-09-27 09:00").notes)


@pytest.mark.parametrize(
    ("kind", "times", "warning"),
    [
        ("social_check", ["2026-09-14 21:00", "2026-09-15 21:00", "2026-09-16 21:00"], True),
        ("social_check", ["2026-09-14 21:00", "2026-09-14 22:00", "2026-09-14 23:00"], True),
        ("social_check", ["2026-09-14 21:00", "2026-09-17 21:00", "2026-09-20 21:00"], True),  # 7 days
        ("social_check", ["2026-09-14 21:00", "2026-09-17 21:00", "2026-09-21 09:00"], False),  # 8 days
        ("social_check", ["2026-09-14 21:00", "2026-09-15 21:00"], False),
        ("friend_news", ["2026-09-14 12:00", "2026-09-16 12:00", "2026-09-20 12:00"], True),
        ("friend_news", ["2026-09-14 12:00", "2026-09-14 13:00", "2026-09-14 14:00"], False),  # one day
        ("friend_news", ["2026-09-14 12:00", "2026-09-14 13:00", "2026-09-15 14:00"], False),  # two days
        ("friend_news", ["2026-09-14 12:00", "2026-09-17 12:00", "2026-09-21 12:00"], False),  # 8 days
    ],
)
def test_frequent_monitoring_is_a_warning(kind: str, times: list[str], warning: bool) -> None:
    code = {"social_check": "checking_social_media", "friend_news": "asking_friends_for_news"}[kind]
    s = status([intake(), *(ev(kind, t) for t in times)], "2026-09-22 09:00")
    assert (code in codes(s.warnings)) is warning
    assert s.no_contact is not None and s.no_contact.restarts == 0


def test_asking_friends_for_news_is_named_as_monitoring() -> None:
    times = ["2026-09-14 12:00", "2026-09-15 12:00", "2026-09-16 12:00"]
    s = status([intake(), *(ev("friend_news", t) for t in times)], "2026-09-17 09:00")
    text = next(w.text for w in s.warnings if w.code == "asking_friends_for_news")
    assert "monitoring" in text and "harassment" in text


# ---------------------------------------------------------------- readiness


def test_planned_days_and_a_passed_check_end_no_contact() -> None:
    s = status([intake(), readiness_passed("2026-10-05 20:00")], "2026-10-06 09:00")
    assert s.phase is Phase.FIRST_CONTACT
    assert s.no_contact is not None
    assert s.no_contact.ended_on == PLAN_END
    assert s.no_contact.day == 30  # frozen at the day it ended
    assert s.next_step.code == "send_first_message"
    assert "no_contact_complete" in codes(s.milestones)


def test_a_check_passed_with_the_flag_counts_too() -> None:
    s = status([intake(), ev("readiness", "2026-10-06 20:00", passed=True)], "2026-10-07 09:00")
    assert s.phase is Phase.FIRST_CONTACT


def test_an_early_check_does_not_end_no_contact() -> None:
    events = [intake(), readiness_passed("2026-10-01 20:00")]
    s = status(events, "2026-10-02 09:00")
    assert s.phase is Phase.NO_CONTACT
    assert "readiness_early" in codes(s.notes)
    assert PLAN_END.isoformat() in next(n.text for n in s.notes if n.code == "readiness_early")
    later = status(events, "2026-10-10 09:00")
    assert later.phase is Phase.NO_CONTACT
    assert later.next_step.code == "readiness_check"


def test_the_calendar_alone_does_not_end_no_contact() -> None:
    s = status([intake()], "2026-12-01 09:00")
    assert s.phase is Phase.NO_CONTACT
    assert s.next_step.code == "readiness_check"
    assert "calendar alone" in s.next_step.text


@pytest.mark.parametrize(
    "no_answers",
    [["fine_without_reply"], ["urges_calmer", "self_assessment_done"], list(NO_CONTACT_READINESS)],
)
def test_a_failed_check_lists_what_is_missing(no_answers: list[str]) -> None:
    answered = {key: key not in no_answers for key in NO_CONTACT_READINESS}
    s = status([intake(), ev("readiness", "2026-10-05 20:00", answers=answered)], "2026-10-06 09:00")
    assert s.phase is Phase.NO_CONTACT
    note = next(n.text for n in s.notes if n.code == "readiness_not_yet")
    for key, text in NO_CONTACT_READINESS.items():
        assert (text in note) is (key in no_answers)


def test_a_failed_then_passed_check_ends_no_contact() -> None:
    failed = ev("readiness", "2026-10-05 20:00", answers={"self_assessment_done": True})
    s = status([intake(), failed, readiness_passed("2026-10-08 20:00")], "2026-10-09 09:00")
    assert s.phase is Phase.FIRST_CONTACT
    assert s.no_contact is not None and s.no_contact.ended_on == date(2026, 10, 8)
    assert "readiness_not_yet" not in codes(s.notes)


def test_a_passed_early_check_clears_an_earlier_failed_one() -> None:
    failed = ev("readiness", "2026-09-25 20:00", answers={})
    s = status([intake(), failed, readiness_passed("2026-10-01 20:00")], "2026-10-02 09:00")
    assert "readiness_early" in codes(s.notes)
    assert "readiness_not_yet" not in codes(s.notes)


def test_a_slip_moves_the_day_the_check_counts_from() -> None:
    events = [intake(), ev("call", "2026-09-20 21:00"), readiness_passed("2026-10-05 20:00")]
    s = status(events, "2026-10-06 09:00")
    assert s.phase is Phase.NO_CONTACT
    assert "readiness_early" in codes(s.notes)
    assert s.no_contact is not None and s.no_contact.planned_end == date(2026, 10, 20)
    done = status([*events, readiness_passed("2026-10-20 20:00")], "2026-10-21 09:00")
    assert done.phase is Phase.FIRST_CONTACT


def test_the_journal_prompt_in_the_next_step_moves_on_as_prompts_are_answered() -> None:
    s = status([intake()], "2026-09-10 09:00")
    assert PROMPTS["what_ended_it"] in s.next_step.text
    s = status(
        [intake(), ev("journal", "2026-09-08 21:00", prompt="what_ended_it", text="...")], "2026-09-10 09:00"
    )
    assert PROMPTS["your_part"] in s.next_step.text


# ---------------------------------------------------------------- the unclear track

MARRIED = {"married": True}


def test_unclear_track_runs_no_contact_as_healing() -> None:
    s = status([intake(**MARRIED)], "2026-09-20 09:00")
    assert s.track is Track.UNCLEAR
    assert s.phase is Phase.NO_CONTACT
    assert s.no_contact is not None
    assert s.no_contact.purpose == "healing"
    assert "therapist" in codes(s.notes)
    assert "marriage" in codes(s.scenarios)
    reconcile = status([intake()], "2026-09-20 09:00")
    assert reconcile.no_contact is not None and reconcile.no_contact.purpose == "reconnect"


def test_unclear_track_passed_check_leads_to_the_reassessment_not_to_contact() -> None:
    s = status([intake(**MARRIED), readiness_passed("2026-10-05 20:00")], "2026-10-06 09:00")
    assert s.phase is Phase.NO_CONTACT
    assert s.next_step.code == "reassess"


def test_unclear_track_reassessed_to_reconcile_leads_to_first_contact() -> None:
    events = [
        intake(**MARRIED),
        readiness_passed("2026-10-05 20:00"),
        ev("reassessment", "2026-10-07 20:00", outcome="reconcile"),
    ]
    s = status(events, "2026-10-08 09:00")
    assert s.track is Track.RECONCILE
    assert s.phase is Phase.FIRST_CONTACT
    assert s.no_contact is not None and s.no_contact.ended_on == date(2026, 10, 7)
    assert s.next_step.code == "send_first_message"


def test_unclear_track_reassessed_to_let_go_moves_on() -> None:
    events = [
        intake(**MARRIED),
        readiness_passed("2026-10-05 20:00"),
        ev("reassessment", "2026-10-07 20:00", outcome="let_go"),
    ]
    s = status(events, "2026-10-08 09:00")
    assert s.track is Track.LET_GO
    assert s.phase is Phase.MOVING_ON
    assert s.moving_on_reason == "reassessed"
    assert s.next_step.code == "focus_on_yourself"


def test_an_early_reassessment_to_reconcile_still_waits_for_the_check() -> None:
    events = [intake(**MARRIED), ev("reassessment", "2026-09-20 20:00", outcome="reconcile")]
    s = status(events, "2026-09-21 09:00")
    assert (s.track, s.phase) == (Track.RECONCILE, Phase.NO_CONTACT)
    s = status([*events, readiness_passed("2026-10-05 20:00")], "2026-10-06 09:00")
    assert s.phase is Phase.FIRST_CONTACT


def test_a_slip_after_a_passed_check_on_the_unclear_track_needs_a_new_check() -> None:
    events = [
        intake(**MARRIED),
        readiness_passed("2026-10-05 20:00"),
        ev("sent", "2026-10-06 23:00", text="thinking of you"),
        ev("reassessment", "2026-10-07 20:00", outcome="reconcile"),
    ]
    s = status(events, "2026-10-08 09:00")
    assert s.phase is Phase.NO_CONTACT
    assert s.no_contact is not None and s.no_contact.day == 2
    assert s.next_step.code == "stay_no_contact"
    s = status(events, day_at(date(2026, 11, 6)))
    assert s.next_step.code == "readiness_check"


def test_deciding_to_let_go_moves_on_at_any_point() -> None:
    s = status([intake(), ev("let_go", "2026-09-15 20:00")], "2026-09-16 09:00")
    assert (s.track, s.phase, s.moving_on_reason) == (Track.LET_GO, Phase.MOVING_ON, "decided")
    assert s.next_step.code == "focus_on_yourself"


def test_last_contact_date_is_the_start_of_the_count() -> None:
    s = status([intake(last_contact_on="2026-09-01")], "2026-09-06 12:00")
    assert s.no_contact is not None and s.no_contact.day == 5
