"""generic (a tip): a first message with nothing specific or personal in it."""

from __future__ import annotations

import re

from olivebranch.coach.findings import Finding
from olivebranch.coach.rules.base import data, load
from olivebranch.coach.stages import Stage
from olivebranch.coach.text import Draft

CODE = "generic"
MESSAGE = (
    "This says nothing specific yet. A first message lands better when it names something "
    "real: something you saw that brought them to mind, an interest you both have, or a small "
    "good memory."
)
_WORD = re.compile(r"[a-z][a-z']+")


def find(draft: Draft, stage: Stage) -> list[Finding]:
    if stage is not Stage.FIRST_CONTACT:
        return []
    text = draft.norm
    for start, end, _ in reversed(load("pleasantries").spans(draft)):
        text = text[:start] + " " + text[end:]
    stopwords = set(data("pleasantries")["stopwords"])
    content = [w for w in _WORD.findall(text) if w not in stopwords and len(w) > 2]
    if not content:
        return [Finding(CODE, 0, len(draft.text), MESSAGE)]
    return []
