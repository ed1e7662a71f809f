"""Encryption at rest: each person's own words sealed with AES-GCM under their data key.

Key hierarchy (hosted mode, and local mode with a passphrase):

- a random 256-bit **data key** per person seals the sensitive text of their events
  and their snapshot;
- it is stored only **wrapped** (AES-GCM) under a key derived from the person's
  password or passphrase with argon2id, and, for each live sign-in, under a key
  derived (HKDF-SHA256) from that sign-in's random token, kept beside the token's
  hash; signing out deletes that copy. The server never keeps a usable key of its
  own: without a password or a live token the text cannot be read.

The data key of whoever a request is for is made available to the store with
:func:`unlock`, which sets it in a context variable: it lives as long as that one
request (or command), never in a shared registry.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from olivebranch.store.errors import StoreError

#: The fields of an event that hold the person's own words (and get sealed).
SENSITIVE = ("text", "note", "trigger", "unsent", "story", "change_steps", "interpretation")
SEALED = "sealed"
KEY_BYTES = 32
NONCE_BYTES = 12
# argon2id for the password-derived key: RFC 9106's second recommendation (64 MiB, 3 passes).
ARGON_TIME, ARGON_MEMORY, ARGON_LANES = 3, 64 * 1024, 4

_KEYS: ContextVar[Mapping[int, bytes] | None] = ContextVar("olivebranch_data_keys", default=None)


class Locked(StoreError):
    """Sealed data was read (or a key unwrapped) without the right key."""


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def new_salt() -> bytes:
    return os.urandom(16)


def password_key(secret: str, salt: bytes) -> bytes:
    """The key-encryption key from a password or passphrase (argon2id)."""
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=ARGON_TIME,
        memory_cost=ARGON_MEMORY,
        parallelism=ARGON_LANES,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def token_key(token: str) -> bytes:
    """The key-encryption key from a sign-in token (256 random bits, so HKDF is enough)."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"olivebranch token key").derive(
        token.encode("utf-8")
    )


def wrap(data_key: bytes, kek: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    return _b64(nonce + AESGCM(kek).encrypt(nonce, data_key, b"olivebranch data key"))


def unwrap(wrapped: str, kek: bytes) -> bytes:
    raw = _unb64(wrapped)
    try:
        return AESGCM(kek).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], b"olivebranch data key")
    except InvalidTag:
        raise Locked("the key does not open this data key") from None


def unlock(person_id: int, data_key: bytes) -> None:
    """Let the store seal and open this person's text for the rest of this request or command."""
    _KEYS.set({**(_KEYS.get() or {}), person_id: data_key})


def lock(person_id: int) -> None:
    """Forget this person's key for the rest of this request or command."""
    _KEYS.set({k: v for k, v in (_KEYS.get() or {}).items() if k != person_id})


def key_for(person_id: int) -> bytes | None:
    return (_KEYS.get() or {}).get(person_id)


def seal(data: Mapping[str, Any], key: bytes, context: str) -> dict[str, Any]:
    """The event's data with its sensitive fields sealed together (others stay as they are)."""
    secret = {k: data[k] for k in SENSITIVE if k in data}
    if not secret:
        return dict(data)
    plain = {k: v for k, v in data.items() if k not in secret}
    plain[SEALED] = seal_value(secret, key, context)
    return plain


def open_(data: Mapping[str, Any], key: bytes | None, context: str) -> dict[str, Any]:
    """The event's data with its sealed fields back in place."""
    if SEALED not in data:
        return dict(data)
    if key is None:
        raise Locked("this text is sealed and no key is unlocked")
    opened = {k: v for k, v in data.items() if k != SEALED}
    opened.update(open_value(str(data[SEALED]), key, context))
    return opened


def seal_value(value: Any, key: bytes, context: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _b64(nonce + AESGCM(key).encrypt(nonce, body, context.encode("utf-8")))


def open_value(sealed: str, key: bytes, context: str) -> Any:
    raw = _unb64(sealed)
    try:
        body = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8"))
    except InvalidTag:
        raise Locked("the key does not open this text") from None
    return json.loads(body.decode("utf-8"))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise Locked("sealed data is damaged") from None
