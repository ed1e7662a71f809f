"""The JSON API of hosted mode, described by the OpenAPI document at /openapi.json.

Every answer is JSON. Problems are 4xx with ``{"error", "fields"}``: never a 500 for
bad input. A person reaches only their own data: the token decides whose.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from olivebranch.hosted import passwords
from olivebranch.program.events import Event, Kind
from olivebranch.program.kinds import FieldsInvalid, event_fields
from olivebranch.service import Problem, StoreProgram, parse_moment
from olivebranch.store import Account, AccountExists, Store
from olivebranch.web import api_models as m
from olivebranch.web.auth import Gate, normal_email

MAX_PAGE = 1000
PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {"model": m.Problem, "description": "Bad input; `fields` names each field that is wrong."},
    401: {"model": m.Problem, "description": "No valid token (sign in for one)."},
    409: {"model": m.Problem, "description": "Not possible in the person's current state."},
    413: {"model": m.Problem, "description": "The request body is too large."},
    422: {"model": m.Problem, "description": "The body is not the JSON this endpoint takes."},
    429: {"model": m.Problem, "description": "Too many requests; see Retry-After."},
}


class ApiProblem(Exception):
    def __init__(self, status: int, error: str, fields: dict[str, str] | None = None) -> None:
        self.status = status
        self.error = error
        self.fields = fields or {}
        super().__init__(error)


def router(store: Store, gate: Gate, clock: Callable[[], datetime]) -> APIRouter:
    api = APIRouter(prefix="/api", responses=PROBLEMS)

    def who(request: Request) -> Account:
        account = gate.bearer_account(request, clock())
        if account is None:
            raise ApiProblem(
                401, "Sign in first: send 'Authorization: Bearer TOKEN' with a token from POST /api/session."
            )
        return account

    def program_of(account: Account) -> StoreProgram:
        return StoreProgram(store, clock, account.person_id)

    @api.post("/users", status_code=201, response_model=m.Account, summary="Sign up")
    def sign_up(body: m.Credentials, request: Request) -> m.Account:
        email = normal_email(body.email)
        fields: dict[str, str] = {}
        if email is None:
            fields["email"] = "is not an e-mail address"
        weak = passwords.problem(body.password)
        if weak:
            fields["password"] = weak
        if fields:
            raise ApiProblem(400, "The account cannot be created as asked.", fields)
        assert email is not None
        gate.sign_up_limit(request, clock())
        try:
            account = gate.new_account(email, body.password, clock())
        except AccountExists:
            raise ApiProblem(409, "There is already an account with this address; sign in instead.") from None
        return m.Account(id=account.id, email=account.email)

    @api.post("/session", response_model=m.Token, summary="Sign in for a token")
    def sign_in(body: m.Credentials, request: Request) -> m.Token:
        now = clock()
        email = normal_email(body.email) or body.email.strip().lower()
        gate.sign_in_limits(request, email, now)
        found = gate.sign_in(email, body.password)
        if found is None:
            raise ApiProblem(401, "That e-mail address and password don't match an account.")
        return m.Token(token=gate.issue(found[0], found[1], "api", now))

    @api.post("/password", status_code=204, response_class=Response, summary="Change the password")
    def change_password(body: m.PasswordChange, request: Request) -> Response:
        account = who(request)
        weak = passwords.problem(body.new_password)
        if weak:
            raise ApiProblem(400, "The new password cannot be used.", {"new_password": weak})
        if not gate.change_password(account, body.password, body.new_password):
            raise ApiProblem(400, "The current password is not right.", {"password": "is not right"})
        return Response(status_code=204)

    @api.delete("/session", status_code=204, response_class=Response, summary="Revoke this token")
    def sign_out(request: Request) -> Response:
        who(request)
        token = request.headers["authorization"].partition(" ")[2].strip()
        from olivebranch.hosted.tokens import token_hash

        store.revoke_token(token_hash(token))
        return Response(status_code=204)

    @api.get("/status", summary="The person's status (as `olivebranch status --json`)")
    def status(request: Request) -> dict[str, Any]:
        from olivebranch.present import status_json
        from olivebranch.service import resources_for

        p = program_of(who(request))
        if p.intake() is None:
            raise ApiProblem(409, "There is no intake yet: POST an event of kind 'intake' with the answers.")
        try:
            result = p.status()
        except Problem as problem:
            raise ApiProblem(409, problem.message) from None
        return status_json(result, resources_for(result, p.region_if_any()))

    @api.post("/events", status_code=201, response_model=m.EventOut, summary="Record an event")
    def record(body: m.EventIn, request: Request) -> dict[str, Any]:
        account = who(request)
        gate.event_limit(account.person_id, clock())
        p = program_of(account)
        given = dict(body.model_extra or {})
        try:
            kind = Kind(body.kind)
        except ValueError:
            raise ApiProblem(
                400, f"{body.kind!r} is not an event kind.", {"kind": "is not an event kind"}
            ) from None
        try:
            at = parse_moment(body.at, "at", p.tz()) if len(body.at.strip()) > 10 else None
        except Problem as problem:
            raise ApiProblem(400, f"at: {problem.message}", {"at": problem.message}) from None
        if at is None:
            raise ApiProblem(400, "at: give a date and time, like 2026-11-03T21:30", {"at": "needs a time"})
        if at > p.now():
            raise ApiProblem(400, "at: that moment is in the future", {"at": "is in the future"})
        if kind is Kind.INTAKE:
            return _intake(p, at, given)
        try:
            fields = event_fields(kind, given)
        except FieldsInvalid as err:
            raise ApiProblem(
                400, f"The {kind.value} event cannot be recorded as sent.", dict(err.problems)
            ) from None
        event = Event(kind, at, fields)
        event_id = store.append(event, account.person_id)
        p.screen_free_text(kind, at, fields)
        return {"id": event_id, "kind": kind.value, "at": at.isoformat(), **fields}

    def _intake(p: StoreProgram, at: datetime, answers: dict[str, Any]) -> dict[str, Any]:
        from olivebranch.program.profile import AnswersInvalid, parse_answers

        tz_name = answers.get("timezone")
        local_at = at.astimezone(p.tz()) if not isinstance(tz_name, str) else at
        try:
            parse_answers(answers, local_at.date())
        except AnswersInvalid as err:
            fields = {e.field: e.problem for e in err.errors}
            raise ApiProblem(400, "The intake answers cannot be used.", fields) from None
        event = Event(Kind.INTAKE, at, answers)
        event_id = store.append(event, p.person_id)
        p.screen_free_text(Kind.INTAKE, at, answers)
        return {"id": event_id, "kind": "intake", "at": at.isoformat(), **answers}

    @api.get("/events", response_model=m.EventPage, summary="The person's events, newest first")
    def events(request: Request, limit: int = 100, cursor: str | None = None) -> dict[str, Any]:
        account = who(request)
        if not 1 <= limit <= MAX_PAGE:
            raise ApiProblem(400, f"limit must be from 1 to {MAX_PAGE}.", {"limit": f"must be 1..{MAX_PAGE}"})
        before = _cursor(cursor) if cursor else None
        rows = store.event_page(account.person_id, limit + 1, before)
        page = rows[:limit]
        more = len(rows) > limit
        return {
            "events": [
                {**dict(event.data), "id": event_id, "kind": event.kind.value, "at": event.at.isoformat()}
                for event_id, event in page
            ],
            "next": _encode(page[-1][0]) if more and page else None,
        }

    @api.post("/check", response_model=m.CheckOut, summary="Check a draft (as `olivebranch check --json`)")
    def check(body: m.CheckIn, request: Request) -> dict[str, Any]:
        from olivebranch.checking import check_text, result_json
        from olivebranch.coach.stages import parse_stage
        from olivebranch.contract import text_problem
        from olivebranch.safety.resources import load, resources_for

        p = program_of(who(request))
        problem = text_problem(body.text)
        if problem is not None:
            raise ApiProblem(400, problem, {"text": problem})
        stage = parse_stage(body.stage) if body.stage else _stage(p)
        if stage is None:
            raise ApiProblem(400, f"stage: {body.stage!r} is not a stage", {"stage": "is not a stage"})
        region = _region(body.region) or p.region_if_any()
        result = check_text(body.text, stage)
        lines: list[dict[str, Any]] = []
        if result.crisis:
            for code in [region] if region else ["US", "INTL"]:
                lines += [r.as_json() for r in resources_for(load(), code, kinds=("crisis",)).resources]
        return result_json(None, result, lines)

    @api.post("/screen", response_model=m.ScreenOut, summary="Screen a text (as `olivebranch screen --json`)")
    def screen(body: m.ScreenIn, request: Request) -> dict[str, Any]:
        from olivebranch.contract import text_problem
        from olivebranch.safety_screen import screen_json, screen_text

        p = program_of(who(request))
        problem = text_problem(body.text)
        if problem is not None:
            raise ApiProblem(400, problem, {"text": problem})
        return screen_json(None, screen_text(body.text), _region(body.region) or p.region_if_any())

    @api.get("/export", response_model=m.Export, summary="Everything of the person's, as JSON")
    def export(request: Request) -> dict[str, Any]:
        account = who(request)
        return store.export(account.person_id, exported_at=clock())

    @api.delete(
        "/account", status_code=204, response_class=Response, summary="Delete the account and all its data"
    )
    def delete_account(request: Request) -> Response:
        store.delete_account(who(request))
        return Response(status_code=204)

    def _stage(p: StoreProgram) -> Any:
        from olivebranch.web.views import default_stage

        if p.intake() is None:
            raise ApiProblem(
                400, "Give a stage: there is no intake to take it from.", {"stage": "is required"}
            )
        return default_stage(p.status())

    return api


def _region(value: str | None) -> str | None:
    if value is None:
        return None
    from olivebranch.program.regions import support_region

    code = support_region(value)
    if code is None:
        raise ApiProblem(
            400, "region: not an ISO 3166-1 alpha-2 code (GB, not UK) or INTL", {"region": "unknown"}
        )
    return code


def _encode(event_id: int) -> str:
    return base64.urlsafe_b64encode(f"e{event_id}".encode()).decode().rstrip("=")


def _cursor(value: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        if not raw.startswith("e") or not raw[1:].isdigit():
            raise ValueError
        return int(raw[1:])
    except (ValueError, UnicodeDecodeError):
        raise ApiProblem(400, "cursor: not a cursor from this API", {"cursor": "is not valid"}) from None


def install_handlers(app: FastAPI) -> None:
    """JSON problems for the API: our own, and FastAPI's validation errors in the same shape."""

    async def api_problem(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiProblem)
        return JSONResponse({"error": exc.error, "fields": exc.fields}, status_code=exc.status)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        fields = {".".join(str(x) for x in e["loc"][1:]) or "body": str(e["msg"]) for e in exc.errors()}
        return JSONResponse(
            {"error": "The request is not the JSON this endpoint takes.", "fields": fields}, 422
        )

    app.add_exception_handler(ApiProblem, api_problem)
    app.add_exception_handler(RequestValidationError, invalid)
