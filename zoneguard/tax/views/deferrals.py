"""Tax pages: payment deferral applications and their summary."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.charts import chart_response
from zoneguard.core.errors import ApplicationError
from zoneguard.core.excel import workbook_response
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, perform, perform_with_form, submit_form

from .. import access, charts, exports, selectors, services
from ..forms import (
    AttachmentForm,
    DecisionForm,
    DeferralFilterForm,
    DeferralForm,
    SummaryForm,
)
from ..models import Deferral, DeferralStatus
from .common import _file_response, _require_user, _submit_once

# --- Deferrals ------------------------------------------------------------------------------------


@login_required
def deferral_list(request: AuthedRequest) -> HttpResponse:
    _require_user(request)
    form = DeferralFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {"search": form.cleaned_data["q"], "status": form.cleaned_data["status"]}
    return render(
        request,
        "tax/deferral_list.html",
        {
            "form": form,
            "page": paginate(request, selectors.deferral_list(actor=request.user, **filters)),
            "can_apply": selectors.taxpayer_choices(actor=request.user).exists(),
        },
    )


def _field_for_item(form: DeferralForm, field: str) -> str:
    """`items.2.amount` (the service's name) → `amount_vat` (the form's)."""
    parts = field.split(".")
    if len(parts) == 3 and parts[0] == "items" and parts[1].isdigit():
        items = form.items()
        index = int(parts[1])
        if index < len(items):
            return f"amount_{items[index][0]}"
    return field


@login_required
def deferral_create(request: AuthedRequest) -> HttpResponse:
    _require_user(request)
    organisations = selectors.taxpayer_choices(actor=request.user)
    if not organisations.exists():
        raise Http404
    tax_types = list(selectors.tax_types())
    initial = {"period": services.default_period(timezone.localdate())}
    form = DeferralForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        tax_types=tax_types,
        own_id=request.user.organisation_id,
        initial=initial,
    )

    def apply(data: dict[str, Any]) -> Any:
        try:
            return services.deferral_apply(
                actor=request.user,
                organisation=data["organisation"],
                months=data["months"],
                reason=data["reason"],
                items=form.items(),
                period=data["period"],
                evidence=[data["evidence"]],
            )
        except ApplicationError as error:
            error.errors = {_field_for_item(form, k): v for k, v in error.errors.items()}
            raise

    done, deferral = submit_form(request, form, apply, success=_("The application was sent to the tax bureau."))
    if done:
        return redirect("tax:deferral", pk=deferral.pk)
    return render(request, "tax/deferral_form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def deferral_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    deferral = selectors.deferral_access(actor=request.user, pk=pk)
    items = list(selectors.deferral_items(deferral))
    form = None
    can_decide = (
        deferral.status == DeferralStatus.SUBMITTED
        and access.can_administer(request.user)
        and access.can_act_for(request.user, deferral.organisation)
    )
    if request.method == "POST" and not can_decide:
        if not access.can_administer(request.user):
            raise Http404
        # A second click, or an old tab after the decision: the service says why, on the page.
        perform(request, lambda: _decide(request, deferral, request.POST, amounts=None))
        return redirect("tax:deferral", pk=deferral.pk)
    if can_decide:
        form = DecisionForm(request.POST or None, months=deferral.months, items=items)

        def decide(data: dict[str, Any]) -> Any:
            try:
                return _decide(request, deferral, data, amounts=form.amounts())
            except ApplicationError as error:
                # The service names amounts `amounts.<tax type>`; the form's fields are `amount_<tax type>`.
                error.errors = {k.replace("amounts.", "amount_"): v for k, v in error.errors.items()}
                raise

        done, taken = _submit_once(
            request,
            form,
            decide,
            success=_("The decision was recorded and the taxpayer told."),
            taken="already_decided",
        )
        if done or taken:
            return redirect("tax:deferral", pk=deferral.pk)
    evidence = list(deferral.evidence.all())
    return render(
        request,
        "tax/deferral_detail.html",
        {
            "deferral": deferral,
            "items": items,
            "evidence": evidence,
            "form": form,
            "evidence_form": AttachmentForm()
            if deferral.status == DeferralStatus.SUBMITTED and access.can_act_for(request.user, deferral.organisation)
            else None,
        },
        status=422 if form is not None and form.errors else 200,
    )


def _decide(request: AuthedRequest, deferral: Deferral, data: Any, *, amounts: dict[str, Any] | None) -> Deferral:
    months = data.get("months")
    return services.deferral_decide(
        actor=request.user,
        deferral=deferral,
        approve=data.get("decision") == "approve",
        months=months if isinstance(months, int) else None,
        amounts=amounts,
        note=data.get("note") or "",
    )


@login_required
@require_POST
def deferral_evidence_add(request: AuthedRequest, pk: int) -> HttpResponse:
    deferral = selectors.deferral_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        AttachmentForm(request.POST, request.FILES),
        lambda data: services.deferral_evidence_add(actor=request.user, deferral=deferral, file=data["file"]),
        invalid=_("Choose a file to upload."),
        success=_("The file was added."),
    )
    return redirect("tax:deferral", pk=deferral.pk)


@login_required
def evidence_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    evidence = selectors.evidence_access(actor=request.user, pk=pk)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=evidence,
        organisation_id=evidence.deferral.organisation_id,
        detail={"deferral": evidence.deferral_id},
    )
    return _file_response(evidence.file, evidence.name)


def _summary_filters(request: AuthedRequest) -> tuple[SummaryForm, date | None, date | None]:
    form = SummaryForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return form, None, None


@login_required
def deferral_summary_chart(request: AuthedRequest) -> HttpResponse:
    _require_user(request)
    _form, date_from, date_to = _summary_filters(request)
    return chart_response(charts.deferred_by_tax_type(actor=request.user, date_from=date_from, date_to=date_to))


@login_required
def deferral_summary(request: AuthedRequest) -> HttpResponseBase:
    _require_user(request)
    form, date_from, date_to = _summary_filters(request)
    summary = selectors.deferral_summary(actor=request.user, date_from=date_from, date_to=date_to)
    types = list(selectors.tax_types(active_only=False))
    if request.GET.get("export") == "xlsx":
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_type="tax.deferral",
            detail={"from": str(date_from or ""), "to": str(date_to or "")},
        )
        return workbook_response(exports.summary_workbook(summary, types), exports.summary_filename())
    used = [t for t in types if any(t.code == s.code for s in summary.by_tax_type)]
    return render(
        request,
        "tax/deferral_summary.html",
        {
            "form": form,
            "summary": summary,
            "types": used,
            "rows": [
                {"deferral": row["deferral"], "amounts": [row["amounts"].get(t.pk) for t in used]}
                for row in summary.rows
            ],
        },
    )
