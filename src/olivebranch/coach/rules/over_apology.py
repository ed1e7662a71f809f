"""over_apology: more than one apology, or one that runs the writer down."""

from __future__ import annotations

from olivebranch.coach.findings import Finding
from olivebranch.coach.rules.base import data, load
from olivebranch.coach.text import Draft

CODE = "over_apology"


def find(draft: Draft) -> list[Finding]:
    rule = load(CODE)
    apology = rule.groups[0].message
    spans = rule.spans(draft)
    apologies = sum(1 for _, _, message in spans if message == apology)
    abasing = len(spans) - apologies
    if apologies >= 2 or abasing:
        reason = str(data(CODE)["message"])
        return [Finding(CODE, start, end, reason) for start, end, _ in spans]
    return []
