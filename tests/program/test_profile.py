"""Intake answers: validation names the field and the value; good answers parse."""

from __future__ import annotations

from datetime import date

import pytest

from olivebranch.program.profile import AnswersInvalid, parse_answers
from olivebranch.program.state import evaluate

from .helpers import DROP, answers, at, intake, safety

TODAY = date(2026, 9, 6)


def errors_of(**overrides: object) -> list[tuple[str, object, str]]:
    with pytest.raises(AnswersInvalid) as info:
        parse_answers(answers(**overrides), TODAY)
    return [(e.field, e.value, e.problem) for e in info.value.errors]


def test_the_base_answers_are_valid() -> None:
    p = parse_answers(answers(), TODAY)
    assert p.months_together == 14
    assert p.ended_on == date(2026, 9, 1)
    assert p.last_contact_on == date(2026, 9, 5)
    assert p.region == "US"
    assert p.timezone == "America/New_York"
    assert not p.safety.any_concern


@pytest.mark.parametrize(
    ("overrides", "field", "value", "problem_contains"),
    [
        # unknown keys
        ({"favourite_song": "ours"}, "favourite_song", "ours", "not a known answer"),
        ({"monthsTogether": 14}, "monthsTogether", 14, "not a known answer"),
        # missing required keys
        ({"months_together": DROP}, "months_together", None, "required"),
        ({"ended_on": DROP}, "ended_on", None, "required"),
        ({"last_contact_on": DROP}, "last_contact_on", None, "required"),
        ({"breakup_messy": DROP}, "breakup_messy", None, "required"),
        ({"anxious_contact_since": DROP}, "anxious_contact_since", None, "required"),
        ({"safety": DROP}, "safety", None, "required"),
        ({"repeated_betrayal": DROP}, "repeated_betrayal", None, "required"),
        ({"region": DROP}, "region", None, "required"),
        ({"timezone": DROP}, "timezone", None, "required"),
        # wrong types
        ({"months_together": "fourteen"}, "months_together", "fourteen", "number"),
        ({"months_together": True}, "months_together", True, "number"),
        ({"months_together": 0}, "months_together", 0, "more than 0"),
        ({"months_together": -3}, "months_together", -3, "more than 0"),
        ({"months_together": 5000}, "months_together", 5000, "at most"),
        ({"breakup_messy": "no"}, "breakup_messy", "no", "true or false"),
        ({"breakup_messy": 0}, "breakup_messy", 0, "true or false"),
        ({"anxious_contact_since": None}, "anxious_contact_since", None, "true or false"),
        ({"repeated_betrayal": "yes"}, "repeated_betrayal", "yes", "true or false"),
        ({"married": 1}, "married", 1, "true or false"),
        ({"on_off_cycles": 2.5}, "on_off_cycles", 2.5, "whole number"),
        ({"on_off_cycles": -1}, "on_off_cycles", -1, "whole number"),
        ({"ended_by": "nobody"}, "ended_by", "nobody", "one of me, them, mutual"),
        ({"ex_pronouns": "xe"}, "ex_pronouns", "xe", "one of"),
        ({"reasons": "timing"}, "reasons", "timing", "list"),
        ({"reasons": ["poor_timing", "astrology"]}, "reasons", "astrology", "not a known reason"),
        ({"change_steps": 42}, "change_steps", 42, "text"),
        ({"safety": True}, "safety", True, "object"),
        # dates
        ({"ended_on": "2026-09-31"}, "ended_on", "2026-09-31", "not a real date"),
        ({"ended_on": "1 Sept 2026"}, "ended_on", "1 Sept 2026", "YYYY-MM-DD"),
        ({"ended_on": 20260901}, "ended_on", 20260901, "YYYY-MM-DD"),
        ({"ended_on": "2026-09-07"}, "ended_on", "2026-09-07", "in the future"),
        (
            {"ended_on": "2030-01-01", "last_contact_on": "2030-01-02"},
            "ended_on",
            "2030-01-01",
            "in the future",
        ),
        ({"last_contact_on": "2026-09-07"}, "last_contact_on", "2026-09-07", "in the future"),
        ({"ended_on": "1900-01-01"}, "ended_on", "1900-01-01", "before 1950"),
        ({"last_contact_on": "2026-08-31"}, "last_contact_on", "2026-08-31", "before the breakup"),
        # region
        ({"region": "UK"}, "region", "UK", "United Kingdom is GB"),
        ({"region": "uk"}, "region", "uk", "United Kingdom is GB"),
        ({"region": "XX"}, "region", "XX", "ISO 3166-1"),
        ({"region": "USA"}, "region", "USA", "ISO 3166-1"),
        ({"region": "England"}, "region", "England", "ISO 3166-1"),
        ({"region": 44}, "region", 44, "two-letter"),
        # time zone
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Mars/Olympus_Mons", "IANA"),
        ({"timezone": "EST5EDT-ish"}, "timezone", "EST5EDT-ish", "IANA"),
        ({"timezone": ""}, "timezone", "", "IANA"),
        ({"timezone": 5}, "timezone", 5, "IANA"),
        # the safety object
        (
            {"safety": {k: v for k, v in safety().items() if k != "threats"}},
            "safety.threats",
            None,
            "required",
        ),
        (
            {"safety": {k: v for k, v in safety().items() if k != "emotional_abuse"}},
            "safety.emotional_abuse",
            None,
            "required",
        ),
        (
            {"safety": {**safety(), "felt_unsafe": "sometimes"}},
            "safety.felt_unsafe",
            "sometimes",
            "true or false",
        ),
        ({"safety": {**safety(), "stalking": False}}, "safety.stalking", False, "not a known question"),
    ],
)
def test_each_error_names_the_field_and_the_value(
    overrides: dict[str, object], field: str, value: object, problem_contains: str
) -> None:
    found = errors_of(**overrides)
    matching = [e for e in found if e[0] == field]
    assert matching, f"no error for {field}: {found}"
    got_field, got_value, problem = matching[0]
    assert got_value == value
    assert problem_contains in problem
    message = f"{got_field}: {problem} (got {got_value!r})"
    with pytest.raises(AnswersInvalid) as info:
        parse_answers(answers(**overrides), TODAY)
    assert message in str(info.value)
    if value is not None:
        assert repr(value) in str(info.value)


def test_every_problem_is_listed_at_once() -> None:
    found = errors_of(region="UK", timezone="Nowhere/Land", months_together="long", extra=1)
    assert {f for f, _, _ in found} == {"region", "timezone", "months_together", "extra"}


@pytest.mark.parametrize("region", ["GB", "gb", " de ", "US", "NZ"])
def test_valid_regions_are_normalised(region: str) -> None:
    assert parse_answers(answers(region=region), TODAY).region == region.strip().upper()


@pytest.mark.parametrize("day", ["2026-09-06", "2026-09-01"])
def test_today_and_past_dates_are_accepted(day: str) -> None:
    p = parse_answers(answers(ended_on="2026-09-01", last_contact_on=day), TODAY)
    assert p.last_contact_on.isoformat() == day


def test_last_contact_on_the_breakup_day_is_fine() -> None:
    p = parse_answers(answers(last_contact_on="2026-09-01"), TODAY)
    assert p.last_contact_on == p.ended_on


def test_optional_answers_have_defaults() -> None:
    minimal = {
        key: value
        for key, value in answers().items()
        if key
        in {
            "months_together",
            "ended_on",
            "last_contact_on",
            "breakup_messy",
            "anxious_contact_since",
            "safety",
            "repeated_betrayal",
            "region",
            "timezone",
        }
    }
    p = parse_answers(minimal, TODAY)
    assert (p.married, p.children, p.reasons, p.ex_pronouns) == (False, False, (), "they")


def test_answers_must_be_an_object() -> None:
    with pytest.raises(AnswersInvalid) as info:
        parse_answers(["months_together", 14], TODAY)  # type: ignore[arg-type]
    assert info.value.errors[0].field == "answers"


def test_future_is_judged_by_the_intake_day_in_the_persons_zone() -> None:
    # 2026-09-06 01:00 UTC is still 2026-09-05 in New York: 09-06 is in the future there.
    moment = at("2026-09-06 01:00", "UTC")
    with pytest.raises(AnswersInvalid) as info:
        evaluate([intake(moment, last_contact_on="2026-09-06")], moment)
    assert [e.field for e in info.value.errors] == ["last_contact_on"]
    # In Auckland the same instant is already 09-06 afternoon: valid.
    evaluate([intake(moment, last_contact_on="2026-09-06", timezone="Pacific/Auckland")], moment)


@pytest.mark.parametrize(
    ("pronoun", "them"),
    [("she", "her"), ("he", "him"), ("they", "them")],
)
def test_pronouns_only_shape_wording(pronoun: str, them: str) -> None:
    base = parse_answers(answers(ex_pronouns="they"), TODAY)
    p = parse_answers(answers(ex_pronouns=pronoun), TODAY)
    assert p.pronouns.them == them
    from olivebranch.program.assessment import assess
    from olivebranch.program.plan import plan_no_contact

    assert assess(p).track == assess(base).track
    assert plan_no_contact(p).planned_days == plan_no_contact(base).planned_days
