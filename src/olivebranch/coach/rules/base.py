"""The one mechanism every phrase rule runs on.

A rule's phrases live in ``data/<code>.toml``: groups of regular expressions
(matched against the normalised draft), each with the plain-words reason shown
to the person, optional words that cancel a match when they come just before
it ("no pressure"), and exceptions: idioms whose span cancels any match it
overlaps ("this week is killing me").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files
from typing import Any

from olivebranch.coach.findings import Finding
from olivebranch.coach.rules.prefilter import Prefilter
from olivebranch.coach.text import Draft


@dataclass(frozen=True)
class Group:
    message: str
    patterns: tuple[re.Pattern[str], ...]
    not_after: frozenset[str]
    not_in_stages: frozenset[str] = frozenset()
    tag: str = ""


#: How many texts a rule reads before it builds its prefilter: about what building
#: it costs, in texts read without it.
WARM_AFTER = 32


@dataclass(frozen=True)
class PhraseRule:
    code: str
    groups: tuple[Group, ...]
    exceptions: tuple[re.Pattern[str], ...]

    @cached_property
    def _prefilter(self) -> Prefilter:
        """Built once: every group pattern, then every exception, in order."""
        return Prefilter.build([*(p for g in self.groups for p in g.patterns), *self.exceptions])

    def _runnable(self, text: str) -> list[bool]:
        """Which patterns to run. Building the prefilter costs about what running every
        pattern over a few dozen texts does (a tenth of a second for the checker's
        rules), so a rule's first texts run every pattern: a one-off command starts
        as fast as before, and both ways find the same."""
        uses = self.__dict__.get("_uses", 0)
        if uses < WARM_AFTER:
            self.__dict__["_uses"] = uses + 1  # frozen fields; a counter beside them
            return [True] * (sum(len(g.patterns) for g in self.groups) + len(self.exceptions))
        return self._prefilter.runnable(text)

    def spans(self, draft: Draft, stage: str | None = None) -> list[tuple[int, int, str]]:
        """Every (start, end, message) this rule matches, after exceptions and negations.

        Only the patterns the prefilter says could match are run, and the exceptions
        only when something matched: the result is the same as running them all."""
        text = draft.norm
        runnable = iter(self._runnable(text))
        found: list[tuple[int, int, str]] = []
        for group in self.groups:
            chosen = [p for p in group.patterns if next(runnable)]
            if stage in group.not_in_stages:
                continue
            for pattern in chosen:
                for match in pattern.finditer(text):
                    start, end = match.span()
                    if start == end:
                        continue
                    if group.not_after and set(draft.words_before(start, 2)) & group.not_after:
                        continue
                    found.append((start, end, group.message))
        if not found:
            return []
        blocked = [m.span() for pattern in self.exceptions if next(runnable) for m in pattern.finditer(text)]
        found = [(s, e, msg) for s, e, msg in found if not any(bs < e and s < be for bs, be in blocked)]
        return _merge(found)

    def blocked(self, draft: Draft) -> list[tuple[int, int]]:
        """Where the rule's exceptions match (the idioms, jokes and denials it leaves alone)."""
        runnable = self._runnable(draft.norm)[-len(self.exceptions) :] if self.exceptions else []
        return [
            m.span()
            for pattern, ok in zip(self.exceptions, runnable, strict=True)
            if ok
            for m in pattern.finditer(draft.norm)
        ]

    def find(self, draft: Draft, stage: str | None = None) -> list[Finding]:
        return [Finding(self.code, s, e, msg) for s, e, msg in self.spans(draft, stage)]


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping matches become one span (the first group's reason)."""
    merged: list[tuple[int, int, str]] = []
    for start, end, message in sorted(spans):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, message))
    return merged


RULES_HOME = ("olivebranch.coach.rules", "data")


@cache
def data(name: str, home: tuple[str, str] = RULES_HOME) -> dict[str, Any]:
    """The parsed ``<folder>/<name>.toml`` of a package (read once); by default the checker's."""
    package, folder = home
    raw = files(package).joinpath(folder, f"{name}.toml").read_text("utf-8")
    parsed: dict[str, Any] = tomllib.loads(raw)
    return parsed


TOP_KEYS = frozenset({"code", "message", "exceptions", "group", "stopwords"})
GROUP_KEYS = frozenset({"message", "patterns", "not_after", "not_in_stages", "tag"})


@cache
def load(code: str, home: tuple[str, str] = RULES_HOME) -> PhraseRule:
    """The phrase rule described by ``data/<code>.toml``.

    Unknown keys are refused: in TOML a key written after a ``[[group]]`` belongs
    to that group, and a silently ignored list of exceptions is a real bug.
    """
    data_ = data(code, home)
    unknown = set(data_) - TOP_KEYS
    for group in data_["group"]:
        unknown |= set(group) - GROUP_KEYS
    if unknown:
        raise ValueError(f"data/{code}.toml: unknown keys {sorted(unknown)}")
    default = data_.get("message", "")
    groups = tuple(
        Group(
            message=group.get("message", default),
            patterns=tuple(re.compile(p) for p in group["patterns"]),
            not_after=frozenset(group.get("not_after", ())),
            not_in_stages=frozenset(group.get("not_in_stages", ())),
            tag=str(group.get("tag", "")),
        )
        for group in data_["group"]
    )
    exceptions = tuple(re.compile(p) for p in data_.get("exceptions", ()))
    return PhraseRule(data_.get("code", code), groups, exceptions)


@cache
def checker_rule(code: str) -> PhraseRule:
    """The checker's rule for a code: ``data/<code>.toml`` (crisis.toml is also the screen's)."""
    return load(code)
