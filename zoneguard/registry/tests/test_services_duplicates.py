import pytest

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Forbidden
from zoneguard.registry import selectors, services
from zoneguard.registry.models import Membership, Person
from zoneguard.testing import make_person, valid_id_number


def one_apart(number: str) -> str:
    """The same number with one digit of the sequence mistyped (and therefore a wrong check digit)."""
    digit = str((int(number[15]) + 1) % 10)
    return number[:15] + digit + number[16:]


def test_it_finds_the_same_name_and_phone(zone):
    a = make_person(name="赵六", phone="13600000001", organisation=zone.enterprise_a)
    b = make_person(name="赵六", phone="13600000001", organisation=zone.enterprise_b)
    candidates = selectors.duplicate_candidates(actor=zone.commander)
    assert [(c.first, c.second, c.reason) for c in candidates] == [(a, b, "same_name_and_phone")]


def test_it_finds_id_numbers_one_character_apart(zone):
    a = make_person(name="钱七", organisation=zone.enterprise_a)
    # Stored without validation, as a mistyped number from an old list would be.
    b = Person.objects.create(name="钱七", id_number=one_apart(a.id_number))
    reasons = {(c.first.pk, c.second.pk): c.reason for c in selectors.duplicate_candidates(actor=zone.commander)}
    assert reasons[(a.pk, b.pk)] == "id_number_one_apart"


def test_it_ignores_numbers_two_characters_apart(zone):
    a = make_person(name="孙八")
    changed = list(a.id_number)
    changed[14] = str((int(changed[14]) + 1) % 10)
    changed[15] = str((int(changed[15]) + 1) % 10)
    Person.objects.create(name="孙八", id_number="".join(changed))
    assert all(c.reason != "id_number_one_apart" for c in selectors.duplicate_candidates(actor=zone.commander))


def test_it_shows_duplicates_to_the_commander_only(zone, client_for):
    with pytest.raises(Forbidden):
        selectors.duplicate_candidates(actor=zone.admin_a)
    assert client_for("admin_a").get("/registry/duplicates/").status_code == 404
    assert client_for("commander").get("/registry/duplicates/").status_code == 200


def test_it_merges_memberships_and_history_and_audits(zone, client_for):
    keep = make_person(name="周九", phone="13600000002", organisation=zone.enterprise_a, position="司机")
    duplicate = make_person(name="周九", phone="13600000003", organisation=zone.enterprise_b)
    Membership.objects.create(person=duplicate, organisation=zone.enterprise_a, name=duplicate.name, is_active=True)
    response = client_for("commander").post("/registry/duplicates/merge/", {"keep": keep.pk, "duplicate": duplicate.pk})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert set(keep.memberships.values_list("organisation__name", flat=True)) == {"企业甲", "企业乙"}
    event = AuditEvent.objects.get(action="merge")
    assert event.object_id == str(keep.pk)
    assert event.detail["merged_person_id"] == duplicate.pk


def test_it_refuses_a_merge_by_anyone_but_the_commander(zone):
    a, b = (
        make_person(name="郑一", organisation=zone.enterprise_a),
        make_person(name="郑一", organisation=zone.enterprise_a),
    )
    with pytest.raises(Forbidden):
        services.person_merge(actor=zone.admin_a, keep=a, duplicate=b)
    assert Person.objects.filter(pk=b.pk).exists()


def test_it_fills_a_missing_phone_from_the_duplicate(zone):
    keep = make_person(name="王二", id_number=valid_id_number())
    duplicate = make_person(name="王二", phone="13600000004")
    services.person_merge(actor=zone.commander, keep=keep, duplicate=duplicate)
    keep.refresh_from_db()
    assert keep.phone == "13600000004"
