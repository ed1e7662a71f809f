"""Loading, checking, rendering and searching the guide's pages.

Each page is a Markdown file in ``content/`` with front matter::

    ---
    id: no-contact
    title: Why no contact, and how
    phase: no_contact          # a phase name, or "any"
    summary: One or two sentences shown in the list.
    reading_minutes: 3
    sources:
      - A plain citation, e.g. Brehm, J. W. (1966). A theory of psychological reactance.
    ---

Support lines are never typed into a page: a paragraph holding only
``[[support]]`` (crisis and abuse lines), ``[[support:crisis]]`` or
``[[support:abuse]]`` is replaced by the lines for the reader's region, from the
resources data. Raw HTML in pages is not rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

PHASES = ("any", "safety", "no_contact", "first_contact", "rebuilding", "conversation", "moving_on")
REQUIRED = ("id", "title", "phase", "summary", "reading_minutes", "sources")
PLACEHOLDER = re.compile(r"<p>\[\[support(?::(crisis|abuse|using_harm))?\]\]</p>")
MARKDOWN_PLACEHOLDER = re.compile(r"^\[\[support(?::(crisis|abuse|using_harm))?\]\]\s*$", re.MULTILINE)
WORD = re.compile(r"[a-z0-9']+")


class PageInvalid(ValueError):
    """A guide page whose front matter or body cannot be used, naming the file and field."""


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    phase: str
    summary: str
    reading_minutes: int
    sources: tuple[str, ...]
    body: str  # Markdown

    def html(self, support: Callable[[tuple[str, ...]], str]) -> str:
        """The body as HTML; ``support(kinds)`` renders the support lines for a placeholder."""
        rendered = _markdown().render(self.body)

        def swap(match: re.Match[str]) -> str:
            kind = match.group(1)
            return support((kind,) if kind else ("crisis", "abuse"))

        return PLACEHOLDER.sub(swap, rendered)

    def text(self, support: Callable[[tuple[str, ...]], str]) -> str:
        """The body as Markdown with the placeholders filled in (for the terminal)."""

        def swap(match: re.Match[str]) -> str:
            kind = match.group(1)
            return support((kind,) if kind else ("crisis", "abuse"))

        return MARKDOWN_PLACEHOLDER.sub(swap, self.body)

    def words(self) -> set[str]:
        return set(WORD.findall(f"{self.title} {self.summary} {self.body}".lower()))


@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def parse(name: str, text: str) -> Page:
    """One page from its file text; PageInvalid names what is wrong."""
    import frontmatter

    try:
        post = frontmatter.loads(text)
    except Exception as err:  # YAML errors come in several types
        raise PageInvalid(f"{name}: the front matter is not valid YAML ({err})") from None
    meta = post.metadata
    for key in REQUIRED:
        if key not in meta:
            raise PageInvalid(f"{name}: front matter is missing {key!r}")
    unknown = sorted(set(meta) - set(REQUIRED))
    if unknown:
        raise PageInvalid(f"{name}: unknown front matter {', '.join(unknown)}")
    if not isinstance(meta["id"], str) or f"{meta['id']}.md" != name:
        raise PageInvalid(f"{name}: id must be the file name without .md")
    if meta["phase"] not in PHASES:
        raise PageInvalid(f"{name}: phase {meta['phase']!r} is not one of {', '.join(PHASES)}")
    minutes = meta["reading_minutes"]
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 30:
        raise PageInvalid(f"{name}: reading_minutes must be a whole number from 1 to 30")
    sources = meta["sources"]
    if not isinstance(sources, list) or not all(isinstance(s, str) and s.strip() for s in sources):
        raise PageInvalid(f"{name}: sources must be a list of plain citations")
    for key in ("title", "summary"):
        value = meta[key]
        if not isinstance(value, str) or not value.strip():
            raise PageInvalid(f"{name}: {key} must be text")
    if not post.content.strip():
        raise PageInvalid(f"{name}: the page has no text")
    return Page(
        id=meta["id"],
        title=str(meta["title"]).strip(),
        phase=meta["phase"],
        summary=str(meta["summary"]).strip(),
        reading_minutes=minutes,
        sources=tuple(s.strip() for s in sources),
        body=post.content,
    )


@cache
def pages() -> tuple[Page, ...]:
    """Every page, in a stable order: by phase along the program, then title."""
    folder = files("olivebranch.guide").joinpath("content")
    found = [
        parse(item.name, item.read_text(encoding="utf-8"))
        for item in folder.iterdir()
        if item.name.endswith(".md")
    ]
    return tuple(sorted(found, key=lambda p: (PHASES.index(p.phase), p.title)))


def page(page_id: str) -> Page | None:
    return next((p for p in pages() if p.id == page_id), None)


def search(query: str, library: Sequence[Page] | None = None) -> list[Page]:
    """Pages holding every word of the query; title hits first, then summary, then how often."""
    terms = WORD.findall(query.lower())
    if not terms:
        return []
    library = pages() if library is None else library
    hits = [p for p in library if all(any(w.startswith(t) for w in p.words()) for t in terms)]

    def rank(p: Page) -> tuple[int, str]:
        title, summary = p.title.lower(), p.summary.lower()
        body = WORD.findall(p.body.lower())
        score = sum(3 * (t in title) + 2 * (t in summary) + min(body.count(t), 5) for t in terms)
        return (-score, p.title)

    return sorted(hits, key=rank)


def for_phase(phase: str) -> list[Page]:
    """The pages that fit a phase (its own first, then those for any phase)."""
    return [p for p in pages() if p.phase == phase] + [p for p in pages() if p.phase == "any"]
