"""The viability assessment and the track it sets (FRAMEWORK sections 0 and 1)."""

from __future__ import annotations

import re

import pytest

from olivebranch.program.assessment import Effect, Track, assess
from olivebranch.program.profile import SAFETY_QUESTIONS, Reason
from olivebranch.program.state import Phase

from .helpers import ev, intake, profile, readiness_passed, rebuilding_from, safety, status

PERCENT = re.compile(r"\d\s*%|per ?cent|probability|chance of", re.IGNORECASE)


@pytest.mark.parametrize("question", list(SAFETY_QUESTIONS))
def test_any_safety_yes_gives_the_safety_track(question: str) -> None:
    s = status([intake(safety=safety(**{question: True}))], "2026-09-10 09:00")
    assert s.track is Track.SAFETY
    assert s.phase is Phase.SAFETY
    assert s.no_contact is None
    assert s.next_step.code == "get_support"
    assert s.scenarios == ()
    assert s.assessment.suggest_therapist


def test_safety_wins_over_everything_else() -> None:
    s = status(
        [intake(safety=safety(threats=True), repeated_betrayal=True, married=True)],
        "2026-09-10 09:00",
    )
    assert s.track is Track.SAFETY


def test_all_safety_answers_no_is_not_the_safety_track() -> None:
    assert status([intake()], "2026-09-10 09:00").track is Track.RECONCILE


def test_safety_track_ignores_later_contact_events() -> None:
    s = status(
        [
            intake(safety=safety(controlling=True)),
            readiness_passed("2026-10-05 20:00"),
            ev("sent", "2026-10-06 12:00", text="hi"),
            ev("reply", "2026-10-06 13:00", tone="warm"),
        ],
        "2026-10-20 09:00",
    )
    assert s.phase is Phase.SAFETY
    assert s.no_contact is None
    assert s.next_step.code == "get_support"


def test_a_late_safety_disclosure_moves_to_the_safety_track() -> None:
    events = [*rebuilding_from(), ev("safety_concern", "2026-10-10 09:00")]
    s = status(events, "2026-10-20 09:00")
    assert (s.track, s.phase, s.no_contact) == (Track.SAFETY, Phase.SAFETY, None)
    assert s.next_step.code == "get_support"


def test_repeated_betrayal_lets_go_with_that_reason() -> None:
    s = status([intake(repeated_betrayal=True)], "2026-09-10 09:00")
    assert s.track is Track.LET_GO
    assert s.phase is Phase.MOVING_ON
    assert s.moving_on_reason == "assessment"
    assert s.next_step.code == "focus_on_yourself"
    assert "without the other person taking responsibility" in s.assessment.reasons[0]
    assert "repeated_betrayal" in [f.code for f in s.assessment.factors]
    assert s.assessment.suggest_therapist


def test_marriage_is_unclear_with_counselling_first() -> None:
    a = assess(profile(married=True))
    assert a.track is Track.UNCLEAR
    assert "counselling" in a.reasons[0]
    assert a.suggest_therapist
    assert "therapist" in a.headline


@pytest.mark.parametrize(
    ("overrides", "signs"),
    [
        ({"on_off_cycles": 2, "disrespect_unchanged": True}, {"on_off_cycles", "disrespect_unchanged"}),
        (
            {"reasons": ["incompatible_values"], "wellbeing_compromised": True},
            {"incompatible_values", "wellbeing_compromised"},
        ),
        (
            {"disrespect_unchanged": True, "wellbeing_compromised": True},
            {"disrespect_unchanged", "wellbeing_compromised"},
        ),
        (
            {"on_off_cycles": 3, "disrespect_unchanged": True, "married": True},
            {"on_off_cycles", "disrespect_unchanged"},
        ),
    ],
)
def test_two_let_go_signs_give_let_go_with_each_sign_as_reason(
    overrides: dict[str, object], signs: set[str]
) -> None:
    a = assess(profile(**overrides))
    assert a.track is Track.LET_GO
    sign_factors = [f for f in a.factors if f.effect is Effect.LET_GO_SIGN]
    assert {f.code for f in sign_factors} == signs
    for f in sign_factors:
        assert f.text in a.reasons


@pytest.mark.parametrize(
    ("overrides", "track"),
    [
        ({}, Track.RECONCILE),
        ({"on_off_cycles": 1}, Track.RECONCILE),  # one earlier break-up is not a cycle
        ({"on_off_cycles": 2}, Track.UNCLEAR),  # one sign: a careful look
        ({"disrespect_unchanged": True}, Track.UNCLEAR),
        ({"married": True}, Track.UNCLEAR),
        # more factors make it harder than easier
        (
            {
                "reasons": ["dishonesty"],
                "mutual_investment": "one_sided",
                "how_it_ended": "gradual",
                "cause_can_change": "no",
            },
            Track.UNCLEAR,
        ),
        # nothing known either way is not a reason to send someone to a therapist
        (
            {
                "reasons": [],
                "mutual_investment": "unsure",
                "how_it_ended": "unsure",
                "cause_can_change": "unsure",
            },
            Track.RECONCILE,
        ),
        ({"repeated_betrayal": True, "married": True}, Track.LET_GO),
    ],
)
def test_tracks(overrides: dict[str, object], track: Track) -> None:
    a = assess(profile(**overrides))
    assert a.track is track
    assert a.reasons, "every outcome carries reasons"
    assert a.suggest_therapist is (track is not Track.RECONCILE)


def test_calm_workable_case_is_worth_trying() -> None:
    a = assess(profile())
    assert a.track is Track.RECONCILE
    assert a.headline.startswith("Worth trying")
    effects = {f.code: f.effect for f in a.factors}
    assert effects["why_it_ended"] is Effect.HELPS
    assert effects["mutual_investment"] is Effect.HELPS
    assert effects["cause_can_change"] is Effect.HELPS
    assert effects["how_it_ended"] is Effect.HELPS


@pytest.mark.parametrize(
    ("overrides", "code", "effect", "words"),
    [
        ({"reasons": ["poor_timing", "external_stress"]}, "why_it_ended", Effect.HELPS, "timing was poor"),
        ({"reasons": ["dishonesty", "poor_timing"]}, "why_it_ended", Effect.HARDER, "dishonesty"),
        ({"reasons": []}, "why_it_ended", Effect.NEUTRAL, "not clear yet"),
        ({"mutual_investment": "one_sided"}, "mutual_investment", Effect.HARDER, "one-sided"),
        (
            {"cause_can_change": "yes", "change_steps": ""},
            "cause_can_change",
            Effect.NEUTRAL,
            "nothing concrete",
        ),
        ({"cause_can_change": "no"}, "cause_can_change", Effect.HARDER, "same ending"),
        ({"how_it_ended": "gradual", "ex_pronouns": "he"}, "how_it_ended", Effect.HARDER, "in him"),
        ({"how_it_ended": "gradual", "ex_pronouns": "they"}, "how_it_ended", Effect.HARDER, "in them"),
        ({"on_off_cycles": 4}, "on_off_cycles", Effect.LET_GO_SIGN, "4 times"),
    ],
)
def test_each_factor_shows_its_effect_in_words(
    overrides: dict[str, object], code: str, effect: Effect, words: str
) -> None:
    factors = {f.code: f for f in assess(profile(**overrides)).factors}
    assert factors[code].effect is effect
    assert words in factors[code].text


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"married": True},
        {"repeated_betrayal": True},
        {"safety": safety(felt_unsafe=True)},
        {"on_off_cycles": 5, "disrespect_unchanged": True, "reasons": list(Reason)},
        {"months_together": 60, "mutual_investment": "one_sided", "how_it_ended": "gradual"},
    ],
)
def test_no_probability_for_the_person_and_the_base_rate_is_a_range(overrides: dict[str, object]) -> None:
    a = assess(profile(**overrides))
    for factor in a.factors:
        assert not PERCENT.search(factor.text), factor.text
    assert not PERCENT.search(a.headline)
    # The only figure is the population base rate, given as a range, not a point.
    figures = [r for r in a.reasons if "%" in r]
    assert len(figures) == 1
    assert re.search(r"\b40\s*-\s*60%", figures[0])
    assert "not a prediction for you" in figures[0]
    for reason in a.reasons:
        if reason is not figures[0]:
            assert not PERCENT.search(reason), reason
