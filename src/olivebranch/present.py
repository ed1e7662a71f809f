"""Turning the engine's results into JSON documents (shared by the CLI and, later, the web)."""

from __future__ import annotations

from datetime import date
from typing import Any

from olivebranch.program.state import Status
from olivebranch.program.timeline import Entry
from olivebranch.safety.resources import RegionHelp


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def status_json(status: Status, help: RegionHelp | None) -> dict[str, Any]:
    nc = status.no_contact
    a = status.assessment
    c = status.contact
    return {
        "now": status.now.isoformat(),
        "today": status.today.isoformat(),
        "track": status.track.value,
        "phase": status.phase.value,
        "assessment": {
            "outcome": a.track.value,
            "headline": a.headline,
            "factors": [{"code": f.code, "effect": f.effect.value, "text": f.text} for f in a.factors],
            "reasons": list(a.reasons),
            "suggest_therapist": a.suggest_therapist,
        },
        "no_contact": None
        if nc is None
        else {
            "planned_days": nc.planned_days,
            "day": nc.day,
            "started_on": _day(nc.started_on),
            "planned_end": _day(nc.planned_end),
            "ended_on": _day(nc.ended_on),
            "restarts": nc.restarts,
            "purpose": nc.purpose,
            "reasons": list(nc.reasons),
        },
        "next_step": {"code": status.next_step.code, "text": status.next_step.text},
        "warnings": [
            {"code": w.code, "text": w.text, "last_seen": _day(w.last_day)} for w in status.warnings
        ],
        "notes": [{"code": n.code, "text": n.text} for n in status.notes],
        "milestones": [
            {
                "code": m.code,
                "title": m.title,
                "on": _day(m.on),
                "until": _day(m.until),
                "reached": m.reached,
            }
            for m in status.milestones
        ],
        "scenarios": [{"code": s.code, "text": s.text} for s in status.scenarios],
        "signals": {
            "pattern": status.signals.pattern,
            "kinds": list(status.signals.kinds),
            "days": status.signals.days,
            "reasons": list(status.signals.reasons),
            "over_read_note": status.signals.over_read_note,
        },
        "slips": [{"day": _day(s.day), "kind": s.kind, "trigger": s.trigger} for s in status.slips],
        "contact": {
            "first_message_on": _day(c.first_message_on),
            "awaiting_reply_since": _day(c.awaiting_reply_since),
            "follow_up_on": _day(c.follow_up_on),
            "last_reply_tone": c.last_reply_tone,
            "rebuilding_since": _day(c.rebuilding_since),
            "meetings": c.meetings,
            "good_meetings": c.good_meetings,
        },
        "last_checkin": None
        if status.last_checkin is None
        else {
            "on": _day(status.last_checkin.on),
            "mood": status.last_checkin.mood,
            "urge": status.last_checkin.urge,
        },
        "days_since_breakup": status.days_since_breakup,
        "moving_on_reason": status.moving_on_reason,
        "moving_on_since": _day(status.moving_on_since),
        "harassment_hold": None
        if status.harassment_hold is None
        else {
            "since": _day(status.harassment_hold.since),
            "last_flagged": _day(status.harassment_hold.last_flagged),
            "stopped_on": _day(status.harassment_hold.stopped_on),
            "clears_on": _day(status.harassment_hold.clears_on),
        },
        "region": status.profile.region,
        "resources": [] if help is None else [r.as_json() for r in help.resources],
    }


def timeline_json(entries: list[Entry]) -> list[dict[str, Any]]:
    return [
        {
            "on": _day(e.on),
            "until": _day(e.until),
            "code": e.code,
            "title": e.title,
            "source": e.source,
            "reached": e.reached,
        }
        for e in entries
    ]
