"""Enrolled face photos for real-name channels: personal data, kept outside the media folder."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Forbidden, InvalidInput
from zoneguard.registry import scoping
from zoneguard.registry.models import Person

from .. import face as face_matching
from ..models import FacePhoto


def _face_root() -> Path:
    root = Path(settings.GATES_FACE_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def face_path(photo: FacePhoto) -> Path:
    return _face_root() / photo.file_name


def can_manage_faces(actor: User, person: Person) -> bool:
    """Whoever may read the person's full personal data: the commander, the admin of the
    organisation they work for."""
    return Person.objects.filter(scoping.personal_data_q(actor), pk=person.pk).exists()


@transaction.atomic
def face_enrol(*, actor: User, person: Person, organisation_id: int, image: bytes) -> FacePhoto:
    if not can_manage_faces(actor, person):
        raise Forbidden()
    matcher = face_matching.backend()
    if matcher is None:
        raise InvalidInput.for_field("photo", _("No face matcher is installed on this server."), code="no_matcher")
    if len(image) > face_matching.MAX_PHOTO_BYTES:
        raise InvalidInput.for_field("photo", _("The photo is larger than 2 MB."), code="photo")
    try:
        encoding = matcher.encode(image)
    except face_matching.NoFaceFound as error:
        raise InvalidInput.for_field("photo", _("No face was found in this photo."), code="no_face") from error
    file_name = f"{uuid.uuid4().hex}.img"
    path = _face_root() / file_name
    path.write_bytes(image)
    path.chmod(0o600)
    photo = FacePhoto.objects.create(
        person=person,
        organisation_id=organisation_id,
        file_name=file_name,
        content_type=face_matching.image_content_type(image),
        encoding=encoding,
        backend=matcher.name,
        enrolled_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=photo,
        organisation_id=organisation_id,
        detail={"person_id": person.pk},
    )
    return photo


@transaction.atomic
def face_delete(*, actor: User, photo: FacePhoto) -> None:
    """Deleting removes the file too: the photo's purpose has ended."""
    if not can_manage_faces(actor, photo.person):
        raise Forbidden()
    path = face_path(photo)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=photo,
        organisation_id=photo.organisation_id,
        detail={"person_id": photo.person_id},
    )
    photo.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
