"""One crisis reading: the draft checker and the safety screen read the same phrase set.

A person who writes the same words as a draft to the ex or as a journal entry
gets the same answer about crisis, from the checker and from the screen, both as
the program runs them (rules and model) and from the rules alone.
"""

from __future__ import annotations

import pytest

from olivebranch.checking import check_text
from olivebranch.coach.checker import check
from olivebranch.coach.stages import Stage
from olivebranch.safety.screen import Flag, screen
from olivebranch.safety_screen import screen_text

# One or two wordings of each family, from the checker's definitions and the screen's.
FAMILIES = [
    # the same words as this round's everyday senses, meant as crisis
    "i can't be trusted with the pills tonight",
    "i can't be trusted with the car keys tonight",
    "i'm not going to be around much longer",
    "this is my last journal entry. thank you for everything",
    "i've sorted who gets what, the cat goes to my sister",
    # direct
    "i want to kill myself",
    "honestly i dont want to be alive anymore",
    "i just want to sleep and not wake up",
    "i can't live without you",
    "everyone would be better off without me",
    # indirect, first written for the checker
    "i dont wanna be around anymore",
    "gave my cat to my sister, its for the best. you'll understand soon",
    "i have a plan and a date",
    "i needed to hear your voice one last time",
    "sorry for everything. goodbye",
    "i keep thinking about jumping",
    "take care of Biscuit for me",
    # indirect, first written for the screen
    "honestly i don't know why i'm still here",
    "i've arranged for my neighbour to take the cat",
    "i'm running out of reasons to keep going",
    "i keep hoping i get hit by a bus",
    "i've started cutting my arms again",
    "i've been reading about how many tablets it would take",
    # a buried sentence in a practical message
    "can you drop the spare key back this week? also i've written down my passwords for you, just in case",
    # arrangements, last things, means at hand, reckless danger, slang
    "i've sorted who gets my bike, my cousin is having it",
    "you'll be properly rid of me before the month is out",
    "might not be around after that, so take the records now",
    "the painkillers from my op are lined up on the shelf",
    "honestly i've stopped wanting to wake up most days",
    "been driving home without a seatbelt since she left",
    "been thinking about unaliving a lot this week",
    # wishing not to have been born, imagining not being here, self-harm and methods told plainly
    "3am. i wish i'd never been born",
    "the only time my head goes quiet is when i imagine not being here",
    "woke up disappointed that i woke up again",
    "cutting helps, i know it's bad",
    "i hit my head against the wall until it bled",
    "took too many of my antidepressants on purpose last week",
    "i'm going to the bridge tonight",
    "if i died would she even come to the funeral",
    "nothing left to keep going for now",
    "i stood by the edge for a while and thought how easy it would be",
    "bought rope today. told the guy at the shop it was for the trailer",
    "honestly i don't think i'll be here in june",
    "keeping a box of co-codamol in my bedside drawer, just to know it's there",
    "the doctor asked if i'd had thoughts of ending my life and i said no because i didn't want the fuss",
    "she was my only reason i'm still around. after her i dont see why i'd stay",
    "if i got hit by a bus tomorrow i honestly wouldn't mind. not lol. really",
    "i keep reading the forum where people talk about methods",
    "i plan to do it on the anniversary",
    "counted my pills again tonight. there are enough now",
    # wordings a realistic mix showed the rules missing: a wish not to have woken, relief at an
    # accident, no plan to see an age, goodbyes written, a method's feel, a voice, means that draw
    # the eye, things no longer needed, a note for whoever finds them, "not joking" said after
    "i wish i hadn't woken up after the overdose",
    "if a lorry took me out on the way home i'd honestly be relieved",
    "not planning on seeing 40 tbh",
    "i've written all my goodbyes, they're in the drawer",
    "is drowning peaceful or does it hurt",
    "theres a voice in my head telling me to kill myself and im tired of arguing",
    "the pills in the cabinet keep calling to me",
    "if i had a gun i would have done it already",
    "my brother can have my guitar. i won't need it anymore",
    "left a note on the table for whoever finds me",
    "theyd all be better off if i just wasnt around",
    "my family would have a better life if i wasn't in it",
    "made a playlist for my funeral haha. not joking though",
    "you should've just let me drown back then",
    "im on the roof of the car park. talk to me",
    "if this ends i dont think ill make it",
    # from the spent fresh batches (screen train-19/-20, checker train-u/-v), in new words
    "the kids would honestly be better off with their gran and me not in the picture",
    "some days i think it'd be easier for everyone if i was six feet under",
    "i read about people who just vanish. i want that, only more permanent",
    "i feel like a ghost already, might as well make it official",
    "naebody would miss me tbh",
    "wish the driver hadn't braked",
    "if the quad bike flipped on the hill one day i'd not fight it",
    "an old man died on the ward today and what i felt was envy",
    "i emailed my brother all my passwords and bank details, just in case",
    "i've worked out which method and what dose",
    "got paracetamol at one chemist and more at a different chemist on the way home",
    "there's a stash of sleeping tablets in my sock drawer",
    "thinking about the forth bridge again tonight",
    "i pray every night that god takes me in my sleep",
    "disappointed i woke up again. still here",
    "weirdly calm since i picked the date.",
    "the shotgun in the cabinet has been on my mind all week",
    "been looking at the pills in the bathroom a lot",
    "i don't know if i'll be here for his birthday",
    "i honestly can't see myself being alive by easter",
    "gave my guitar to my cousin, i won't be needing it",
    "took the kayak out and thought about not coming back",
    "the baby is young enough she won't remember me",
    "i'm so tired of still being here",
    "if i did it in his driveway he'd find me in the morning",
    "i keep imagining stepping in front of the night bus",
    "the tablets are on the table and i keep thinking about it",
    "by the time u read this it won't matter",
    "whatever happens, none of this is your fault",
    "i took some pills tonight, way more than i should",
    "tell amy her dad loved her",
    "i won't be around to look after the dog after friday",
    "just wanted to say bye to someone who knew me",
    "after this week i won't be a burden to anyone",
    "what's the point of me being here",
    "i don't see any reason to keep going",
    "left a note for my mum. wanted to hear you one last time",
    "you'll be the reason i'm gone",
    "if you marry him i won't live to see it.",
    "thinking about swallowing everything in the medicine cabinet",
    "i won't be at uni much longer anyway. or anywhere",
    "i don't much care whether i wake up",
]

# Idioms, hyperbole with a light marker, denials, other senses of the words, and
# threats of self-harm used to control a partner (the screen's abuse flag, not crisis).
LOOKALIKES = [
    "this breakup is killing me lol",
    "i'd die for a coffee right now",
    "that meme, i'm literally dead 😂",
    "i'm not suicidal, just sad",
    "i'd rather die than go to that wedding",
    "i'm done with living in london, moving back north",
    "i think i should end it with him tbh",
    "we should end things, it's not working",
    "i'm thinking about jumping ship to the leeds office",
    "i have a plan for saturday! picnic then cinema",
    "my phone is dying, if i go quiet that's why",
    "hope everything's good on your end",
    "my sister asked if i'd thought about ending it and honestly, no. just sad",
    "answer by sunday or i'm gone for good",
    "sorted who gets the spare room when your mum visits",
    "might not be around saturday, got a work thing",
    "picked up my prescription, the tablets are on the counter",
    "count the tablets in the weekly box, the pharmacy refill is due friday",
    # the ex's threats, told by the writer (abuse, not the writer's crisis), and moving away
    "he'd say he would drive into the river if i went to my sister's",
    "she said she'd take all her pills if i walked out",
    "not gonna be around much longer, moving to canada in march",
    "i sat on the edge of the bed and cried",
    "banging my head against the wall with this spreadsheet",
    "bought a rope swing for the kids' tree",
    "wrote my will because the mortgage advisor said to",
    "gonna end things with marco this weekend, wish me luck",
    "the doctor asked if i'm having thoughts of harming myself. i said no, and i meant it",
    "he used to say 'i'd die without you' and now he's doing fine",
    "hope i crash out early tonight, so tired",
    "wish i hadn't woken up so early on my day off",
    "my sister can have the car, i won't need it while i'm in spain",
    "i'm on the roof fixing the gutter, call you back",
    "been giving stuff away before the move",
    "i'm dead 😂 not joking that video is the funniest thing",
    "i don't think i'll make it to the party on saturday",
    "does it hurt, getting your ears pierced",
    "nobody will notice if i skip the gym today",
    "changed my will last week because he was still named on the house",
    "i wrote letters to my daughters about the divorce, the counsellor said it helps to find the words",
    'i keep saying "i want to die" when i burn the toast, my flatmate says to stop',
    "made a funeral playlist as a joke with my sister, it's all abba",
    "googled how long it takes to get over a five year relationship. apparently years",
    "up on the balcony with my morning coffee, the harbour is so calm",
    "why am i still here? at the office party, because my boss is watching",
]


@pytest.mark.parametrize("text", FAMILIES)
def test_a_crisis_family_is_read_as_crisis_by_both(text: str) -> None:
    assert "crisis" in check(text, Stage.REBUILDING).codes  # the rules alone
    assert Flag.CRISIS in screen(text).flags
    assert check_text(text, Stage.FIRST_CONTACT).crisis  # as the program runs them
    assert Flag.CRISIS in screen_text(text).flags


@pytest.mark.parametrize("text", LOOKALIKES)
def test_its_idioms_and_denials_are_read_as_crisis_by_neither(text: str) -> None:
    assert "crisis" not in check(text, Stage.REBUILDING).codes
    assert Flag.CRISIS not in screen(text).flags
    assert not check_text(text, Stage.REBUILDING).crisis
    assert Flag.CRISIS not in screen_text(text).flags


# Lookalikes the phrase rules leave alone, but the learned layers may still read as crisis:
# looking up a bridge is how method research is often told, and the models' crisis thresholds
# are set low on purpose (a missed crisis costs the most); showing the lines to someone who
# didn't need them blocks nothing.
RULES_LOOKALIKES = [
    "i looked up the bridge near my house for a photography walk",
    # the newest families' everyday senses
    "the dog is better off with my sister, and me not in the picture for a while at work",
    "the driver braked just in time, thank god",
    "if she wants the house i wouldn't fight it",
    "my sister has my netflix password in case i forget it",
    "which method works best for cold brew? and what dose of caffeine is too much",
    "thinking about the bridge club again, they meet tuesdays",
    "disappointed to wake up to rain again",
    "we decided the date for the move: the 3rd.",
    "i don't know if i'll be here for her birthday, i've got a work trip",
    "gave my old bike to my nephew, i'll get a new one",
    "took the boat out and thought about not coming back to the city job",
    "i'm tired of being here at the office till nine",
    "he'll find me in the morning at the cafe, we're swapping the kids",
    "the kids stepped in front of the camera for the photo",
    "i won't be a problem for you on saturday, i'll be quick",
    "i don't see any reason to keep going with this course",
    "i won't live to see the day he says sorry",
    "my phone's not at the charger or anywhere",
    "i dont wanna die, i just want this week to be over",
    "at this rate i'll die alone with six cats and a sourdough starter",
    "that won't be a problem, see you at five",
    "no, it won't be here till monday, the courier said",
    "made a pasta bake for ellie, she's 15 and can't be trusted with the oven",
    "i'm not going to be around on the group chat much, i need a break from wedding talk",
    "this is my last journal entry for a while! off on the camino with no phone",
    "his lease is up so we sat down and sorted who gets what. he kept the couch",
]


@pytest.mark.parametrize("text", RULES_LOOKALIKES)
def test_lookalikes_the_rules_leave_alone(text: str) -> None:
    assert "crisis" not in check(text, Stage.REBUILDING).codes
    assert Flag.CRISIS not in screen(text).flags


def test_a_threat_of_self_harm_to_keep_a_partner_is_abuse_in_the_screen() -> None:
    text = "i threatened to hurt myself so she wouldn't leave, i know now that was control"
    assert "crisis" not in check(text, Stage.REBUILDING).codes
    assert Flag.CRISIS not in screen(text).flags
    result = screen(text)
    assert Flag.ABUSE in result.flags and result.writer_caused_harm


def test_a_question_laughed_off_is_not_a_no() -> None:
    text = "my sister asked me if i was suicidal and i laughed it off. i shouldn't have. i am."
    assert "crisis" in check(text, Stage.REBUILDING).codes
    assert Flag.CRISIS in screen(text).flags
