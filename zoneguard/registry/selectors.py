"""Reads from the registry, always through the actor's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When

from zoneguard.audit.services import audit_personal_read
from zoneguard.core.collation import pinyin_key
from zoneguard.core.errors import Forbidden, NotFound
from zoneguard.core.hotcache import HotCache
from zoneguard.core.querysets import filter_given

from . import scoping, validators
from .models import Department, Membership, Organisation, Person, Sector, Site

if TYPE_CHECKING:
    from zoneguard.accounts.models import User


def department_list() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True)


def sector_list() -> QuerySet[Sector]:
    return Sector.objects.all()


def organisation_list(
    *,
    actor: User,
    search: str = "",
    kind: str = "",
    sector_id: int | None = None,
    community_id: int | None = None,
    is_active: bool | None = None,
) -> QuerySet[Organisation]:
    qs: QuerySet[Organisation] = Organisation.objects.filter(scoping.organisation_q(actor)).select_related(
        "sector", "community"
    )
    if search:
        code = validators.normalize_credit_code(search)
        qs = qs.filter(
            Q(name__icontains=search.strip())
            | Q(credit_code=code)
            | Q(contact_name__icontains=search.strip())
            | Q(address__icontains=search.strip())
        )
    qs = filter_given(qs, kind=kind, sector_id=sector_id, community_id=community_id, is_active=is_active)
    return qs.order_by("name_key", "id")


def organisation_access(*, actor: User, pk: int) -> Organisation:
    """The organisation, if the actor may see it; otherwise NotFound, whether it exists or not."""
    organisation = (
        Organisation.objects.filter(scoping.organisation_q(actor), pk=pk)
        .select_related("sector", "community", "parent")
        .first()
    )
    if organisation is None:
        raise NotFound()
    return organisation


def organisation_access_for_change(*, actor: User, pk: int) -> Organisation:
    organisation = organisation_access(actor=actor, pk=pk)
    if not scoping.can_manage_organisation(actor, organisation):
        raise Forbidden()
    return organisation


def communities(*, actor: User) -> QuerySet[Organisation]:
    return organisation_list(actor=actor, kind="community")


def site_list(
    *,
    actor: User,
    organisation_id: int | None = None,
    kind: str = "",
    search: str = "",
    is_active: bool | None = None,
) -> QuerySet[Site]:
    qs: QuerySet[Site] = Site.objects.filter(scoping.organisation_q(actor, "organisation")).select_related(
        "organisation"
    )
    qs = filter_given(qs, organisation_id=organisation_id, kind=kind, is_active=is_active)
    if search:
        qs = qs.filter(Q(name__icontains=search.strip()) | Q(organisation__name__icontains=search.strip()))
    return qs.order_by("organisation__name_key", "name_key", "id")


def site_access(*, actor: User, pk: int) -> Site:
    site = (
        Site.objects.filter(scoping.organisation_q(actor, "organisation"), pk=pk).select_related("organisation").first()
    )
    if site is None:
        raise NotFound()
    return site


# Every public declaration starts here: the site is kept a couple of seconds per process
# (core/hotcache.py; cleared by any write to a site or an organisation), so a rotated code stops
# opening the form within two seconds everywhere.
SITES_BY_CODE = HotCache()


def _site_by_code(code: str) -> Site | None:
    return Site.objects.filter(code=code, is_active=True).select_related("organisation").order_by().first()


def site_by_code(code: str) -> Site:
    """For the public declaration page: the QR code is the credential, no account is needed."""
    site = SITES_BY_CODE.get_or_load(code, _site_by_code) if code else None
    if site is None:
        raise NotFound()
    return site


def _as_seen_by(actor: User) -> dict[str, Any]:
    """Annotations `shown_name` and `shown_phone`: what the actor sees of a person. The commander
    sees the registry's; everyone else their own organisations' record of the person (a membership
    in scope, first one of those they may read in full), never what another organisation or the
    person recorded elsewhere."""
    if scoping.is_commander(actor):
        return {"shown_name": F("name"), "shown_phone": F("phone"), "shown_key": F("name_key")}
    records = (
        Membership.objects.filter(scoping.organisation_q(actor, "organisation"), person=OuterRef("pk"))
        .annotate(readable=Case(When(scoping.personal_data_organisation_q(actor), then=Value(0)), default=Value(1)))
        .order_by("readable", "-is_active", "id")
    )
    return {
        "shown_name": Subquery(records.values("name")[:1]),
        "shown_phone": Subquery(records.values("phone")[:1]),
        # The stored key of the record shown (Membership.name_key), for the list's pinyin order.
        "shown_key": Subquery(records.values("name_key")[:1]),
    }


def person_list(
    *,
    actor: User,
    search: str = "",
    organisation_id: int | None = None,
    organisation_ids: list[int] | None = None,
    is_active_member: bool | None = None,
) -> QuerySet[Person]:
    qs = Person.objects.filter(scoping.people_q(actor)).annotate(**_as_seen_by(actor))
    if search:
        term = search.strip()
        canonical = validators.normalize_id_number(term)
        q = Q(shown_name__icontains=term)
        if len(canonical) == 18:
            q |= Q(id_number=canonical)
        phone = validators.normalize_phone(term)
        if phone.isdigit() and len(phone) == 11:
            q |= Q(shown_phone=phone)
        qs = qs.filter(q)
    if organisation_id:
        organisation_ids = [organisation_id]
    if organisation_ids is not None:
        members = Membership.objects.filter(organisation_id__in=organisation_ids)
        if is_active_member is not None:
            members = members.filter(is_active=is_active_member)
        qs = qs.filter(pk__in=members.values("person_id"))
    return qs.order_by("shown_key", "id")


def person_by_id_number(id_number: str) -> Person | None:
    """The person registered under a canonical ID number, whoever asks: for the services that must
    find them outside any scope (registration, the public declaration), never to be shown."""
    # Every public declaration asks: a raw query skips the ORM's compiling of the same statement
    # each time, which costs three times the lookup itself.
    found = Person.objects.raw(f"SELECT * FROM {Person._meta.db_table} WHERE id_number = %s", [id_number])  # noqa: S608
    return next(iter(found), None)


def person_access(*, actor: User, pk: int) -> Person:
    """The person, annotated with what the actor sees of them (`shown_name`, `shown_phone`)."""
    person = Person.objects.filter(scoping.people_q(actor), pk=pk).annotate(**_as_seen_by(actor)).first()
    if person is None:
        raise NotFound()
    return person


def can_read_personal_data(*, actor: User, person: Person) -> bool:
    return Person.objects.filter(scoping.personal_data_q(actor), pk=person.pk).exists()


def person_personal_data(*, actor: User, person: Person, purpose: str) -> dict[str, str]:
    """The unmasked ID number and phone (as the actor's organisations recorded it; the registry's
    for the commander) of a person from person_access, for those allowed; each read is audited."""
    if not can_read_personal_data(actor=actor, person=person):
        raise Forbidden()
    audit_personal_read(actor=actor, obj=person, fields=["id_number", "phone"], purpose=purpose)
    return {"id_number": person.id_number, "phone": person.shown_phone or ""}


def person_read(*, actor: User, pk: int, purpose: str) -> Person:
    """A person from person_access, to be shown alone: where the actor may read the full ID number
    and phone, the read is audited and the person marked `personal_data_read`."""
    person = person_access(actor=actor, pk=pk)
    if can_read_personal_data(actor=actor, person=person):
        person_personal_data(actor=actor, person=person, purpose=purpose)
        person.personal_data_read = True
    return person


def membership_list(
    *,
    actor: User,
    organisation_id: int | None = None,
    person_id: int | None = None,
    is_active: bool | None = None,
) -> QuerySet[Membership]:
    qs: QuerySet[Membership] = Membership.objects.filter(scoping.organisation_q(actor, "organisation")).select_related(
        "person", "organisation"
    )
    qs = filter_given(qs, organisation_id=organisation_id, person_id=person_id, is_active=is_active)
    return qs.order_by("organisation__name_key", "name_key", "id")


def membership_access(*, actor: User, pk: int) -> Membership:
    membership = (
        Membership.objects.filter(scoping.organisation_q(actor, "organisation"), pk=pk)
        .select_related("person", "organisation")
        .first()
    )
    if membership is None:
        raise NotFound()
    return membership


def organisation_staff_counts(*, organisation_ids: list[int]) -> dict[int, int]:
    rows = (
        Membership.objects.filter(organisation_id__in=organisation_ids, is_active=True)
        .values("organisation_id")
        .annotate(n=Count("id"))
    )
    return {row["organisation_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class DuplicateCandidate:
    first: Person
    second: Person
    reason: str  # "same_name_and_phone" or "id_number_one_apart"


def duplicate_candidates(*, actor: User, limit: int = 200) -> list[DuplicateCandidate]:
    """Likely duplicates: the same name and phone, or ID numbers that differ in one character.

    The one-apart search buckets every ID number under its 18 one-character wildcards, so it is
    linear in the number of people rather than quadratic."""
    if not scoping.is_commander(actor):
        raise Forbidden()
    people = {p.pk: p for p in Person.objects.only("id", "name", "id_number", "phone", "created_at")}
    pairs: dict[tuple[int, int], str] = {}
    by_name_phone: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_wildcard: dict[str, list[int]] = defaultdict(list)
    for person in people.values():
        if person.phone:
            by_name_phone[(person.name, person.phone)].append(person.pk)
        number = person.id_number
        for i in range(len(number)):
            by_wildcard[number[:i] + "?" + number[i + 1 :]].append(person.pk)
    for ids in by_name_phone.values():
        _add_pairs(pairs, ids, "same_name_and_phone")
    for ids in by_wildcard.values():
        _add_pairs(pairs, ids, "id_number_one_apart")
    ordered = sorted(pairs.items(), key=lambda item: (pinyin_key(people[item[0][0]].name), item[0]))
    return [DuplicateCandidate(first=people[a], second=people[b], reason=reason) for (a, b), reason in ordered[:limit]]


def _add_pairs(pairs: dict[tuple[int, int], str], ids: list[int], reason: str) -> None:
    if len(ids) < 2:
        return
    ids = sorted(ids)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            pairs.setdefault((a, b), reason)


# --- Search as you type: the filters over thousands of organisations or sites --------------------

SUGGESTIONS = 20
MATCHES = 200
SITE_LABEL_SEPARATOR = " · "


def site_label(site: Site) -> str:
    """How a site is named in a filter: its organisation and its own name."""
    return f"{site.organisation.name}{SITE_LABEL_SEPARATOR}{site.name}"


def organisations_matching(*, actor: User, text: str, limit: int = MATCHES) -> list[int]:
    """The ids of the organisations in scope a filter's text names: an id (a link, a choice from
    the suggestions), the whole name, or else a part of it. Empty when nothing matches."""
    text = text.strip()
    if not text:
        return []
    qs = Organisation.objects.filter(scoping.organisation_q(actor))
    if text.isdigit():
        return list(qs.filter(pk=int(text)).values_list("pk", flat=True))
    exact = list(qs.filter(name=text).values_list("pk", flat=True))
    if exact:
        return exact
    return list(qs.filter(name__icontains=text).order_by("name_key", "id").values_list("pk", flat=True)[:limit])


def site_label_q(text: str) -> Q | None:
    """The site a suggestion's label ("organisation · site") names; None when the text is no label."""
    organisation, separator, name = text.partition(SITE_LABEL_SEPARATOR.strip())
    if not separator:
        return None
    return Q(organisation__name=organisation.strip(), name=name.strip())


def sites_matching(*, actor: User, text: str, limit: int = MATCHES) -> list[int]:
    """As `organisations_matching`, for sites: an id, a suggestion's label (organisation · site),
    or a part of the site's or its organisation's name."""
    text = text.strip()
    if not text:
        return []
    qs = Site.objects.filter(scoping.organisation_q(actor, "organisation"))
    if text.isdigit():
        return list(qs.filter(pk=int(text)).values_list("pk", flat=True))
    named = site_label_q(text)
    if named is not None:
        exact = list(qs.filter(named).values_list("pk", flat=True))
        if exact:
            return exact
    found = qs.filter(Q(name__icontains=text) | Q(organisation__name__icontains=text))
    return list(found.order_by("organisation__name_key", "name_key", "id").values_list("pk", flat=True)[:limit])


def organisation_suggestions(*, actor: User, text: str) -> list[dict[str, Any]]:
    """A few organisations in scope whose name holds the text, for the filter's suggestions."""
    text = text.strip()
    if not text:
        return []
    qs = Organisation.objects.filter(scoping.organisation_q(actor), name__icontains=text)
    return [
        {"id": pk, "label": name} for pk, name in qs.order_by("name_key", "id").values_list("pk", "name")[:SUGGESTIONS]
    ]


def site_suggestions(*, actor: User, text: str) -> list[dict[str, Any]]:
    text = text.strip()
    if not text:
        return []
    qs = (
        Site.objects.filter(scoping.organisation_q(actor, "organisation"))
        .filter(Q(name__icontains=text) | Q(organisation__name__icontains=text))
        .select_related("organisation")
        .order_by("organisation__name_key", "name_key", "id")
    )
    return [{"id": site.pk, "label": site_label(site)} for site in qs[:SUGGESTIONS]]
