"""too_long: a stage rule on sentences and words, spanning the whole draft."""

from __future__ import annotations

from olivebranch.coach.findings import Finding
from olivebranch.coach.stages import LENGTH_LIMITS, Stage
from olivebranch.coach.text import Draft

CODE = "too_long"


def find(draft: Draft, stage: Stage) -> list[Finding]:
    limits = LENGTH_LIMITS.get(stage)
    if limits is None:
        return []
    most_sentences, most_words = limits
    over: list[str] = []
    if most_sentences is not None and draft.sentence_count > most_sentences:
        over.append(f"{draft.sentence_count} sentences (keep it to {most_sentences})")
    if draft.word_count > most_words:
        over.append(f"{draft.word_count} words (keep it under {most_words + 1})")
    if not over:
        return []
    why = (
        "A short message is easy to answer and carries no weight."
        if stage is not Stage.REBUILDING
        else "While you rebuild, short and easy messages keep things light."
    )
    return [Finding(CODE, 0, len(draft.text), "Too long: " + " and ".join(over) + ". " + why)]
