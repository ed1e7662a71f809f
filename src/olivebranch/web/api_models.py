"""The JSON API's request and response shapes (they make the OpenAPI document at /openapi.json)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Problem(BaseModel):
    """Every 4xx answer: what was wrong, in one plain sentence, and the fields concerned."""

    error: str
    fields: dict[str, str] = Field(default_factory=dict)


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class Account(BaseModel):
    id: int
    email: str


class Token(BaseModel):
    token: str


class EventIn(BaseModel):
    """``kind`` and ``at`` plus the kind's own fields (a journal event carries ``text``)."""

    model_config = ConfigDict(extra="allow")
    kind: str = Field(max_length=40)
    at: str = Field(max_length=64, description="ISO 8601; without an offset it is in the person's time zone.")


class EventOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    kind: str
    at: str


class EventPage(BaseModel):
    events: list[EventOut]
    next: str | None = Field(description="Pass as ?cursor= for the next page; null at the end.")


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=10_000)
    stage: str | None = Field(default=None, max_length=40)
    region: str | None = Field(default=None, max_length=8)


class ScreenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=10_000)
    region: str | None = Field(default=None, max_length=8)


class Finding(BaseModel):
    code: str
    severity: str
    start: int
    end: int
    message: str


class CheckOut(BaseModel):
    id: None = None
    stage: str
    verdict: str
    findings: list[Finding]
    suggestion: str | None
    resources: list[dict[str, Any]]


class Match(BaseModel):
    flag: str
    start: int
    end: int
    reason: str


class ScreenOut(BaseModel):
    id: None = None
    flags: list[str]
    matches: list[Match]
    resources: list[dict[str, Any]]


class Export(BaseModel):
    model_config = ConfigDict(extra="allow")
    format: str
    version: int
    exported_at: str
    events: list[dict[str, Any]]
