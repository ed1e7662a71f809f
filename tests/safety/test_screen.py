"""The safety screen: its rules, its contract, its resources, and its effect on the program."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pycountry
import pytest
from typer.testing import CliRunner

from olivebranch.cli import app
from olivebranch.safety.resources import help_for_flags, load
from olivebranch.safety.screen import Flag, screen

EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "answers.json"


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("he checked my phone every night and wouldnt let me see my friends", {"abuse"}),
        ("she punched a hole in the wall when i said i wanted to leave", {"abuse"}),
        ("he said he'd take the kids if i ever left", {"abuse"}),
        ("i was always scared of him when he drank", {"abuse"}),
        ("he controlled all the money, i had to ask for an allowance", {"abuse"}),
        ("my first boyfriend hit me, years ago, this was nothing like that", set()),
        ("he hit the nail on the head about my job", set()),
        ("i need to control my urges to text her", set()),
        ("everyone would be better off without me", {"crisis"}),
        ("i just want to sleep and not wake up", {"crisis"}),
        ("i can't live without her", {"crisis"}),
        ("this breakup is killing me lol", set()),
        ("i'd die for a coffee right now", set()),
        ("i'm not suicidal, just sad", set()),
        ("i made a fake account to watch her stories", {"harassment_risk"}),
        ("i drove past his place again tonight", {"harassment_risk"}),
        ("she blocked me so i made another account and texted her", {"harassment_risk"}),
        ("i sent her flowers again even though she didnt answer the last ones", {"harassment_risk"}),
        ("i look at his public instagram every day, i know its not healthy", set()),
        ("i asked his sister once how he was doing", set()),
        ("i follow her on insta, saw she got a dog", set()),
    ],
)
def test_the_rules_flag_what_the_guide_says(text: str, flags: set[str]) -> None:
    result = screen(text)
    assert {f.value for f in result.flags} == flags
    for match in result.matches:
        assert 0 <= match.start < match.end <= len(text) and match.reason


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        # abuse: violence, intimidation, coercive control, sexual coercion, stalking by the ex
        ("it wasn't that bad, he only grabbed my wrist a couple of times", {"abuse"}),
        ("she threw a mug at me when i said i was going out", {"abuse"}),
        ("he pinned me against the fridge and screamed in my face", {"abuse"}),
        ("he made me share my location all the time", {"abuse"}),
        ("i wasn't allowed to see my sister without asking him first", {"abuse"}),
        ("he took my paycheck every friday and gave me thirty quid back", {"abuse"}),
        ("he said he'd kill himself if i left him", {"abuse"}),
        ("if i said no he'd sulk for days until i gave in to sex", {"abuse"}),
        ("my ex keeps turning up at my work, three times this week", {"abuse"}),
        ("she pushed me to apply for the job and i got it", set()),
        ("he never went through my phone, he wasn't like that", set()),
        ("the grief hit me so hard on the bus today", set()),
        # crisis, said indirectly
        ("honestly i don't know why i'm still here", {"crisis"}),
        ("i've arranged for my neighbour to take the cat", {"crisis"}),
        ("i'm running out of reasons to keep going", {"crisis"}),
        ("i keep hoping i get hit by a bus", {"crisis"}),
        ("i've started cutting my arms again", {"crisis"}),
        ("not gonna lie i want to die a little bit lol", set()),
        ("my sister asked if i'd thought about ending it and honestly, no. just sad", set()),
        # harassment by the writer
        ("she blocked me so i've been messaging her on linkedin and venmo", {"harassment_risk"}),
        ("i keep asking her friends where she is every weekend", {"harassment_risk"}),
        ("i sat outside her flat for three hours last night", {"harassment_risk"}),
        ("i sent her flowers at work every monday even though she never replied", {"harassment_risk"}),
        ("i slashed his tyres after i saw her car there", {"harassment_risk"}),
        ("i told her new boyfriend i'd sort him out", {"harassment_risk"}),
        ("was going to drive past her flat tonight. didn't. made tea instead", set()),
        ("i checked her public strava, she ran a 5k", set()),
        # idioms and agreed or accidental things are not flags; the real thing still is
        ('he hit me with the "i love you but i\'m not in love with you" line', set()),
        ("he hit me when i tried to leave", {"abuse"}),
        ("my mum keeps saying he was controlling but he wasn't, he was organised", set()),
        ("i drove past his house by accident because the map rerouted me", set()),
        ("i drive past his house every night hoping to see his car", {"harassment_risk"}),
        ("we used to track each other on find my friends, mutual, agreed. both off now", set()),
        ("i used to drive past his house when we were together just to surprise him", set()),
        ("i deleted the fake account i'd made to look at his private stories", set()),
        ("i made a fake account to look at his private stories", {"harassment_risk"}),
        ("thinking about jumping ship to the leeds office tbh", set()),
        # the writer's own acts after the breakup, and what they are not
        ("i scratched 'liar' into her car door with my keys", {"harassment_risk"}),
        ("i let myself into his flat with the key i never gave back", {"harassment_risk"}),
        ("i put the old airtag in the lining of the bag i gave him back", {"harassment_risk"}),
        ("we agreed to put an airtag in our son's school bag, we can both see it", set()),
        ("found an airtag in the lining of my bag after he left", {"abuse"}),
        ("i guessed his snapchat password and read his chats every night", {"harassment_risk"}),
        ("downloaded an app that shows when she's online on whatsapp", {"harassment_risk"}),
        ("new sim. she can't block this one yet", {"harassment_risk"}),
        # the ex's threats and control, and the writer's own low self-talk
        ("every time i said i was leaving he said he'd hurt himself", {"abuse"}),
        ("he told me he'd take our son abroad and i'd never see him again", {"abuse"}),
        ("he pinned me down on the bed and put his hand over my mouth", {"abuse"}),
        ("he'd say nobody else would ever want me", {"abuse"}),
        ("nobody will ever love me again, i'm such a mess", set()),
        ("he still lets himself in. we split in march", {"abuse"}),
        ("he hit me with a belt when i came home late", {"abuse"}),
        ("hit me with your best shot, life. cereal for dinner", set()),
        ("she held my arm so hard it bruised", {"abuse"}),
        ("she held my arm during our son's graduation and we both cried", set()),
        ("my friend took my phone off me before i could text him", set()),
        ("broke up last week. today he texted me a photo of my front door", {"abuse"}),
        ("she keeps making new accounts to follow me after i block her", {"abuse"}),
        ("he'd tell me when to eat and when to shower", {"abuse"}),
        ("i left her one star reviews from four different accounts", {"harassment_risk"}),
        ("asked our old neighbour to text me when her car's in the drive", {"harassment_risk"}),
        ("i comment on every single post with a heart so she knows i still care", {"harassment_risk"}),
        ("wanted to comment on every photo he posted with her. didn't comment on one", set()),
        ("i sat at gate 14 and watched the planes for an hour", set()),
        ("i keep going to the pub where he drinks on fridays", {"harassment_risk"}),
        ("we shared a house and he'd padlock the fridge", {"abuse"}),
        ("he texts me eighty, ninety times a day since the separation", {"abuse"}),
        ("last diwali he did not allow me to visit my own mother", {"abuse"}),
        # crisis told through what it leaves or what is being tidied away, and the same words
        # in everyday life
        ("scratched my thighs till they bled again and just sat there", {"crisis"}),
        ("my legs are all scratched till they bled from the brambles on the hike", set()),
        ("sorted out my own funeral plan today so my sister won't have to", {"crisis"}),
        ("helped nan choose her funeral plan today, she picked abba for the end", set()),
        ("the best thing i can do for everyone is take myself out of it for good", {"crisis"}),
        ("going to take myself out for dinner on friday, solo date", set()),
        ("wiped my laptop so nobody has to go through my stuff", {"crisis"}),
        # abuse and harassment a keyword list missed in realistic text, and their everyday twins
        ("he would choke me when we argued and then act like nothing happened", {"abuse"}),
        ("he'd check the miles on my car after every shift", {"abuse"}),
        ("checked the mileage on the car before i sold it, the buyer was happy", set()),
        ("she kept saying my friends didn't actually like me, so i stopped seeing them", {"abuse"}),
        ("i got him sacked by phoning his manager with lies", {"abuse"}),
        ("been driving round her estate at night trying to see which flat is hers", {"harassment_risk"}),
        ("got my cousin to follow her on insta so i can see what she posts", {"harassment_risk"}),
        ("signed up for the same yoga class as her so she has to see me", {"harassment_risk"}),
        ("she told me to leave her alone on monday. i sent two voice notes since", {"harassment_risk"}),
        ("she liked every photo i've been tagged in going back years", set()),
        ("he was so controlling about the thermostat, now it's 23 degrees all winter", set()),
        ("she punched the air when i passed my driving test", set()),
        ("parked down the road from his flat to see who he brings home", {"harassment_risk"}),
        ("parked outside his flat to drop the kids' bags off, he took them in", set()),
        ("set up a new insta under a fake name so i can see her stories", {"harassment_risk"}),
        ("left another bouquet on her doorstep this morning", {"harassment_risk"}),
        ("left another note on the fridge for my flatmate about the bins", set()),
        ("i kept the spare key and i let myself in on tuesday", {"harassment_risk"}),
        ("saw you go in to the gym at 6:15, you looked well", {"harassment_risk"}),
        ("he'd remind me the rifle was in the hall cupboard whenever i brought up leaving", {"abuse"}),
        ("she threw plates near me, never at me, so she could say she never touched me", {"abuse"}),
        ("he hid the truck keys and unplugged the landline so i couldn't go to my sister's", {"abuse"}),
        ("she used to delete the texts from my bandmates before i saw them", {"abuse"}),
        ("i threw the ball near the dog and she went mad for it", set()),
        # losing at a game, a fear that has passed, an animal on the road, an app for oneself
        ("she could absolutely beat me at arm wrestling. miss her", set()),
        ("he beat me when he was drunk", {"abuse"}),
        ("went to the cinema alone tonight. that's new. it used to scare me", set()),
        ("he used to scare me on purpose, punching the wall by my head", {"abuse"}),
        ("he would punch the wall, which used to scare me", {"abuse"}),
        ("kiri found the dog she was scared she'd hit on the road last week, he's fine", set()),
        ("he hit me on the road outside the pub", {"abuse"}),
        ("thanks for the mood tracker app but my mood is cold pizza in the bath", set()),
        ("i put a tracker app on her phone before she left", {"abuse", "harassment_risk"}),
        ("i checked her period tracker app to see if she was seeing someone", {"harassment_risk"}),
    ],
)
def test_the_broader_phrase_families_and_their_exceptions(text: str, flags: set[str]) -> None:
    assert {f.value for f in screen(text).flags} == flags


def test_crisis_comes_first() -> None:
    result = screen("he broke my phone when i tried to leave. i don't want to be here anymore")
    assert next(f.value for f in result.flags) == "crisis"
    assert set(result.flags) == {Flag.CRISIS, Flag.ABUSE}


def test_harm_the_writer_caused_gets_help_to_stop() -> None:
    result = screen("i shoved her against the wall once and i hate myself for it")
    assert result.flags == [Flag.ABUSE] and result.writer_caused_harm
    lines = help_for_flags(load(), ["abuse"], "GB", writer_caused_harm=True)
    assert lines and {r.kind for r in lines} == {"using_harm"}
    victims = help_for_flags(load(), ["abuse"], "GB", writer_caused_harm=False)
    assert {r.kind for r in victims} == {"abuse"}


@pytest.mark.parametrize(
    "text",
    [
        "i punched the wardrobe door beside her head",  # a second group of the writer's own harm
        "i told her if she left i'd jump off the car park, so she stayed",
        "i controlled what she ate and weighed her portions",
        "i threw a mug at him when i found the texts",
        "i'd ring his manager to check what time the work do ended",
    ],
)
def test_every_group_of_the_writers_own_harm_counts_as_theirs(text: str) -> None:
    result = screen(text)
    assert Flag.ABUSE in result.flags and result.writer_caused_harm


PHONE = re.compile(r"^[0-9][0-9 \-]*[0-9]$")


def test_every_resource_entry_is_well_formed() -> None:
    data = load()
    assert set(data["regions"]) >= {"US", "GB", "IE", "CA", "AU", "NZ", "INTL"}
    ids: set[str] = set()
    for region, entry in data["regions"].items():
        assert region == "INTL" or pycountry.countries.get(alpha_2=region) is not None, region
        for kind in ("crisis", "abuse", "using_harm"):
            for item in entry.get(kind, []):
                assert item["id"] not in ids, item["id"]
                ids.add(item["id"])
                assert item["name"] and item["source"].startswith(("https://", "http://"))
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["verified_on"])
                assert item.get("phone") or item.get("text") or item.get("url"), item["id"]
                if item.get("phone"):
                    assert PHONE.match(item["phone"]), item["phone"]


def run(data: Path, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(data), *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def test_the_screen_command_is_stateless_with_region_resources(tmp_path: Path) -> None:
    data = tmp_path / "empty"
    code, out, _ = run(data, "screen", "--json", "i don't want to be alive anymore")
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"id", "flags", "matches", "resources"}
    assert result["flags"] == ["crisis"]
    assert {r["region"] for r in result["resources"]} == {"US", "INTL"}
    assert all(r["verified_on"] and r["source"] for r in result["resources"])
    code, out, _ = run(data, "screen", "--region", "AU", "--json", "i don't want to be alive anymore")
    assert {r["region"] for r in json.loads(out)["resources"]} == {"AU"}
    assert not data.exists() or not any(data.iterdir())


def test_a_clean_screen_still_keeps_a_crisis_line_in_view(tmp_path: Path) -> None:
    """The screen misses some crisis said without its words, so a clean result says so and keeps
    the region's first crisis line in reach; the contract's JSON stays as it was."""
    code, out, _ = run(tmp_path, "screen", "--region", "GB", "had a quiet day, walked the dog")
    assert code == 0
    assert "Nothing here needs a safety note" in out
    assert "can miss things" in out and "Samaritans" in out and "116 123" in out
    code, out, _ = run(tmp_path, "screen", "had a quiet day, walked the dog")
    assert "988" in out
    code, out, _ = run(tmp_path, "screen", "--json", "had a quiet day, walked the dog")
    assert json.loads(out) == {"id": None, "flags": [], "matches": [], "resources": []}


def test_a_batch_screen_reports_bad_lines_and_keeps_going(tmp_path: Path) -> None:
    rows = "\n".join(
        [
            json.dumps({"id": 1, "text": "i drove past her work again"}),
            json.dumps({"id": 2, "text": "\u0007"}),
            json.dumps({"id": 3, "text": "👨‍👩‍👧 movie night with the kids was lovely"}),
        ]
    )
    code, out, _ = run(tmp_path, "screen", "--jsonl", "-", input=rows)
    assert code == 1
    results = [json.loads(line) for line in out.splitlines()]
    assert results[0]["flags"] == ["harassment_risk"]
    assert "control character" in results[1]["error"]
    assert results[2]["flags"] == []


def start(tmp_path: Path) -> None:
    run(tmp_path, "--now", "2026-11-01T20:00", "start", "--answers", str(EXAMPLE))


def status(tmp_path: Path, now: str) -> dict[str, object]:
    code, out, _ = run(tmp_path, "--now", now, "status", "--json")
    assert code == 0
    result: dict[str, object] = json.loads(out)
    return result


def test_abuse_in_a_journal_entry_moves_to_safety_and_can_be_reviewed(tmp_path: Path) -> None:
    start(tmp_path)
    code, out, _ = run(
        tmp_path,
        "--now",
        "2026-11-02T23:00",
        "log",
        "journal",
        "--text",
        "i keep thinking about how he checked my phone every night and wouldnt let me see my sister",
    )
    assert code == 0 and "safety" in out
    assert (status(tmp_path, "2026-11-03")["track"], status(tmp_path, "2026-11-03")["phase"]) == (
        "safety",
        "safety",
    )
    run(tmp_path, "--now", "2026-11-03T12:00", "log", "screen_review", "--outcome", "misread")
    assert status(tmp_path, "2026-11-03T13:00")["track"] == "reconcile"


def test_harassment_risk_holds_coaching_until_stopped_and_thirty_days(tmp_path: Path) -> None:
    start(tmp_path)
    run(tmp_path, "--now", "2026-11-02T23:00", "log", "urge", "--note", "drove past her place twice tonight")
    held = status(tmp_path, "2026-11-03")
    assert held["next_step"]["code"] == "stop_harassment"  # type: ignore[index]
    assert status(tmp_path, "2026-12-20")["next_step"]["code"] == "stop_harassment"  # type: ignore[index]
    run(tmp_path, "--now", "2026-11-05T10:00", "log", "harassment_stopped")
    assert status(tmp_path, "2026-11-20")["next_step"]["code"] == "stay_stopped"  # type: ignore[index]
    released = status(tmp_path, "2026-12-02T10:00")
    assert released["next_step"]["code"] != "stop_harassment"  # type: ignore[index]
    assert released["harassment_hold"] is None


def test_crisis_in_a_note_shows_help_and_blocks_nothing(tmp_path: Path) -> None:
    start(tmp_path)
    code, out, _ = run(
        tmp_path,
        "--now",
        "2026-11-02T03:00",
        "log",
        "checkin",
        "--mood",
        "1",
        "--urge",
        "9",
        "--note",
        "i just want to sleep and not wake up",
    )
    assert code == 0
    assert "988" in out
    assert status(tmp_path, "2026-11-02T04:00")["last_checkin"]["mood"] == 1  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "crisis"),
    [
        # a denial beside ordinary life: the rest of the text is not crisis
        (
            "my therapist asked if i ever think about ending it and honestly, no. "
            "work is just long and the flat is cold",
            False,
        ),
        # the same denial beside a real crisis sentence: the rest still is
        (
            "my therapist asked if i ever think about ending it and honestly, no. "
            "but lately i keep thinking everyone would be better off if i wasnt here",
            True,
        ),
        (
            "lol this breakup is killing me. i have nothing left to live for and i've given my things away",
            True,
        ),
    ],
)
def test_a_denial_or_joke_does_not_hide_crisis_said_elsewhere_in_the_text(text: str, crisis: bool) -> None:
    from olivebranch.safety_screen import screen_text

    assert (Flag.CRISIS in screen_text(text).flags) is crisis


LONG_LIST = (
    "list for the weekend so i dont forget: return the library books (two are overdue), pick up the dry "
    "cleaning before noon, buy bin bags, oat milk, eggs, rice, the good coffee, batteries for the smoke "
    "alarm. call the letting agent about the boiler service, they said tuesday or wednesday morning. book "
    "the car in for its mot, the garage on mill road is cheapest. renew the bus pass online. send aunty "
    "grace a card for her 70th, her address is in the green notebook. water the tomatoes on the balcony "
    "every evening. finish the spreadsheet for work by monday and email it to dev. "
)


def test_crisis_after_the_first_128_tokens_of_a_long_entry_is_found_in_its_window() -> None:
    from olivebranch.safety.learned import ScreenDetector, default_screen_detector
    from olivebranch.safety_screen import screen_text

    text = (
        LONG_LIST
        + "i've stopped seeing the point of being here at all and i think this week is the week i end it"
    )
    assert not screen(text).flags  # no crisis phrase: only the model can find it
    result = screen_text(text)
    assert Flag.CRISIS in result.flags
    match = next(m for m in result.matches if m.flag is Flag.CRISIS)
    assert match.start > 0 and match.end == len(text)  # the window that holds the last sentence
    # the same list ending in an errand is not flagged
    assert not screen_text(LONG_LIST + "and sort out the recycling, the blue bin goes out on thursday.").flags
    # read as a whole only, the encoder stops before the last sentence and misses it
    detector = default_screen_detector()
    assert detector is not None and detector.window_stride > 0
    whole_only = ScreenDetector(detector.encoder, detector.head, detector.sentences, 0)
    assert Flag.CRISIS not in screen(text, [whole_only]).flags
