"""The guide's page format: every shipped page is valid, and bad pages are refused by name."""

from __future__ import annotations

import pytest

from olivebranch.guide.library import PageInvalid, pages, parse, search

GOOD = """---
id: example
title: An example
phase: any
summary: A page for the tests.
reading_minutes: 2
sources:
  - "Someone (2020). A study."
---

Some text.

[[support:crisis]]
"""


def test_every_shipped_page_is_valid_and_ids_are_unique() -> None:
    found = pages()
    assert len(found) >= 2
    assert len({p.id for p in found}) == len(found)


def test_the_placeholder_is_replaced_and_raw_html_is_not_rendered() -> None:
    page = parse("example.md", GOOD + "\n<script>alert(1)</script>\n")
    html = page.html(lambda kinds: f"<aside>{','.join(kinds)}</aside>")
    assert "<aside>crisis</aside>" in html
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("id: example", "id: other"), "id must be the file name"),
        (("phase: any", "phase: someday"), "phase 'someday' is not one of"),
        (("reading_minutes: 2", "reading_minutes: two"), "reading_minutes must be a whole number"),
        (('  - "Someone (2020). A study."', "  - 3"), "sources must be a list of plain citations"),
        (("summary: A page for the tests.\n", ""), "front matter is missing 'summary'"),
        (("title: An example", "title: An example\nauthor: me"), "unknown front matter author"),
    ],
)
def test_bad_front_matter_is_refused_naming_the_file_and_field(change: tuple[str, str], message: str) -> None:
    with pytest.raises(PageInvalid, match=message) as raised:
        parse("example.md", GOOD.replace(*change))
    assert str(raised.value).startswith("example.md: ")


def test_search_needs_every_word_and_ranks_title_hits_first() -> None:
    library = [parse("example.md", GOOD)]
    assert [p.id for p in search("example text", library)] == ["example"]
    assert search("example zebra", library) == []
    assert search("   ", library) == []
