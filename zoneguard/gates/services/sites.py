"""A site's gate settings."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Forbidden, InvalidInput
from zoneguard.registry import scoping
from zoneguard.registry.models import Site

from .. import face as face_matching
from ..models import SiteGate


@transaction.atomic
def site_gate_update(
    *, actor: User, site: Site, face_check: bool, require_declaration: bool, admit_yellow: bool
) -> SiteGate:
    if not scoping.can_manage_organisation(actor, site.organisation):
        raise Forbidden()
    if face_check and not face_matching.available():
        raise InvalidInput.for_field(
            "face_check", _("No face matcher is installed on this server, so face checks cannot be enabled.")
        )
    gate, _created = SiteGate.objects.get_or_create(site=site)
    before = {
        "face_check": gate.face_check,
        "require_declaration": gate.require_declaration,
        "admit_yellow": gate.admit_yellow,
    }
    gate.face_check, gate.require_declaration, gate.admit_yellow = face_check, require_declaration, admit_yellow
    gate.save()
    after = {"face_check": face_check, "require_declaration": require_declaration, "admit_yellow": admit_yellow}
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=gate,
            organisation_id=site.organisation_id,
            detail={"changes": changes},
        )
    return gate
