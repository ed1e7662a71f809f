"""Which phrase patterns can match a text at all, found in one pass over it.

Most texts match none of a rule's hundreds of patterns, yet running each regular
expression over the text costs far more than looking for plain words. So each
pattern is read once (its parse tree) for the plain strings it cannot match
without: ``\\b(don\\W?t|dont) want to (live|be here)\\b`` needs one of "want to
live", "want to be here". One Aho-Corasick pass (pyahocorasick) finds which of all
those strings occur in the text, and only the patterns that could match are run.
A pattern with no such string (or one too short to help) always runs. The
prefilter only skips work: what is found is exactly what running every pattern
finds (a test checks this on the training texts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

#: The most strings an exact set may hold before it is given up (cross products grow fast).
EXACT_LIMIT = 64
#: The most strings a pattern's alternatives may need together.
FACTOR_LIMIT = 256
#: Shorter strings are too common to skip anything ("i", "no").
MIN_LENGTH = 3

Strings = frozenset[str]
Info = tuple[Strings | None, Strings | None]  # (exact strings, needed strings)


def needed(pattern: re.Pattern[str]) -> Strings | None:
    """Strings one of which every match of the pattern contains, or None when unknown."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    exact, factors = _sequence(sre_parse.parse(pattern.pattern, pattern.flags))
    best = _better(factors, _as_factors(exact))
    if best is None or min(len(s) for s in best) < MIN_LENGTH:
        return None
    return best


def _as_factors(exact: Strings | None) -> Strings | None:
    if not exact or "" in exact:
        return None
    return exact


def _better(a: Strings | None, b: Strings | None) -> Strings | None:
    """The more selective of two needed sets: longer shortest string, then fewer strings."""
    if a is None:
        return b
    if b is None:
        return a
    key_a = (min(len(s) for s in a), -len(a))
    key_b = (min(len(s) for s in b), -len(b))
    return a if key_a >= key_b else b


def _sequence(items: Iterable[tuple[Any, Any]]) -> Info:
    run: set[str] = {""}
    all_exact = True
    best: Strings | None = None
    for item in items:
        exact, factors = _node(*item)
        if exact is not None and len(run) * len(exact) <= EXACT_LIMIT:
            run = {a + b for a in run for b in exact}
            continue
        all_exact = False
        best = _better(best, _as_factors(frozenset(run)))
        best = _better(best, factors)
        run = set(exact) if exact is not None else {""}
    best = _better(best, _as_factors(frozenset(run)))
    return (frozenset(run) if all_exact else None), best


def _node(op: Any, av: Any) -> Info:
    if op is c.LITERAL:
        return frozenset({chr(av)}), None
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return frozenset({""}), None  # zero width: needs nothing
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (re.IGNORECASE | re.VERBOSE):
            return None, None
        return _sequence(sub)
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _sequence(av)
    if op is c.BRANCH:
        return _branch(av[1])
    if op is c.IN:
        return _char_set(av), None
    if op in (c.MAX_REPEAT, c.MIN_REPEAT) or op is getattr(c, "POSSESSIVE_REPEAT", None):
        low, high, sub = av
        exact, factors = _sequence(sub)
        if low == 0:
            if high == 1 and exact is not None:
                return exact | {""}, None
            return None, None
        if low == high == 1:
            return exact, _better(factors, _as_factors(exact))
        return None, _better(factors, _as_factors(exact))
    return None, None  # any character, categories, negations, back-references


def _branch(alternatives: Sequence[Any]) -> Info:
    infos = [_sequence(alt) for alt in alternatives]
    exact: Strings | None = None
    if all(e is not None for e, _ in infos):
        union = frozenset().union(*(e for e, _ in infos if e is not None))
        exact = union if len(union) <= EXACT_LIMIT else None
    needs = [_better(f, _as_factors(e)) for e, f in infos]
    if any(n is None for n in needs):
        return exact, None
    together = frozenset().union(*(n for n in needs if n is not None))
    return exact, together if len(together) <= FACTOR_LIMIT else None


def _char_set(items: Sequence[tuple[Any, Any]]) -> Strings | None:
    chars: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av))
        elif op is c.RANGE and av[1] - av[0] < 10:
            chars.update(chr(x) for x in range(av[0], av[1] + 1))
        else:
            return None  # negated sets, categories, wide ranges
    return frozenset(chars) if 0 < len(chars) <= 10 else None


@dataclass(frozen=True)
class Prefilter:
    """For each pattern, the strings it needs; one automaton over all of them."""

    needs: tuple[Strings | None, ...]
    automaton: Any

    @classmethod
    def build(cls, patterns: Sequence[re.Pattern[str]]) -> Prefilter:
        needs = tuple(needed(p) for p in patterns)
        automaton = ahocorasick.Automaton()
        for strings in needs:
            for s in strings or ():
                automaton.add_word(s, s)
        if len(automaton):
            automaton.make_automaton()
        return cls(needs, automaton)

    def runnable(self, text: str) -> list[bool]:
        """For each pattern, whether it could match the text."""
        present = {s for _, s in self.automaton.iter(text)} if len(self.automaton) else set()
        return [n is None or not n.isdisjoint(present) for n in self.needs]
