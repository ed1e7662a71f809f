"""The timeline and milestones (section 10), scenarios (section 9), and check-ins."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from olivebranch.program.state import Milestone, Phase, Status

from .helpers import (
    FIRST_MESSAGE_DAY,
    codes,
    day_at,
    ev,
    first_message_sent,
    intake,
    rebuilding_from,
    safety,
    status,
    through_no_contact,
)


def milestone(s: Status, code: str) -> Milestone:
    return next(m for m in s.milestones if m.code == code)


@pytest.mark.parametrize(
    ("ended_on", "starts", "ends"),
    [
        ("2026-09-01", date(2026, 10, 20), date(2026, 11, 16)),
        ("2026-08-15", date(2026, 10, 3), date(2026, 10, 30)),
        ("2026-02-28", date(2026, 4, 18), date(2026, 5, 15)),
    ],
)
def test_processing_window_is_weeks_8_to_11_after_the_breakup(
    ended_on: str, starts: date, ends: date
) -> None:
    s = status([intake(ended_on=ended_on, last_contact_on="2026-09-05")], "2026-09-06 12:00")
    window = milestone(s, "processing_window")
    assert (window.on, window.until) == (starts, ends)
    ended = date.fromisoformat(ended_on)
    assert (window.on - ended).days == 49  # first day of week 8
    assert window.until is not None
    assert (window.until - ended).days == 76  # last day of week 11
    assert window.reached is (s.today >= starts)


@pytest.mark.parametrize(
    ("now", "reached"),
    [("2026-10-19 23:59", False), ("2026-10-20 00:00", True), ("2026-12-01 12:00", True)],
)
def test_processing_window_is_reached_on_its_first_local_day(now: str, reached: bool) -> None:
    s = status([intake()], now)
    assert milestone(s, "processing_window").reached is reached


@pytest.mark.parametrize(
    ("overrides", "start", "halfway", "last"),
    [
        ({}, date(2026, 9, 6), date(2026, 9, 20), date(2026, 10, 5)),  # 30 days
        ({"months_together": 4}, date(2026, 9, 6), date(2026, 9, 16), date(2026, 9, 26)),  # 21 days
        ({"breakup_messy": True}, date(2026, 9, 6), date(2026, 9, 28), date(2026, 10, 20)),  # 45 days
    ],
)
def test_no_contact_milestones(overrides: dict[str, object], start: date, halfway: date, last: date) -> None:
    s = status([intake(**overrides)], "2026-09-20 12:00")
    assert milestone(s, "no_contact_start").on == start
    assert milestone(s, "no_contact_halfway").on == halfway
    assert milestone(s, "readiness_check").on == last
    assert milestone(s, "no_contact_start").reached
    assert milestone(s, "no_contact_halfway").reached is (halfway <= date(2026, 9, 20))
    assert not milestone(s, "readiness_check").reached


def test_a_slip_moves_the_no_contact_milestones() -> None:
    s = status([intake(), ev("slip", "2026-09-15 22:00")], "2026-09-16 12:00")
    assert milestone(s, "no_contact_start").on == date(2026, 9, 16)
    assert milestone(s, "readiness_check").on == date(2026, 10, 15)


def test_milestones_come_in_date_order() -> None:
    s = status(
        [*rebuilding_from(), ev("meeting", day_at(FIRST_MESSAGE_DAY + timedelta(days=9)), went="good")],
        "2026-12-01 12:00",
    )
    days = [m.on for m in s.milestones]
    assert days == sorted(days)
    assert {"no_contact_complete", "first_message", "first_warm_reply", "first_meeting"} <= set(
        codes(s.milestones)
    )
    assert all(m.reached for m in s.milestones if m.on <= s.today)


def test_safety_track_has_no_no_contact_milestones() -> None:
    s = status([intake(safety=safety(physical_aggression=True))], "2026-09-20 12:00")
    assert codes(s.milestones) == ["processing_window"]


def test_let_go_track_keeps_only_the_start_of_the_quiet() -> None:
    s = status([intake(repeated_betrayal=True)], "2026-09-20 12:00")
    assert "readiness_check" not in codes(s.milestones)
    assert "processing_window" in codes(s.milestones)


# ---------------------------------------------------------------- scenarios


@pytest.mark.parametrize(
    ("overrides", "present", "absent"),
    [
        ({}, [], ["shared_life", "marriage", "mutual_friends"]),
        ({"children": True}, ["shared_life"], ["marriage"]),
        ({"living_together": True}, ["shared_life"], []),
        ({"shared_work": True}, ["shared_life"], []),
        ({"married": True}, ["marriage"], []),
        ({"mutual_friends": True}, ["mutual_friends"], []),
    ],
)
def test_scenarios_from_the_answers(
    overrides: dict[str, object], present: list[str], absent: list[str]
) -> None:
    got = codes(status([intake(**overrides)], "2026-09-20 12:00").scenarios)
    for code in present:
        assert code in got
    for code in absent:
        assert code not in got


def test_the_marriage_scenario_suggests_counselling() -> None:
    s = status([intake(married=True)], "2026-09-20 12:00")
    assert "counselling" in next(sc.text for sc in s.scenarios if sc.code == "marriage")


@pytest.mark.parametrize(
    ("pronoun", "opening"),
    [("she", "She is seeing"), ("he", "He is seeing"), ("they", "They are seeing")],
)
def test_ex_new_partner(pronoun: str, opening: str) -> None:
    s = status([intake(ex_pronouns=pronoun), ev("ex_new_partner", "2026-09-15 20:00")], "2026-09-16 12:00")
    text = next(sc.text for sc in s.scenarios if sc.code == "ex_new_partner")
    assert text.startswith(opening)
    assert "rebound" in text and "compete" in text
    assert s.phase is Phase.NO_CONTACT  # it changes the guidance, not the plan


@pytest.mark.parametrize(
    ("contact_at", "now", "present"),
    [
        ("2026-09-15 20:00", "2026-09-16 12:00", True),
        ("2026-09-15 20:00", "2026-09-28 12:00", True),  # 13 days later
        ("2026-09-15 20:00", "2026-09-29 12:00", False),  # 14 days later
    ],
)
def test_ex_reached_out_during_no_contact(contact_at: str, now: str, present: bool) -> None:
    s = status([intake(), ev("ex_contact", contact_at, text="hey, how have you been?")], now)
    assert ("ex_reached_out" in codes(s.scenarios)) is present
    if present:
        assert "logistics" in next(sc.text for sc in s.scenarios if sc.code == "ex_reached_out")


def test_ex_reached_out_is_a_no_contact_scenario_only() -> None:
    events = [*through_no_contact(), ev("ex_contact", "2026-10-06 09:00", text="hey!", tone="neutral")]
    assert "ex_reached_out" not in codes(status(events, "2026-10-07 12:00").scenarios)


def test_broke_no_contact_scenario() -> None:
    s = status([intake(), ev("sent", "2026-09-15 23:00", text="miss you")], "2026-09-16 12:00")
    assert "broke_no_contact" in codes(s.scenarios)


def test_no_reply_scenario_after_a_week() -> None:
    assert "no_reply" not in codes(status(first_message_sent(), "2026-10-12 12:00").scenarios)
    assert "no_reply" in codes(status(first_message_sent(), "2026-10-13 12:00").scenarios)


def test_safety_track_shows_no_scenarios() -> None:
    s = status([intake(safety=safety(threats=True), married=True, children=True)], "2026-09-20 12:00")
    assert s.scenarios == ()


# ---------------------------------------------------------------- check-ins and the timeline


def test_the_latest_checkin_is_reported_on_its_local_day() -> None:
    events = [
        intake(),
        ev("checkin", "2026-09-10 09:00", mood=3, urge=8),
        ev("checkin", "2026-09-12 23:30", mood=6, urge=4),  # 03:30 UTC on the 13th
    ]
    s = status(events, "2026-09-13 12:00")
    assert s.last_checkin is not None
    assert (s.last_checkin.on, s.last_checkin.mood, s.last_checkin.urge) == (date(2026, 9, 12), 6, 4)


def test_a_checkin_with_missing_numbers_keeps_what_was_given() -> None:
    s = status([intake(), ev("checkin", "2026-09-10 09:00", mood=5)], "2026-09-13 12:00")
    assert s.last_checkin is not None and (s.last_checkin.mood, s.last_checkin.urge) == (5, None)


def test_days_since_the_breakup_use_the_local_day() -> None:
    assert status([intake()], "2026-09-30 23:30").days_since_breakup == 29


# ---------------------------------------------------------------- the log itself


@pytest.mark.parametrize("kind", ["call", "slip", "sent", "visit"])
def test_an_event_logged_at_the_very_moment_of_the_intake_counts(kind: str) -> None:
    moment = "2026-09-06 10:00"
    s = status([intake(moment), ev(kind, moment, text="hi")], "2026-09-08 09:00")
    assert s.no_contact is not None and s.no_contact.restarts == 1


def test_a_checkin_at_the_moment_of_the_intake_counts() -> None:
    moment = "2026-09-06 10:00"
    s = status([intake(moment), ev("checkin", moment, mood=4, urge=7)], "2026-09-08 09:00")
    assert s.last_checkin is not None and s.last_checkin.urge == 7


def test_events_before_the_latest_intake_are_not_replayed() -> None:
    events = [intake("2026-09-06 10:00"), ev("call", "2026-09-07 10:00"), intake("2026-09-08 10:00")]
    s = status(events, "2026-09-09 09:00")
    assert s.slips == ()


def test_the_moving_on_track_gives_one_focus_a_week() -> None:
    events = [intake(repeated_betrayal=True)]
    texts = []
    for week in range(8):
        result = status(events, day_at(date(2026, 9, 6) + timedelta(days=7 * week), "12:00"))
        assert result.phase.value == "moving_on"
        assert result.next_step.code == "focus_on_yourself"
        assert result.moving_on_since == date(2026, 9, 6)
        texts.append(result.next_step.text)
    assert len(set(texts)) == 6  # six focuses, and the last one stays
    assert texts[0].startswith("This week, let yourself grieve")
    assert texts[6] == texts[7] == texts[5]
