"""Crisis and abuse support lines by region.

The numbers come only from ``resources.json`` (copied from the team's checked
list, each entry with the source it was verified against); nothing here
invents or guesses one. ``resources_for`` is pure; ``load`` reads the packaged
file once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

FALLBACK = "INTL"
KINDS = ("crisis", "abuse", "using_harm")


@dataclass(frozen=True)
class Resource:
    id: str
    region: str
    kind: str
    name: str
    phone: str | None
    text: str | None
    url: str | None
    hours: str | None
    serves: str
    source: str
    verified_on: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "phone": self.phone,
            "text": self.text,
            "url": self.url,
            "hours": self.hours,
            "for": self.serves,
            "region": self.region,
            "kind": self.kind,
            "source": self.source,
            "verified_on": self.verified_on,
        }


@dataclass(frozen=True)
class RegionHelp:
    region: str
    emergency: str | None
    note: str | None
    resources: tuple[Resource, ...]


@cache
def load() -> Mapping[str, Any]:
    text = files("olivebranch.safety").joinpath("resources.json").read_text(encoding="utf-8")
    data: Mapping[str, Any] = json.loads(text)
    return data


def regions(data: Mapping[str, Any]) -> list[str]:
    return sorted(data["regions"])


def resources_for(
    data: Mapping[str, Any], region: str, kinds: Iterable[str] = ("crisis", "abuse")
) -> RegionHelp:
    """The lines for one region; a region not in the list gets the international ones."""
    all_regions = data["regions"]
    code = region.upper() if region.upper() in all_regions else FALLBACK
    entry = all_regions[code]
    found = [
        Resource(
            id=item["id"],
            region=code,
            kind=kind,
            name=item["name"],
            phone=item.get("phone"),
            text=item.get("text"),
            url=item.get("url"),
            hours=item.get("hours"),
            serves=item.get("for", ""),
            source=item["source"],
            verified_on=item["verified_on"],
        )
        for kind in kinds
        for item in entry.get(kind, [])
    ]
    return RegionHelp(code, entry.get("emergency"), entry.get("note"), tuple(found))


def help_for_flags(
    data: Mapping[str, Any], flags: Iterable[str], region: str | None, writer_caused_harm: bool
) -> list[Resource]:
    """The lines that fit what the screen found, crisis first, for a region (else US and INTL).

    Abuse the writer suffered gets abuse services; harm the writer caused, or a risk of
    harassing the ex, gets the services that help people stop (``using_harm``).
    """
    wanted: list[str] = []
    found = set(flags)
    if "crisis" in found:
        wanted.append("crisis")
    if "abuse" in found:
        wanted.append("using_harm" if writer_caused_harm else "abuse")
    if "harassment_risk" in found and "using_harm" not in wanted:
        wanted.append("using_harm")
    chosen: list[Resource] = []
    for code in [region] if region else ["US", FALLBACK]:
        for kind in wanted:
            chosen += resources_for(data, code, kinds=(kind,)).resources
    seen: set[str] = set()
    return [r for r in chosen if not (r.id in seen or seen.add(r.id))]  # type: ignore[func-returns-value]
