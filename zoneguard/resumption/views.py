from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.core.charts import chart_response
from zoneguard.core.errors import ApplicationError
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, add_error_to_form, carried, perform_with_form

from . import access, charts, selectors, services
from .forms import DecisionForm, FilingFilterForm, FilingForm, NewFilingForm, RatesFilterForm
from .models import FilingStatus


@login_required
def filing_list(request: AuthedRequest) -> HttpResponse:
    form = FilingFilterForm(request.GET or None)
    if not access.reviews_filings(request.user):
        del form.fields["to_review"]  # an enterprise reviews nothing
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"search": data["q"], "status": data["status"], "to_review": data.get("to_review", False)}
    filings = selectors.filing_list(actor=request.user, **filters)
    return render(
        request,
        "resumption/filing_list.html",
        {
            "form": form,
            "page": paginate(request, filings),
            "fileable": selectors.fileable_organisations(actor=request.user),
        },
    )


@login_required
def filing_create(request: AuthedRequest) -> HttpResponse:
    organisations = selectors.fileable_organisations(actor=request.user)
    if not organisations.exists():
        raise Http404
    wanted = request.GET.get("organisation", "")
    initial = {"organisation": organisations.filter(pk=wanted).first()} if wanted.isdigit() else {}
    form = NewFilingForm(request.POST or None, request.FILES or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        document = data.pop("plan_document")
        try:
            filing = services.filing_submit(actor=request.user, organisation=organisation, data=data, document=document)
        except ApplicationError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The resumption filing was submitted to the competent department."))
            return redirect("resumption:filing", pk=filing.pk)
    return render(request, "resumption/filing_form.html", {"form": form, "title": _("File for work resumption")})


@login_required
def filing_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_access(actor=request.user, pk=pk)
    organisation = filing.organisation
    can_review = (
        filing.status in (FilingStatus.SUBMITTED, FilingStatus.APPROVED)
        and access.can_review(request.user, organisation)
        and not access.can_file(request.user, organisation)
    )
    decision_form = (
        carried(request, DecisionForm, reverse("resumption:filing-decide", args=[filing.pk])) if can_review else None
    )
    if decision_form is not None and filing.status == FilingStatus.APPROVED:
        decision_form.fields["comment"].help_text = _("Required: say why the approval is withdrawn.")
    events = list(filing.events.select_related("department"))
    return render(
        request,
        "resumption/filing_detail.html",
        {
            "filing": filing,
            "events": events,
            # The decision's comment belongs to the decision: an amended filing waits for a new one.
            "last_decision": events[-1].action if events and filing.status != FilingStatus.SUBMITTED else "",
            "departments": access.reviewing_departments(organisation),
            "can_review": can_review,
            "can_amend": filing.status != FilingStatus.APPROVED and access.can_file(request.user, organisation),
            "can_see_contact": access.can_see_contact(request.user, organisation),
            "decision_form": decision_form,
        },
    )


@login_required
def filing_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_access(actor=request.user, pk=pk)
    if filing.status == FilingStatus.APPROVED or not access.can_file(request.user, filing.organisation):
        raise Http404
    form = FilingForm(request.POST or None, request.FILES or None, instance=filing)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("plan_document")
        try:
            services.filing_amend(actor=request.user, filing=filing, data=data, document=document)
        except ApplicationError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The filing was amended and submitted for review again."))
            return redirect("resumption:filing", pk=filing.pk)
    return render(
        request,
        "resumption/filing_form.html",
        {
            "form": form,
            "title": _("Amend the filing of %(name)s") % {"name": filing.organisation.name},
            "filing": filing,
        },
    )


@login_required
@require_POST
def filing_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_access(actor=request.user, pk=pk)
    approve = request.POST.get("decision") == "approve"
    if request.POST.get("decision") not in {"approve", "return"}:
        messages.error(request, _("Choose to approve or to return the filing."))
        return redirect("resumption:filing", pk=pk)
    perform_with_form(
        request,
        DecisionForm(request.POST),
        lambda data: services.filing_decide(
            actor=request.user, filing=filing, approve=approve, comment=data["comment"]
        ),
        success=_("The filing was approved.")
        if approve
        else _("The approval was withdrawn.")
        if filing.status == FilingStatus.APPROVED
        else _("The filing was returned for changes."),
    )
    return redirect("resumption:filing", pk=pk)


@login_required
def filing_document(request: AuthedRequest, pk: int) -> HttpResponseBase:
    filing = selectors.filing_access(actor=request.user, pk=pk)
    if not filing.plan_document:
        raise Http404
    return FileResponse(
        filing.plan_document.open("rb"), as_attachment=True, filename=filing.plan_document_name or "plan"
    )


def _rates_filters(request: AuthedRequest) -> tuple[RatesFilterForm, date | None, str]:
    form = RatesFilterForm(request.GET or None, initial={"day": timezone.localdate()})
    if form.is_valid():
        return form, form.cleaned_data["day"], form.cleaned_data["kind"]
    return form, None, ""


@login_required
def rates(request: AuthedRequest) -> HttpResponse:
    form, day, kind = _rates_filters(request)
    rates = selectors.resumption_rates(actor=request.user, day=day, kind=kind)
    page = paginate(request, selectors.attention_first(rates.organisations))
    return render(request, "resumption/rates.html", {"form": form, "rates": rates, "page": page})


@login_required
def rates_chart_sectors(request: AuthedRequest) -> HttpResponse:
    _form, day, kind = _rates_filters(request)
    return chart_response(charts.rates_by_sector(actor=request.user, day=day or timezone.localdate(), kind=kind))


@login_required
def rates_chart_days(request: AuthedRequest) -> HttpResponse:
    _form, day, kind = _rates_filters(request)
    return chart_response(charts.rates_last_days(actor=request.user, day=day or timezone.localdate(), kind=kind))
