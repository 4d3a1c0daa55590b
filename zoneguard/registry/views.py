from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.excel import workbook_response
from zoneguard.core.exports import export_format, export_response
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, perform, perform_with_form, submit_form

from . import exports, imports, scoping, selectors, services
from .forms import (
    MemberAddForm,
    MembershipForm,
    MergeForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonCreateForm,
    PersonFilterForm,
    PersonForm,
    SiteFilterForm,
    SiteForm,
    StaffImportForm,
)


def _organisation_filters(request: AuthedRequest) -> tuple[OrganisationFilterForm, dict[str, Any]]:
    form = OrganisationFilterForm(request.GET or None, actor=request.user)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "search": data["q"],
            "kind": data["kind"],
            "sector_id": data["sector"].pk if data["sector"] else None,
            "community_id": data["community"].pk if data["community"] else None,
        }
    return form, filters


@login_required
def organisation_list(request: AuthedRequest) -> HttpResponseBase:
    form, filters = _organisation_filters(request)
    organisations = selectors.organisation_list(actor=request.user, **filters)
    if request.GET.get("export") == "xlsx":
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_type="registry.organisation",
            detail={"filters": {k: v for k, v in filters.items() if v}},
        )
        return workbook_response(exports.organisations_workbook(organisations), exports.filename(_("organisations")))
    return render(
        request,
        "registry/organisation_list.html",
        {
            "form": form,
            "page": paginate(request, organisations),
            "can_create": scoping.is_commander(request.user) or request.user.role == "department_officer",
        },
    )


@login_required
def organisation_detail(request: AuthedRequest, pk: int) -> HttpResponseBase:
    organisation = selectors.organisation_access(actor=request.user, pk=pk)
    memberships = selectors.membership_list(actor=request.user, organisation_id=organisation.pk)
    if request.GET.get("export") == "xlsx":
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_type="registry.membership",
            organisation_id=organisation.pk,
            detail={"masked": True},
        )
        return workbook_response(exports.members_workbook(organisation, memberships), exports.filename(_("members")))
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "organisation": organisation,
            "sites": selectors.site_list(actor=request.user, organisation_id=organisation.pk),
            "members": paginate(request, memberships),
            "can_manage": scoping.can_manage_organisation(request.user, organisation),
            "children": selectors.organisation_list(actor=request.user).filter(parent=organisation),
        },
    )


def _form_page(request: AuthedRequest, form: Any, title: str, back: Any = None) -> HttpResponse:
    return render(request, "registry/form.html", {"form": form, "title": title, "back": back})


@login_required
def organisation_create(request: AuthedRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, actor=request.user)
    done, organisation = submit_form(
        request,
        form,
        lambda data: services.organisation_create(actor=request.user, data=data),
        success=_("The organisation was registered."),
    )
    if done:
        return redirect("registry:organisation", pk=organisation.pk)
    return _form_page(request, form, _("Register an organisation"))


@login_required
def organisation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_access_for_change(actor=request.user, pk=pk)
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        actor=request.user,
        editable=services.organisation_editable_fields(request.user, organisation),
    )
    done, _result = submit_form(
        request,
        form,
        lambda data: services.organisation_update(actor=request.user, organisation=organisation, data=data),
        success=_("The changes were saved."),
    )
    if done:
        return redirect("registry:organisation", pk=organisation.pk)
    return _form_page(request, form, _("Edit %(name)s") % {"name": organisation.name}, organisation)


@login_required
def site_list(request: AuthedRequest) -> HttpResponseBase:
    form = SiteFilterForm(request.GET or None)
    filters = {"search": form.cleaned_data["q"], "kind": form.cleaned_data["kind"]} if form.is_valid() else {}
    sites = selectors.site_list(actor=request.user, **filters)
    if request.GET.get("export") == "xlsx":
        audit_record(actor=request.user, action=AuditAction.EXPORT, object_type="registry.site")
        return workbook_response(exports.sites_workbook(sites), exports.filename(_("sites")))
    return render(
        request,
        "registry/site_list.html",
        {
            "form": form,
            "page": paginate(request, sites),
        },
    )


@login_required
def site_create(request: AuthedRequest, organisation_pk: int) -> HttpResponse:
    organisation = selectors.organisation_access_for_change(actor=request.user, pk=organisation_pk)
    form = SiteForm(request.POST or None)
    done, _site = submit_form(
        request,
        form,
        lambda data: services.site_create(actor=request.user, organisation=organisation, data=data),
        success=_("The checkpoint site was added."),
    )
    if done:
        return redirect("registry:organisation", pk=organisation.pk)
    title = _("New checkpoint site for %(name)s") % {"name": organisation.name}
    return _form_page(request, form, title, organisation)


@login_required
def site_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    site = selectors.site_access(actor=request.user, pk=pk)
    if not scoping.can_manage_organisation(request.user, site.organisation):
        raise Http404
    form = SiteForm(request.POST or None, instance=site)
    done, _site = submit_form(
        request,
        form,
        lambda data: services.site_update(actor=request.user, site=site, data=data),
        success=_("The changes were saved."),
    )
    if done:
        return redirect("registry:organisation", pk=site.organisation_id)
    return _form_page(request, form, _("Edit %(name)s") % {"name": site}, site.organisation)


@login_required
def site_rotate_code(request: AuthedRequest, pk: int) -> HttpResponse:
    """A new code stops every printed poster of the site at once, so the button on the
    organisation's page asks first (GET) and only the confirming POST changes it."""
    site = selectors.site_access(actor=request.user, pk=pk)
    if request.method != "POST":
        if not scoping.can_manage_organisation(request.user, site.organisation):
            raise Http404
        return render(request, "registry/site_rotate_code.html", {"site": site})
    perform(
        request,
        lambda: services.site_rotate_code(actor=request.user, site=site),
        success=_("The site has a new code: print its QR poster again."),
    )
    return redirect("registry:organisation", pk=site.organisation_id)


@login_required
def person_list(request: AuthedRequest) -> HttpResponseBase:
    form = PersonFilterForm(request.GET or None, actor=request.user)
    params = {"q": "", "organisation": ""}
    if form.is_valid():
        params = {name: form.cleaned_data[name] for name in params}
    people = selectors.person_list(actor=request.user, **exports.person_filters(actor=request.user, params=params))
    fmt = export_format(request)
    if fmt:
        return export_response(
            request,
            exports.people_table(people),
            kind="registry.people",
            params=params,
            fmt=fmt,
            rows=people.count(),
            masked=True,
            audit=partial(audit_record, actor=request.user, action=AuditAction.EXPORT, object_type="registry.person"),
        )
    return render(
        request,
        "registry/person_list.html",
        {
            "form": form,
            "page": paginate(request, people),
            "can_create": request.user.role in {"commander", "organisation_admin", "department_officer"}
            or request.user.is_superuser,
        },
    )


@login_required
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The one page where the full ID number and phone appear, for those allowed; each view is audited."""
    person = selectors.person_access(actor=request.user, pk=pk)
    personal = None
    if selectors.can_read_personal_data(actor=request.user, person=person):
        personal = selectors.person_personal_data(actor=request.user, person=person, purpose="person_detail")
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "personal": personal,
            "memberships": selectors.membership_list(actor=request.user, person_id=person.pk),
        },
    )


@login_required
def person_create(request: AuthedRequest) -> HttpResponse:
    form = PersonCreateForm(request.POST or None, actor=request.user)
    done, registered = submit_form(
        request,
        form,
        lambda data: services.person_register(
            actor=request.user,
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            organisation=data["organisation"],
            position=data["position"],
        ),
        # Only the commander, registering into the zone's registry, learns whether the number was known.
        success=lambda registered: (
            _("The person was registered.")
            if registered[1] or not scoping.is_commander(request.user)
            else _("The person was already registered and has been linked.")
        ),
    )
    if done:
        return redirect("registry:person", pk=registered[0].pk)
    return _form_page(request, form, _("Register a person"))


@login_required
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.person_access(actor=request.user, pk=pk)
    if not selectors.can_read_personal_data(actor=request.user, person=person):
        raise Http404
    form = PersonForm(request.POST or None, person=person, actor=request.user)
    if request.method == "GET":
        # The form shows the full ID number and phone: a read of personal data.
        selectors.person_personal_data(actor=request.user, person=person, purpose="person_edit")
    done, _person = submit_form(
        request,
        form,
        lambda data: services.person_update(actor=request.user, person=person, data=data),
        success=_("The changes were saved."),
    )
    if done:
        return redirect("registry:person", pk=person.pk)
    return _form_page(request, form, _("Edit %(name)s") % {"name": person.shown_name})


@login_required
def member_add(request: AuthedRequest, organisation_pk: int) -> HttpResponse:
    organisation = selectors.organisation_access_for_change(actor=request.user, pk=organisation_pk)
    form = MemberAddForm(request.POST or None)
    done, _registered = submit_form(
        request,
        form,
        lambda data: services.person_register(actor=request.user, organisation=organisation, **data),
        success=_("The member was added."),
    )
    if done:
        return redirect("registry:organisation", pk=organisation.pk)
    return _form_page(request, form, _("Add a member to %(name)s") % {"name": organisation.name}, organisation)


@login_required
def membership_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_access(actor=request.user, pk=pk)
    if not scoping.can_manage_organisation(request.user, membership.organisation):
        raise Http404
    form = MembershipForm(request.POST or None, instance=membership)
    done, _membership = submit_form(
        request,
        form,
        lambda data: services.membership_update(actor=request.user, membership=membership, data=data),
        success=_("The changes were saved."),
    )
    if done:
        return redirect("registry:organisation", pk=membership.organisation_id)
    return _form_page(request, form, str(membership), membership.organisation)


@login_required
def staff_import(request: AuthedRequest, organisation_pk: int) -> HttpResponse:
    organisation = selectors.organisation_access_for_change(actor=request.user, pk=organisation_pk)
    form = StaffImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = imports.staff_import(
            actor=request.user, organisation=organisation, data=form.cleaned_data["file"].read()
        )
        if report.written:
            messages.success(request, _("%(count)d people imported.") % {"count": len(report.rows)})
            return redirect("registry:organisation", pk=organisation.pk)
    return render(request, "registry/staff_import.html", {"form": form, "organisation": organisation, "report": report})


@login_required
def staff_template(request: AuthedRequest) -> HttpResponseBase:
    return workbook_response(imports.staff_template(), exports.filename(_("staff import template"), dated=False))


@login_required
def duplicates(request: AuthedRequest) -> HttpResponse:
    if not scoping.is_commander(request.user):
        raise Http404
    candidates = selectors.duplicate_candidates(actor=request.user)
    return render(request, "registry/duplicates.html", {"candidates": candidates})


@login_required
@require_POST
def merge(request: AuthedRequest) -> HttpResponse:
    if not scoping.is_commander(request.user):
        raise Http404
    merged, keep = perform_with_form(
        request,
        MergeForm(request.POST),
        lambda data: services.person_merge(actor=request.user, **data),
        invalid=_("Choose two people to merge."),
        success=_("The records were merged."),
    )
    if not merged:
        return redirect("registry:duplicates")
    return redirect("registry:person", pk=keep.pk)


@login_required
def organisation_suggest(request: AuthedRequest) -> JsonResponse:
    """Suggestions for an organisation filter as the user types: a few names in their scope."""
    text = (request.GET.get("q") or "")[:100]
    return JsonResponse({"items": selectors.organisation_suggestions(actor=request.user, text=text)})


@login_required
def site_suggest(request: AuthedRequest) -> JsonResponse:
    text = (request.GET.get("q") or "")[:100]
    return JsonResponse({"items": selectors.site_suggestions(actor=request.user, text=text)})
