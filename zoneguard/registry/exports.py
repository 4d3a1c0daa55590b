"""Excel exports of registry lists. Personal data is masked in every export."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zoneguard.core.excel import Workbook, build_workbook, stream
from zoneguard.core.exports import Table
from zoneguard.core.masking import mask_phone

from . import selectors
from .models import Membership, Organisation, Person, Site

if TYPE_CHECKING:
    from zoneguard.accounts.models import User


def filename(label: str, *, dated: bool = True, extension: str = ".xlsx") -> str:
    return f"{label}-{timezone.localdate():%Y%m%d}{extension}" if dated else f"{label}{extension}"


def organisations_workbook(organisations: Iterable[Organisation]) -> Workbook:
    headers = [
        _("Name"),
        _("Kind"),
        _("Sector"),
        _("Size"),
        _("Unified social credit code"),
        _("Address"),
        _("Contact person"),
        _("Contact phone"),
        _("Total staff"),
        _("Community"),
        _("Active"),
    ]
    rows = (
        [
            o.name,
            o.get_kind_display(),
            o.sector.name if o.sector else "",
            o.get_size_display(),
            o.credit_code or "",
            o.address,
            o.contact_name,
            mask_phone(o.contact_phone),
            o.total_staff,
            o.community.name if o.community else "",
            _("Yes") if o.is_active else _("No"),
        ]
        for o in stream(organisations)
    )
    return build_workbook(
        title=_("Organisations (%(date)s)") % {"date": timezone.localdate()},
        headers=headers,
        rows=rows,
        sheet_name=_("Organisations"),
    )


def sites_workbook(sites: Iterable[Site]) -> Workbook:
    headers = [_("Organisation"), _("Name"), _("Kind"), _("Default dwell minutes"), _("Address"), _("Active")]
    rows = (
        [
            s.organisation.name,
            s.name,
            s.get_kind_display(),
            s.default_dwell_minutes,
            s.address,
            _("Yes") if s.is_active else _("No"),
        ]
        for s in stream(sites)
    )
    return build_workbook(
        title=_("Checkpoint sites (%(date)s)") % {"date": timezone.localdate()},
        headers=headers,
        rows=rows,
        sheet_name=_("Sites"),
    )


def members_workbook(organisation: Organisation, memberships: Iterable[Membership]) -> Workbook:
    headers = [
        pgettext("person", "Name"),
        _("ID number"),
        _("Mobile phone"),
        _("Position"),
        _("Active"),
        _("Since"),
        _("Until"),
    ]
    rows = (
        [
            m.name,
            m.person.masked_id_number,
            m.masked_phone,
            m.position,
            _("Yes") if m.is_active else _("No"),
            m.started_on,
            m.ended_on,
        ]
        for m in stream(memberships)
    )
    return build_workbook(
        title=_("Members of %(name)s (%(date)s)") % {"name": organisation.name, "date": timezone.localdate()},
        headers=headers,
        rows=rows,
        sheet_name=_("Members"),
    )


def person_filters(*, actor: User, params: Mapping[str, str]) -> dict[str, Any]:
    """The people list's filters from their text form (the page's query, a background job's params):
    `q` a name, ID number or phone, `organisation` as organisations_matching reads it."""
    filters: dict[str, Any] = {"search": params.get("q") or ""}
    if params.get("organisation"):
        filters["organisation_ids"] = selectors.organisations_matching(actor=actor, text=params["organisation"])
    return filters


def people_table(people: Iterable[Person]) -> Table:
    """People from selectors.person_list, as the exporting user sees them; masked."""
    return Table(
        title=_("People (%(date)s)") % {"date": timezone.localdate()},
        headers=[pgettext("person", "Name"), _("ID number"), _("Mobile phone")],
        rows=([p.shown_name, p.masked_id_number, mask_phone(p.shown_phone)] for p in stream(people)),
        sheet_name=_("People"),
        filename=filename(_("people"), extension=""),
    )


def people_export_table(actor: User, params: dict[str, Any]) -> Table:
    """The background export of the people list ("registry.people"), with the page's filters."""
    return people_table(selectors.person_list(actor=actor, **person_filters(actor=actor, params=params)))
