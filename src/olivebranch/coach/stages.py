"""The checker's stages, and which codes apply in which stage."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    NO_CONTACT = "no_contact"
    FIRST_CONTACT = "first_contact"
    FOLLOW_UP = "follow_up"
    REBUILDING = "rebuilding"
    CONVERSATION = "conversation"
    #: Answering a message the ex sent first, during no contact.
    ANSWERING = "answering"


ALL = frozenset(Stage)
NOT_CONVERSATION = ALL - {Stage.CONVERSATION}

#: Where each code is reported. Codes not listed apply in every stage.
APPLIES: dict[str, frozenset[Stage]] = {
    "too_long": frozenset({Stage.FIRST_CONTACT, Stage.FOLLOW_UP, Stage.REBUILDING, Stage.ANSWERING}),
    "relationship_talk": NOT_CONVERSATION,
    "grand_gesture": NOT_CONVERSATION,
    "generic": frozenset({Stage.FIRST_CONTACT}),
    "no_contact_breach": frozenset({Stage.NO_CONTACT}),
    "say_in_person": frozenset({Stage.CONVERSATION}),
    # A bare ask to talk is pressure everywhere but in the conversation stage,
    # where talking is the point.
    "pressure": ALL,
}

#: Length limits: (most sentences, most words); None means no limit of that kind.
LENGTH_LIMITS: dict[Stage, tuple[int | None, int]] = {
    Stage.FIRST_CONTACT: (2, 40),
    Stage.FOLLOW_UP: (2, 40),
    Stage.ANSWERING: (2, 40),
    Stage.REBUILDING: (None, 80),
}


def applies(code: str, stage: Stage) -> bool:
    return stage in APPLIES.get(code, ALL)


def parse_stage(value: object) -> Stage | None:
    try:
        return Stage(value)  # type: ignore[arg-type]
    except ValueError:
        return None
