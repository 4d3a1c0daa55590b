"""People the zone has no reason to know any more (core.retention).

A person registered by a declaration at a market's gate, or by an enterprise that employed them,
stays in the registry with their ID number after everything that brought them there is gone. Once
their entries and declarations are purged and they work nowhere, they go too: a person is deleted
when they were registered and last changed before the cutoff, and no record of the zone points at
them any more but records that go with them. What goes with a person is declared by the module
that owns it (`register_person_record`: an ended membership, an old declaration that is not red, a
released hold); any other record (an entry, a fever alert, an isolation case, an incident, a
volunteer, a trace that names them as the case) keeps them. The registry learns the relations from
the models, so that a module added later keeps its people without telling the registry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import models, transaction
from django.db.models import Exists, ForeignObjectRel, OuterRef, Q
from django.utils import timezone

from zoneguard.audit.services import audit_purged

from .models import Membership, Person

GoesWhen = Callable[[datetime], Q]  # cutoff → the rows of the relation that may go with the person

_GOING: dict[tuple[type[models.Model], str], GoesWhen] = {}
CHUNK = 500


def register_person_record(model: type[models.Model], field: str, goes_when: GoesWhen) -> None:
    """Rows of `model` whose `field` is the person, and that match `goes_when(cutoff)`, are deleted
    with the person; any other row of it keeps the person."""
    _GOING[(model, field)] = goes_when


def _membership_ended(before: datetime) -> Q:
    """Ended before the cutoff: by its end date, or switched off and not touched since."""
    return Q(ended_on__lt=timezone.localdate(before)) | Q(is_active=False, updated_at__lt=before)


register_person_record(Membership, "person", _membership_ended)


def _relations() -> list[tuple[type[models.Model], str]]:
    """Every foreign key to Person, hidden ones (related_name="+") included."""
    return [
        (relation.related_model, relation.field.name)
        for relation in Person._meta.get_fields(include_hidden=True)
        if isinstance(relation, ForeignObjectRel)
        and (relation.one_to_many or relation.one_to_one)
        and not isinstance(relation.related_model, str)
    ]


def forgettable_people(before: datetime) -> models.QuerySet[Person]:
    people = Person.objects.filter(created_at__lt=before, updated_at__lt=before)
    for model, field in _relations():
        rows = model._base_manager.filter(**{field: OuterRef("pk")})
        goes_when = _GOING.get((model, field))
        if goes_when is not None:
            rows = rows.exclude(goes_when(before))
        people = people.filter(~Exists(rows))
    return people.order_by("pk")


def purge_people(before: datetime, dry_run: bool) -> int:
    """Delete the people `forgettable_people` finds, with what goes with them; returns how many
    people were deleted, or would be (a dry run counts those free now, before the other purges
    free more). Walks the registry once in the order of its keys: the people kept are not read
    again for each chunk."""
    people = forgettable_people(before)
    if dry_run:
        return people.count()
    removed, after = 0, 0
    while ids := list(people.filter(pk__gt=after).values_list("pk", flat=True)[:CHUNK]):
        with transaction.atomic():
            # Locked, then read again: a declaration or an entry that came meanwhile keeps its
            # person, and one arriving now waits for this transaction (its key check locks the row).
            list(Person.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
            still = list(forgettable_people(before).filter(pk__in=ids).values_list("pk", flat=True))
            _count, per_model = Person.objects.filter(pk__in=still).delete()
        removed += per_model.get(Person._meta.label, 0)
        after = ids[-1]
    audit_purged(model=Person, before=before, records=removed)
    return removed
