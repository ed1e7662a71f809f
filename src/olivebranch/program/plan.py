"""The no-contact plan: how long, and why."""

from __future__ import annotations

from dataclasses import dataclass

from olivebranch.program.profile import Profile

LONG_DAYS = 45
BASE_DAYS = 30
SHORT_DAYS = 21
LONG_RELATIONSHIP_MONTHS = 24
SHORT_RELATIONSHIP_MONTHS = 6


@dataclass(frozen=True)
class NoContactPlan:
    planned_days: int
    reasons: tuple[str, ...]


def plan_no_contact(profile: Profile) -> NoContactPlan:
    """45 days for long, messy or anxious endings; 21 for a short calm fling; else 30."""
    long_reasons = []
    if profile.months_together >= LONG_RELATIONSHIP_MONTHS:
        long_reasons.append(
            f"You were together {_months(profile.months_together)}; after two years or more, "
            "the grief and the habits of contact need longer to settle."
        )
    if profile.breakup_messy:
        long_reasons.append(
            "The breakup was messy; both of you need more time before anything new can be heard."
        )
    if profile.anxious_contact_since:
        long_reasons.append(
            "There has been a lot of anxious texting or calling since the split; a longer quiet "
            "gives the pressure time to fade."
        )
    if long_reasons:
        return NoContactPlan(LONG_DAYS, tuple(long_reasons))
    if profile.months_together < SHORT_RELATIONSHIP_MONTHS:
        return NoContactPlan(
            SHORT_DAYS,
            (
                f"You were together {_months(profile.months_together)}, the ending was calm and "
                "there has been little anxious contact since, so three weeks can be enough.",
            ),
        )
    return NoContactPlan(
        BASE_DAYS,
        (
            "Thirty days is the usual length: long enough for the first wave of grief to pass "
            "and for real inner work, with nothing that calls for longer.",
        ),
    )


def _months(months: float) -> str:
    if months >= 24:
        years = months / 12
        return f"{years:g} years" if years == int(years) else f"about {round(years, 1):g} years"
    if months == int(months):
        return "a month" if months == 1 else f"{int(months)} months"
    return f"{months:.1f} months" if months >= 1 else "less than a month"
