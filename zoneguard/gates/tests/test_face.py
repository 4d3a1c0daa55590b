"""Face checks with the fake matcher: enrolment, match and mismatch at the channel, photos as
personal data (access-checked, audited, deletable)."""

import base64

from zoneguard.audit.models import AuditEvent
from zoneguard.gates.models import FacePhoto, SiteGate
from zoneguard.gates.services import face_enrol, face_path, site_gate_update

from .conftest import post


def photo(who):
    return base64.b64encode(f"face:{who}".encode()).decode()


def test_a_site_cannot_enable_face_checks_without_a_matcher(zone, settings):
    from zoneguard.core.errors import InvalidInput
    from zoneguard.gates import face

    settings.GATES_FACE_BACKEND = ""
    face._configured.cache_clear()
    try:
        site_gate_update(
            actor=zone.admin_a, site=zone.site_a, face_check=True, require_declaration=True, admit_yellow=False
        )
    except InvalidInput as error:
        assert "face_check" in error.errors
    else:
        raise AssertionError("face checks were enabled without a matcher")
    finally:
        face._configured.cache_clear()


def test_the_channel_lets_in_the_enrolled_face_only(zone, declare, device_for, item, fake_faces):
    person = zone.staff_a[0]
    declare(person)
    site_gate_update(
        actor=zone.admin_a, site=zone.site_a, face_check=True, require_declaration=True, admit_yellow=False
    )
    client = device_for(zone.site_a)

    def codes(**kw):
        return post(client, "/api/v1/checkins", item(zone.site_a, person, **kw)).json()["reason_codes"]

    assert codes(photo=photo("alice")) == ["face_not_enrolled"]
    face_enrol(actor=zone.admin_a, person=person, organisation_id=zone.enterprise_a.pk, image=b"face:alice")
    assert codes(photo=photo("alice")) == []
    assert codes(photo=photo("mallory")) == ["face_mismatch"]
    assert codes() == ["face_missing"]
    assert codes(photo=base64.b64encode(b"a wall").decode()) == ["face_no_face"]


def test_photos_are_shown_only_to_those_allowed_and_each_viewing_is_audited(zone, client_for, fake_faces):
    person = zone.staff_a[0]
    face = face_enrol(actor=zone.admin_a, person=person, organisation_id=zone.enterprise_a.pk, image=b"face:alice")
    assert client_for("gate_a").get(f"/gates/faces/{face.pk}/photo/").status_code == 404
    assert client_for("admin_b").get(f"/gates/faces/{face.pk}/photo/").status_code == 404
    response = client_for("admin_a").get(f"/gates/faces/{face.pk}/photo/")
    assert response.status_code == 200
    assert response.content == b"face:alice"
    assert AuditEvent.objects.filter(action="read_personal", object_type="gates.facephoto").count() == 1
    # The person's page shows that a photo is enrolled, not the photo.
    page = client_for("admin_a").get(f"/gates/people/{person.pk}/").content.decode()
    assert f"/gates/faces/{face.pk}/photo/" in page


def test_deleting_a_photo_removes_the_file(zone, client_for, fake_faces, django_capture_on_commit_callbacks):
    face = face_enrol(
        actor=zone.admin_a, person=zone.staff_a[0], organisation_id=zone.enterprise_a.pk, image=b"face:alice"
    )
    path = face_path(face)
    assert path.exists()
    assert client_for("admin_b").post(f"/gates/faces/{face.pk}/delete/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("admin_a").post(f"/gates/faces/{face.pk}/delete/").status_code == 302
    assert not FacePhoto.objects.exists()
    assert not path.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="gates.facephoto").exists()


def test_enrolling_refuses_a_photo_without_a_face(zone, client_for, fake_faces):
    from django.core.files.uploadedfile import SimpleUploadedFile

    person = zone.staff_a[0]
    response = client_for("admin_a").post(
        f"/gates/people/{person.pk}/face/", {"photo": SimpleUploadedFile("a.jpg", b"a wall")}
    )
    assert response.status_code == 200
    assert not FacePhoto.objects.exists()
    response = client_for("admin_a").post(
        f"/gates/people/{person.pk}/face/", {"photo": SimpleUploadedFile("a.jpg", b"face:alice")}
    )
    assert response.status_code == 302
    assert FacePhoto.objects.get().person == person
    assert client_for("gate_a").get(f"/gates/people/{person.pk}/face/").status_code == 404
    assert SiteGate.objects.count() == 0
