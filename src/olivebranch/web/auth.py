"""Who is asking, in hosted mode: page sessions (cookies), API tokens (Bearer), CSRF, limits.

Everything a request needs is in the database (tokens are stored hashed, limits are
counted in a shared table), so any worker can answer any request, after a restart too.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from hashlib import sha256

from starlette.requests import Request
from starlette.responses import Response

from olivebranch.hosted import passwords
from olivebranch.hosted.settings import HostedConfig
from olivebranch.hosted.tokens import new_token, token_hash
from olivebranch.store import Account, Store, vault

SESSION_COOKIE = "ob_session"
CSRF_COOKIE = "ob_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


class SignInNeeded(Exception):
    """The request needs a signed-in person and has none (or a stale session)."""


class Limited(Exception):
    """A rate limit was reached; ``retry_after`` seconds until it eases."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.message = message
        self.retry_after = retry_after
        super().__init__(message)


@dataclass(frozen=True)
class Gate:
    """Hosted mode's checks, over the app's store and settings."""

    store: Store
    config: HostedConfig

    # -- who

    def session_account(self, request: Request, now: datetime) -> Account | None:
        """The signed-in account of a page request; its data key is unlocked for this request."""
        token = request.cookies.get(SESSION_COOKIE)
        account = self._token_account(token, "session", now) if token else None
        request.scope["account"] = account
        return account

    def bearer_account(self, request: Request, now: datetime) -> Account | None:
        """The account of an API request's token; its data key is unlocked for this request."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self._token_account(token.strip(), "api", now)

    def _token_account(self, token: str, kind: str, now: datetime) -> Account | None:
        account = self.store.token_account(token_hash(token), kind, now)
        if account is None:
            return None
        try:
            vault.unlock(account.person_id, vault.unwrap(account.wrapped_key, vault.token_key(token)))
        except vault.Locked:
            return None  # a token whose key copy does not open: treat it as signed out
        return account

    # -- accounts and their keys

    def new_account(self, email: str, password: str, now: datetime) -> Account:
        """An account whose fresh data key is wrapped under its password (AccountExists if taken)."""
        salt = vault.new_salt()
        data_key = vault.new_data_key()
        wrapped = vault.wrap(data_key, vault.password_key(password, salt))
        account = self.store.create_account(
            email, passwords.hash_password(password), salt.hex(), wrapped, now
        )
        vault.unlock(account.person_id, data_key)
        return account

    def sign_in(self, email: str, password: str) -> tuple[Account, bytes] | None:
        """The account and its data key when the password is right; the same work when not."""
        # An address that could never have signed up is not looked up (the database may refuse it).
        account = self.store.account(email) if normal_email(email) == email else None
        if not passwords.verify(account.password_hash if account else None, password) or account is None:
            return None
        kek = vault.password_key(password, bytes.fromhex(account.key_salt))
        data_key = vault.unwrap(account.wrapped_key, kek)
        vault.unlock(account.person_id, data_key)
        return account, data_key

    def change_password(self, account: Account, old: str, new: str) -> bool:
        """Re-wrap the data key under the new password; False when the old one is wrong."""
        found = self.sign_in(account.email, old)
        if found is None:
            return False
        salt = vault.new_salt()
        wrapped = vault.wrap(found[1], vault.password_key(new, salt))
        self.store.change_password(account.id, passwords.hash_password(new), salt.hex(), wrapped)
        return True

    def issue(self, account: Account, data_key: bytes, kind: str, now: datetime) -> str:
        """A new sign-in token, with the data key wrapped under a key only the token can derive."""
        token = new_token()
        wrapped = vault.wrap(data_key, vault.token_key(token))
        expires = now + timedelta(days=self.config.token_days)
        self.store.add_token(account.id, token_hash(token), kind, wrapped, now, expires)
        return token

    def start_session(
        self, response: Response, request: Request, account: Account, data_key: bytes, now: datetime
    ) -> None:
        token = self.issue(account, data_key, "session", now)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=self.config.token_days * 86400,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )

    def end_session(self, response: Response, request: Request) -> None:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            self.store.revoke_token(token_hash(token))
        response.delete_cookie(SESSION_COOKIE, path="/")

    # -- forms

    def csrf_token(self, request: Request) -> str:
        """The page's anti-forgery value: the cookie's, bound to the secret key."""
        raw = request.cookies.get(CSRF_COOKIE) or request.scope.get("new_csrf")
        if not raw:
            raw = secrets.token_urlsafe(24)
            request.scope["new_csrf"] = raw
        return hmac.new(self.config.secret_key.encode(), raw.encode(), sha256).hexdigest()

    def remember_csrf(self, request: Request, response: Response) -> None:
        fresh = request.scope.get("new_csrf")
        if fresh and not request.cookies.get(CSRF_COOKIE):
            response.set_cookie(
                CSRF_COOKIE,
                fresh,
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
                path="/",
            )

    def csrf_ok(self, request: Request, sent: str | None) -> bool:
        raw = request.cookies.get(CSRF_COOKIE)
        if not raw or not sent:
            return False
        expected = hmac.new(self.config.secret_key.encode(), raw.encode(), sha256).hexdigest()
        return hmac.compare_digest(expected, sent)

    # -- limits

    def limit(self, key: str, per: int, window: timedelta, now: datetime, what: str) -> None:
        if not self.store.hit(key, now, window, per):
            wait = self.store.retry_after(key, now, window)
            raise Limited(f"Too many {what} in a short time; please wait {wait} seconds and try again.", wait)

    def sign_in_limits(self, request: Request, email: str, now: datetime) -> None:
        self.limit(
            f"signin-ip:{client(request)}", self.config.signins_per_minute, MINUTE, now, "sign-in attempts"
        )
        self.limit(
            f"signin-account:{sha256(email.encode('utf-8')).hexdigest()}",  # no address kept in the table
            self.config.account_signins_per_minute,
            MINUTE,
            now,
            "sign-in attempts",
        )

    def sign_up_limit(self, request: Request, now: datetime) -> None:
        self.limit(f"signup-ip:{client(request)}", self.config.signups_per_hour, HOUR, now, "new accounts")

    def event_limit(self, person_id: int, now: datetime) -> None:
        self.limit(f"events:{person_id}", self.config.events_per_minute, MINUTE, now, "entries")


def client(request: Request) -> str:
    """The client's address (the proxy's forwarded one only when the proxy is trusted)."""
    return request.client.host if request.client else "unknown"


def normal_email(value: str) -> str | None:
    """The address as stored (trimmed, lower-case), or None when it isn't an e-mail address."""
    email = value.strip().lower()
    return email if EMAIL.match(email) and len(email) <= 320 else None
