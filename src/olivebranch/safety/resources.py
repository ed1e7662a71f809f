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
        )
        for kind in kinds
        for item in entry.get(kind, [])
    ]
    return RegionHelp(code, entry.get("emergency"), entry.get("note"), tuple(found))
