"""An .ics calendar of the plan's milestones, via the icalendar library."""

from __future__ import annotations

from datetime import datetime, timedelta

from olivebranch.program.timeline import Entry


def milestones_ics(entries: list[Entry], stamp: datetime) -> bytes:
    """All-day events, one per plan milestone; UIDs are stable so re-imports update."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Olive Branch//olivebranch//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Olive Branch milestones")
    for entry in entries:
        if entry.source != "plan":
            continue
        item = Event()
        item.add("uid", f"{entry.code}-{entry.on.isoformat()}@olivebranch.local")
        item.add("summary", entry.title)
        item.add("dtstart", entry.on)
        item.add("dtend", (entry.until or entry.on) + timedelta(days=1))
        item.add("dtstamp", stamp)
        item.add("transp", "TRANSPARENT")
        cal.add_component(item)
    data: bytes = cal.to_ical()
    return data
