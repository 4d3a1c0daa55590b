from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zoneguard.core.exports import Table
from zoneguard.core.masking import mask_id_number, mask_name, mask_phone
from zoneguard.registry.models import Person, Site

from .selectors import COLOCATED, Contact


def contacts_table(
    case: Person, found: Sequence[Contact], *, people: dict[int, Person], full: set[int], days: int
) -> Table:
    """The trace as a list to work through: names, ID numbers and phones in full only for the
    people in `full` (those whose records the reader may read), masked otherwise. A depth-2 trace
    in a dense district finds tens of thousands: the table is written as a stream (core.xlsx)."""
    sites = {s.pk: str(s) for s in Site.objects.filter(pk__in={pk for c in found for pk in c.site_ids})}
    kinds = {COLOCATED: _("Shared a site"), "declared": _("Named on a declaration")}
    headers = [
        _("Degree"),
        pgettext("person", "Name"),
        _("ID number"),
        _("Mobile phone"),
        pgettext("contact kind", "How"),
        _("Sites"),
        _("Minutes together"),
        _("First contact"),
        _("Last contact"),
        _("Through"),
    ]

    def row(contact: Contact) -> list[Any]:
        person = people.get(contact.person_id or 0)
        shown = contact.person_id in full
        id_number = person.id_number if person else ""
        phone = person.phone if person else ""
        return [
            contact.degree,
            contact.name if shown else mask_name(contact.name),
            id_number if shown else mask_id_number(id_number),
            phone if shown else mask_phone(phone),
            kinds.get(contact.kind, contact.kind),
            "、".join(sites.get(pk, "") for pk in contact.site_ids),
            contact.overlap_minutes,
            contact.first_contact_at,
            contact.last_contact_at,
            mask_name(people[contact.via_person_id].name) if contact.via_person_id in people else "",
        ]

    return Table(
        title=_("Contacts of %(case)s over %(days)s days") % {"case": mask_name(case.name), "days": days},
        headers=headers,
        # First degree first, as on the page: the list is worked through in that order.
        rows=(row(contact) for contact in sorted(found, key=lambda c: c.degree)),
        sheet_name=_("Contacts"),
        filename=_("contacts-%(case)s") % {"case": case.pk},
    )
