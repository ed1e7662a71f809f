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

from olivebranch.hosted.settings import HostedConfig
from olivebranch.hosted.tokens import new_token, token_hash
from olivebranch.store import Account, Store

SESSION_COOKIE = "ob_session"
CSRF_COOKIE = "ob_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
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
        if "account" in request.scope:
            found: Account | None = request.scope["account"]
            return found
        token = request.cookies.get(SESSION_COOKIE)
        account = self.store.token_account(token_hash(token), "session", now) if token else None
        request.scope["account"] = account
        return account

    def bearer_account(self, request: Request, now: datetime) -> Account | None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.store.token_account(token_hash(token.strip()), "api", now)

    def issue(self, account: Account, kind: str, now: datetime) -> str:
        token = new_token()
        self.store.add_token(
            account.id, token_hash(token), kind, now, now + timedelta(days=self.config.token_days)
        )
        return token

    def start_session(self, response: Response, request: Request, account: Account, now: datetime) -> None:
        token = self.issue(account, "session", now)
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
            f"signin-account:{email}", self.config.account_signins_per_minute, MINUTE, now, "sign-in attempts"
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
