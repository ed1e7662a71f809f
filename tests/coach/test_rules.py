"""Examples for every checker rule, proselint style.

One table per code: messages that must get the code and hard negatives that
must not (idioms, other senses of the words, negations, a single apology,
logistics in no contact), each with a stage where the code applies. One shared
parametrised test runs every table. A trigger names the words a phrase finding
must cover; whole-message codes have none and span the whole draft.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from olivebranch.coach.checker import check
from olivebranch.coach.findings import CODES, Verdict
from olivebranch.coach.stages import Stage, applies

NC = Stage.NO_CONTACT
FC = Stage.FIRST_CONTACT
FU = Stage.FOLLOW_UP
RB = Stage.REBUILDING
CV = Stage.CONVERSATION

WHOLE_MESSAGE = frozenset({"too_long", "no_contact_breach", "generic", "say_in_person"})


@dataclass(frozen=True)
class Examples:
    code: str
    #: (stage, text, trigger); the trigger is None for whole-message codes.
    flagged: tuple[tuple[Stage, str, str | None], ...]
    clean: tuple[tuple[Stage, str], ...]


TOO_LONG = Examples(
    "too_long",
    flagged=(
        (FC, "hey! saw ur band is playing the bowery in june. thats huge congrats", None),
        (FU, "lol ok fair. the dog says hi btw. he ate a sock again", None),
        (
            FC,
            "hey so i was walking past that ramen place on 5th today and they finally reopened "
            "after the fire and i swear the line was around the block and i thought of u because "
            "u always said their broth was the best in the city",
            None,
        ),
        (FU, "haha yes!! the pics came out great. ur sister looked so happy", None),
        (
            RB,
            "ok so update on the great balcony tomato experiment: the squirrels found them. i "
            "put up a little net like the guy at the garden center said, and this morning one of "
            "them was just sitting INSIDE the net eating a tomato like he paid rent lol. i have "
            "video. honestly kind of respect him at this point. anyway hows the new apartment, "
            "did u ever get the radiator fixed or are u still living in a sauna over there lol",
            None,
        ),
        (FC, "Hi. Hope the move went okay. The cat seems fine here.", None),
        (FU, "wait... what?! ok that is wild", None),
        (
            RB,
            "went to the climbing gym for the first time since march and my forearms are "
            "completely destroyed, i could barely hold my coffee this morning lol. the new "
            "bouldering wall is so good tho, they redid the whole back room and theres a purple "
            "route everyone is stuck on. i got like halfway and fell on my butt in front of a "
            "bunch of teenagers. humbling. anyway u should try it sometime, they have a free day on "
            "the first sunday of every month and the guy at the desk is super nice about rentals",
            None,
        ),
    ),
    clean=(
        (
            FC,
            "saw ur band is playing the bowery in june. thats huge",
        ),
        (
            FU,
            "lol ok fair. the dog says hi btw",
        ),
        (FC, "hi... saw the game last night, that last goal tho"),
        (FU, "the 3.5 mile loop was closed today?? wild"),
        (RB, "haha yes!! the pics came out great. ur sister looked so happy. what a day. cheers"),
        (FC, "omg.the new season dropped!!go watch it"),
        (FU, "thanks for the recipe, the soup turned out amazing"),
        (RB, "ok. so. the squirrel is back. he brought friends. send help lol"),
    ),
)

RELATIONSHIP_TALK = Examples(
    "relationship_talk",
    flagged=(
        (FC, "can we talk about us", "about us"),
        (FU, "i respect the space u asked for, just wanted to say that", "respect the space"),
        (RB, "its been 45 days and idk what im doing", "its been 45 days"),
        (FU, "i keep thinking about what went wrong tbh", "what went wrong"),
        (RB, "do u ever think about us getting back together", "back together"),
        (FC, "since the breakup ive started running every morning lol", "the breakup"),
        (NC, "we were so good together 😔", "good together"),
        (FU, "i know we said no contact but i saw a dog that looked just like pepper", "no contact"),
        (RB, "is there any way we could give it another shot?", "another shot"),
    ),
    clean=(
        (RB, "you left the oven light on, not a big deal, just fyi"),
        (RB, "we should get the old trivia team back together sometime, if you're up for it"),
        (FC, "it's been 62 days since i started running, 5k without stopping today!"),
        (FC, "can we talk about the lease renewal next week"),
        (FU, "are u still coming to the bbq? mom asked about us all driving up together"),
        (RB, "found ur no-contact lenses in the bathroom drawer lol"),
        (FU, "sorry for the late reply, work has been nuts"),
        (FC, "our old landlord finally sent the deposit back!!"),
        (RB, "its been a long week honestly, how was the conference"),
        (FC, "saw the band is back on tour, the new album slaps"),
        (RB, "ok we should make the fantasy league a thing again this year"),
        (RB, "we should get the band back together lol"),
        (NC, "whats the split on the water bill this month"),
    ),
)

NEEDINESS = Examples(
    "neediness",
    flagged=(
        (FU, "i miss u so much its stupid", "miss u"),
        (RB, "cant stop thinking about you tbh", "thinking about you"),
        (FC, "honestly im lost without u 😔", "lost without u"),
        (FU, "the apartment is so quiet now", "apartment is so quiet"),
        (RB, "i still sleep on my side of the bed lmao", "sleep on my side"),
        (FU, "i need u back", "need u"),
        (NC, "i'm nothing without you", "nothing without you"),
        (RB, "been crying all week ngl", "crying"),
        (FC, "missing ur dumb jokes today", "missing ur dumb jokes"),
        (FU, "ur reply made my whole week", "reply made my whole week"),
        (RB, "i forgot how much i missed just being near you", "forgot how much i missed"),
    ),
    clean=(
        (RB, "the tomatoes you planted in the shared garden are going crazy, want some?"),
        (RB, "i keep reaching for my phone to check the score, this game is stressing me out"),
        (FU, "missed my train lol gonna be 10 min late"),
        (RB, "omg i missed the bus again 🙄"),
        (FC, "thinking of you, good luck this week with the bar exam!!"),
        (RB, "sorry i missed your call, was in the shower"),
        (NC, "do u need anything from the store for the dog?"),
        (NC, "need you to sign the lease renewal by friday"),
        (FU, "dont miss the fireworks tonight, theyre supposed to be huge"),
        (CV, "haha we all miss u at book club, the new host is so boring"),
    ),
)

PLEADING = Examples(
    "pleading",
    flagged=(
        (FU, "please just give me one more chance", "one more chance"),
        (RB, "im begging u pls", "begging u"),
        (FC, "i'll do anything to fix this", "do anything"),
        (FU, "ive really changed i swear", "changed"),
        (RB, "take me back, i mean it", "take me back"),
        (CV, "dont give up on us yet", "give up on us"),
        (FU, "pls forgive me, i cant do this", "forgive me"),
        (RB, "i promise things will be different this time", "different"),
        (FU, "ive changed a lot since then, i promise", "changed"),
        (RB, "pls come back 🥺", "come back"),
    ),
    clean=(
        (FU, "please just give me one more week with the car, mine's still in the shop"),
        (CV, "just give me a sec, finding the parking"),
        (FU, "pls send the cable bill when u get a sec"),
        (NC, "i changed the wifi password, its on the fridge"),
        (RB, "the dog will literally do anything for cheese lol"),
        (NC, "please let me know when you want to pick up the couch"),
        (FC, "no worries if not, take your time"),
        (CV, "one more thing, the vet said he needs his shots next month"),
        (FU, "omg the new season is so good, i begged my sister to watch it"),
        (RB, "honestly ur right, lets just do thursday"),
        (RB, "ive changed my number btw, this is the new one"),
        (NC, "when do u come back from the conference? i need the car saturday"),
    ),
)

OVER_APOLOGY = Examples(
    "over_apology",
    flagged=(
        (FU, "im so sorry. i'm sorry for everything", "sorry"),
        (RB, "sorry sorry sorry i know i messed up", "sorry"),
        (NC, "i apologize for last night, and sorry again for the texts", "apologize"),
        (FC, "sorry, i'm a terrible person", "terrible person"),
        (FU, "i hate myself for what i did", "hate myself"),
        (CV, "my bad about the keys. really sorry i keep doing this", "my bad"),
        (RB, "i dont deserve you", "deserve you"),
        (FU, "forgive me. i was so wrong", "i was so wrong"),
    ),
    clean=(
        (FU, "sorry for the late reply!"),
        (RB, "so sorry to hear about your grandma ❤️"),
        (CV, "sorry im late, traffic was insane"),
        (NC, "sorry about the mess in the garage, ill clear it out saturday"),
        (CV, "my bad, wrong chat lol"),
        (FU, "no need to apologize!! its all good"),
        (RB, "the sorry state of this kitchen tho 😂"),
        (NC, "sorry to bother, when is biscuit's vet appt?"),
    ),
)

ULTIMATUM = Examples(
    "ultimatum",
    flagged=(
        (FU, "answer me by tonight or im done", "or im done"),
        (RB, "if u dont call me back today we're over", "if u dont"),
        (CV, "you'll regret this", "regret"),
        (FU, "last chance. text me back or i'm blocking u", "last chance"),
        (RB, "now or never, ur choice", "now or never"),
        (NC, "pick up your stuff by sunday or it all goes in the dumpster", "or it all goes"),
        (CV, "ignore me one more time and i'm gone", "one more time"),
        (FC, "you have 24 hours to decide", "24 hours"),
        (RB, "block him on insta or this stops right now", "or this stops"),
        (FU, "ill just keep showing up at the gym till you talk to me", "keep showing up"),
    ),
    clean=(
        (FU, "last chance to grab tickets for the show btw, they sell out fast"),
        (NC, "if u cant make it saturday ill keep the box here til next week"),
        (RB, "no rush, take all the time you need"),
        (CV, "if you're free friday the dog park has a meetup"),
        (FU, "im done with the crossword finally 😤"),
        (CV, "either way is fine with me, thursday or friday"),
        (RB, "still regret not getting the fries lol"),
        (CV, "game's over, we lost 3-1 lol"),
        (RB, "ill keep coming to the pub quiz, it's my team too"),
    ),
)

PRESSURE = Examples(
    "pressure",
    flagged=(
        (FU, "answer me", "answer me"),
        (RB, "why arent u replying", "replying"),
        (FC, "call me pls", "call me"),
        (FU, "we need to talk", "need to talk"),
        (FC, "hey, can we talk?", "can we talk"),
        (RB, "did u get my text??", "get my text"),
        (FU, "i need to tell you something", "tell you something"),
        (FC, "no pressure but let me know either way", "let me know either way"),
        (CV, "r u ignoring me", "ignoring me"),
        (NC, "answer me about the deposit today", "answer me"),
        (FU, "just bumping this", "bumping this"),
        (CV, "reply properly this time", "reply properly"),
    ),
    clean=(
        (FU, "no pressure to reply at all, just saw this and laughed"),
        (FC, "would love to catch up sometime if you're up for it"),
        (NC, "no rush to respond, just fyi the package came"),
        (CV, "can we talk?"),
        (NC, "can u text me when the package gets there"),
        (RB, "my boss wants me to call her back lol"),
        (NC, "text me the address when u get a sec"),
        (FU, "hope ur talk went well today!"),
        (RB, "i need to talk to my landlord about the leak, ugh"),
        (CV, "give me a day and i'll answer properly"),
    ),
)

GUILT_TRIP = Examples(
    "guilt_trip",
    flagged=(
        (FU, "after everything i did for u", "after everything"),
        (RB, "hope ur happy now", "hope ur happy"),
        (CV, "you ruined my life", "ruined my life"),
        (FC, "guess ur doing great without me", "doing great"),
        (RB, "must be nice to just move on like that", "must be nice"),
        (FU, "not that you care but i got the job", "not that you care"),
        (CV, "i guess i meant nothing to you", "meant nothing"),
        (RB, "its all your fault and u know it", "your fault"),
        (FU, "wow so im not even worth a reply anymore", "worth a reply"),
        (RB, "glad ur doing great without me", "without me"),
        (NC, "keys are under the mat. hope she's worth it", "hope she's worth it"),
        (FU, "you replied to her story but not my message", "story but not my message"),
    ),
    clean=(
        (FU, "hope youre having fun at the concert!!"),
        (RB, "hope u have a good trip, send pics of the mountains"),
        (CV, "after all these years i still laugh at that video"),
        (FC, "because of you i finally tried sushi lol"),
        (NC, "after the game can u grab the drill from the garage"),
        (CV, "how could u not love this dog 😍"),
        (RB, "my fault, i forgot to lock the car"),
        (FU, "so glad the new job is going well, u deserve it"),
        (FU, "so glad ur doing good!! 😊"),
    ),
)

HOSTILE = Examples(
    "hostile",
    flagged=(
        (FU, "ur pathetic", "pathetic"),
        (CV, "fuck you", "fuck you"),
        (RB, "i hate u", "hate u"),
        (FC, "congrats on ruining everything 👏", "congrats on ruining"),
        (CV, "wow so mature 🙄", "so mature"),
        (FU, "youre a liar and a coward", "a liar"),
        (RB, "have fun with your little rebound lol", "your little"),
        (CV, "nobody will ever love you", "love you"),
        (NC, "enjoy being alone 🤡", "being alone"),
        (RB, "you were always so boring", "always so boring"),
        (CV, "nice jacket. did ur mum pick it", "did ur mum pick"),
    ),
    clean=(
        (CV, "ok that's hilarious, i'm dying 💀"),
        (RB, "you absolute legend, you found my earring!!"),
        (FU, "that movie killed me 😂"),
        (RB, "shut up thats amazing, congrats on the job!!"),
        (CV, "i felt like an idiot at the dmv lol"),
        (CV, "ur crazy lol 😂"),
        (RB, "i hate mondays so much"),
        (FU, "the traffic was insane today"),
        (CV, "that set was sick, the drummer went off"),
        (RB, "karaoke was a disaster, i sounded like a dying goat"),
        (RB, "you were so good at that game, i was always losing"),
    ),
)

JEALOUSY_PLAY = Examples(
    "jealousy_play",
    flagged=(
        (FU, "went on a date last night btw", "went on a date"),
        (RB, "someone asked me out at work lol", "asked me out"),
        (FC, "back on hinge and its wild out there", "on hinge"),
        (CV, "my new boyfriend loves that band too", "my new boyfriend"),
        (FU, "this guy at the gym keeps flirting with me 🙄", "flirting with me"),
        (RB, "got so many matches this week haha", "so many matches"),
        (CV, "he treats me so much better fyi", "treats me so much better"),
        (NC, "a coworker gave me his number today", "gave me his number"),
        (RB, "this guy from work keeps asking me out lol", "keeps asking me out"),
    ),
    clean=(
        (NC, "whats the date for the move out inspection"),
        (CV, "save the date is on the fridge, did u rsvp"),
        (RB, "is my passport up to date do u know"),
        (FU, "date night with the girls tonight, finally"),
        (CV, "my sister is seeing a new dentist, she loves him"),
        (NC, "the kids had a playdate with the neighbors, pickup is at 5"),
        (NC, "i updated the dates on the custody calendar"),
        (RB, "started seeing a therapist, its helping a lot actually"),
        (RB, "lol my coworker keeps asking me about fantasy football"),
    ),
)

CRISIS = Examples(
    "crisis",
    flagged=(
        (FU, "i dont want to be alive anymore", "want to be alive"),
        (RB, "thinking about ending it tonight", "ending it"),
        (CV, "i want to die", "want to die"),
        (NC, "been cutting again", "cutting again"),
        (FC, "everyone would be better off without me", "better off without me"),
        (FU, "i can't live without you", "live without you"),
        (RB, "if you dont come back im going to kill myself", "kill myself"),
        (CV, "i have the pills in my hand rn", "pills in my hand"),
        (NC, "kms", "kms"),
    ),
    clean=(
        (FU, "this week is killing me lol"),
        (RB, "i'd die for a coffee rn"),
        (CV, "that movie killed me 😂"),
        (CV, "lol im dead 💀"),
        (NC, "the car battery died again, can u send me the mechanic's number"),
        (RB, "ur killing it at work lately"),
        (FU, "i'm nothing without you"),
        (CV, "im not suicidal or anything, just tired of this job lol"),
    ),
)

NO_CONTACT_BREACH = Examples(
    "no_contact_breach",
    flagged=(
        (NC, "happy birthday 🎂", None),
        (NC, "how are you doing", None),
        (NC, "can i grab my bike saturday? miss you btw", None),
        (NC, "remember when we got lost in porto lol", None),
        (NC, "u looked good at the concert", None),
        (NC, "hope the new job is going well", None),
        (NC, "hey", None),
        (NC, "thinking of u today", None),
        (NC, "guess ur doing great without me", None),
    ),
    clean=(
        (NC, "can i grab my bike saturday?"),
        (NC, "rent is due friday, i sent my half"),
        (NC, "vet says biscuit needs his shots, can u take him tues"),
        (NC, "👨\u200d👩\u200d👧 soccer pickup is at 4 saturday"),
        (NC, "answer me about the deposit today"),
        (NC, "pick up your stuff by sunday or it all goes in the dumpster"),
        (NC, "sorry, can u forward my mail to the new address"),
        (NC, "the landlord wants the keys back by the 30th"),
        (NC, "whats the split on the water bill this month"),
    ),
)

GRAND_GESTURE = Examples(
    "grand_gesture",
    flagged=(
        (FU, "i still love you", "love you"),
        (RB, "ur the love of my life", "love of my life"),
        (FC, "im outside ur place rn", "outside ur place"),
        (FU, "i bought u tickets to see them in may", "bought u tickets"),
        (RB, "booked us a cabin for the weekend, surprise", "booked us"),
        (NC, "wrote u a letter, its 6 pages", "wrote u a letter"),
        (FU, "sent flowers to ur office today", "flowers"),
        (RB, "i want to spend the rest of my life with u", "spend the rest of my life"),
    ),
    clean=(
        (RB, "i love u guys, best roommates ever"),
        (FU, "i love this song so much"),
        (NC, "can i swing by saturday to grab my bike"),
        (NC, "left your keys with the neighbor downstairs"),
        (FC, "love the new haircut btw"),
        (RB, "id love to see the pics from the trip"),
        (NC, "dropping the boxes off at 5"),
        (FU, "the surprise party for dad is at 7, dont tell him lol"),
    ),
)

GENERIC = Examples(
    "generic",
    flagged=(
        (FC, "hey", None),
        (FC, "hi how are you", None),
        (FC, "hope you're well", None),
        (FC, "heyyy how r u", None),
        (FC, "hey! long time no talk", None),
        (FC, "hi :) hope all is well", None),
        (FC, "just wanted to say hi", None),
        (FC, "hey hope ur doing ok", None),
        (FC, "how have you been?", None),
    ),
    clean=(
        (FC, "hey! saw a corgi in a tiny raincoat and thought of u"),
        (FC, "hi, ur sisters wedding pics came out so good"),
        (FC, "hey hope the new job is going well"),
        (FC, "happy birthday!! hope its a good one"),
        (FC, "yo the mets actually won lol"),
        (FC, "hey, finished that book u recommended, the ending wrecked me"),
        (FC, "hi! is the taco truck still parked by ur office"),
        (FC, "hey, how did the marathon go?"),
    ),
)

SPEECH = " ".join(["i have thought a lot about what changed and what i want."] * 10)
SAY_IN_PERSON = Examples(
    "say_in_person",
    flagged=tuple(
        (Stage.CONVERSATION, f"{opening} {SPEECH}", None)
        for opening in (
            "ok so.",
            "before we meet i wanted to write this down.",
            "i know this is long.",
            "please read all of this.",
            "here goes.",
            "i made notes so i dont forget anything.",
            "this is everything i wanted to say.",
            "sorry in advance for the essay.",
        )
    ),
    clean=(
        (Stage.CONVERSATION, SPEECH),  # exactly 120 words
        (Stage.CONVERSATION, "can we talk about this in person on sunday?"),
        (Stage.CONVERSATION, "i hear you. i think we both want the same thing, slowly."),
        (Stage.CONVERSATION, "that hike was great, same time next week?"),
        (Stage.CONVERSATION, "thank you for being honest with me tonight"),
        (Stage.CONVERSATION, "i'd like that. coffee saturday?"),
        (Stage.CONVERSATION, "i've changed how i handle stress, and i want to show you, not tell you"),
        (Stage.CONVERSATION, "let's talk when we're both rested"),
    ),
)

TABLES = (
    SAY_IN_PERSON,
    TOO_LONG,
    RELATIONSHIP_TALK,
    NEEDINESS,
    PLEADING,
    OVER_APOLOGY,
    ULTIMATUM,
    PRESSURE,
    GUILT_TRIP,
    HOSTILE,
    JEALOUSY_PLAY,
    CRISIS,
    NO_CONTACT_BREACH,
    GRAND_GESTURE,
    GENERIC,
)

FLAGGED = [
    pytest.param(t.code, stage, text, trigger, id=f"{t.code}-{i}")
    for t in TABLES
    for i, (stage, text, trigger) in enumerate(t.flagged)
]
CLEAN = [
    pytest.param(t.code, stage, text, id=f"{t.code}-{i}")
    for t in TABLES
    for i, (stage, text) in enumerate(t.clean)
]


def test_every_code_has_a_table_of_enough_examples() -> None:
    assert sorted(t.code for t in TABLES) == sorted(CODES)
    for table in TABLES:
        assert len(table.flagged) >= 8, table.code
        assert len(table.clean) >= 8, table.code


@pytest.mark.parametrize(("code", "stage", "text", "trigger"), FLAGGED)
def test_flagged(code: str, stage: Stage, text: str, trigger: str | None) -> None:
    assert applies(code, stage)
    result = check(text, stage)
    assert code in result.codes
    ours = [f for f in result.findings if f.code == code]
    for f in ours:
        assert 0 <= f.start < f.end <= len(text)
    if code in WHOLE_MESSAGE:
        assert [(f.start, f.end) for f in ours] == [(0, len(text))]
        return
    assert trigger is not None
    at = text.lower().index(trigger.lower())
    assert any(f.start <= at and at + len(trigger) <= f.end for f in ours), [
        text[f.start : f.end] for f in ours
    ]


@pytest.mark.parametrize(("code", "stage", "text"), CLEAN)
def test_clean(code: str, stage: Stage, text: str) -> None:
    assert applies(code, stage)
    result = check(text, stage)
    assert code not in result.codes, [text[f.start : f.end] for f in result.findings if f.code == code]


# The boundaries the guide draws between codes: (stage, text, must have, must not have).
BOUNDARIES = [
    pytest.param(FC, "hey, can we talk?", {"pressure"}, {"relationship_talk"}, id="bare-ask-to-talk"),
    pytest.param(FU, "can we talk about us", {"pressure", "relationship_talk"}, set(), id="talk-about-us"),
    pytest.param(
        RB,
        "if you leave me for good ill kill myself",
        {"crisis"},
        {"ultimatum"},
        id="threat-to-self-is-crisis",
    ),
    pytest.param(
        FU,
        "answer me tonight or i swear ill hurt myself",
        {"crisis"},
        {"ultimatum"},
        id="threat-to-self-with-deadline",
    ),
    pytest.param(FU, "i can't live without you", {"crisis", "neediness"}, set(), id="cant-live-without"),
    pytest.param(RB, "honestly i'd die without u", {"crisis", "neediness"}, set(), id="die-without"),
    pytest.param(FU, "i wont survive without you", {"crisis", "neediness"}, set(), id="wont-survive-without"),
    pytest.param(FU, "i'm nothing without you", {"neediness"}, {"crisis"}, id="nothing-without"),
    pytest.param(
        RB, "wow congrats on replacing me in a week, so classy", {"hostile"}, set(), id="sarcasm-mocking"
    ),
    pytest.param(
        FU, "guess im just not worth a text back", {"guilt_trip"}, {"hostile"}, id="sarcasm-self-pity"
    ),
    pytest.param(NC, "can i grab my bike saturday?", set(), {"no_contact_breach", "neediness"}, id="nc-bike"),
    pytest.param(
        NC,
        "can i grab my bike saturday? miss you btw",
        {"no_contact_breach", "neediness"},
        set(),
        id="nc-bike-miss-you",
    ),
    pytest.param(
        NC,
        "answer me about the deposit today",
        {"pressure"},
        {"no_contact_breach"},
        id="nc-logistics-pressure",
    ),
    pytest.param(NC, "happy birthday!! 🎉", {"no_contact_breach"}, set(), id="nc-birthday"),
    # veiled jabs, and the same messages without the jab
    pytest.param(
        FC,
        "congrats on the marathon, not bad for someone who got winded on the stairs",
        {"hostile"},
        set(),
        id="jab-not-bad-for",
    ),
    pytest.param(FC, "congrats on the marathon, that's huge", set(), {"hostile"}, id="jab-twin-praise"),
    pytest.param(FC, "saw the engagement post. she seems very patient", {"hostile"}, set(), id="jab-patient"),
    pytest.param(CV, "talking to you is like talking to a wall", {"hostile"}, set(), id="jab-wall"),
    pytest.param(
        RB, "pickup is at 5, try to be on time for once in your life", {"hostile"}, set(), id="jab-for-once"
    ),
    pytest.param(RB, "pickup is at 5, see you then", set(), {"hostile"}, id="jab-twin-pickup"),
    pytest.param(
        FU, "must be nice to just move on like that", {"guilt_trip"}, {"hostile"}, id="must-be-nice"
    ),
    pytest.param(
        RB,
        "i said the 14th, not the 4th. numbers were never your strong suit",
        {"hostile"},
        set(),
        id="jab-strong-suit",
    ),
    pytest.param(FU, "oh so you can type. the silence was restful", {"hostile"}, set(), id="jab-so-you-can"),
    pytest.param(
        FC, "congrats on the masters, they really will take anyone", {"hostile"}, set(), id="jab-anyone"
    ),
    pytest.param(FC, "congrats on the masters, you earned it", set(), {"hostile"}, id="jab-twin-masters"),
    # deadlines with a consequence, and practical deadlines
    pytest.param(
        CV, "u have until sunday. im not doing this dance again", {"ultimatum"}, set(), id="until-sunday"
    ),
    pytest.param(
        RB,
        "text me back within the hour next time or dont bother texting at all",
        {"ultimatum"},
        set(),
        id="or-dont-bother",
    ),
    pytest.param(
        FU,
        "the concert tickets go to my sister unless i hear from u by noon",
        {"ultimatum"},
        set(),
        id="unless-i-hear",
    ),
    pytest.param(
        RB,
        "the landlord needs both signatures on the renewal by friday, can u sign at the office?",
        set(),
        {"ultimatum"},
        id="practical-deadline",
    ),
    pytest.param(
        FU, "if u dont call me tonight ill do something stupid", {"crisis"}, set(), id="something-stupid"
    ),
    pytest.param(
        CV, "ok, ur call. just so u know ive already written the note", {"crisis"}, set(), id="the-note"
    ),
    pytest.param(NC, "hope your birthday is amazing", {"no_contact_breach"}, set(), id="nc-birthday-wish"),
]


@pytest.mark.parametrize(("stage", "text", "present", "absent"), BOUNDARIES)
def test_boundaries(stage: Stage, text: str, present: set[str], absent: set[str]) -> None:
    codes = set(check(text, stage).codes)
    assert present <= codes
    assert not (absent & codes)


# Crisis phrase families first written for the checker (train-f), now in the one
# crisis.toml the screen reads too (tests/safety/test_crisis_shared.py checks
# both sides on them). Rules alone must flag these,
# whatever the model says, and leave the denials and idioms beside them alone.
CRISIS_FAMILIES = [
    "i dont wanna be around anymore",
    "some days im just waiting for it all to end",
    "gave my cat to my sister, its for the best. you'll understand soon",
    "i have a plan and a date",
    "i have a plan.",
    "sometimes i think about driving into the wall on the bypass",
    "i needed to hear your voice one last time",
    "this is my last message to you. goodbye",
    "i can't do this anymore. existing i mean",
    "i don't see a way out of this",
    "i've been looking up how many pills it takes",
    "maybe i should just end it",
    "i'm done. with everything. with life",
    "soon it won't matter",
    "sorry for everything. goodbye",
    "i keep thinking about jumping",
    "take care of Biscuit for me",
]
CRISIS_LOOKALIKES = [
    "i'd rather die than go to that wedding lol",
    "i have a plan for saturday! picnic then cinema",
    "i think i should end it with him tbh",
    "i don't see a future with you, and that's ok",
    "i'm thinking about jumping ship to the leeds office",
    "i'm giving away my old books, want any?",
    "take care of yourself this week",
    "i'm done with living in london, moving back north",
]


@pytest.mark.parametrize("text", CRISIS_FAMILIES)
def test_crisis_families_are_flagged_by_rules(text: str) -> None:
    assert "crisis" in check(text, RB).codes
    assert check(text, RB).verdict is Verdict.HOLD


@pytest.mark.parametrize("text", CRISIS_LOOKALIKES)
def test_crisis_lookalikes_are_not_flagged_by_rules(text: str) -> None:
    assert "crisis" not in check(text, RB).codes


# Everyday phrasings the rules once flagged, by family, each beside a harmful twin
# that shares the words and must still be flagged: (code, stage, clean text,
# flagged twin, the twin's trigger).
INNOCENT_FAMILIES = [
    pytest.param(
        "relationship_talk",
        RB,
        "quiz night thurs, the old crew's getting back together at the anchor",
        "the old crew's getting back together, and honestly i think we should get back together too",
        "should get back together",
        id="team-back-together",
    ),
    pytest.param(
        "relationship_talk",
        RB,
        "curry after five-a-side, bring some cash for the split",
        "i keep going over how badly we handled the split",
        "the split",
        id="bill-split",
    ),
    pytest.param(
        "pleading",
        RB,
        "biscuit's at the vet for a wash, he'll come back smelling like lavender",
        "i know i messed up, please come back",
        "come back",
        id="third-party-come-back",
    ),
    pytest.param(
        "pleading",
        RB,
        "i'll bring the usb stick round, you can take whatever you want off it",
        "i'll change, i'll do whatever you want, just don't go",
        "whatever you want",
        id="whatever-you-want-offer",
    ),
    pytest.param(
        "pleading",
        RB,
        "spare plums in a box by the gate, take some, i'm begging you",
        "i'm begging you, give me one more chance",
        "begging you",
        id="begging-about-food",
    ),
    pytest.param(
        "pleading",
        RB,
        "i'm begging you, bring the nice crisps this time",
        "i'm begging you to take me back",
        "begging you",
        id="begging-bring-food",
    ),
    pytest.param(
        "pleading",
        RB,
        "the landlord bought the table another shot of sambuca, chaos",
        "please just give us another shot",
        "another shot",
        id="a-shot-of-a-drink",
    ),
    pytest.param(
        "relationship_talk",
        RB,
        "giving the new climbing gym another chance saturday",
        "giving this relationship another chance is all i want",
        "this relationship",
        id="another-chance-for-a-thing",
    ),
    pytest.param(
        "pleading",
        RB,
        "i would do anything for a proper bacon sandwich right now",
        "i would do anything for another chance with you",
        "do anything",
        id="do-anything-for-food",
    ),
    pytest.param(
        "hostile",
        FU,
        "best of five at pool, loser does the washing up",
        "honestly you were always a loser",
        "loser",
        id="loser-as-a-game-stake",
    ),
    pytest.param(
        "hostile",
        FU,
        "the panto was brilliant, you were hilarious as the dame",
        "oh wow, you're hilarious",
        "hilarious",
        id="hilarious-as-praise",
    ),
    pytest.param(
        "hostile",
        CV,
        "your speech at the leaving do was hilarious",
        "your speech at the leaving do was hilarious 🙄",
        "hilarious",
        id="hilarious-praise-with-an-eye-roll",
    ),
    pytest.param(
        "over_apology",
        FU,
        "knocked you out of the quiz again lol, sorry not sorry",
        "sorry. i'm so sorry. sorry for everything",
        "sorry",
        id="sorry-not-sorry",
    ),
    pytest.param(
        "pressure",
        FU,
        "no pressure but the five-a-side team needs a keeper on sunday",
        "no pressure but i need to know by tonight",
        "no pressure but",
        id="no-pressure-a-group-needs-people",
    ),
    pytest.param(
        "pressure",
        FU,
        "that season finale!!! i need to talk about it with someone",
        "i need to talk about it, what happened on saturday",
        "need to talk",
        id="need-to-talk-about-a-show",
    ),
    pytest.param(
        "grand_gesture",
        RB,
        "whoever fixed the office coffee machine, i love you",
        "whatever happens, i love you",
        "i love you",
        id="i-love-you-to-whoever",
    ),
    pytest.param(
        "grand_gesture",
        RB,
        "the water company sent a letter for you here, i'll pass it on",
        "i wrote you a letter about everything i feel",
        "wrote you a letter",
        id="letter-is-forwarded-post",
    ),
    pytest.param(
        "grand_gesture",
        RB,
        "i'm outside, take your time, the radio's on",
        "i'm outside. no rush, i'll wait as long as it takes",
        "outside",
        id="outside-for-a-pickup",
    ),
    pytest.param(
        "grand_gesture",
        RB,
        "sent you the address for saturday, parking's round the back",
        "sent you a little something, open it tonight",
        "sent you a",
        id="sent-you-the-link",
    ),
    pytest.param(
        "neediness",
        RB,
        "good luck with the move tomorrow, thinking of you all",
        "i'm thinking of you all the time",
        "thinking of you",
        id="thinking-of-you-all",
    ),
    pytest.param(
        "neediness",
        RB,
        "we're by the fountain in yellow raincoats, you can't miss us",
        "you can't miss us? because i really miss us",
        "i really miss us",
        id="cant-miss-us-directions",
    ),
    pytest.param(
        "ultimatum",
        FU,
        "last chance to add to the takeaway order, ringing it through at 8",
        "last chance to answer me before i'm gone for good",
        "last chance",
        id="last-chance-to-add-to-an-order",
    ),
    pytest.param(
        "ultimatum",
        NC,
        "if the bike isn't collected by saturday i can drop it round to yours on sunday",
        "if the bike isn't collected by saturday i put it on marketplace",
        "if the bike isn't collected",
        id="a-deadline-on-their-things-without-will",
    ),
    pytest.param(
        "ultimatum",
        RB,
        "you either come at 5 or i can bring her over at 6, whichever suits",
        "you either come to counselling with me or i stop the weekend visits",
        "you either",
        id="either-or-with-a-penalty",
    ),
    pytest.param(
        "ultimatum",
        CV,
        "you won't see the kids this weekend, they're at my mum's for her birthday",
        "you won't see the kids again if he's at that party",
        "you won't see the kids again",
        id="the-children-as-the-stake",
    ),
    pytest.param(
        "ultimatum",
        FU,
        "if you're not free this week i'll pop the box round next week instead",
        "if you're not willing to talk about us this week i'll stop paying for her lessons",
        "i'll stop",
        id="if-youre-not-willing",
    ),
    pytest.param(
        "hostile",
        FU,
        "save it for your speech at the wedding, it's lovely",
        "oh you're happy for me? save it for your therapist",
        "save it for your therapist",
        id="save-it-for-your-therapist",
    ),
    pytest.param(
        "hostile",
        FC,
        "congrats on the promotion, you worked so hard for it",
        "congrats on the promotion, must be nice sleeping your way up",
        "sleeping your way up",
        id="a-promotion-run-down",
    ),
    pytest.param(
        "hostile",
        FC,
        "saw the wedding photos, i hope he knows how lucky he is",
        "saw the wedding photos, hope he knows what he's getting",
        "hope he knows what he's getting",
        id="a-new-partner-warned",
    ),
]


@pytest.mark.parametrize(("code", "stage", "clean", "twin", "trigger"), INNOCENT_FAMILIES)
def test_innocent_families_are_clean_and_their_harmful_twins_are_not(
    code: str, stage: Stage, clean: str, twin: str, trigger: str
) -> None:
    assert applies(code, stage)
    result = check(clean, stage)
    assert code not in result.codes, [clean[f.start : f.end] for f in result.findings if f.code == code]
    flagged = [f for f in check(twin, stage).findings if f.code == code]
    at = twin.lower().index(trigger.lower())
    assert any(f.start <= at + len(trigger) and at < f.end for f in flagged), [
        twin[f.start : f.end] for f in flagged
    ]
