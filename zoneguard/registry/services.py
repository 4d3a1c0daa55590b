"""Writes to the registry. Every function checks the actor's right, validates, writes an audit row
in the same transaction, and raises ApplicationError subclasses on refusal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record, audited_create, audited_update, changes_between, snapshot
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.core.events import organisation_changed
from zoneguard.core.roles import is_active_user
from zoneguard.core.services import apply_fields, validate_and_save

from . import scoping, selectors, validators
from .models import Membership, Organisation, Person, Site, default_dwell_minutes, new_site_code

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "sector",
    "size",
    "credit_code",
    "address",
    "contact_name",
    "contact_phone",
    "total_staff",
    "community",
    "parent",
    "is_active",
)
# What an organisation's own admin keeps up to date. The other fields say what the organisation is
# and so which department supervises it and which rules apply to it (kind, sector, size, its
# registration, its community and group, whether it is active): they are the zone's, kept by the
# commander and the competent department.
SELF_MAINTAINED_FIELDS = ("address", "contact_name", "contact_phone", "total_staff")
# Organisation fields that are facts (core/facts.py) other modules reason over.
FIELD_FACTS = {
    "kind": "kind",
    "sector": "sector",
    "size": "size",
    "community": "community",
    "total_staff": "total_staff",
}
REGISTRY_FACTS = frozenset(FIELD_FACTS.values())
SITE_FIELDS = ("name", "kind", "default_dwell_minutes", "address", "is_active")
PERSON_FIELDS = ("name", "id_number", "phone")
MEMBERSHIP_FIELDS = ("position", "is_active", "started_on", "ended_on")


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def _check_related_organisations(actor: User, organisation: Organisation) -> None:
    """A community must exist (every officer places organisations in communities, so all are
    offered); a parent must be an organisation the actor can see."""
    visible = scoping.visible_organisations(actor)
    communities = Organisation.objects.filter(kind="community")
    if organisation.community_id and not communities.filter(pk=organisation.community_id).exists():
        raise InvalidInput.for_field("community", _("Choose a community."))
    if organisation.parent_id:
        if organisation.pk and organisation.parent_id == organisation.pk:
            raise InvalidInput.for_field("parent", _("An organisation cannot be its own parent."))
        if not visible.filter(pk=organisation.parent_id).exists():
            raise InvalidInput.for_field("parent", _("Choose a parent organisation you can see."))


@transaction.atomic
def organisation_create(*, actor: User, data: Mapping[str, Any]) -> Organisation:
    organisation = Organisation()
    apply_fields(organisation, data, ORGANISATION_FIELDS)
    _require(scoping.can_create_organisation(actor, kind=organisation.kind, sector_id=organisation.sector_id))
    _check_related_organisations(actor, organisation)
    audited_create(actor=actor, instance=organisation, data={}, fields=ORGANISATION_FIELDS)
    organisation_changed.send(sender=Organisation, organisation_id=organisation.pk, facts=REGISTRY_FACTS)
    return organisation


def _stored(value: Any) -> Any:
    """A field's value as stored: objects by id, no text as None."""
    if isinstance(value, models.Model):
        return value.pk
    return None if value == "" else value


def organisation_editable_fields(actor: User, organisation: Organisation) -> tuple[str, ...]:
    if scoping.is_commander(actor) or scoping.is_competent_for(
        actor, kind=organisation.kind, sector_id=organisation.sector_id
    ):
        return ORGANISATION_FIELDS
    return SELF_MAINTAINED_FIELDS


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, data: Mapping[str, Any]) -> Organisation:
    _require(scoping.can_manage_organisation(actor, organisation))
    editable = organisation_editable_fields(actor, organisation)
    current = snapshot(organisation, ORGANISATION_FIELDS)
    kept = sorted(
        name for name, value in data.items() if name not in editable and _stored(value) != _stored(current.get(name))
    )
    if kept:
        message = _("This is kept by the zone administration; ask your supervising department to change it.")
        raise Forbidden(message, code="zone_field", errors={name: [message] for name in kept})

    def check(changed: Organisation) -> None:
        if not scoping.is_commander(actor) and not scoping.can_manage_organisation(actor, changed):
            # An officer may not move an organisation out of their own competence.
            raise InvalidInput.for_field("kind", _("You cannot move this organisation outside your competence."))
        _check_related_organisations(actor, changed)

    changes = audited_update(
        actor=actor,
        instance=organisation,
        data=data,
        fields=ORGANISATION_FIELDS,
        organisation_id=organisation.pk,
        check=check,
    )
    changed_facts = frozenset(FIELD_FACTS[field] for field in changes if field in FIELD_FACTS)
    if changed_facts:
        organisation_changed.send(sender=Organisation, organisation_id=organisation.pk, facts=changed_facts)
    return organisation


@transaction.atomic
def site_create(*, actor: User, organisation: Organisation, data: Mapping[str, Any]) -> Site:
    _require(scoping.can_manage_organisation(actor, organisation))
    values = dict(data)
    if values.get("default_dwell_minutes") is None:
        values["default_dwell_minutes"] = default_dwell_minutes(organisation.kind)
    return audited_create(actor=actor, instance=Site(organisation=organisation), data=values, fields=SITE_FIELDS)


@transaction.atomic
def site_update(*, actor: User, site: Site, data: Mapping[str, Any]) -> Site:
    _require(scoping.can_manage_organisation(actor, site.organisation))
    audited_update(actor=actor, instance=site, data=data, fields=SITE_FIELDS)
    return site


@transaction.atomic
def site_rotate_code(*, actor: User, site: Site) -> Site:
    """A new code invalidates every printed QR poster of the site (e.g. after a poster was misused)."""
    _require(scoping.can_manage_organisation(actor, site.organisation))
    site.code = new_site_code()
    site.save(update_fields=["code", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=site,
        organisation_id=site.organisation_id,
        detail={"rotated": "code"},
    )
    return site


def person_check(*, name: str, id_number: str, phone: str = "") -> Person:
    """Validate a person's fields without writing or looking anything up: the unsaved person with
    canonical fields, or InvalidInput. Says nothing of whether the number is registered."""
    person = Person(name=(name or "").strip(), id_number=id_number or "", phone=phone or "")
    try:
        person.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise InvalidInput.from_validation_error(error) from error
    return person


@transaction.atomic
def person_register(
    *,
    actor: User,
    name: str,
    id_number: str,
    phone: str = "",
    organisation: Organisation | None = None,
    position: str = "",
) -> tuple[Person, bool]:
    """Register a person as a member of an organisation the actor manages (the commander may
    register into the zone's registry alone). Returns (person, created).

    When the ID number is already registered, the organisation joins that person: its membership
    keeps the name and phone it entered, and it sees nothing another organisation or the person
    recorded elsewhere. So the outcome looks the same to it whether the number was known or not,
    a differing name included; only the commander is told which (`created`), and the audit log
    keeps it."""
    if organisation is None:
        _require(scoping.is_commander(actor))
    else:
        _require(scoping.can_manage_members(actor, organisation))
    entered = person_check(name=name, id_number=id_number, phone=phone)
    person = selectors.person_by_id_number(entered.id_number)
    created = person is None
    if person is None:
        person = entered
        person.registered_by = organisation
        validate_and_save(person)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=person,
            organisation_id=organisation.pk if organisation else None,
            detail={"changes": changes_between({}, snapshot(person, PERSON_FIELDS))},
        )
    if organisation is not None:
        membership_create(
            actor=actor,
            person=person,
            organisation=organisation,
            name=entered.name,
            phone=entered.phone,
            position=position,
            exists_ok=True,
        )
    return person, created


@transaction.atomic
def person_enrol(*, actor: User, name: str, id_number: str, phone: str = "", purpose: str) -> Person:
    """The person another module keeps a record of (a volunteer's application, an isolated
    resident), found by ID number or registered now, for an actor who registers no organisation's
    staff (a community worker, a volunteer applying).

    That module's record keeps the name and phone as entered, as a membership does: nothing
    registered is changed, and the caller must not tell its user whether the number was known.
    A new person is audited with `purpose`; invalid fields raise InvalidInput."""
    _require(is_active_user(actor))
    entered = person_check(name=name, id_number=id_number, phone=phone)
    person = selectors.person_by_id_number(entered.id_number)
    if person is not None:
        return person
    validate_and_save(entered)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=entered,
        detail={"source": purpose, "changes": changes_between({}, snapshot(entered, PERSON_FIELDS))},
    )
    return entered


def can_correct_registry_record(actor: User, person: Person) -> bool:
    """The registry's own name and phone of a person: the commander, and the admins of the
    organisation that registered them (organisation admins see and edit their membership's record;
    this decides only whether their edit reaches the registry's too)."""
    if scoping.is_commander(actor):
        return True
    return person.registered_by_id is not None and (
        scoping.personal_data_organisations(actor).filter(pk=person.registered_by_id).exists()
    )


@transaction.atomic
def person_update(*, actor: User, person: Person, data: Mapping[str, Any]) -> Person:
    """Correct a person's name, phone or ID number.

    The commander corrects the registry. An organisation admin (or a community worker for their
    residents) corrects their own organisations' record of the person, the memberships; the
    registry's name and phone follow when their organisation registered the person. An ID number
    identifies the person everywhere: only the commander changes it."""
    if scoping.is_commander(actor):
        audited_update(actor=actor, instance=person, data=data, fields=PERSON_FIELDS)
        return person
    memberships = list(
        Membership.objects.filter(scoping.personal_data_organisation_q(actor), person=person).select_related(
            "organisation"
        )
    )
    _require(bool(memberships))
    if "id_number" in data and validators.normalize_id_number(data["id_number"] or "") != person.id_number:
        raise Forbidden(_("Only the zone commander can change an ID number."), code="id_number_read_only")
    record = {key: value for key, value in data.items() if key in ("name", "phone")}
    for membership in memberships:
        audited_update(actor=actor, instance=membership, data=record, fields=("name", "phone"))
    if record and can_correct_registry_record(actor, person):
        audited_update(actor=actor, instance=person, data=record, fields=PERSON_FIELDS)
    return person


@transaction.atomic
def membership_create(
    *,
    actor: User,
    person: Person,
    organisation: Organisation,
    name: str,
    phone: str = "",
    position: str = "",
    started_on: date | None = None,
    exists_ok: bool = False,
) -> Membership:
    """`name` and `phone` are the organisation's own record of the person.

    Adding someone by their registry id alone is for people the actor already reads in full: the
    new membership would open the person's full record to the organisation, so anyone else is
    added by typing their ID number (person_register), which the organisation must then know."""
    _require(scoping.can_manage_members(actor, organisation))
    if not exists_ok and not Person.objects.filter(scoping.personal_data_q(actor), pk=person.pk).exists():
        raise InvalidInput.for_field(
            "person_id",
            _("Add this person by registering them with their ID number."),
            code="register_by_id_number",
        )
    existing = Membership.objects.filter(person=person, organisation=organisation).first()
    if existing is not None:
        if not exists_ok:
            raise Conflict(_("This person is already a member of this organisation."), code="membership_exists")
        if not existing.is_active:
            return membership_update(actor=actor, membership=existing, data={"is_active": True, "ended_on": None})
        return existing
    membership = Membership(
        person=person, organisation=organisation, name=name, phone=phone, position=position, started_on=started_on
    )
    validate_and_save(membership)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=membership,
        organisation_id=organisation.pk,
        detail={"person_id": person.pk, "name": membership.name, "position": position},
    )
    return membership


@transaction.atomic
def membership_update(*, actor: User, membership: Membership, data: Mapping[str, Any]) -> Membership:
    _require(scoping.can_manage_members(actor, membership.organisation))
    audited_update(actor=actor, instance=membership, data=data, fields=MEMBERSHIP_FIELDS)
    return membership


@transaction.atomic
def person_merge(*, actor: User, keep: Person, duplicate: Person) -> Person:
    """Merge `duplicate` into `keep`: memberships and every record that points at the duplicate
    (declarations, check-ins, ... of other modules) move to `keep`, then the duplicate is deleted.

    Reassignment walks the model graph, so modules added later are covered without changes here."""
    _require(scoping.is_commander(actor))
    if keep.pk == duplicate.pk:
        raise InvalidInput.for_field("duplicate", _("Choose two different people."))
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    moved: dict[str, int] = {}
    for membership in Membership.objects.filter(person=duplicate):
        twin = Membership.objects.filter(person=keep, organisation_id=membership.organisation_id).first()
        if twin is None:
            membership.person = keep
            membership.save(update_fields=["person", "updated_at"])
        else:
            if membership.is_active and not twin.is_active:
                twin.is_active, twin.ended_on = True, None
                twin.save(update_fields=["is_active", "ended_on", "updated_at"])
            membership.delete()
        moved["registry.membership"] = moved.get("registry.membership", 0) + 1
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if model is Membership or relation.many_to_many or not isinstance(model, type):
            continue
        field_name = relation.field.name
        try:
            with transaction.atomic():
                count = model._default_manager.filter(**{field_name: duplicate}).update(**{field_name: keep})
        except IntegrityError as error:
            raise Conflict(
                _("These two records cannot be merged automatically: both have %(what)s.")
                % {"what": model._meta.verbose_name},
                code="merge_conflict",
            ) from error
        if count:
            moved[model._meta.label_lower] = count
    if not keep.phone and duplicate.phone:
        keep.phone = duplicate.phone
        keep.save(update_fields=["phone", "updated_at"])
    duplicate_repr, duplicate_pk = str(duplicate), duplicate.pk
    duplicate.delete()
    audit_record(
        actor=actor,
        action=AuditAction.MERGE,
        obj=keep,
        detail={"merged_person_id": duplicate_pk, "merged_person": duplicate_repr, "moved": moved},
    )
    return keep


class PersonRegisteredMeanwhile(Conflict):
    """A concurrent first declaration registered the same ID number between this one's lookup and
    its insert. The enclosing transaction is spoilt; run again, it finds the person."""


# Inside the declaration's transaction: no savepoint of its own (a round trip each way on the
# busiest public form); an error rolls the whole declaration back anyway.
@transaction.atomic(savepoint=False)
def person_for_declaration(*, name: str, id_number: str, phone: str) -> tuple[Person, bool]:
    """The person a public health declaration (no sign-in) is about: registered on first
    declaration, found by ID number afterwards. Returns (person, identity verified).

    Nothing registered is changed from a form anyone can fill in; when the name differs from the
    registered one, the caller keeps the declaration but must not let it speak for that person.
    Invalid fields raise InvalidInput; the answer never says whether the number was registered."""
    person = person_check(name=name, id_number=id_number, phone=phone)
    existing = selectors.person_by_id_number(person.id_number)
    if existing is not None:
        return existing, existing.name == person.name
    # Validated above and known to be new: only a concurrent first declaration can collide. No
    # savepoint around the insert: the error leaves the enclosing transaction, which rolls back.
    try:
        person.save(force_insert=True)
    except IntegrityError as error:
        raise PersonRegisteredMeanwhile(code="integrity") from error
    audit_record(
        actor=None,
        action=AuditAction.CREATE,
        obj=person,
        object_repr=str(person),
        detail={"source": "health_declaration", "changes": changes_between({}, snapshot(person, PERSON_FIELDS))},
    )
    return person, True
