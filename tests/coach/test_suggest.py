"""Suggestions and the answering and conversation stage rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from olivebranch.checking import check_text
from olivebranch.coach.checker import check
from olivebranch.coach.findings import Verdict
from olivebranch.coach.stages import Stage
from olivebranch.coach.suggest import instead, shapes

CORPUS = Path(__file__).parent.parent.parent / "corpus" / "checker"


def all_labelled() -> list[dict[str, object]]:
    return [
        json.loads(line)
        for path in sorted(CORPUS.glob("*.jsonl"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]


@pytest.mark.parametrize("stage", list(Stage))
def test_every_stage_has_a_shape_that_passes(stage: Stage) -> None:
    offered = shapes(stage)
    assert offered
    for shape in offered:
        assert check_text(shape, stage).verdict is Verdict.SEND, shape
        assert "[" in shape and "]" in shape  # a placeholder the person fills in


def test_every_suggestion_over_the_whole_corpus_passes_its_own_stage() -> None:
    revised = 0
    for row in all_labelled():
        stage = Stage(str(row["stage"]))
        result = check_text(str(row["text"]), stage)
        if result.verdict is Verdict.REVISE:
            revised += 1
            assert result.suggestion, row["id"]
            assert check_text(result.suggestion, stage).verdict is Verdict.SEND, row["id"]
        else:
            assert result.suggestion is None, row["id"]
    assert revised > 500


def test_a_revise_keeps_what_is_good_and_drops_what_is_flagged() -> None:
    text = "hey! saw the new bakery on elm opened. i miss you so much and i cant stop thinking about us"
    result = check_text(text, Stage.FIRST_CONTACT)
    assert result.verdict is Verdict.REVISE
    assert result.suggestion == "hey! saw the new bakery on elm opened."


def test_when_nothing_can_stay_a_first_message_gets_a_light_shape_with_a_placeholder() -> None:
    result = check_text("i miss you so much, please give me another chance", Stage.FIRST_CONTACT)
    assert result.verdict is Verdict.REVISE
    assert result.suggestion in shapes(Stage.FIRST_CONTACT)


@pytest.mark.parametrize(
    ("stage", "text", "words"),
    [
        (Stage.REBUILDING, "i dont want to be alive anymore", "support lines"),
        (Stage.NO_CONTACT, "hey, how are you doing?", "journal"),
        (Stage.FOLLOW_UP, "answer me or you'll regret it", "urge pause"),
        (Stage.REBUILDING, "you're a pathetic liar", "angry"),
    ],
)
def test_a_hold_gets_no_rewrite_but_what_to_do_instead(stage: Stage, text: str, words: str) -> None:
    result = check_text(text, stage)
    assert result.verdict is Verdict.HOLD
    assert result.suggestion is None
    advice = instead(result)
    assert advice is not None and words in advice


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("sure, saturday at 10 works for the boxes. thanks", set()),
        ("thanks for letting me know, glad rufus is ok!", set()),
        ("thanks for telling me. honestly i miss you so much, can we talk?", {"neediness", "pressure"}),
        (
            "glad you're well. i know we ended things badly and i still think about what went wrong",
            {"relationship_talk"},
        ),
        ("thanks! it was nice of you. i have been thinking a lot. " * 3, {"too_long"}),
    ],
)
def test_the_answering_stage_keeps_first_contact_limits_and_no_breach(text: str, codes: set[str]) -> None:
    found = set(check(text, Stage.ANSWERING).codes)
    assert codes <= found
    assert "no_contact_breach" not in found
    if not codes:
        assert found == set()


def test_a_long_prepared_speech_in_conversation_is_a_tip_that_keeps_the_verdict() -> None:
    speech = " ".join(["i have thought a lot about what changed and what i want."] * 11)  # 132 words
    result = check(speech, Stage.CONVERSATION)
    assert [f.code for f in result.findings] == ["say_in_person"]
    assert result.findings[0].severity.value == "minor"
    assert result.verdict is Verdict.SEND
    short = " ".join(["i have thought a lot about what changed and what i want."] * 10)  # 120 words
    assert check(short, Stage.CONVERSATION).findings == ()
    assert "say_in_person" not in check(speech, Stage.REBUILDING).codes
