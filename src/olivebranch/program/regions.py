"""ISO 3166-1 alpha-2 codes, checked against pycountry's data."""

from __future__ import annotations

from functools import cache


@cache
def _codes() -> frozenset[str]:
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries)


def is_region_code(code: str) -> bool:
    return len(code) == 2 and code in _codes()


def support_region(value: str) -> str | None:
    """A region whose support lines can be shown: an ISO code or ``INTL``, normalised; else None."""
    code = value.strip().upper()
    return code if code == "INTL" or is_region_code(code) else None
