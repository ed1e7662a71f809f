"""ISO 3166-1 alpha-2 codes, checked against pycountry's data."""

from __future__ import annotations

from functools import cache


@cache
def _codes() -> frozenset[str]:
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries)


def is_region_code(code: str) -> bool:
    return len(code) == 2 and code in _codes()
