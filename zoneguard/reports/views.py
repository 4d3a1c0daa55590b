from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.charts import chart_response
from zoneguard.core.errors import ApplicationError
from zoneguard.core.excel import workbook_response
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, add_error_to_form
from zoneguard.registry.scoping import is_commander
from zoneguard.resumption.selectors import resumption_rates

from . import charts, exports, selectors, services
from .forms import DayForm, DeadlineForm, ReportForm
from .models import DailyReport
from .schedule import deadline_time


def _day(request: AuthedRequest) -> tuple[DayForm, date]:
    form = DayForm(request.GET or None, initial={"day": timezone.localdate()})
    day = form.cleaned_data["day"] if form.is_valid() and form.cleaned_data["day"] else None
    return form, day or timezone.localdate()


@login_required
def day(request: AuthedRequest) -> HttpResponse:
    """Officers: who has and has not filed on a day. Administrators: their organisations' reports."""
    form, on = _day(request)
    summary = selectors.day_summary(actor=request.user, day=on)
    return render(
        request,
        "reports/day.html",
        {
            "form": form,
            "overview": summary,
            "missing": paginate(request, selectors.missing_reports(actor=request.user, day=on)),
            "filed": paginate(request, selectors.filed_reports(actor=request.user, day=on), param="filed_page"),
            "is_late": summary.late > 0,
            "is_today": on == timezone.localdate(),
            "reportable": selectors.reportable_organisations(actor=request.user),
            "is_commander": is_commander(request.user),
        },
    )


@login_required
def chart(request: AuthedRequest) -> HttpResponse:
    _form, on = _day(request)
    return chart_response(charts.filed_and_due(actor=request.user, day=on))


@login_required
def report_file(request: AuthedRequest) -> HttpResponse:
    organisations = {o.pk: o for o in selectors.reportable_organisations(actor=request.user)}
    try:
        organisation = organisations[int(request.GET.get("organisation") or next(iter(organisations), 0))]
    except (KeyError, ValueError):
        raise Http404 from None
    today = timezone.localdate()
    existing = DailyReport.objects.filter(organisation=organisation, day=today).first()
    form = ReportForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            report, created = services.report_file(
                actor=request.user, organisation=organisation, data=form.cleaned_data
            )
        except ApplicationError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("Today's report was filed.") if created else _("Today's report was amended."))
            return redirect("reports:report", pk=report.pk)
    return render(
        request,
        "reports/report_form.html",
        {"form": form, "organisation": organisation, "today": today, "existing": existing},
    )


@login_required
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_access(actor=request.user, pk=pk)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "revisions": report.revisions.all(),
            "can_amend": report.day == timezone.localdate() and services.can_report(request.user, report.organisation),
        },
    )


@login_required
def export(request: AuthedRequest) -> HttpResponseBase:
    _form, on = _day(request)
    overview = selectors.day_overview(actor=request.user, day=on)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="reports.dailyreport",
        detail={"day": on.isoformat(), "organisations": len(overview.rows)},
    )
    workbook = exports.day_workbook(overview, resumption_rates(actor=request.user, day=on))
    return workbook_response(workbook, exports.filename(overview))


@login_required
def deadline(request: AuthedRequest) -> HttpResponse:
    """The commander sets the time by which daily reports are due."""
    if not is_commander(request.user):
        raise Http404
    form = DeadlineForm(request.POST or None, initial={"deadline": deadline_time()})
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_set(actor=request.user, deadline=form.cleaned_data["deadline"])
        except ApplicationError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The deadline was changed."))
            return redirect("reports:day")
    return render(request, "reports/deadline.html", {"form": form})
