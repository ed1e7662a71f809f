"""Hosted mode's settings, from environment variables, validated at start.

Every setting the program reads is listed in ``SETTINGS`` with its default and
meaning; the README documents each (a test fails when one is not).
"""

from __future__ import annotations

import ipaddress
import math
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    meaning: str


SETTINGS = (
    Setting("OLIVEBRANCH_HOSTED", "0", "1 turns on hosted mode: accounts, sign-in pages and the JSON API."),
    Setting("OLIVEBRANCH_SECRET_KEY", "", "Required in hosted mode: at least 32 random characters."),
    Setting("OLIVEBRANCH_DATABASE_URL", "", "The database (PostgreSQL for real deployments)."),
    Setting("OLIVEBRANCH_DATA_DIR", "", "Where the SQLite file lives when no database URL is given."),
    Setting("OLIVEBRANCH_EVENTS_PER_MINUTE", "60", "Events one person may record per minute."),
    Setting("OLIVEBRANCH_SIGNINS_PER_MINUTE", "10", "Sign-in attempts per minute from one address."),
    Setting("OLIVEBRANCH_ACCOUNT_SIGNINS_PER_MINUTE", "5", "Sign-in attempts per minute for one account."),
    Setting("OLIVEBRANCH_SIGNUPS_PER_HOUR", "20", "Accounts one address may create per hour."),
    Setting("OLIVEBRANCH_MAX_BODY_BYTES", "1048576", "The largest request body accepted (imports included)."),
    Setting("OLIVEBRANCH_TOKEN_DAYS", "30", "Days a sign-in (page session or API token) lasts."),
    Setting(
        "OLIVEBRANCH_TRUSTED_PROXIES",
        "",
        "Comma-separated proxy addresses or networks whose forwarded headers are believed.",
    ),
    Setting("OLIVEBRANCH_TEST_CLOCK", "0", "1 lets browser tests move the clock; refused in hosted mode."),
)


class ConfigError(ValueError):
    """Settings that cannot be used; every problem is listed, by variable name."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class HostedConfig:
    secret_key: str
    events_per_minute: int
    signins_per_minute: int
    account_signins_per_minute: int
    signups_per_hour: int
    max_body_bytes: int
    token_days: int
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]

    def trusts(self, address: str | None) -> bool:
        if not address:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self.trusted_proxies)


def hosted(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return env.get("OLIVEBRANCH_HOSTED", "0").strip() == "1"


def load(env: Mapping[str, str] | None = None) -> HostedConfig:
    """Hosted settings from the environment; ConfigError lists every problem."""
    env = os.environ if env is None else env
    problems: list[str] = []

    def number(name: str, low: int, high: int) -> int:
        default = next(s.default for s in SETTINGS if s.name == name)
        raw = env.get(name, default).strip()
        try:
            value = int(raw)
        except ValueError:
            problems.append(f"{name}: {raw!r} is not a whole number")
            return int(default)
        if not low <= value <= high:
            problems.append(f"{name}: {value} is outside {low}..{high}")
            return int(default)
        return value

    secret = env.get("OLIVEBRANCH_SECRET_KEY", "")
    problem = secret_problem(secret)
    if problem:
        problems.append(f"OLIVEBRANCH_SECRET_KEY: {problem}")
    if env.get("OLIVEBRANCH_TEST_CLOCK", "0").strip() == "1":
        problems.append("OLIVEBRANCH_TEST_CLOCK: moving the clock is for tests and is refused in hosted mode")
    proxies: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for item in filter(None, (p.strip() for p in env.get("OLIVEBRANCH_TRUSTED_PROXIES", "").split(","))):
        try:
            proxies.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            problems.append(f"OLIVEBRANCH_TRUSTED_PROXIES: {item!r} is not an address or network")
    config = HostedConfig(
        secret_key=secret,
        events_per_minute=number("OLIVEBRANCH_EVENTS_PER_MINUTE", 1, 100_000),
        signins_per_minute=number("OLIVEBRANCH_SIGNINS_PER_MINUTE", 1, 10_000),
        account_signins_per_minute=number("OLIVEBRANCH_ACCOUNT_SIGNINS_PER_MINUTE", 1, 10_000),
        signups_per_hour=number("OLIVEBRANCH_SIGNUPS_PER_HOUR", 1, 100_000),
        max_body_bytes=number("OLIVEBRANCH_MAX_BODY_BYTES", 1024, 1024**3),
        token_days=number("OLIVEBRANCH_TOKEN_DAYS", 1, 3650),
        trusted_proxies=tuple(proxies),
    )
    if problems:
        raise ConfigError(problems)
    return config


def secret_problem(secret: str) -> str | None:
    """Why a secret key is too weak to use, or None."""
    if not secret:
        return (
            "missing; set it to at least 32 random characters "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    if len(secret) < MIN_SECRET_LENGTH:
        return f"too short ({len(secret)} characters; at least {MIN_SECRET_LENGTH})"
    counts = Counter(secret)
    bits = -sum(c / len(secret) * math.log2(c / len(secret)) for c in counts.values()) * len(secret)
    if bits < MIN_SECRET_BITS or len(counts) < 10:
        return "too predictable (repeated or few distinct characters); use a random value"
    return None
