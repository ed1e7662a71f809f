"""Sign-in tokens: random, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the server keeps: the SHA-256 of a 256-bit random token (no salt needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
