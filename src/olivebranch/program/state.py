"""The person's state: a pure function of the event log and the moment asked about.

Events are replayed in time order (ties broken by content, never by insertion
order). Time-based rules (a week without a reply) are applied between events
and once more at ``now``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from olivebranch.program import codec, journal
from olivebranch.program.assessment import Assessment, Track, assess
from olivebranch.program.events import (
    Event,
    Kind,
    is_initiated_contact,
    is_initiated_message,
    ordered,
)
from olivebranch.program.mistakes import MistakeTrail, Warning, recent
from olivebranch.program.plan import NoContactPlan, plan_no_contact
from olivebranch.program.profile import Profile, parse_answers
from olivebranch.program.readiness import (
    CONVERSATION_READINESS,
    NO_CONTACT_READINESS,
    evaluate_check,
)
from olivebranch.program.scenarios import Scenario, scenario
from olivebranch.program.signals import SignalReading, SignalTally

WAIT_DAYS = 7
MEETING_AFTER_DAYS = 7
GOOD_MEETINGS_FOR_CONVERSATION = 3
PROCESSING_WEEKS = (8, 11)
NOTE_DAYS = 7


GIVE_SPACE = {
    "neutral": (
        "A polite reply, not yet a warm one. Let it rest for now; if you write again later, "
        "keep it light and brief and let them set the pace."
    ),
    "brief": ("The reply was brief. Don't push or ask for more; give it time and keep living your own life."),
    "cool": (
        "The reply was cool. Don't push or ask why; step back, give it real time, and keep "
        "living your own life."
    ),
    "hostile": (
        "The reply was hostile. Don't argue, defend or explain; step back and give it space. "
        "If it keeps hurting, talk it over with someone you trust."
    ),
    "warm": "Keep it light and unhurried.",
}


# The moving-on track: one focus a week, then the last one stays.
MOVING_ON_FOCUS = (
    "This week, let yourself grieve. Sadness, anger and relief can all come; none of them "
    "means you chose wrong. Keep the contact at zero, for your own healing.",
    "Tell two people you trust how you are really doing, and let them help with something small.",
    "Give yourself room: mute or unfollow, and put the photos and reminders out of sight for "
    "now. Not to erase the past, just to stop reopening it.",
    "Give your days a shape again: sleep, meals, moving your body, time outside.",
    "Pick up something you had put off or given up, just for you.",
    "Look at what this relationship taught you about what you need and what you'll bring next "
    "time. A therapist can help you carry it forward.",
)


class Phase(StrEnum):
    NO_CONTACT = "no_contact"
    FIRST_CONTACT = "first_contact"
    REBUILDING = "rebuilding"
    CONVERSATION = "conversation"
    MOVING_ON = "moving_on"
    SAFETY = "safety"


class NoIntake(LookupError):
    """There is no intake in the log (at or before the moment asked about)."""


@dataclass(frozen=True)
class NextStep:
    code: str
    text: str


@dataclass(frozen=True)
class Note:
    code: str
    text: str


@dataclass(frozen=True)
class Slip:
    day: date
    kind: str
    trigger: str | None


@dataclass(frozen=True)
class NoContact:
    planned_days: int
    day: int
    started_on: date
    planned_end: date
    reasons: tuple[str, ...]
    restarts: int
    ended_on: date | None
    purpose: str


@dataclass(frozen=True)
class Milestone:
    code: str
    title: str
    on: date
    until: date | None
    reached: bool


@dataclass(frozen=True)
class Contact:
    first_message_on: date | None
    awaiting_reply_since: date | None
    follow_up_on: date | None
    last_reply_tone: str | None
    rebuilding_since: date | None
    good_meetings: int
    meetings: int


@dataclass(frozen=True)
class CheckIn:
    on: date
    mood: int | None
    urge: int | None


@dataclass(frozen=True)
class Status:
    now: datetime
    today: date
    profile: Profile
    assessment: Assessment
    track: Track
    phase: Phase
    no_contact: NoContact | None
    next_step: NextStep
    warnings: tuple[Warning, ...]
    notes: tuple[Note, ...]
    milestones: tuple[Milestone, ...]
    scenarios: tuple[Scenario, ...]
    signals: SignalReading
    slips: tuple[Slip, ...]
    contact: Contact
    last_checkin: CheckIn | None
    days_since_breakup: int
    moving_on_reason: str | None
    moving_on_since: date | None
    harassment_hold: HarassmentHold | None = None


def intake_profile(event: Event) -> Profile:
    """Parse the answers stored with an intake event, as of the day it was made."""
    tz_name = event.data.get("timezone")
    try:
        tz = ZoneInfo(tz_name) if isinstance(tz_name, str) and tz_name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return parse_answers(event.data, event.at.astimezone(tz).date())


@dataclass
class _Walk:
    """The mutable replay of the log; only ``evaluate`` sees it."""

    profile: Profile
    plan: NoContactPlan
    track: Track
    phase: Phase
    tz: ZoneInfo
    last_contact_day: date
    moving_on_reason: str | None = None
    moving_on_since: date | None = None
    slips: list[Slip] = field(default_factory=list)
    nc_ended_on: date | None = None
    nc_ready_on: date | None = None
    early_readiness_on: date | None = None
    failed_readiness: tuple[str, ...] = ()
    first_message_on: date | None = None
    awaiting_since: date | None = None
    follow_up_on: date | None = None
    last_reply_tone: str | None = None
    rebuilding_since: date | None = None
    good_meetings: int = 0
    meetings: int = 0
    first_meeting_on: date | None = None
    third_good_meeting_on: date | None = None
    first_warm_reply_on: date | None = None
    conversation_on: date | None = None
    together: bool = False
    boundary_set: bool = False

    def day(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    @property
    def nc_started_on(self) -> date:
        return self.last_contact_day + timedelta(days=1)

    @property
    def nc_planned_end(self) -> date:
        return self.last_contact_day + timedelta(days=self.plan.planned_days)

    def advance(self, moment: datetime) -> None:
        """Apply the rules that fire by time alone, up to ``moment``."""
        if (
            self.phase is Phase.FIRST_CONTACT
            and self.follow_up_on is not None
            and (self.day(moment) - self.follow_up_on).days >= WAIT_DAYS
        ):
            self.phase = Phase.MOVING_ON
            self.moving_on_reason = "no_reply"
            self.moving_on_since = self.follow_up_on + timedelta(days=WAIT_DAYS)

    def apply(self, event: Event) -> None:
        day = self.day(event.at)
        kind = event.kind
        if self.phase is Phase.SAFETY:
            return
        if kind is Kind.SAFETY_CONCERN or (kind is Kind.SCREEN and "abuse" in _flags(event)):
            self.track, self.phase = Track.SAFETY, Phase.SAFETY
            return
        if kind is Kind.LET_GO:
            self.track, self.phase, self.moving_on_reason = Track.LET_GO, Phase.MOVING_ON, "decided"
            return
        if kind is Kind.REPLY and event.flag("no_contact_requested"):
            self.boundary_set = True
            self.phase, self.moving_on_reason = Phase.MOVING_ON, "asked_no_contact"
            self.awaiting_since = self.follow_up_on = None
            return
        if kind is Kind.MEETING and self.nc_ended_on is not None:
            self.meetings += 1
            self.first_meeting_on = self.first_meeting_on or day
            if event.data.get("went") == "good":
                self.good_meetings += 1
                if self.good_meetings == GOOD_MEETINGS_FOR_CONVERSATION:
                    self.third_good_meeting_on = day
        getattr(self, _HANDLERS[self.phase])(event, day)

    def _in_no_contact(self, event: Event, day: date) -> None:
        if is_initiated_contact(event):
            self.last_contact_day = max(self.last_contact_day, day)
            trigger = event.text("trigger")
            self.slips.append(Slip(day, event.kind.value, trigger))
            self.nc_ready_on = None
        elif event.kind is Kind.READINESS:
            result = evaluate_check(NO_CONTACT_READINESS, _answers(event))
            if not result.passed:
                self.failed_readiness = result.missing
            elif day < self.nc_planned_end:
                self.early_readiness_on = day
                self.failed_readiness = ()
            else:
                self.nc_ready_on = day
                self.failed_readiness = ()
                if self.track is Track.RECONCILE:
                    self._end_no_contact(day)
        elif event.kind is Kind.REASSESSMENT:
            if event.data.get("outcome") == "let_go":
                self.track, self.phase, self.moving_on_reason = (
                    Track.LET_GO,
                    Phase.MOVING_ON,
                    "reassessed",
                )
            elif event.data.get("outcome") == "reconcile":
                self.track = Track.RECONCILE
                if self.nc_ready_on is not None:
                    self._end_no_contact(day)

    def _end_no_contact(self, day: date) -> None:
        self.nc_ended_on = day
        self.phase = Phase.FIRST_CONTACT

    def _in_first_contact(self, event: Event, day: date) -> None:
        if is_initiated_message(event):
            if self.awaiting_since is None:
                self.awaiting_since = day
                self.first_message_on = self.first_message_on or day
            elif self.follow_up_on is None:
                self.follow_up_on = day
        elif _is_answer(event):
            self._answered(event, day)

    def _answered(self, event: Event, day: date) -> None:
        tone = event.data.get("tone") or "neutral"
        self.awaiting_since = self.follow_up_on = None
        self.last_reply_tone = str(tone)
        if tone == "warm":
            self.phase = Phase.REBUILDING
            self.rebuilding_since = self.rebuilding_since or day
            self.first_warm_reply_on = self.first_warm_reply_on or day

    def _in_rebuilding(self, event: Event, day: date) -> None:
        if _is_answer(event):
            self.last_reply_tone = str(event.data.get("tone") or "neutral")
        elif event.kind is Kind.CONVERSATION_READINESS:
            passed = evaluate_check(CONVERSATION_READINESS, _answers(event)).passed
            if passed and self.good_meetings >= GOOD_MEETINGS_FOR_CONVERSATION:
                self.phase = Phase.CONVERSATION

    def _in_conversation(self, event: Event, day: date) -> None:
        if event.kind is not Kind.CONVERSATION:
            return
        outcome = event.data.get("outcome")
        self.conversation_on = day
        if outcome == "together":
            self.together = True
        elif outcome == "apart":
            self.phase, self.moving_on_reason = Phase.MOVING_ON, "conversation"
        else:
            self.phase = Phase.REBUILDING

    def _in_moving_on(self, event: Event, day: date) -> None:
        # After a week of silence the door is not locked: if they come back warmly,
        # rebuilding can begin. A clear "no" or the person's own decision stays.
        if self.moving_on_reason == "no_reply" and _is_answer(event):
            self.phase = Phase.FIRST_CONTACT
            self._answered(event, day)
            if self.phase is Phase.FIRST_CONTACT:
                self.phase, self.moving_on_reason = Phase.FIRST_CONTACT, None


_HANDLERS = {
    Phase.NO_CONTACT: "_in_no_contact",
    Phase.FIRST_CONTACT: "_in_first_contact",
    Phase.REBUILDING: "_in_rebuilding",
    Phase.CONVERSATION: "_in_conversation",
    Phase.MOVING_ON: "_in_moving_on",
}
# The kinds that can move the phase; the rest (check-ins, urges, journal, looks,
# signals) are read by the detectors and summaries, not by the phase walk.
_STATE_KINDS = frozenset(
    {
        Kind.SAFETY_CONCERN,
        Kind.SCREEN,
        Kind.LET_GO,
        Kind.REPLY,
        Kind.EX_CONTACT,
        Kind.MEETING,
        Kind.SLIP,
        Kind.SENT,
        Kind.CALL,
        Kind.VISIT,
        Kind.READINESS,
        Kind.REASSESSMENT,
        Kind.CONVERSATION_READINESS,
        Kind.CONVERSATION,
    }
)


HARASSMENT_CLEAR_DAYS = 30


def _flags(event: Event) -> list[str]:
    flags = event.data.get("flags")
    return [str(f) for f in flags] if isinstance(flags, list) else []


def _without_misread(log: list[Event]) -> list[Event]:
    """Screen flags of abuse the person reviewed as misread no longer count."""
    reviews = [e.at for e in log if e.kind is Kind.SCREEN_REVIEW and e.data.get("outcome") == "misread"]
    if not reviews:
        return log
    last = max(reviews)
    return [e for e in log if not (e.kind is Kind.SCREEN and "abuse" in _flags(e) and e.at <= last)]


@dataclass(frozen=True)
class HarassmentHold:
    """While it stands, the program gives no contact coaching."""

    since: date
    last_flagged: date
    stopped_on: date | None
    clears_on: date | None


def _is_answer(event: Event) -> bool:
    return event.kind is Kind.REPLY or (event.kind is Kind.EX_CONTACT and not event.flag("logistics"))


def _answers(event: Event) -> Mapping[str, Any]:
    answers = event.data.get("answers")
    if isinstance(answers, Mapping):
        return answers
    if event.flag("passed"):
        return {key: True for key in {**NO_CONTACT_READINESS, **CONVERSATION_READINESS}}
    return {}


ENGINE_VERSION = 1
"""The version of what :class:`Snapshot` keeps and how :meth:`Snapshot.fold` folds it.

Raise it with any change to the walk, the trails or the rules they apply: stored
snapshots of another version are rebuilt from the log.
"""

_WALK_CONTEXT = frozenset({"profile", "plan", "tz"})  # rebuilt from the intake, not stored
# Kinds no rule reads by day: only the latest check-in and the prompts written about count.
_UNDATED_KINDS = frozenset({Kind.CHECKIN, Kind.JOURNAL, Kind.URGE})


@dataclass
class _Trail:
    """What the notes, scenarios, the harassment hold, the check-in and the journal read of the log."""

    abuse_flagged: bool = False  # an abuse flag was folded in (a later "misread" review withdraws it)
    first_harassment: date | None = None
    last_harassment: date | None = None
    last_stopped: date | None = None
    stopped_on: date | None = None  # the first "it has stopped" on or after the last flag
    last_social_check: date | None = None
    last_friend_news: date | None = None
    last_ex_contact: date | None = None
    ex_new_partner: bool = False
    last_checkin_at: datetime | None = None
    last_mood: int | None = None
    last_urge: int | None = None
    journal_prompts: frozenset[str] = frozenset()  # the self-assessment prompts written about

    def add(self, event: Event, day: date | None) -> None:
        """Fold in the next event; ``day`` (its day in the person's zone) is None for _UNDATED_KINDS."""
        kind = event.kind
        if kind is Kind.CHECKIN:
            mood, urge = event.data.get("mood"), event.data.get("urge")
            self.last_checkin_at = event.at
            self.last_mood = mood if isinstance(mood, int) else None
            self.last_urge = urge if isinstance(urge, int) else None
        elif kind is Kind.JOURNAL:
            prompt = str(event.data.get("prompt"))
            if prompt in journal.PROMPTS and prompt not in self.journal_prompts:
                self.journal_prompts = self.journal_prompts | {prompt}
        elif day is None:
            return
        elif kind is Kind.SCREEN:
            flags = _flags(event)
            self.abuse_flagged = self.abuse_flagged or "abuse" in flags
            if "harassment_risk" in flags:
                self.first_harassment = self.first_harassment or day
                self.last_harassment = day
                self.stopped_on = day if self.last_stopped == day else None
        elif kind is Kind.HARASSMENT_STOPPED:
            self.last_stopped = day
            if self.last_harassment is not None and self.stopped_on is None:
                self.stopped_on = day
        elif kind is Kind.SOCIAL_CHECK:
            self.last_social_check = day
        elif kind is Kind.FRIEND_NEWS:
            self.last_friend_news = day
        elif kind is Kind.EX_CONTACT:
            self.last_ex_contact = day
        elif kind is Kind.EX_NEW_PARTNER:
            self.ex_new_partner = True

    def last_checkin(self, tz: ZoneInfo) -> CheckIn | None:
        if self.last_checkin_at is None:
            return None
        return CheckIn(self.last_checkin_at.astimezone(tz).date(), self.last_mood, self.last_urge)

    def harassment_hold(self, today: date) -> HarassmentHold | None:
        if self.first_harassment is None or self.last_harassment is None:
            return None
        clears_on = self.last_harassment + timedelta(days=HARASSMENT_CLEAR_DAYS) if self.stopped_on else None
        if clears_on is not None and today >= clears_on:
            return None
        return HarassmentHold(self.first_harassment, self.last_harassment, self.stopped_on, clears_on)


@dataclass
class Snapshot:
    """What the engine folds out of a person's log: everything a status needs but the moment.

    :func:`build` makes one from a log; :meth:`fold` adds the next event;
    :func:`status_from` gives the state at any moment from the last event on.
    Its size does not grow with the log (only the slips are kept one by one),
    and :meth:`to_json` / :meth:`from_json` store it.
    """

    intake: Event
    last: tuple[datetime, str]  # the moment and kind of the last event folded in
    walk: _Walk
    trail: _Trail = field(default_factory=_Trail)
    mistakes: MistakeTrail = field(default_factory=MistakeTrail)
    signals: SignalTally = field(default_factory=SignalTally)

    @property
    def last_at(self) -> datetime:
        """The moment of the last event folded in: statuses from here on need no replay."""
        return self.last[0]

    def fold(self, event: Event) -> bool:
        """Fold in an event appended to the log; False (and nothing changed) when only a rebuild can.

        That is when it does not sort after the last event folded in (entered
        with an earlier time, or a tie that only the content would break), when
        it is an intake (which starts the program anew), or when it withdraws
        abuse flags already folded in (a "misread" review).
        """
        key = (event.at, event.kind.value)
        if key <= self.last or event.kind is Kind.INTAKE:
            return False
        if self.trail.abuse_flagged and _is_misread_review(event):
            return False
        self.last = key
        self._add(event)
        return True

    def _add(self, event: Event) -> None:
        walk = self.walk
        if event.kind in _STATE_KINDS:
            walk.advance(event.at)
            walk.apply(event)
            if walk.phase is not Phase.MOVING_ON:
                walk.moving_on_since = None
            elif walk.moving_on_since is None:
                walk.moving_on_since = walk.day(event.at)
        if event.kind in _UNDATED_KINDS:  # the most frequent kinds: only their latest counts
            self.trail.add(event, None)
            return
        day = walk.day(event.at)
        self.trail.add(event, day)
        self.mistakes.add(event, day, walk.nc_ended_on, walk.conversation_on)
        self.signals.add(event, day)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values; the intake is left out (the log holds it, with the person's words)."""
        at, kind = self.last
        return {
            "last": [at.isoformat(), kind],
            "walk": codec.encode_fields(self.walk, _WALK_CONTEXT),
            "trail": codec.to_json(self.trail),
            "mistakes": codec.to_json(self.mistakes),
            "signals": codec.to_json(self.signals),
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any], intake: Event) -> Snapshot:
        """The snapshot :meth:`to_json` gave (this ENGINE_VERSION), with its intake; raises if malformed."""
        profile = intake_profile(intake)
        walk = codec.decode_fields(
            _Walk, value["walk"], profile=profile, plan=plan_no_contact(profile), tz=profile.tz
        )
        at, kind = value["last"]
        return cls(
            intake=intake,
            last=(datetime.fromisoformat(at), str(kind)),
            walk=walk,
            trail=codec.from_json(_Trail, value["trail"]),
            mistakes=codec.from_json(MistakeTrail, value["mistakes"]),
            signals=codec.from_json(SignalTally, value["signals"]),
        )


def _is_misread_review(event: Event) -> bool:
    return event.kind is Kind.SCREEN_REVIEW and event.data.get("outcome") == "misread"


def build(events: Iterable[Event]) -> Snapshot | None:
    """The snapshot of a whole log (a fresh replay); None when it holds no intake."""
    history = ordered(events)
    intakes = [i for i, e in enumerate(history) if e.kind is Kind.INTAKE]
    if not intakes:
        return None
    intake = history[intakes[-1]]
    # Everything from the moment of the latest intake on, including what was logged at
    # the same instant (such kinds may sort before "intake" by kind name).
    log = _without_misread([e for e in history if e.at >= intake.at and e.kind is not Kind.INTAKE])
    profile = intake_profile(intake)
    track = assess(profile).track
    phase = {Track.SAFETY: Phase.SAFETY, Track.LET_GO: Phase.MOVING_ON}.get(track, Phase.NO_CONTACT)
    walk = _Walk(
        profile=profile,
        plan=plan_no_contact(profile),
        track=track,
        phase=phase,
        tz=profile.tz,
        last_contact_day=profile.last_contact_on,
        moving_on_reason="assessment" if phase is Phase.MOVING_ON else None,
        moving_on_since=intake.local_day(profile.tz) if phase is Phase.MOVING_ON else None,
    )
    snapshot = Snapshot(intake=intake, last=(history[-1].at, history[-1].kind.value), walk=walk)
    for event in log:
        snapshot._add(event)
    return snapshot


def evaluate(events: Iterable[Event], now: datetime) -> Status:
    """The person's whole state at ``now`` (an aware datetime), replaying the log up to it."""
    if now.tzinfo is None:
        raise ValueError("now must carry a UTC offset")
    snapshot = build(e for e in events if e.at <= now)
    if snapshot is None:
        raise NoIntake("no intake has been recorded yet")
    return status_from(snapshot, now)


def status_from(snapshot: Snapshot, now: datetime) -> Status:
    """The state at ``now`` from a snapshot; ``now`` must not be before its last event."""
    if now.tzinfo is None:
        raise ValueError("now must carry a UTC offset")
    if now < snapshot.last_at:
        raise ValueError("now is before the last event of the snapshot; evaluate the log instead")
    walk = copy.copy(snapshot.walk)  # advancing to now changes only its own plain fields
    walk.advance(now)
    profile = walk.profile
    today = now.astimezone(walk.tz).date()
    trail = snapshot.trail
    hold = trail.harassment_hold(today)
    warnings = snapshot.mistakes.warnings(today, profile.pronouns)
    return Status(
        now=now,
        today=today,
        profile=profile,
        assessment=assess(profile),
        track=walk.track,
        phase=walk.phase,
        no_contact=_no_contact(walk, today),
        next_step=_held(walk, hold) or _next_step(walk, today, trail.journal_prompts),
        warnings=tuple(recent(warnings, today)),
        notes=tuple(_notes(walk, trail, today)),
        milestones=tuple(_milestones(walk, today)),
        scenarios=tuple(_scenarios(walk, trail, today)),
        signals=snapshot.signals.reading(),
        slips=tuple(walk.slips),
        contact=Contact(
            first_message_on=walk.first_message_on,
            awaiting_reply_since=walk.awaiting_since,
            follow_up_on=walk.follow_up_on,
            last_reply_tone=walk.last_reply_tone,
            rebuilding_since=walk.rebuilding_since,
            good_meetings=walk.good_meetings,
            meetings=walk.meetings,
        ),
        last_checkin=trail.last_checkin(walk.tz),
        days_since_breakup=(today - profile.ended_on).days,
        moving_on_reason=walk.moving_on_reason if walk.phase is Phase.MOVING_ON else None,
        moving_on_since=walk.moving_on_since if walk.phase is Phase.MOVING_ON else None,
        harassment_hold=hold,
    )


def _held(walk: _Walk, hold: HarassmentHold | None) -> NextStep | None:
    """While the screen's harassment flag stands, stopping is the only next step."""
    if hold is None or walk.phase is Phase.SAFETY:
        return None
    them = walk.profile.pronouns.them
    if hold.stopped_on is None:
        return NextStep(
            "stop_harassment",
            f"What you wrote describes watching or contacting {them} in ways "
            f"{walk.profile.pronouns.they} didn't choose. It has to stop: for their safety, "
            "because it can break the law, and because it keeps you stuck. Talk to someone who "
            "can help you stop, and when it has stopped, say so with 'olivebranch log "
            "harassment_stopped'. No contact coaching until then.",
        )
    assert hold.clears_on is not None
    return NextStep(
        "stay_stopped",
        f"You've stopped. Keep going: the program resumes on {hold.clears_on.isoformat()}, after "
        f"{HARASSMENT_CLEAR_DAYS} days with nothing like it, and not before.",
    )


def _no_contact(walk: _Walk, today: date) -> NoContact | None:
    if walk.track is Track.SAFETY:
        return None
    day = (today - walk.last_contact_day).days
    if walk.nc_ended_on is not None:
        day = (walk.nc_ended_on - walk.last_contact_day).days
    return NoContact(
        planned_days=walk.plan.planned_days,
        day=max(day, 0),
        started_on=walk.nc_started_on,
        planned_end=walk.nc_planned_end,
        reasons=walk.plan.reasons,
        restarts=len(walk.slips),
        ended_on=walk.nc_ended_on,
        purpose="reconnect" if walk.track is Track.RECONCILE else "healing",
    )


def _next_step(walk: _Walk, today: date, journal_prompts: frozenset[str]) -> NextStep:
    p = walk.profile.pronouns
    if walk.phase is Phase.SAFETY:
        return NextStep(
            "get_support",
            "Reach out to one of the support lines below, or to someone you trust. You deserve "
            "to be safe; this program won't coach contact with this person.",
        )
    if walk.phase is Phase.MOVING_ON:
        if walk.moving_on_reason in ("no_reply", "asked_no_contact"):
            return NextStep(
                "respect_boundary",
                f"{p.they.capitalize()} haven't answered, or asked for no contact. Respect that: "
                "no more messages from here. Put the energy into your own life; if "
                f"{p.they} reach out one day, you can decide then."
                if p.they == "they"
                else f"{p.they.capitalize()} hasn't answered, or asked for no contact. Respect "
                f"that: no more messages from here. Put the energy into your own life; if {p.they} "
                "reaches out one day, you can decide then.",
            )
        week = (today - (walk.moving_on_since or today)).days // 7
        return NextStep("focus_on_yourself", MOVING_ON_FOCUS[min(week, len(MOVING_ON_FOCUS) - 1)])
    if walk.phase is Phase.NO_CONTACT:
        day = (today - walk.last_contact_day).days
        if today < walk.nc_planned_end:
            prompt = journal.PROMPTS[journal.next_prompt(journal_prompts)]
            return NextStep(
                "stay_no_contact",
                f"Day {max(day, 0)} of {walk.plan.planned_days} without contact. Spend today on "
                "yourself: do one thing for your own life, and write in your journal on this: "
                f"{prompt}",
            )
        if walk.nc_ready_on is None:
            return NextStep(
                "readiness_check",
                "You have reached the planned days. Take the readiness check: the calendar alone "
                "doesn't end no contact.",
            )
        return NextStep(
            "reassess",
            "The healing period is done. Take the short re-assessment, ideally after talking it "
            "through with a therapist, to decide between trying again and letting go.",
        )
    if walk.phase is Phase.FIRST_CONTACT:
        if walk.awaiting_since is not None:
            waited = (today - (walk.follow_up_on or walk.awaiting_since)).days
            if walk.follow_up_on is None and waited >= WAIT_DAYS:
                return NextStep(
                    "send_follow_up",
                    "A week has passed without a reply. You may send one gentle, light follow-up, "
                    "and only one.",
                )
            return NextStep(
                "wait_for_reply",
                f"Give {p.them} time to answer: {waited} of the {WAIT_DAYS} days so far. Don't send anything "
                "else meanwhile.",
            )
        if walk.last_reply_tone is not None:
            return NextStep("give_space", GIVE_SPACE[walk.last_reply_tone])
        return NextStep(
            "send_first_message",
            "When you feel ready, write a first message: at most two sentences, warm, about "
            "something specific, with no talk of the relationship, and one you'd be fine with "
            "never getting an answer to.",
        )
    if walk.phase is Phase.REBUILDING:
        if walk.good_meetings >= GOOD_MEETINGS_FOR_CONVERSATION:
            return NextStep(
                "conversation_check",
                "Several good meetings behind you. When it feels easy, go through the short "
                "checklist for the honest conversation.",
            )
        if walk.good_meetings:
            return NextStep(
                "keep_meeting",
                "Keep meeting in easy, low-stakes ways. No relationship talk yet; let good time "
                "together do the work.",
            )
        since = walk.rebuilding_since or today
        if (today - since).days >= MEETING_AFTER_DAYS:
            return NextStep(
                "suggest_meeting",
                "After a stretch of positive contact, you can suggest something easy in person: "
                "a coffee, a walk. Not a 'talk'.",
            )
        return NextStep(
            "keep_it_light",
            "Keep messages short, warm and unhurried (about 80 words at most). No relationship talk yet.",
        )
    if walk.together:
        return NextStep(
            "keep_building",
            "You've chosen to try again. Keep doing what changed, and keep talking honestly.",
        )
    return NextStep(
        "have_the_conversation",
        "Have the honest talk in person, when you're both calm: what changed, what each of you "
        "will do differently, and what each of you actually wants. Two-sided, no ultimatum.",
    )


def _notes(walk: _Walk, trail: _Trail, today: date) -> list[Note]:
    notes: list[Note] = []
    p = walk.profile.pronouns
    since = today - timedelta(days=NOTE_DAYS - 1)
    if trail.last_social_check is not None and trail.last_social_check >= since:
        notes.append(
            Note(
                "social_check",
                f"You looked at {p.their} social media this week. It doesn't restart the count, "
                "but it keeps the wound open; notice what pulled you there.",
            )
        )
    if trail.last_friend_news is not None and trail.last_friend_news >= since:
        notes.append(
            Note(
                "friend_news",
                f"You asked a friend for news about {p.them} this week. It doesn't restart the "
                "count, but it keeps you tied to the past.",
            )
        )
    if walk.phase is Phase.NO_CONTACT and walk.early_readiness_on and walk.nc_ready_on is None:
        notes.append(
            Note(
                "readiness_early",
                f"The readiness check counts from {walk.nc_planned_end.isoformat()}, the last "
                "planned day; take it again then.",
            )
        )
    if walk.phase is Phase.NO_CONTACT and walk.failed_readiness:
        notes.append(
            Note(
                "readiness_not_yet",
                "Not ready yet, and that's fine. Still to come: " + " ".join(walk.failed_readiness),
            )
        )
    if walk.track is Track.UNCLEAR and walk.phase is Phase.NO_CONTACT:
        notes.append(
            Note(
                "therapist",
                "On this track the no-contact weeks are a healing period. Talking it through with "
                "a therapist alongside is the most useful thing you can do.",
            )
        )
    return notes


def _milestones(walk: _Walk, today: date) -> list[Milestone]:
    ended = walk.profile.ended_on
    start, end = PROCESSING_WEEKS
    items: list[Milestone] = [
        Milestone(
            "processing_window",
            "Around weeks 8 to 11 after a breakup, many people begin to process it in earnest",
            ended + timedelta(weeks=start - 1),
            ended + timedelta(weeks=end) - timedelta(days=1),
            today >= ended + timedelta(weeks=start - 1),
        )
    ]
    if walk.track is not Track.SAFETY:
        planned = walk.plan.planned_days
        nc = [
            ("no_contact_start", "Day 1 of no contact", walk.nc_started_on),
            (
                "no_contact_halfway",
                "Halfway through no contact",
                walk.last_contact_day + timedelta(days=(planned + 1) // 2),
            ),
            ("readiness_check", "Last planned day: the readiness check", walk.nc_planned_end),
        ]
        if walk.nc_ended_on is None and walk.phase is not Phase.NO_CONTACT:
            nc = nc[:1]
        items += [Milestone(c, t, d, None, today >= d) for c, t, d in nc]
    history = [
        ("no_contact_complete", "No contact complete", walk.nc_ended_on),
        ("first_message", "First message sent", walk.first_message_on),
        ("first_warm_reply", "First warm reply", walk.first_warm_reply_on),
        ("first_meeting", "First meeting in person", walk.first_meeting_on),
        ("third_good_meeting", "Third good meeting", walk.third_good_meeting_on),
        ("conversation", "The honest conversation", walk.conversation_on),
    ]
    items += [Milestone(c, t, d, None, True) for c, t, d in history if d is not None]
    if walk.phase is Phase.FIRST_CONTACT and walk.awaiting_since and walk.follow_up_on is None:
        due = walk.awaiting_since + timedelta(days=WAIT_DAYS)
        items.append(Milestone("follow_up_due", "One follow-up may be sent", due, None, today >= due))
    return sorted(items, key=lambda m: (m.on, m.code))


def _scenarios(walk: _Walk, trail: _Trail, today: date) -> list[Scenario]:
    p = walk.profile
    codes: list[str] = []
    if walk.phase is Phase.SAFETY:
        return []
    if walk.awaiting_since is not None and (today - walk.awaiting_since).days >= WAIT_DAYS:
        codes.append("no_reply")
    if walk.phase in (Phase.FIRST_CONTACT, Phase.REBUILDING) and walk.last_reply_tone in (
        "brief",
        "cool",
    ):
        codes.append("brief_or_cool_reply")
    if trail.ex_new_partner:
        codes.append("ex_new_partner")
    recent_from = today - timedelta(days=13)
    if (
        walk.phase is Phase.NO_CONTACT
        and trail.last_ex_contact is not None
        and trail.last_ex_contact >= recent_from
    ):
        codes.append("ex_reached_out")
    if walk.slips and walk.slips[-1].day >= recent_from:
        codes.append("broke_no_contact")
    if p.mutual_friends:
        codes.append("mutual_friends")
    if p.children or p.living_together or p.shared_work:
        codes.append("shared_life")
    if p.married:
        codes.append("marriage")
    return [scenario(code, p.pronouns) for code in codes]
