"""The stage logic and the contract around the rules.

Where each code applies, the length limits to the word, sentence counting,
whole-message spans, severity, the verdict rule, offsets under emoji and curly
quotes, and the data files every phrase rule is built from.
"""

from __future__ import annotations

import importlib
import tomllib
from importlib.resources import files
from typing import Any

import pytest

from olivebranch.checking import check_text
from olivebranch.coach.checker import check
from olivebranch.coach.findings import CODES, Finding, Severity, Verdict, severity, verdict
from olivebranch.coach.rules import PHRASE_CODES, base
from olivebranch.coach.stages import Stage
from olivebranch.coach.text import Draft

NC = Stage.NO_CONTACT
FC = Stage.FIRST_CONTACT
FU = Stage.FOLLOW_UP
RB = Stage.REBUILDING
CV = Stage.CONVERSATION

#: A long, harmless ramble with no punctuation, cut to any number of words.
RAMBLE = (
    "so the new bakery on elm finally opened and the line was out the door all morning but "
    "i got the last cinnamon roll and it was honestly worth the wait the guy behind the counter "
    "said they bake everything at four am which is wild and they have a sourdough with olives "
    "that sells out by ten so if u ever go get there early because the weekend crowd is no joke "
    "and parking is a nightmare on that street too lol anyway the coffee is good too"
)


def ramble(words: int) -> str:
    every = RAMBLE.split()
    assert words <= len(every)
    return " ".join(every[:words])


def codes(text: str, stage: Stage) -> set[str]:
    return set(check(text, stage).codes)


# too_long -----------------------------------------------------------------


@pytest.mark.parametrize("stage", [FC, FU])
def test_short_stages_allow_two_sentences_and_forty_words(stage: Stage) -> None:
    assert "too_long" not in codes(ramble(40), stage)
    assert "too_long" not in codes("saw the new bakery on elm opened. the line was insane lol", stage)
    two_sentences_forty_words = ramble(20) + ". " + " ".join(RAMBLE.split()[20:40])
    assert len(two_sentences_forty_words.split()) == 40
    assert "too_long" not in codes(two_sentences_forty_words, stage)


@pytest.mark.parametrize("stage", [FC, FU])
def test_short_stages_flag_forty_one_words(stage: Stage) -> None:
    assert "too_long" in codes(ramble(41), stage)


@pytest.mark.parametrize("stage", [FC, FU])
def test_short_stages_flag_three_sentences(stage: Stage) -> None:
    assert "too_long" in codes("bakery on elm opened. got the last roll. so good", stage)
    assert "too_long" in codes("ok. ok. ok", stage)


def test_rebuilding_allows_eighty_words_and_flags_eighty_one() -> None:
    assert "too_long" not in codes(ramble(80), RB)
    assert "too_long" in codes(ramble(81), RB)


def test_rebuilding_has_no_sentence_limit() -> None:
    text = "ok. so. the bakery. on elm. opened!! finally. got a roll. worth it. go early. trust me."
    assert Draft(text).sentence_count == 10
    assert "too_long" not in codes(text, RB)


@pytest.mark.parametrize("stage", [NC, CV])
def test_too_long_never_in_no_contact_or_conversation(stage: Stage) -> None:
    text = ramble(85) + ". and. then. some. more."
    assert "too_long" not in codes(text, stage)


def test_too_long_reason_names_what_is_over() -> None:
    (finding,) = [f for f in check("ok. ok. ok", FU).findings if f.code == "too_long"]
    assert "3 sentences" in finding.message
    (finding,) = [f for f in check(ramble(41), FC).findings if f.code == "too_long"]
    assert "41 words" in finding.message


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("wait... what?! ok", 3),
        ("wait...what", 1),
        ("ok.", 1),
        ("ok. ", 1),
        ("its 3.5 miles from here", 1),
        ("hiii!!! so. yeah", 3),
        ("ok!\nsee u there", 2),
        ("lol\nok", 1),
        ("u there?? hello???   ", 2),
        ("done\u2026 finally", 2),
        ("omg.the new season dropped!!go watch it", 1),
    ],
)
def test_sentences_end_at_a_run_of_terminal_punctuation_and_whitespace(text: str, sentences: int) -> None:
    assert Draft(text).sentence_count == sentences


def test_wait_what_ok_is_three_sentences_for_the_length_rule() -> None:
    assert "too_long" in codes("wait... what?! ok", FU)
    assert "too_long" not in codes("wait... what?!", FU)


def test_words_split_on_whitespace() -> None:
    assert Draft("ok  so\tthe\n\ndog 🐶 ate it.. lol").word_count == 8


# where codes apply ----------------------------------------------------------

RELATIONSHIP_AND_GESTURES = [
    ("can we talk about us", "relationship_talk"),
    ("do u ever think about getting back together", "relationship_talk"),
    ("since the breakup ive been a mess", "relationship_talk"),
    ("i still love you", "grand_gesture"),
    ("im outside ur place rn", "grand_gesture"),
    ("i booked us a cabin for ur birthday", "grand_gesture"),
]


@pytest.mark.parametrize(("text", "code"), RELATIONSHIP_AND_GESTURES)
def test_relationship_talk_and_grand_gesture_never_in_conversation(text: str, code: str) -> None:
    for stage in (NC, FC, FU, RB):
        assert code in codes(text, stage), stage
    assert code not in codes(text, CV)


@pytest.mark.parametrize(
    "text", ["can we talk?", "hey, can we talk?", "can i call u?", "could we talk tonight?"]
)
def test_asking_to_talk_is_pressure_except_in_conversation(text: str) -> None:
    for stage in (NC, FC, FU, RB):
        assert "pressure" in codes(text, stage), stage
    assert "pressure" not in codes(text, CV)


@pytest.mark.parametrize("text", ["answer me", "why arent u replying", "did u get my text??"])
def test_demands_are_pressure_in_conversation_too(text: str) -> None:
    for stage in Stage:
        assert "pressure" in codes(text, stage), stage


PLEASANTRIES = ["hey", "hi how are you", "hope you're well", "hey! long time no talk", "heyy hbu"]


@pytest.mark.parametrize("text", PLEASANTRIES)
def test_generic_only_in_first_contact(text: str) -> None:
    result = check(text, FC)
    assert result.codes == ["generic"]
    for stage in (NC, FU, RB, CV):
        assert "generic" not in codes(text, stage), stage


@pytest.mark.parametrize(
    "text",
    [
        "hey! saw ur band is playing the bowery",
        "hi how are you, hows the new puppy",
        "hope you're well, congrats on the promotion",
        "hey, i miss you",
        "hey how are u, did the move go ok",
    ],
)
def test_generic_only_for_pleasantry_only_messages(text: str) -> None:
    assert "generic" not in codes(text, FC)


def test_no_contact_breach_comes_in_addition_to_other_codes() -> None:
    text = "miss you. can we talk?"
    assert codes(text, NC) == codes(text, RB) | {"no_contact_breach"}


@pytest.mark.parametrize("stage", [FC, FU, RB, CV])
def test_no_contact_breach_only_in_no_contact(stage: Stage) -> None:
    assert "no_contact_breach" in codes("happy birthday 🎂", NC)
    assert "no_contact_breach" not in codes("happy birthday 🎂", stage)


# A practical message in no contact, in the words of a shared life (repairs, paperwork, kit,
# dates as days and numbers), is not a breach; the same message with something personal is.
PRACTICAL = [
    "the boiler engineer is coming thurs 9-12, can u leave the side gate unlocked?",
    "your winter coats are boxed up in the hallway",
    "the solicitor needs your signature on page 3 by the 20th",
    "bins go out on weds now",
    "your grandma's ring is in the top drawer, i'll post it recorded delivery",
    "the band needs your amp back before the gig on the 12th",
]


@pytest.mark.parametrize("text", PRACTICAL)
def test_a_practical_message_in_no_contact_is_not_a_breach(text: str) -> None:
    assert "no_contact_breach" not in codes(text, NC)
    assert "no_contact_breach" not in check_text(text, NC).codes  # with the model, as the program runs
    assert "no_contact_breach" in codes(text + ". thinking of you", NC)


@pytest.mark.parametrize(
    "text",
    [
        "it would have been our 5th anniversary on the 12th",
        "that band from our first date has a gig on the 5th",
    ],
)
def test_a_date_that_marks_the_relationship_is_still_a_breach(text: str) -> None:
    assert "no_contact_breach" in codes(text, NC)


# whole-message spans, severity, verdict --------------------------------------

WHOLE_MESSAGE = [
    (FU, "ok. ok. ok  ", "too_long"),
    (RB, ramble(81) + " 🥐", "too_long"),
    (NC, "  happy birthday!! 🎂", "no_contact_breach"),
    (NC, "can i grab my bike saturday? miss you btw", "no_contact_breach"),
    (FC, "hey 👋", "generic"),
    (FC, "hi how are you\n", "generic"),
]


@pytest.mark.parametrize(("stage", "text", "code"), WHOLE_MESSAGE)
def test_whole_message_codes_span_the_whole_text(stage: Stage, text: str, code: str) -> None:
    spans = [(f.start, f.end) for f in check(text, stage).findings if f.code == code]
    assert spans == [(0, len(text))]


EXPECTED_SEVERITY = {code: Severity.MAJOR for code in CODES} | {
    "crisis": Severity.HOLD,
    "no_contact_breach": Severity.HOLD,
    "ultimatum": Severity.HOLD,
    "hostile": Severity.HOLD,
    "generic": Severity.MINOR,
    "say_in_person": Severity.MINOR,
}


@pytest.mark.parametrize("code", CODES)
def test_severity(code: str) -> None:
    assert severity(code) is EXPECTED_SEVERITY[code]
    assert Finding(code, 0, 1, "").severity is EXPECTED_SEVERITY[code]


#: One message per code, in a stage where it applies; some get more codes.
ONE_PER_CODE = [
    (FU, "hey! saw the bakery opened. got the last roll. so good", "too_long"),
    (FU, "can we talk about us", "relationship_talk"),
    (RB, "i miss u so much", "neediness"),
    (FU, "please just give me one more chance", "pleading"),
    (RB, "im so sorry. im sorry for everything", "over_apology"),
    (FU, "answer me by tonight or im done", "ultimatum"),
    (CV, "why arent u replying", "pressure"),
    (RB, "hope ur happy now", "guilt_trip"),
    (CV, "ur pathetic", "hostile"),
    (FU, "went on a date last night btw", "jealousy_play"),
    (RB, "i dont want to be alive anymore", "crisis"),
    (NC, "happy birthday 🎂", "no_contact_breach"),
    (FU, "i still love you", "grand_gesture"),
    (FC, "hey", "generic"),
]


@pytest.mark.parametrize(("stage", "text", "code"), ONE_PER_CODE)
def test_findings_carry_their_codes_severity(stage: Stage, text: str, code: str) -> None:
    result = check(text, stage)
    assert code in result.codes
    for f in result.findings:
        assert f.severity is EXPECTED_SEVERITY[f.code]


def expected_verdict(found: set[str]) -> Verdict:
    """The guide's rule, written out independently of the checker."""
    if found & {"crisis", "no_contact_breach", "ultimatum", "hostile"}:
        return Verdict.HOLD
    if found - {"generic"}:
        return Verdict.REVISE
    return Verdict.SEND


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        (set(), Verdict.SEND),
        ({"generic"}, Verdict.SEND),
        ({"generic", "too_long"}, Verdict.REVISE),
        ({"pressure"}, Verdict.REVISE),
        ({"pressure", "hostile"}, Verdict.HOLD),
        ({"generic", "crisis"}, Verdict.HOLD),
        ({"no_contact_breach"}, Verdict.HOLD),
        ({"ultimatum", "neediness", "pleading"}, Verdict.HOLD),
    ],
)
def test_verdict_rule(found: set[str], expected: Verdict) -> None:
    assert verdict(found) is expected


@pytest.mark.parametrize(("stage", "text", "code"), ONE_PER_CODE)
def test_check_verdict_follows_the_rule(stage: Stage, text: str, code: str) -> None:
    result = check(text, stage)
    assert result.verdict is expected_verdict(set(result.codes))


@pytest.mark.parametrize(
    ("stage", "text", "expected"),
    [
        (FC, "hey", Verdict.SEND),
        (FC, "hey! saw a corgi in a tiny raincoat and thought of u", Verdict.SEND),
        (NC, "can i grab my bike saturday?", Verdict.SEND),
        (RB, "i miss u", Verdict.REVISE),
        (NC, "answer me about the deposit today", Verdict.REVISE),
        (NC, "can i grab my bike saturday? miss you btw", Verdict.HOLD),
        (RB, "if you leave me for good ill kill myself", Verdict.HOLD),
        (CV, "wow so mature 🙄", Verdict.HOLD),
    ],
)
def test_check_verdicts(stage: Stage, text: str, expected: Verdict) -> None:
    assert check(text, stage).verdict is expected


@pytest.mark.parametrize(("stage", "text", "code"), ONE_PER_CODE)
def test_suggestion_is_none(stage: Stage, text: str, code: str) -> None:
    assert check(text, stage).suggestion is None


# offsets under emoji, joiners, curly quotes -------------------------------------

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"


def test_zero_width_joiner_emoji_are_ordinary_text() -> None:
    text = f"{FAMILY} soccer pickup is at 4 saturday"
    assert check(text, NC).codes == []
    assert check(text, FC).codes == []
    assert Draft(text).word_count == 7


@pytest.mark.parametrize(
    ("stage", "text", "code", "words"),
    [
        (RB, f"{FAMILY} {FAMILY} i miss u", "neediness", "miss u"),
        (FU, f"the kids made u a card {FAMILY}\u2764\ufe0f i still love you", "grand_gesture", "love you"),
        (FU, "\U0001f3f3\ufe0f\u200d\U0001f308 pride was fun. answer me", "pressure", "answer me"),
        (
            RB,
            "\u0130stanbul was amazing, i can\u2019t stop thinking about you",
            "neediness",
            "thinking about you",
        ),
    ],
)
def test_offsets_stay_valid_after_emoji(stage: Stage, text: str, code: str, words: str) -> None:
    ours = [f for f in check(text, stage).findings if f.code == code]
    assert ours
    at = text.index(words)
    assert any(f.start <= at and at + len(words) <= f.end <= len(text) for f in ours)


def test_normalised_draft_keeps_offsets() -> None:
    text = f"\u0130 {FAMILY} can\u2019t \u201cok\u201d"
    assert len(Draft(text).norm) == len(text)


@pytest.mark.parametrize(
    ("stage", "straight", "code"),
    [
        (RB, "i can't stop thinking about you", "neediness"),
        (FU, "i can't live without you", "crisis"),
        (FU, "you'll regret this", "ultimatum"),
        (RB, "i'm so sorry. i'm sorry for everything", "over_apology"),
        (FU, "i'll do anything", "pleading"),
        (RB, "guess you're doing great without me", "guilt_trip"),
        (FC, "hope you're well", "generic"),
        (CV, "why aren't you replying", "pressure"),
    ],
)
def test_curly_apostrophes_work_like_straight_ones(stage: Stage, straight: str, code: str) -> None:
    curly = straight.replace("'", "\u2019")
    assert curly != straight
    plain, fancy = check(straight, stage), check(curly, stage)
    assert code in plain.codes
    assert fancy.codes == plain.codes
    assert [(f.code, f.start, f.end) for f in fancy.findings] == [
        (f.code, f.start, f.end) for f in plain.findings
    ]


# the data files -------------------------------------------------------------------

DATA = files("olivebranch.coach.rules").joinpath("data")
DATA_FILES = sorted(p.name.removesuffix(".toml") for p in DATA.iterdir() if p.name.endswith(".toml"))
SUPPORT_DATA = ("over_apology", "logistics", "personal", "pleasantries")
RULE_MODULES = ("over_apology", "too_long", "no_contact_breach", "generic", "say_in_person")


def test_every_code_has_a_phrase_file_or_a_module() -> None:
    assert set(PHRASE_CODES) | set(RULE_MODULES) == set(CODES)
    assert set(DATA_FILES) == set(PHRASE_CODES) | set(SUPPORT_DATA)


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_data_file_loads_with_patterns(name: str) -> None:
    raw = tomllib.loads(DATA.joinpath(f"{name}.toml").read_text("utf-8"))
    code = name
    assert raw["code"] == code
    rule = base.load(name)
    assert rule.code == code
    assert rule.groups
    for group in rule.groups:
        assert group.patterns, name
        assert group.message.strip(), name


@pytest.mark.parametrize("name", RULE_MODULES)
def test_every_rule_module_names_its_code(name: str) -> None:
    module = importlib.import_module(f"olivebranch.coach.rules.{name}")
    assert getattr(module, "CODE", None) == name


def test_generic_has_stopwords() -> None:
    assert base.data("pleasantries")["stopwords"]


def _load_fresh(monkeypatch: pytest.MonkeyPatch, parsed: dict[str, Any]) -> None:
    monkeypatch.setattr(base, "data", lambda name, home=base.RULES_HOME: parsed)
    base.load.__wrapped__("made_up")


def test_loader_refuses_unknown_top_level_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = {"code": "made_up", "exeptions": ["x"], "group": [{"patterns": ["x"]}]}
    with pytest.raises(ValueError, match="exeptions"):
        _load_fresh(monkeypatch, parsed)


def test_loader_refuses_unknown_group_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    # In TOML, exceptions written after a [[group]] land in that group.
    parsed = {"code": "made_up", "group": [{"patterns": ["x"], "exceptions": ["y"]}]}
    with pytest.raises(ValueError, match="exceptions"):
        _load_fresh(monkeypatch, parsed)


def test_loader_accepts_known_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = {
        "code": "made_up",
        "message": "m",
        "exceptions": ["no"],
        "group": [
            {"message": "g", "patterns": ["x"], "not_after": ["no"], "not_in_stages": ["conversation"]}
        ],
    }
    _load_fresh(monkeypatch, parsed)
