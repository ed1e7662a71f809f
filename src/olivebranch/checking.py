"""The `check` command's work: stages, batches, resources and output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any

from olivebranch.coach.checker import CheckResult, Detector, check
from olivebranch.coach.stages import Stage, parse_stage
from olivebranch.contract import BadLine, Line, read_lines

if TYPE_CHECKING:
    from olivebranch.cli import Session

STAGE_NAMES = ", ".join(s.value for s in Stage)


def detectors() -> list[Detector]:
    """The learned model beside the rules (loaded once per process)."""
    from olivebranch.coach.learned import default_detector

    detector = default_detector()
    return [detector] if detector is not None else []


def check_text(text: str, stage: Stage) -> CheckResult:
    """Rules and model together, with a suggestion when the verdict is revise."""
    from dataclasses import replace

    from olivebranch.coach.suggest import suggestion

    result = _plain_check(text, stage)
    return replace(result, suggestion=suggestion(result, _plain_check))


def _plain_check(text: str, stage: Stage) -> CheckResult:
    return check(text, stage, detectors())


class NoStage(Exception):
    """No stage was given and none can be taken from the person's phase."""


def stage_from_phase(session: Session) -> Stage:
    """The person's current stage: their phase, or follow_up while a first message waits."""
    from olivebranch.program.state import NoIntake, evaluate

    events = session.events_if_any()
    try:
        status = evaluate(events, session.now())
    except NoIntake:
        raise NoStage(
            f"no --stage given, and there is no intake to take the phase from; pass --stage ({STAGE_NAMES})"
        ) from None
    phase = status.phase.value
    if phase == "first_contact" and status.contact.awaiting_reply_since is not None:
        return Stage.FOLLOW_UP
    stage = parse_stage(phase)
    if stage is None:
        raise NoStage(
            f"you are in the {phase.replace('_', '-')} phase, which has no messages to check; "
            f"pass --stage ({STAGE_NAMES}) to check a draft anyway"
        )
    return stage


def resources(session: Session, region: str | None, crisis: bool) -> list[dict[str, Any]]:
    """Crisis lines for the region asked for, else the person's, else US and international."""
    if not crisis:
        return []
    from olivebranch.safety.resources import load, resources_for

    data = load()
    if region is None:
        region = session.region_if_any()
    regions = [region] if region else ["US", "INTL"]
    found: list[dict[str, Any]] = []
    for code in regions:
        found += [r.as_json() for r in resources_for(data, code, kinds=("crisis",)).resources]
    return found


def result_json(ident: Any, result: CheckResult, lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": ident,
        "stage": result.stage.value,
        "verdict": result.verdict.value,
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "start": f.start,
                "end": f.end,
                "message": f.message,
            }
            for f in result.findings
        ],
        "suggestion": result.suggestion,
        "resources": lines,
    }


def check_batch(
    session: Session,
    raw_lines: Iterable[bytes],
    stage_option: Stage | None,
    region: str | None,
    out: IO[str],
) -> int:
    """Check every line; print one JSON object per line, in order. Returns the failures."""
    failures = 0
    person: list[Stage | NoStage] = []  # the person's stage, worked out once if needed

    def person_stage() -> Stage:
        if not person:
            try:
                person.append(stage_from_phase(session))
            except NoStage as problem:
                person.append(problem)
        found = person[0]
        if isinstance(found, NoStage):
            raise found
        return found

    for item in read_lines(raw_lines, required=("id", "text"), optional=("stage",)):
        checked = _stage_for(item, stage_option, person_stage) if isinstance(item, Line) else item
        if isinstance(checked, BadLine):
            failures += 1
            print(json.dumps(checked.as_json(), ensure_ascii=False), file=out)
            print(checked.as_json()["error"], file=sys.stderr)
            continue
        line, stage = checked
        result = check_text(line.fields["text"], stage)
        document = result_json(line.id, result, resources(session, region, result.crisis))
        print(json.dumps(document, ensure_ascii=False), file=out)
    return failures


def _stage_for(
    line: Line, option: Stage | None, person_stage: Callable[[], Stage]
) -> tuple[Line, Stage] | BadLine:
    given = line.fields.get("stage")
    if given is not None:
        stage = parse_stage(given)
        if stage is None:
            return BadLine(line.number, line.id, f"unknown stage {given!r}; use one of {STAGE_NAMES}")
        return line, stage
    if option is not None:
        return line, option
    try:
        return line, person_stage()
    except NoStage as problem:
        return BadLine(line.number, line.id, str(problem))
