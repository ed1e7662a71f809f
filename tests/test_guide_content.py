"""The guidance library's content: every required page, links that resolve, our own words, plain language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat

from olivebranch.guide.library import pages

REQUIRED_IDS = [
    "safety-first",
    "is-it-worth-trying",
    "letting-go",
    "no-contact",
    "what-counts-as-contact",
    "if-you-slip",
    "working-on-yourself",
    "self-assessment",
    "building-your-life",
    "re-attraction",
    "social-media",
    "readiness",
    "first-message",
    "reading-replies",
    "follow-up",
    "rebuilding",
    "meeting-in-person",
    "reading-signals",
    "the-conversation",
    "mistakes",
    "feeling-heard",
    "giving-space",
    "ex-reaches-out",
    "ex-has-someone-new",
    "mutual-friends",
    "shared-children-home-work",
    "marriage",
    "no-reply",
    "timeline",
    "moving-on",
    "faq",
]
SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed"
READING_GRADE = 8.0
SHARED_RUN = 10
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)[^)]*\)")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def by_id() -> dict[str, object]:
    return {p.id: p for p in pages()}


@pytest.mark.parametrize("page_id", REQUIRED_IDS)
def test_every_required_page_exists_with_complete_front_matter(page_id: str) -> None:
    page = by_id().get(page_id)
    assert page is not None, f"missing guide page {page_id}"
    assert page.sources, f"{page_id}: name the research in sources"  # type: ignore[attr-defined]


def test_every_link_is_internal_and_resolves() -> None:
    ids = set(by_id())
    for page in pages():
        for target in LINK.findall(page.body):
            assert target.startswith("/guide/"), f"{page.id}: external or odd link {target}"
            found = target.removeprefix("/guide/").split("#")[0]
            assert found in ids, f"{page.id}: {target} does not resolve"
        assert not re.search(r"https?://|www\.", page.body), f"{page.id}: a web address in the text"


def test_no_support_number_is_typed_into_a_page() -> None:
    for page in pages():
        number = re.search(r"\b\d{3}[\s-]?\d{3,4}\b", page.body)
        assert not number, f"{page.id}: use the [[support]] placeholder"


def test_pages_are_plain_language() -> None:
    grades = {p.id: textstat.flesch_kincaid_grade(plain(p.body)) for p in pages()}
    hard = {k: v for k, v in grades.items() if v > READING_GRADE}
    assert not hard, f"reading grade above {READING_GRADE}: {hard}"


def plain(markdown: str) -> str:
    text = re.sub(r"\[\[support[^\]]*\]\]", "", markdown)
    text = LINK.sub(lambda m: m.group(0).split("](")[0].lstrip("["), text)
    return re.sub(r"[#*_>`-]", " ", text)


def runs(text: str, n: int) -> set[tuple[str, ...]]:
    words = WORD.findall(text.lower().replace("\u2019", "'"))
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_no_run_of_ten_words_is_shared_with_the_source_article() -> None:
    if not SEED.is_dir():
        pytest.skip(f"the source article is not here ({SEED}); this check runs in the team's checkout")
    source: set[tuple[str, ...]] = set()
    for item in SEED.iterdir():
        source |= runs(item.read_text(encoding="utf-8", errors="replace"), SHARED_RUN)
    for page in pages():
        shared = runs(f"{page.title}\n{page.summary}\n{page.body}", SHARED_RUN) & source
        assert not shared, f"{page.id} repeats the source: {' '.join(next(iter(shared)))}"
