"""The gate's decision: pure logic, shared by single check-ins and batch uploads.

Order of the checks, and why:
1. Leaving is never refused: an exit is only recorded.
2. The temperature first ("凡进必测"): a fever refuses entry whoever the person is, and raises the
   alert even for someone unknown.
3. A fever holds: whoever was refused for fever at any gate of the zone is refused at every gate
   from then on, whatever a later reading says, until a normal re-test releases them (a reading
   taken seconds later at another gate proves nothing: the first may have been the true one).
4. Identity: an unknown person cannot be judged by their status.
5. The face, where the site checks faces: the card or number must belong to the one at the gate.
6. A restriction an officer placed (a close contact under observation, a resident in home
   isolation) holds like a red status, whatever the declarations say, until released. Of two,
   the gate names one: home isolation, which the lookup's MAX(kind) picks over close_contact.
7. The health status: none, expired, red (and yellow unless the site admits it).
Every failing check adds its reason, so that the officer sees all of them at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FEVER_THRESHOLD, Decision, Direction, FaceResult

FEVER = Decimal(FEVER_THRESHOLD)

REASON_MESSAGES = {
    "fever": _("Temperature %(temperature)s °C: 37.3 °C or more may not enter."),
    "fever_hold": _("Fever measured at %(since)s: no entry at any gate until a normal re-test is recorded."),
    "unknown_person": _("Not registered: no health declaration for this ID number or card."),
    "no_declaration": _("No health declaration: scan the site's QR code and declare first."),
    "declaration_expired": _("The health declaration has expired: declare again."),
    "status_red": _("Health status red: %(detail)s"),
    "close_contact": _("Close contact under observation: no entry until the officers release them."),
    "home_isolation": _("In home isolation: no entry until the community releases them."),
    "status_yellow": _("Health status yellow: %(detail)s"),
    "face_missing": _("The channel sent no photo."),
    "face_not_enrolled": _("No enrolled face photo for this person."),
    "face_no_face": _("No face found in the photo."),
    "face_mismatch": _("The face does not match the enrolled photo."),
}
FACE_REASONS = {
    FaceResult.MISSING: "face_missing",
    FaceResult.NOT_ENROLLED: "face_not_enrolled",
    FaceResult.NO_FACE: "face_no_face",
    FaceResult.MISMATCH: "face_mismatch",
}


# Named tuples rather than frozen dataclasses: as immutable, and a batch upload makes a thousand
# of them, where a frozen dataclass pays object.__setattr__ for every field.
class GateRules(NamedTuple):
    face_check: bool = False
    require_declaration: bool = True
    admit_yellow: bool = False


class PersonState(NamedTuple):
    """A person as the gate sees them: their current status from the latest verified declaration."""

    person_id: int
    name: str
    status: str | None
    reasons: list[str]
    valid_until: datetime | None
    fever_since: datetime | None = None  # the fever holding them at the passage, where looked up
    restriction: str | None = None  # health.RestrictionKind of an active restriction
    declared_at: datetime | None = None  # of the declaration the status comes from
    cleared_at: datetime | None = None  # when an officer ended that status early, if they did


@dataclass
class Verdict:
    decision: str
    status: str
    reasons: list[dict[str, str]] = field(default_factory=list)

    @property
    def is_fever(self) -> bool:
        return any(r["code"] == "fever" for r in self.reasons)


def decide(
    *,
    rules: GateRules,
    direction: str,
    temperature: Decimal | None,
    checked_at: datetime,
    person: PersonState | None,
    face: str = FaceResult.NONE,
    fever_since: datetime | None = None,
) -> Verdict:
    """`fever_since`: the fever reading that still holds the person at this time, if any."""
    # Ended early before this passage: the person declares again. A passage before the end (an
    # offline gate's, uploaded later) met the status still in force.
    cleared = person is not None and person.cleared_at is not None and person.cleared_at <= checked_at
    status = (person.status or "") if person and not cleared else ""
    if direction == Direction.OUT:
        return Verdict(decision=Decision.ALLOW, status=status)
    reasons: list[dict[str, str]] = []
    if temperature is not None and temperature >= FEVER:
        reasons.append({"code": "fever", "temperature": str(temperature)})
    if fever_since is not None:
        reasons.append({"code": "fever_hold", "since": timezone.localtime(fever_since).strftime("%m-%d %H:%M")})
    if person is None:
        if rules.require_declaration:
            reasons.append({"code": "unknown_person"})
    else:
        if rules.face_check and face in FACE_REASONS:
            reasons.append({"code": FACE_REASONS[FaceResult(face)]})
        detail = "；".join(person.reasons)
        if person.restriction:
            status = "red"
            reasons.append({"code": person.restriction})
        if person.status is None:
            if rules.require_declaration:
                reasons.append({"code": "no_declaration"})
        elif person.status == "red" and not cleared:
            # A red holds until the person declares again, whatever its validity; only an officer
            # ends it sooner.
            reasons.append({"code": "status_red", "detail": detail})
        elif person.valid_until is not None and person.valid_until <= checked_at:
            if rules.require_declaration:
                reasons.append({"code": "declaration_expired"})
        elif person.status == "yellow" and not rules.admit_yellow:
            reasons.append({"code": "status_yellow", "detail": detail})
    return Verdict(decision=Decision.DENY if reasons else Decision.ALLOW, status=status, reasons=reasons)


def reason_message(reason: dict[str, Any]) -> str:
    template = REASON_MESSAGES.get(reason.get("code", ""))
    if template is None:
        return str(reason.get("code", ""))
    params = {key: reason.get(key, "") for key in ("temperature", "detail", "since")}
    return str(template) % params
