"""The web app: the whole program as server-rendered pages, with htmx for the live parts.

Every page works without JavaScript; scripts only make it livelier (the live draft
check, the pause timer, the quick exit on Escape). Nothing is fetched from anywhere
else: scripts and styles are served from ``/static``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from olivebranch import config
from olivebranch.hosted import settings as hosted_settings
from olivebranch.hosted.tokens import new_token, token_hash
from olivebranch.program.events import Event, Kind
from olivebranch.program.profile import AnswersInvalid, parse_answers
from olivebranch.program.regions import support_region
from olivebranch.service import (
    Problem,
    Recorded,
    StoreProgram,
    clean_text,
    journal_data,
    set_passphrase,
    unlock_with_passphrase,
)
from olivebranch.store import vault
from olivebranch.web import views
from olivebranch.web.auth import CSRF_FIELD, CSRF_HEADER, Gate, Limited, SignInNeeded
from olivebranch.web.clock import TEST_CLOCK_ENV, TEST_CLOCK_FILE, Clock
from olivebranch.web.forms import FormErrors, add_answer_errors, int_field, intake_answers

HOSTED_ENV = "OLIVEBRANCH_HOSTED"
FORM_POST = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>")


UNLOCK_COOKIE = "ob_unlock"
UNLOCKED_FOR = timedelta(hours=12)
LOCAL_PERSON = 1


class UnlockNeeded(Exception):
    """Local mode with a passphrase: this browser has not unlocked the data."""


class FormForged(Exception):
    """A form post without this site's anti-forgery value (hosted mode)."""


WEB = files("olivebranch.web")
MAX_UPLOAD = 20 * 1024 * 1024
THREADS_PER_WORKER = 2


_SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
        b"object-src 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """No framing, no referrer, scripts and styles only from here; no cross-site form posts.

    Plain ASGI (not BaseHTTPMiddleware, which costs a task and a stream per request).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "POST" and (b"sec-fetch-site", b"cross-site") in scope["headers"]:
            await Response("Cross-site form posts are refused.", status_code=403)(scope, receive, send)
            return

        secure = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k not in _REPLACED]
                if not any(k == b"cache-control" for k, _v in headers):
                    headers.append((b"cache-control", b"no-store"))
                if secure:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message = {**message, "headers": headers + _SECURITY_HEADERS}
            await send(message)

        await self.app(scope, receive, with_headers)


_REPLACED = frozenset(name for name, _value in _SECURITY_HEADERS)


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, whether announced or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _too_large(scope, receive, send, self.limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(scope, receive, send, self.limit)


class _TooLarge(Exception):
    pass


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    answer = JSONResponse(
        {"error": f"The request is larger than {limit:,} bytes.", "fields": {}}, status_code=413
    )
    await answer(scope, receive, send)


def create_app(
    data_dir: Path | None = None,
    *,
    test_clock: bool | None = None,
    hosted: bool | None = None,
    migrate: bool = True,
) -> FastAPI:
    """The app over the SQLite file in ``data_dir`` (or OLIVEBRANCH_DATABASE_URL).

    Hosted mode (``hosted``, else OLIVEBRANCH_HOSTED=1) adds accounts, sign-in and the JSON
    API; its settings are validated here and a bad one stops the start (ConfigError).
    """
    if test_clock is None:
        test_clock = os.environ.get(TEST_CLOCK_ENV) == "1"
    if hosted is None:
        hosted = hosted_settings.hosted()
    if test_clock and hosted:
        raise RuntimeError(f"{TEST_CLOCK_ENV}=1 moves the clock for tests and is refused in hosted mode")
    hosted_config = hosted_settings.load() if hosted else None
    from olivebranch.store import open_store

    directory = config.data_dir(data_dir)
    store = open_store(config.database_url(directory), migrate=migrate)
    clock = Clock(movable=test_clock, shared=directory / TEST_CLOCK_FILE)
    templates = Jinja2Templates(directory=str(WEB.joinpath("templates")))
    views.install(templates.env)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Pages are rendered in threads; a few at a time keep one process's requests from
        # crowding each other (and its database connections) out. More load: more --workers.
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS_PER_WORKER
        yield
        store.close()

    app = FastAPI(
        title="Olive Branch",
        version="1",
        description="The JSON API of a hosted Olive Branch. Sign up, sign in for a token, then send it as "
        "`Authorization: Bearer TOKEN`.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if hosted else None,
        lifespan=lifespan,
    )
    app.add_middleware(SecurityHeaders)
    if hosted_config is not None:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(BodyLimit, limit=hosted_config.max_body_bytes)
        app.add_middleware(
            ProxyHeadersMiddleware, trusted_hosts=[str(n) for n in hosted_config.trusted_proxies] or []
        )
    gate = Gate(store, hosted_config) if hosted_config is not None else None
    app.state.gate = gate
    app.mount("/static", StaticFiles(directory=str(WEB.joinpath("static"))), name="static")
    app.state.store = store
    app.state.clock = clock

    def program(request: Request) -> StoreProgram:
        """The program of whoever is asking: the one local person, or the signed-in account's."""
        if gate is None:
            if not local_unlocked(request):
                raise UnlockNeeded
            return StoreProgram(store, clock)
        account = gate.session_account(request, clock())
        if account is None:
            raise SignInNeeded
        return StoreProgram(store, clock, account.person_id)

    def local_unlocked(request: Request) -> bool:
        """Local mode: no passphrase, or this browser's unlocked session opens the data key."""
        if "unlocked" in request.scope:
            return bool(request.scope["unlocked"])
        request.scope["unlocked"] = result = _local_unlocked(request)
        return result

    def _local_unlocked(request: Request) -> bool:
        if store.person_key(LOCAL_PERSON) is None:
            return True
        token = request.cookies.get(UNLOCK_COOKIE)
        found = store.local_token(token_hash(token), clock()) if token else None
        if found is None:
            return False
        try:
            vault.unlock(found[0], vault.unwrap(found[1], vault.token_key(token or "")))
        except vault.Locked:
            return False
        return True

    def render(
        request: Request, name: str, p: StoreProgram, status_code: int = 200, **context: Any
    ) -> Response:
        context.setdefault("hosted", gate is not None)
        response = templates.TemplateResponse(
            request, name, views.page_context(p, request, **context), status_code=status_code
        )
        return protect(request, response)

    def protect(request: Request, response: Response) -> Response:
        """In hosted mode, every form on the page carries the anti-forgery value."""
        if gate is None or not isinstance(response, HTMLResponse):
            return response
        token = gate.csrf_token(request)
        field = f'<input type="hidden" name="{CSRF_FIELD}" value="{token}">'
        body = FORM_POST.sub(lambda m: m.group(0) + field, bytes(response.body).decode("utf-8"))
        body = body.replace("<body ", f'<body hx-headers=\'{{"X-CSRF-Token": "{token}"}}\' ', 1)
        answer = HTMLResponse(body, status_code=response.status_code)
        for key, value in response.headers.items():
            if key.lower() not in ("content-length", "content-type"):
                answer.headers[key] = value
        gate.remember_csrf(request, answer)
        return answer

    def done(where: str, saved: str) -> Response:
        return RedirectResponse(f"{where}?saved={saved}", status_code=303)

    def after_record(
        request: Request, p: StoreProgram, recorded: Recorded, where: str, saved: str
    ) -> Response:
        """Back to the page, or (when the screen found something or the count restarted) say so first."""
        if recorded.screened is None and not recorded.restarted:
            return done(where, saved)
        return render(request, "logged.html", p, recorded=recorded, back=where)

    async def form_of(request: Request) -> dict[str, Any]:
        form = await request.form()
        values = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        if gate is not None:
            sent = values.pop(CSRF_FIELD, None) or request.headers.get(CSRF_HEADER)
            if not gate.csrf_ok(request, sent):
                raise FormForged
            account = gate.session_account(request, clock())
            if account is not None:
                gate.event_limit(account.person_id, clock())
        return values

    # ------------------------------------------------------------ home, onboarding

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        if gate is not None and gate.session_account(request, clock()) is None:
            return visitor(request, "signin.html")
        if gate is None and not local_unlocked(request):
            return visitor(request, "unlock.html")
        p = program(request)
        if p.intake() is None:
            return render(request, "welcome.html", p)
        return render(request, "today.html", p)

    @app.get("/start", response_class=HTMLResponse)
    def start_form(request: Request) -> Response:
        p = program(request)
        return render(request, "start.html", p, values={}, errors=FormErrors(), redo=p.intake() is not None)

    @app.post("/start", response_class=HTMLResponse)
    async def start(request: Request) -> Response:
        form = await request.form()
        values = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        reasons = [str(v) for v in form.getlist("reasons")]
        p = program(request)
        answers, errors = intake_answers(values, reasons)
        if not errors:
            try:
                parse_answers(answers, p.now(views.zone_or_utc(answers["timezone"])).date())
            except AnswersInvalid as invalid:
                add_answer_errors(errors, invalid)
        if errors:
            values["reasons"] = reasons  # type: ignore[assignment]
            return render(
                request, "start.html", p, 400, values=values, errors=errors, redo=p.intake() is not None
            )
        recorded = p.start(answers)
        return render(request, "plan.html", p, recorded=recorded, fresh=True)

    @app.get("/plan", response_class=HTMLResponse)
    def plan(request: Request) -> Response:
        p = program(request)
        if p.intake() is None:
            return RedirectResponse("/", status_code=303)
        return render(request, "plan.html", p, recorded=None, fresh=False)

    # ------------------------------------------------------------ today

    @app.post("/checkin")
    async def checkin(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        errors = FormErrors()
        mood = int_field(form, "mood", 1, 10, errors)
        urge = int_field(form, "urge", 0, 10, errors)
        if errors:
            return render(request, "today.html", p, 400, errors=errors, values=form)
        recorded = p.record(Kind.CHECKIN, mood=mood, urge=urge)
        return after_record(request, p, recorded, "/", "checkin")

    @app.post("/let-go")
    async def let_go(request: Request) -> Response:
        p = program(request)
        p.record(Kind.LET_GO)
        return done("/", "let_go")

    @app.post("/safety/review")
    async def safety_review(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        outcome = form.get("outcome")
        if outcome not in ("misread", "confirmed"):
            errors = FormErrors(general=["Please choose an answer: misread, or read right."])
            return render(request, "today.html", p, 400, errors=errors)
        p.record(Kind.SCREEN_REVIEW, outcome=outcome)
        return done("/", f"review_{outcome}")

    @app.post("/safety/concern")
    async def safety_concern(request: Request) -> Response:
        p = program(request)
        p.record(Kind.SAFETY_CONCERN)
        return done("/", "safety_concern")

    @app.post("/harassment-stopped")
    async def harassment_stopped(request: Request) -> Response:
        p = program(request)
        p.record(Kind.HARASSMENT_STOPPED)
        return done("/", "harassment_stopped")

    # ------------------------------------------------------------ urge flow

    @app.get("/urge", response_class=HTMLResponse)
    def urge(request: Request, minutes: int = views.PAUSE_MINUTES) -> Response:
        p = program(request)
        minutes = min(max(minutes, 1), 60)
        return render(request, "urge.html", p, minutes=minutes)

    @app.get("/urge/write", response_class=HTMLResponse)
    def urge_write(request: Request) -> Response:
        p = program(request)
        return render(request, "urge_write.html", p, values={}, errors=FormErrors(), checked=None)

    @app.post("/urge/write", response_class=HTMLResponse)
    async def urge_done(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        errors = FormErrors()
        outcome = form.get("outcome")
        try:
            unsent = clean_text(form.get("unsent"), "unsent")
            trigger = clean_text(form.get("trigger"), "trigger")
        except Problem as problem:
            errors.add(problem.field or "unsent", problem.message[:1].upper() + problem.message[1:] + ".")
            unsent = trigger = None
        if outcome == "check":
            checked = views.check_draft(p, form.get("unsent", ""), "no_contact") if not errors else None
            return render(request, "urge_write.html", p, values=form, errors=errors, checked=checked)
        if outcome not in views.URGE_OUTCOMES:
            errors.add("outcome", "Please choose what you did with the message.")
        if errors:
            return render(request, "urge_write.html", p, 400, values=form, errors=errors, checked=None)
        recorded = p.record(Kind.URGE, unsent=unsent, trigger=trigger, outcome=outcome)
        if outcome != "held":
            recorded = p.record(Kind.SLIP, trigger=trigger or "an urge")
        return render(request, "urge_done.html", p, recorded=recorded, outcome=outcome)

    # ------------------------------------------------------------ coach

    @app.get("/coach", response_class=HTMLResponse)
    def coach(request: Request) -> Response:
        p = program(request)
        return render(request, "coach.html", p, values={}, checked=None, errors=FormErrors())

    @app.post("/coach", response_class=HTMLResponse)
    async def coach_check(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        if views.on_hold(p) and form.get("stage") != "no_contact":
            return render(request, "coach.html", p, 409, values={}, checked=None)
        errors, checked = await run_in_threadpool(views.checked_or_errors, p, form)  # off the event loop
        code = 400 if errors else 200
        if request.headers.get("hx-request") == "true":
            return render(request, "_check.html", p, code, checked=checked, errors=errors)
        return render(request, "coach.html", p, code, values=form, checked=checked, errors=errors)

    @app.post("/screen", response_class=HTMLResponse)
    async def screen_live(request: Request) -> Response:
        """Live screening of a text being written (nothing stored): help at once when needed."""
        form = await form_of(request)
        p = program(request)
        text = "\n".join(v for k, v in form.items() if k in views.SCREENED_FIELDS and v.strip())
        return render(request, "_screen_live.html", p, screened=views.screen_only(p, text))

    # ------------------------------------------------------------ contact log

    @app.get("/contact", response_class=HTMLResponse)
    def contact(request: Request) -> Response:
        p = program(request)
        if p.intake() is None:
            return RedirectResponse("/", status_code=303)
        return render(request, "contact.html", p, errors=FormErrors(), values={})

    @app.post("/contact/sent", response_class=HTMLResponse)
    async def contact_sent(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        try:
            text = clean_text(form.get("text"), "sent_text")
            at = views.moment(p, form.get("at"), "sent_at")
            recorded = p.record(
                Kind.SENT,
                at,
                text=text,
                logistics=form.get("logistics") == "yes",
                answering=form.get("answering") == "yes",
            )
        except Problem as problem:
            return render(request, "contact.html", p, 400, errors=views.problem_errors(problem), values=form)
        return after_record(request, p, recorded, "/contact", "sent")

    @app.post("/contact/ex", response_class=HTMLResponse)
    async def contact_ex(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        try:
            text = clean_text(form.get("text"), "ex_text")
            at = views.moment(p, form.get("at"), "ex_at")
            tone = None
            if text:
                reading = views.read_reply(text)
                tone = reading.tone.value if reading is not None else None
            recorded = p.record(
                Kind.EX_CONTACT, at, text=text, logistics=form.get("logistics") == "yes", tone=tone
            )
        except Problem as problem:
            return render(request, "contact.html", p, 400, errors=views.problem_errors(problem), values=form)
        return after_record(request, p, recorded, "/contact", "ex")

    @app.post("/contact/reply/read", response_class=HTMLResponse)
    async def contact_reply_read(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        try:
            text = clean_text(form.get("text"), "reply_text")
            views.moment(p, form.get("at"), "reply_at")
        except Problem as problem:
            return render(request, "contact.html", p, 400, errors=views.problem_errors(problem), values=form)
        if not text:
            return render(
                request,
                "contact.html",
                p,
                400,
                errors=_one("reply_text", "Paste or type what they wrote, so it can be read."),
                values=form,
            )
        reading = views.read_reply(text)
        return render(request, "reply_confirm.html", p, text=text, at=form.get("at", ""), reading=reading)

    @app.post("/contact/reply", response_class=HTMLResponse)
    async def contact_reply(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        tone = form.get("tone")
        try:
            text = clean_text(form.get("text"), "reply_text")
            at = views.moment(p, form.get("at"), "reply_at")
            if tone not in views.TONES:
                raise Problem("Please choose how the reply felt.", "tone")
            reading = views.read_reply(text) if text else None
            read_by = "reader" if reading is not None and reading.tone.value == tone else None
            recorded = p.record(
                Kind.REPLY,
                at,
                tone=tone,
                text=text,
                no_contact_requested=form.get("no_contact_requested") == "yes",
                tone_read_by=read_by,
            )
        except Problem as problem:
            return render(request, "contact.html", p, 400, errors=views.problem_errors(problem), values=form)
        return after_record(request, p, recorded, "/contact", "reply")

    @app.post("/contact/meeting", response_class=HTMLResponse)
    async def contact_meeting(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        try:
            went = form.get("went")
            if went not in ("good", "mixed", "bad"):
                raise Problem("Please choose how it went.", "went")
            note = clean_text(form.get("note"), "meeting_note")
            at = views.moment(p, form.get("at"), "meeting_at")
            recorded = p.record(Kind.MEETING, at, went=went, note=note)
        except Problem as problem:
            return render(request, "contact.html", p, 400, errors=views.problem_errors(problem), values=form)
        return after_record(request, p, recorded, "/contact", "meeting")

    @app.post("/contact/other", response_class=HTMLResponse)
    async def contact_other(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        try:
            kind = form.get("kind", "")
            if kind not in views.OTHER_KINDS:
                raise Problem("Please choose what happened.", "other_kind")
            note = clean_text(form.get("note"), "other_note")
            at = views.moment(p, form.get("at"), "other_at")
            recorded = p.record(Kind(kind), at, note=note)
        except Problem as problem:
            return render(request, "contact.html", p, 400, errors=views.problem_errors(problem), values=form)
        return after_record(request, p, recorded, "/contact", "other")

    @app.post("/contact/conversation", response_class=HTMLResponse)
    async def contact_conversation(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        try:
            outcome = form.get("outcome")
            if outcome not in ("together", "not_yet", "apart"):
                raise Problem("Please choose how it ended.", "conversation_outcome")
            note = clean_text(form.get("note"), "conversation_note")
            recorded = p.record(Kind.CONVERSATION, outcome=outcome, note=note)
        except Problem as problem:
            return render(request, "contact.html", p, 400, errors=views.problem_errors(problem), values=form)
        return after_record(request, p, recorded, "/contact", "conversation")

    # ------------------------------------------------------------ journal

    @app.get("/journal", response_class=HTMLResponse)
    def journal(request: Request) -> Response:
        p = program(request)
        if p.intake() is None:
            return RedirectResponse("/", status_code=303)
        return render(request, "journal.html", p, errors=FormErrors(), values={})

    @app.post("/journal", response_class=HTMLResponse)
    async def journal_write(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        try:
            data = journal_data(form.get("prompt", "free"), form.get("text", ""))
            recorded = p.record(Kind.JOURNAL, **data)
        except Problem as problem:
            return render(request, "journal.html", p, 400, errors=views.problem_errors(problem), values=form)
        return after_record(request, p, recorded, "/journal", "journal")

    @app.post("/journal/readiness", response_class=HTMLResponse)
    async def journal_readiness(request: Request) -> Response:
        return await _check(request, Kind.READINESS, views.READINESS, "readiness")

    @app.post("/journal/conversation-readiness", response_class=HTMLResponse)
    async def journal_conversation_readiness(request: Request) -> Response:
        return await _check(
            request, Kind.CONVERSATION_READINESS, views.CONVERSATION, "conversation_readiness"
        )

    @app.post("/journal/reassessment", response_class=HTMLResponse)
    async def journal_reassessment(request: Request) -> Response:
        """The unclear track's re-assessment: all yes opens reconnecting, otherwise letting go."""
        from olivebranch.program.readiness import evaluate_check

        form = await form_of(request)
        p = program(request)
        answers = {key: form.get(key) == "yes" for key in views.REASSESSMENT_CHECK}
        outcome = "reconcile" if evaluate_check(views.REASSESSMENT_CHECK, answers).passed else "let_go"
        recorded = p.record(Kind.REASSESSMENT, answers=answers, outcome=outcome)
        return render(request, "logged.html", p, recorded=recorded, back="/")

    async def _check(request: Request, kind: Kind, questions: dict[str, str], saved: str) -> Response:
        form = await form_of(request)
        p = program(request)
        answers = {key: form.get(key) == "yes" for key in questions}
        p.record(kind, answers=answers, passed=all(answers.values()))
        return done("/journal", saved)

    # ------------------------------------------------------------ signals, patterns, timeline

    @app.get("/signals", response_class=HTMLResponse)
    def signals(request: Request) -> Response:
        p = program(request)
        if p.intake() is None:
            return RedirectResponse("/", status_code=303)
        return render(request, "signals.html", p, errors=FormErrors(), values={})

    @app.post("/signals", response_class=HTMLResponse)
    async def signal_log(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        try:
            kind = form.get("kind", "")
            if kind not in views.SIGNAL_KINDS:
                raise Problem("Please choose what they did.", "kind")
            note = clean_text(form.get("note"), "note")
            interpretation = clean_text(form.get("interpretation"), "interpretation")
            at = views.moment(p, form.get("at"), "at")
            recorded = p.record(Kind.SIGNAL, at, kind=kind, note=note, interpretation=interpretation)
        except Problem as problem:
            return render(request, "signals.html", p, 400, errors=views.problem_errors(problem), values=form)
        return after_record(request, p, recorded, "/signals", "signal")

    @app.get("/patterns", response_class=HTMLResponse)
    def patterns_page(request: Request) -> Response:
        p = program(request)
        return render(request, "patterns.html", p, patterns=views.patterns_of(p))

    @app.get("/timeline", response_class=HTMLResponse)
    def timeline_page(request: Request) -> Response:
        p = program(request)
        return render(request, "timeline.html", p, entries=views.timeline_of(p))

    @app.get("/timeline.ics")
    def timeline_ics(request: Request) -> Response:
        from olivebranch.calendar import milestones_ics

        p = program(request)
        entries = views.timeline_of(p)
        if entries is None:
            return RedirectResponse("/", status_code=303)
        return Response(
            milestones_ics(entries, p.now()),
            media_type="text/calendar",
            headers={"Content-Disposition": 'attachment; filename="olivebranch-milestones.ics"'},
        )

    # ------------------------------------------------------------ guide

    @app.get("/guide", response_class=HTMLResponse)
    def guide(request: Request) -> Response:
        p = program(request)
        return render(request, "guide.html", p, query="", results=None)

    @app.post("/guide", response_class=HTMLResponse)
    async def guide_search(request: Request) -> Response:
        """Search by POST, so what the person looked for never sits in a URL or the history."""
        from olivebranch.guide.library import search

        form = await form_of(request)
        p = program(request)
        query = form.get("q", "")[:200]
        results = search(query)
        if (
            request.headers.get("hx-request") == "true"
            and request.headers.get("hx-target") == "guide-results"
        ):
            return render(request, "_guide_results.html", p, query=query, results=results)
        return render(request, "guide.html", p, query=query, results=results)

    @app.get("/guide/{page_id}", response_class=HTMLResponse)
    def guide_page(request: Request, page_id: str) -> Response:
        from olivebranch.guide.library import page

        p = program(request)
        found = page(page_id)
        if found is None:
            return render(request, "problem.html", p, 404, problem=Problem("There is no guide page here."))
        return render(request, "guide_page.html", p, page=found, body=views.guide_html(p, found))

    # ------------------------------------------------------------ settings

    @app.get("/settings", response_class=HTMLResponse)
    def settings(request: Request) -> Response:
        p = program(request)
        return render(request, "settings.html", p, errors=FormErrors())

    @app.post("/settings/region", response_class=HTMLResponse)
    async def settings_region(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        code = support_region(form.get("region", ""))
        if code is None:
            return render(
                request,
                "settings.html",
                p,
                400,
                errors=_one("region", "Please choose a country from the list."),
            )
        if p.intake() is None:
            p.append(Event(Kind.SETTINGS, p.now(), {"region": code}))
        else:
            p.record(Kind.SETTINGS, region=code)
        return done("/settings", "region")

    @app.get("/settings/export")
    def settings_export(request: Request) -> Response:
        p = program(request)
        document = p.store().export(p.person_id, exported_at=p.now())
        body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        return Response(
            body,
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="olivebranch-export.json"'},
        )

    @app.post("/settings/import", response_class=HTMLResponse)
    async def settings_import(request: Request, file: UploadFile | None = None) -> Response:
        p = program(request)
        message = None
        if file is None or not file.filename:
            message = "Please choose the file you exported."
        else:
            raw = await file.read(MAX_UPLOAD + 1)
            if len(raw) > MAX_UPLOAD:
                message = "That file is too large to be an export."
            else:
                try:
                    document = json.loads(raw.decode("utf-8"))
                    count = p.store().import_(document, p.person_id)
                except (UnicodeDecodeError, json.JSONDecodeError):
                    message = "That file is not an Olive Branch export (it is not JSON text)."
                except Exception as err:  # the store's own refusal, said plainly
                    from olivebranch.store import StoreError

                    if not isinstance(err, StoreError):
                        raise
                    message = str(err)
        if message is not None:
            return render(request, "settings.html", p, 400, errors=_one("file", message))
        return done("/settings", f"imported_{count}")

    @app.get("/settings/delete", response_class=HTMLResponse)
    def settings_delete_form(request: Request) -> Response:
        p = program(request)
        return render(request, "delete.html", p, errors=FormErrors())

    @app.post("/settings/delete", response_class=HTMLResponse)
    async def settings_delete(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        if form.get("confirm") != "yes":
            return render(
                request,
                "delete.html",
                p,
                400,
                errors=_one("confirm", "Tick the box to confirm; nothing has been deleted."),
            )
        p.store().forget(p.person_id)
        return done("/", "deleted")

    # ------------------------------------------------------------ installable app, offline

    @app.get("/manifest.webmanifest")
    def manifest() -> Response:
        body = {
            "name": "Notes",
            "short_name": "Notes",
            "description": "A private, calm place for the weeks after a breakup.",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#f7f6f2",
            "theme_color": "#3f6b4f",
            "icons": [
                {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
                {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png"},
                {
                    "src": "/static/icon-512.png",
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
                {"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml"},
            ],
        }
        return JSONResponse(body, media_type="application/manifest+json")

    @app.get("/sw.js")
    def service_worker() -> Response:
        script = WEB.joinpath("static", "sw.js").read_bytes()
        return Response(script, media_type="text/javascript", headers={"Cache-Control": "no-cache"})

    @app.get("/offline", response_class=HTMLResponse)
    def offline(request: Request) -> Response:
        """The calm page the service worker shows when the server cannot be reached (no personal data)."""
        return templates.TemplateResponse(
            request, "offline.html", views.bare_context(request), headers={"Cache-Control": "no-cache"}
        )

    # ------------------------------------------------------------ help, test clock

    @app.get("/help", response_class=HTMLResponse)
    def help_page(request: Request) -> Response:
        from olivebranch.safety.resources import load
        from olivebranch.safety.resources import resources_for as lines_for

        if not signed_in(request):  # the support lines are there for anyone, signed in or not
            return visitor(request, "help.html", all_help=lines_for(load(), "INTL"))
        p = program(request)
        region = p.region_if_any()
        return render(request, "help.html", p, all_help=lines_for(load(), region or "INTL"))

    if test_clock:

        @app.post("/__test__/clock")
        async def move_clock(request: Request) -> Response:
            form = await form_of(request)
            try:
                moment = datetime.fromisoformat(form.get("now", ""))
            except ValueError:
                return JSONResponse({"error": "now: not an ISO date-time"}, status_code=400)
            if moment.tzinfo is None:
                return JSONResponse({"error": "now: give a UTC offset"}, status_code=400)
            clock.move_to(moment)
            return JSONResponse({"now": clock().isoformat()})

    # ------------------------------------------------------------ local mode: the passphrase

    @app.get("/unlock", response_class=HTMLResponse)
    def unlock_form(request: Request) -> Response:
        return visitor(request, "unlock.html")

    @app.post("/unlock", response_class=HTMLResponse)
    async def unlock(request: Request) -> Response:
        form = await form_of(request)
        try:
            data_key = unlock_with_passphrase(store, LOCAL_PERSON, form.get("passphrase", ""))
        except Problem:
            errors = FormErrors(general=["That passphrase does not unlock your data."])
            return visitor(request, "unlock.html", 400, errors=errors)
        token = new_token()
        wrapped = vault.wrap(data_key, vault.token_key(token))
        store.add_local_token(token_hash(token), LOCAL_PERSON, wrapped, clock() + UNLOCKED_FOR)
        answer = RedirectResponse("/", status_code=303)
        answer.set_cookie(UNLOCK_COOKIE, token, httponly=True, samesite="strict", path="/")
        return answer

    @app.post("/lock")
    async def lock(request: Request) -> Response:
        await form_of(request)
        token = request.cookies.get(UNLOCK_COOKIE)
        if token:
            store.revoke_local_token(token_hash(token))
        answer = RedirectResponse("/", status_code=303)
        answer.delete_cookie(UNLOCK_COOKIE, path="/")
        return answer

    @app.post("/settings/passphrase", response_class=HTMLResponse)
    async def settings_passphrase(request: Request) -> Response:
        form = await form_of(request)
        p = program(request)
        action = form.get("action")
        new = form.get("new_passphrase") or None
        try:
            if action == "set":
                if new is None or new != form.get("confirm_passphrase"):
                    raise Problem("the two new passphrases differ; nothing was changed", "new_passphrase")
            elif action == "remove":
                new = None
            else:
                raise Problem("choose to set or remove the passphrase", "action")
            set_passphrase(store, p.person_id, new, form.get("passphrase") or None)
        except Problem as problem:
            return render(request, "settings.html", p, 400, errors=views.problem_errors(problem))
        answer = RedirectResponse(f"/settings?saved=passphrase_{action}", status_code=303)
        if new is not None:  # stay unlocked in this browser under the new key
            token = new_token()
            data_key = vault.key_for(p.person_id)
            assert data_key is not None
            store.add_local_token(
                token_hash(token),
                p.person_id,
                vault.wrap(data_key, vault.token_key(token)),
                clock() + UNLOCKED_FOR,
            )
            answer.set_cookie(UNLOCK_COOKIE, token, httponly=True, samesite="strict", path="/")
        return answer

    @app.exception_handler(UnlockNeeded)
    async def unlock_needed(request: Request, _exc: Exception) -> Response:
        if request.headers.get("hx-request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": "/unlock"})
        return RedirectResponse("/unlock", status_code=303)

    # ------------------------------------------------------------ hosted mode: sign up, sign in

    def visitor(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
        """A page for someone not signed in: no state, no personal data."""
        page = {
            **views.bare_context(request),
            "hosted": True,
            "values": {},
            "errors": FormErrors(),
            **context,
        }
        return protect(request, templates.TemplateResponse(request, name, page, status_code=status_code))

    if gate is not None:
        from olivebranch.hosted import passwords
        from olivebranch.store import AccountExists
        from olivebranch.web import api
        from olivebranch.web.auth import normal_email

        @app.get("/signin", response_class=HTMLResponse)
        def signin_form(request: Request) -> Response:
            return visitor(request, "signin.html")

        @app.get("/signup", response_class=HTMLResponse)
        def signup_form(request: Request) -> Response:
            return visitor(request, "signup.html")

        @app.post("/signin", response_class=HTMLResponse)
        async def signin(request: Request) -> Response:
            form = await form_of(request)
            now = clock()
            email = normal_email(form.get("email", "")) or form.get("email", "").strip().lower()[:320]
            gate.sign_in_limits(request, email, now)
            found = gate.sign_in(email, form.get("password", ""))
            if found is None:
                errors = FormErrors(general=["That e-mail address and password don't match an account."])
                return visitor(
                    request, "signin.html", 400, errors=errors, values={"email": form.get("email", "")}
                )
            answer = RedirectResponse("/", status_code=303)
            gate.start_session(answer, request, found[0], found[1], now)
            return answer

        @app.post("/signup", response_class=HTMLResponse)
        async def signup(request: Request) -> Response:
            form = await form_of(request)
            now = clock()
            errors = FormErrors()
            email = normal_email(form.get("email", ""))
            if email is None:
                errors.add("email", "Please give an e-mail address, like name@example.org.")
            weak = passwords.problem(form.get("password", ""))
            if weak:
                errors.add("password", weak[:1].upper() + weak[1:] + ".")
            if errors:
                return visitor(
                    request, "signup.html", 400, errors=errors, values={"email": form.get("email", "")}
                )
            gate.sign_up_limit(request, now)
            assert email is not None
            try:
                account = gate.new_account(email, form["password"], now)
            except AccountExists:
                errors.add("email", "There is already an account with this address; sign in instead.")
                return visitor(request, "signup.html", 400, errors=errors, values={"email": email})
            data_key = vault.key_for(account.person_id)
            assert data_key is not None
            answer = RedirectResponse("/", status_code=303)
            gate.start_session(answer, request, account, data_key, now)
            return answer

        @app.post("/settings/password", response_class=HTMLResponse)
        async def settings_password(request: Request) -> Response:
            form = await form_of(request)
            p = program(request)
            account = gate.session_account(request, clock())
            assert account is not None
            new = form.get("new_password", "")
            weak = passwords.problem(new)
            try:
                if new != form.get("confirm_password"):
                    raise Problem("the two new passwords differ; nothing was changed", "new_password")
                if weak:
                    raise Problem(weak, "new_password")
                if not gate.change_password(account, form.get("password", ""), new):
                    raise Problem("the current password is not right", "password")
            except Problem as problem:
                return render(request, "settings.html", p, 400, errors=views.problem_errors(problem))
            return done("/settings", "password")

        @app.post("/signout")
        async def signout(request: Request) -> Response:
            await form_of(request)
            answer = RedirectResponse("/", status_code=303)
            gate.end_session(answer, request)
            return answer

        app.include_router(api.router(store, gate, clock))
        api.install_handlers(app)

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, _exc: Exception) -> Response:
        if request.headers.get("hx-request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": "/signin"})
        return RedirectResponse("/signin", status_code=303)

    @app.exception_handler(FormForged)
    async def form_forged(request: Request, _exc: Exception) -> Response:
        problem = Problem(
            "This form has expired or did not come from this site; reload the page and try again."
        )
        return visitor(request, "problem.html", 403, problem=problem)

    @app.exception_handler(Limited)
    async def limited(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Limited)
        headers = {"Retry-After": str(exc.retry_after)}
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.message, "fields": {}}, status_code=429, headers=headers)
        answer = visitor(request, "problem.html", 429, problem=Problem(exc.message))
        answer.headers["Retry-After"] = str(exc.retry_after)
        return answer

    def signed_in(request: Request) -> bool:
        if gate is None:
            return local_unlocked(request)
        return gate.session_account(request, clock()) is not None

    @app.exception_handler(Problem)
    async def problem_handler(request: Request, problem: Problem) -> Response:
        if not signed_in(request):
            return visitor(request, "problem.html", 400, problem=problem)
        return render(request, "problem.html", program(request), 400, problem=problem)

    @app.exception_handler(404)
    async def not_found(request: Request, _exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "There is nothing at this address.", "fields": {}}, status_code=404)
        missing = Problem("There is no page here.")
        if not signed_in(request):
            return visitor(request, "problem.html", 404, problem=missing)
        return render(request, "problem.html", program(request), 404, problem=missing)

    for route in app.routes:  # the OpenAPI document describes the JSON API, not the pages
        if isinstance(route, APIRoute) and not route.path.startswith("/api/"):
            route.include_in_schema = False
    return app


def _one(name: str, message: str) -> FormErrors:
    errors = FormErrors()
    errors.add(name, message)
    return errors


def app_from_env() -> FastAPI:
    """The app as each worker process of ``olivebranch serve --workers N`` makes it.

    Its settings come from the environment: OLIVEBRANCH_DATA_DIR (``serve`` sets it
    from ``--data-dir``), OLIVEBRANCH_DATABASE_URL, OLIVEBRANCH_TEST_CLOCK.
    """
    return create_app()
