"""no_contact_breach: during no contact, anything that is not purely logistical.

A practical message (belongings, bills, housing, children, pets, work) is not a
breach, even with a tone problem (pressure, an apology, a threat about
belongings): that tone gets its own code. Anything personal makes it one.
"""

from __future__ import annotations

from collections.abc import Sequence

from olivebranch.coach.findings import Finding
from olivebranch.coach.rules.base import load
from olivebranch.coach.stages import Stage
from olivebranch.coach.text import Draft

CODE = "no_contact_breach"
TONE_CODES = frozenset({"pressure", "over_apology", "ultimatum"})
MESSAGE = (
    "You're in no contact, and this isn't about a practical matter. Sending it restarts the "
    "count and reopens the wound. Write it in your journal instead; if it still matters when "
    "no contact ends, it can wait until then."
)


def find(draft: Draft, stage: Stage, others: Sequence[Finding]) -> list[Finding]:
    if stage is not Stage.NO_CONTACT:
        return []
    personal = [f for f in others if f.code not in TONE_CODES]
    practical = load("logistics").spans(draft)
    chatty = load("personal").spans(draft)
    if personal or chatty or not practical:
        return [Finding(CODE, 0, len(draft.text), MESSAGE)]
    return []
