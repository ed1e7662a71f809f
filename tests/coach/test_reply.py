"""The reply reader: its contract, its safety rules, and its use in the program."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from olivebranch.cli import app
from olivebranch.coach.reply import (
    NEXT_STEPS,
    TONES,
    ReplyHead,
    ReplyReading,
    Tone,
    asks_no_contact,
    decide,
    default_reader,
)

EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "answers.json"
FIELDS = {"id", "tone", "no_contact_requested", "logistics", "next_step"}


def run(data: Path, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(data), *args], input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "please don't text me again",
        "lose my number",
        "I'd prefer we didn't keep in touch. Take care.",
        "i'm blocking you after this",
        "stop messaging me. seriously.",
        "you're sweet but i need no contact, please respect that",
        "Any further communication should go through my lawyer.",
        "leave me alone",
        "i think it's best we don't talk anymore",
        "if you text me again i'm going to the police",
        # wordings added with train-2/train-3
        "please stop texting me",
        "i need you to leave me alone now",
        "don't reach out again",
        "i dont want to hear from you",
        "we shouldn't talk anymore",
        "i need space, please don't contact me",
        "please respect that i don't want contact",
        "I'd appreciate it if you didn't message me again.",
        "please don't get in touch again",
        "i'm cutting contact with you",
        "Please refrain from contacting me further.",
        "i need a clean break from you",
        "blocking u",
        "i think it's time we stopped talking completely",
        # soft requests, kind in tone (added with train-4)
        "it was good to hear you're well. i'd rather we keep our distance from now on though",
        "glad you're happy. i'm going to step back from this chat now, be well",
        "i think we work better as memories. take care of yourself",
        "i'm not going to reply to these anymore, sorry",
        "honestly i'm happier not hearing from you",
        "please don't feel you need to update me on things",
        "i'd like this to be our last conversation, i hope that's ok",
        "i'd rather we didn't make this a regular thing x",
    ],
)
def test_a_request_for_no_contact_is_never_missed(text: str) -> None:
    assert asks_no_contact(text)
    reader = default_reader()
    assert reader is not None
    reading = reader(text)
    assert reading.no_contact_requested
    assert reading.tone is not Tone.WARM
    assert reading.next_step.code == "respect_boundary"


@pytest.mark.parametrize(
    "text",
    [
        "please don't text me after 9, the baby's asleep",
        "i'd prefer we didn't talk about work tonight lol",
        "can't talk right now, at the gym, call you later",
        "stop it 😂 you're too funny",
        "i'm going to block out saturday for the move",
        # negations and third parties
        "you don't have to stop texting me lol",
        "no need to stop reaching out, i was just slammed at work",
        "i'm not asking you to stop messaging, i just can't reply fast",
        "im not blocking you dummy, my phone was off 😂",
        "maya won't stop talking about the zoo",
        "don't message the group about it yet",
        "can you stop by friday for the keys",
        "i need a clean break from work this weekend",
        "no contact with the landlord since tuesday, did he email you?",
        "i'm going to step back from this project for a bit, work is mad",
        "keeping my distance from his mum at the party lol",
        "not going to reply to the group chat tonight, too tired",
        "if you leave this chat now you'll miss the photos",
    ],
)
def test_look_alikes_are_not_requests_for_no_contact(text: str) -> None:
    assert not asks_no_contact(text)


@pytest.mark.parametrize(
    "text",
    [
        "aw that's sweet of you. i'm really happy with my girlfriend though, take care",
        "thanks! my partner and i went there last month actually",
        "you're kind, but i've moved on. wishing you the best",
        # sarcasm and an old hurt thrown back, in friendly words
        "aww lovely, did your counsellor make you write this?",
        "haha nice try 🤡",
        "you broke my heart and now you want to know about my weekend?",
        # sarcasm markers from train-6
        "haha amazing, so happy for you 🙃",
        "lol absolutely not",
        "are you drunk? it's 3am",
        "wow, the audacity",
    ],
)
def test_a_kind_but_closing_reply_is_never_read_as_warm(text: str) -> None:
    reader = default_reader()
    assert reader is not None
    assert reader(text).tone is not Tone.WARM


def test_each_tone_maps_to_its_next_step() -> None:
    codes = {tone: ReplyReading(tone, False, False).next_step.code for tone in Tone}
    assert codes == {
        Tone.WARM: "answer_lightly",
        Tone.NEUTRAL: "give_it_time",
        Tone.BRIEF: "give_it_time",
        Tone.COOL: "give_space",
        Tone.HOSTILE: "step_back",
    }
    assert all(step.text for step in NEXT_STEPS.values())
    assert ReplyReading(Tone.NEUTRAL, True, False).next_step.code == "respect_boundary"


def test_the_reply_command_is_stateless_and_keeps_the_contract(tmp_path: Path) -> None:
    data = tmp_path / "empty"
    code, out, _ = run(data, "reply", "--json", "omg yes!! that place is the best. how's your sister?")
    assert code == 0
    result = json.loads(out)
    assert set(result) == FIELDS
    assert result["tone"] == "warm" and result["next_step"]["code"] == "answer_lightly"
    assert not data.exists() or not any(data.iterdir())


def test_a_batch_of_replies_keeps_going_past_bad_lines(tmp_path: Path) -> None:
    rows = "\n".join(
        [
            json.dumps({"id": "a", "text": "👍"}),
            "nope",
            json.dumps({"id": "c", "text": "Saturday at 10 works for the boxes."}),
            json.dumps({"id": "d", "text": ""}),
            json.dumps({"id": "e", "text": "hi", "tone": "warm"}),
        ]
    )
    code, out, err = run(tmp_path, "reply", "--jsonl", "-", input=rows)
    assert code == 1
    results = [json.loads(line) for line in out.splitlines()]
    assert [r.get("id") for r in results] == ["a", None, "c", "d", "e"]
    assert results[0]["tone"] == "brief"
    assert results[2]["logistics"] is True
    assert results[1]["error"].startswith("line 2: not JSON")
    assert results[3]["error"] == "line 4: text is empty"
    assert results[4]["error"] == "line 5: unknown field 'tone'"
    assert "line 2" in err


def test_logging_a_reply_without_a_tone_reads_it_and_moves_the_program(tmp_path: Path) -> None:
    run(tmp_path, "--now", "2026-11-20T20:00", "start", "--answers", str(EXAMPLE))
    run(tmp_path, "--now", "2026-11-26T20:00", "log", "readiness", "--passed")
    run(tmp_path, "--now", "2026-11-27T10:00", "log", "sent", "--text", "saw a heron at the lake")
    code, out, _ = run(
        tmp_path, "--now", "2026-11-27T18:00", "log", "reply", "--text", "please don't contact me again"
    )
    assert code == 0
    assert "Read as" in out and "asked not to be contacted" in out
    code, out, _ = run(tmp_path, "--now", "2026-11-28T10:00", "status", "--json")
    status = json.loads(out)
    assert status["phase"] == "moving_on"
    assert status["next_step"]["code"] == "respect_boundary"


def test_a_reply_needs_a_tone_or_a_text(tmp_path: Path) -> None:
    run(tmp_path, "--now", "2026-11-20T20:00", "start", "--answers", str(EXAMPLE))
    code, _, err = run(tmp_path, "--now", "2026-11-21T20:00", "log", "reply")
    assert code == 2 and "--tone" in err


def _head(margin: float) -> ReplyHead:
    return ReplyHead.thresholds_only(ncr_threshold=0.99, logistics_threshold=0.99, warm_margin=margin)


def _logits(**probs: float) -> object:
    import numpy as np

    tones = np.log(np.array([probs.get(t.value, 1e-6) for t in TONES], dtype=np.float32))
    return np.concatenate([tones, np.array([-9.0, -9.0], dtype=np.float32)])


def test_warm_must_lead_cool_and_hostile_together_by_the_margin() -> None:
    text = "oh we actually adopted a dog together, me and sam. anyway glad you're good"
    # Neutral is the runner-up, but cool and hostile together come close to warm.
    close = _logits(warm=0.55, neutral=0.2, cool=0.15, hostile=0.1)
    assert decide(text, close, _head(0.45)).tone is Tone.NEUTRAL  # type: ignore[arg-type]
    clear = _logits(warm=0.8, neutral=0.1, cool=0.05, hostile=0.05)
    assert decide(text, clear, _head(0.45)).tone is Tone.WARM  # type: ignore[arg-type]


def test_an_invitation_to_talk_outweighs_the_models_reading_of_a_request() -> None:
    import numpy as np

    head = ReplyHead.thresholds_only(ncr_threshold=0.5, logistics_threshold=0.99, warm_margin=0.45)
    tones = np.log(np.array([0.7, 0.1, 0.1, 0.05, 0.05], dtype=np.float32))
    says_request = np.concatenate([tones, np.array([4.0, -9.0], dtype=np.float32)])  # sigmoid 0.98
    invite = "i'm glad you reached out. i owe you an apology. can we talk on the phone this week?"
    assert not decide(invite, says_request, head).no_contact_requested  # type: ignore[arg-type]
    # Without the invitation the model's reading stands, and a request phrase always does.
    assert decide("i owe you an apology. i'll leave it there.", says_request, head).no_contact_requested  # type: ignore[arg-type]
    both = "can we talk on the phone this week about the dog? otherwise please don't text me"
    assert decide(both, says_request, head).no_contact_requested  # type: ignore[arg-type]
    # An invitation put off is a request for distance: the model's reading stands.
    later = "let's talk when the kids are older. for now i need space"
    assert decide(later, says_request, head).no_contact_requested  # type: ignore[arg-type]
