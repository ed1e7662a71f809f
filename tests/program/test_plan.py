"""The length of the no-contact plan, and the reasons it shows (FRAMEWORK section 2)."""

from __future__ import annotations

import itertools

import pytest

from olivebranch.program.plan import plan_no_contact

from .helpers import intake, profile, status

MONTHS = (3, 5.9, 6, 14, 23.9, 24, 36)


def expected_days(months: float, messy: bool, anxious: bool) -> int:
    if months >= 24 or messy or anxious:
        return 45
    if months < 6:
        return 21
    return 30


CASES = [
    (months, messy, anxious, expected_days(months, messy, anxious))
    for months, messy, anxious in itertools.product(MONTHS, (False, True), (False, True))
]


def test_the_table_covers_all_three_lengths() -> None:
    assert {days for *_, days in CASES} == {21, 30, 45}


@pytest.mark.parametrize(("months", "messy", "anxious", "days"), CASES)
def test_plan_length(months: float, messy: bool, anxious: bool, days: int) -> None:
    plan = plan_no_contact(
        profile(months_together=months, breakup_messy=messy, anxious_contact_since=anxious)
    )
    assert plan.planned_days == days
    assert plan.reasons
    assert all(reason.strip() for reason in plan.reasons)


@pytest.mark.parametrize(("months", "messy", "anxious", "days"), CASES)
def test_status_shows_the_same_plan(months: float, messy: bool, anxious: bool, days: int) -> None:
    s = status(
        [intake(months_together=months, breakup_messy=messy, anxious_contact_since=anxious)],
        "2026-09-10 09:00",
    )
    assert s.no_contact is not None
    assert s.no_contact.planned_days == days
    assert s.no_contact.reasons


@pytest.mark.parametrize(
    ("months", "messy", "anxious", "words"),
    [
        (24, False, False, ["2 years"]),
        (36, False, False, ["3 years"]),
        (30, False, False, ["2.5 years"]),
        (14, True, False, ["messy"]),
        (14, False, True, ["anxious"]),
        (36, True, True, ["3 years", "messy", "anxious"]),
        (3, False, False, ["3 months", "calm", "three weeks"]),
        (14, False, False, ["usual"]),
        (23.9, False, False, ["usual"]),
    ],
)
def test_reasons_say_why(months: float, messy: bool, anxious: bool, words: list[str]) -> None:
    plan = plan_no_contact(
        profile(months_together=months, breakup_messy=messy, anxious_contact_since=anxious)
    )
    text = " ".join(plan.reasons)
    for word in words:
        assert word in text, (word, text)


@pytest.mark.parametrize(("messy", "anxious", "count"), [(True, False, 2), (False, True, 2), (True, True, 3)])
def test_every_reason_for_45_days_is_listed(messy: bool, anxious: bool, count: int) -> None:
    plan = plan_no_contact(profile(months_together=36, breakup_messy=messy, anxious_contact_since=anxious))
    assert len(plan.reasons) == count


def test_a_short_fling_that_was_messy_gets_45_not_21() -> None:
    plan = plan_no_contact(profile(months_together=4, breakup_messy=True))
    assert plan.planned_days == 45
    assert "three weeks" not in " ".join(plan.reasons)


@pytest.mark.parametrize(
    ("months", "said"),
    [(5.9, "5.9 months"), (1, "a month"), (0.5, "less than a month"), (3, "3 months"), (36, "3 years")],
)
def test_the_reason_states_the_length_of_the_relationship_truthfully(months: float, said: str) -> None:
    plan = plan_no_contact(profile(months_together=months))
    assert said in plan.reasons[0]
