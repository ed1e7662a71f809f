"""say_in_person (a tip): a long prepared speech in the conversation stage."""

from __future__ import annotations

from olivebranch.coach.findings import Finding
from olivebranch.coach.stages import Stage
from olivebranch.coach.text import Draft

CODE = "say_in_person"
MOST_WORDS = 120
MESSAGE = (
    "This is a lot for a message. It belongs in a calm, two-sided talk in person, where you "
    "can listen as much as you speak, not in a text."
)


def find(draft: Draft, stage: Stage) -> list[Finding]:
    if stage is not Stage.CONVERSATION or draft.word_count <= MOST_WORDS:
        return []
    return [Finding(CODE, 0, len(draft.text), MESSAGE)]
