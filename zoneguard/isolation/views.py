from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zoneguard.core.errors import ApplicationError, Forbidden, NotFound
from zoneguard.core.excel import workbook_response
from zoneguard.core.masking import mask_id_number, mask_name
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, carried, object_action, perform_with_form, submit_form

from . import access, imports, selectors, services
from .forms import AssignForm, CaseForm, DecisionForm, FollowUpForm, ImportForm, RuleForm, WorkerFollowUpForm
from .models import CaseStatus, IsolationCase, Reason, Source
from .notice import release_notice_pdf
from .resident import resident_case


def _follower(request: AuthedRequest) -> None:
    if not access.sees_cases(request.user):
        raise Forbidden()


@login_required
def cases(request: AuthedRequest) -> HttpResponse:
    """The worker's day: active cases, the missed follow-ups first; closed cases below."""
    _follower(request)
    today = timezone.localdate()
    closed = selectors.case_list(actor=request.user).exclude(status=CaseStatus.ACTIVE).order_by("-closed_at", "-id")
    return render(
        request,
        "isolation/cases.html",
        {
            "days": selectors.follow_up_list(actor=request.user, today=today),
            "closed": paginate(request, closed),
            "today": today,
            "may_open": bool(selectors.communities(actor=request.user).exists()),
        },
    )


def _open_case(request: AuthedRequest, data: dict[str, Any]) -> IsolationCase:
    case = {key: data[key] for key in ("community", "address", "reason", "start_date", "worker", "note")}
    case["source"] = data["source"] or Source.MANUAL
    if data["person"]:
        person = selectors.person_access(actor=request.user, pk=data["person"])
        return services.case_open(actor=request.user, person=person, phone=data["phone"], **case)
    return services.case_open_registering(
        actor=request.user, name=data["name"], id_number=data["id_number"], phone=data["phone"], **case
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: AuthedRequest) -> HttpResponse:
    """Open a case: for someone given by name and ID number, or for a registered person chosen on a
    fever alert or an incident (`?person=&source=alert`)."""
    _follower(request)
    initial: dict[str, Any] = {}
    if request.method == "GET" and request.GET.get("person", "").isdigit():
        person = selectors.person_access(actor=request.user, pk=int(request.GET["person"]))
        source = request.GET.get("source", Source.MANUAL)
        initial = {
            "person": person.pk,
            "name": mask_name(person.name),
            "id_number": mask_id_number(person.id_number),
            "source": source if source in Source.values else Source.MANUAL,
            "reason": Reason.FEVER if source == Source.ALERT else Reason.CLOSE_CONTACT,
        }
    form = CaseForm(
        request.POST or None,
        initial=initial,
        communities=selectors.communities(actor=request.user),
        workers=selectors.community_workers(actor=request.user),
    )
    done, case = submit_form(
        request,
        form,
        lambda data: _open_case(request, data),
        success=_("Case opened: the gates refuse the person until it is closed."),
    )
    if done:
        return redirect("isolation:case", pk=case.pk)
    return render(request, "isolation/case_new.html", {"form": form})


@login_required
def case(request: AuthedRequest, pk: int) -> HttpResponse:
    _follower(request)
    case = selectors.case_read_in_full(actor=request.user, case=selectors.case_access(actor=request.user, pk=pk))
    today = timezone.localdate()
    link = request.build_absolute_uri(reverse("isolation:resident", args=[services.resident_token(case)]))
    return render(
        request,
        "isolation/case_detail.html",
        {
            "case": case,
            "calendar": selectors.case_calendar(case, today=today),
            "follow_ups": selectors.follow_ups(case),
            "follow_up_form": carried(request, WorkerFollowUpForm, reverse("isolation:follow_up", args=[case.pk])),
            # Carried: a refused change comes back with what was typed, the error by its field.
            "assign_form": carried(
                request,
                AssignForm,
                reverse("isolation:assign", args=[case.pk]),
                initial={
                    "community": case.community_id,
                    "worker": case.worker_id,
                    "address": case.address,
                    "phone": case.phone,
                },
                communities=selectors.communities(actor=request.user),
                workers=selectors.community_workers(actor=request.user),
            ),
            "link": link,
            "may_release": case.is_active and today >= case.end_date,
        },
    )


@login_required
@require_POST
def follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        WorkerFollowUpForm(request.POST),
        lambda data: services.follow_up_record(
            actor=request.user,
            case=case,
            temperature=data["temperature"],
            symptoms=data["symptoms"],
            note=data["note"],
            day=data["day"],
        ),
        success=_("Reading recorded."),
    )
    return redirect("isolation:case", pk=pk)


@login_required
@require_POST
def assign(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_access(actor=request.user, pk=pk)
    form = AssignForm(
        request.POST,
        communities=selectors.communities(actor=request.user),
        workers=selectors.community_workers(actor=request.user),
    )
    perform_with_form(
        request,
        form,
        lambda data: services.case_assign(
            actor=request.user,
            case=case,
            community=data["community"],
            worker=data["worker"],
            address=data["address"],
            phone=data["phone"],
        ),
        success=_("Saved."),
    )
    return redirect("isolation:case", pk=pk)


def _case(request: AuthedRequest, pk: int) -> IsolationCase:
    return selectors.case_access(actor=request.user, pk=pk)


def _to_case(_request: AuthedRequest, case: IsolationCase) -> HttpResponse:
    return redirect("isolation:case", pk=case.pk)


release = object_action(
    load=_case,
    form=DecisionForm,
    action=lambda user, case, data: services.case_release(actor=user, case=case, note=data["note"]),
    success=gettext_lazy("Released: the gates admit the person again; their link offers the release notice."),
    back=_to_case,
)


transfer = object_action(
    load=_case,
    form=DecisionForm,
    action=lambda user, case, data: services.case_transfer(actor=user, case=case, note=data["note"]),
    success=gettext_lazy("Recorded as transferred to hospital."),
    back=_to_case,
)


link_renew = object_action(
    load=_case,
    action=lambda user, case, _data: services.link_renew(actor=user, case=case),
    success=gettext_lazy("A new link: the old one no longer opens."),
    back=_to_case,
)


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: AuthedRequest) -> HttpResponse:
    _follower(request)
    if request.method == "POST":
        perform_with_form(
            request,
            RuleForm(request.POST),
            lambda data: services.reason_rule_save(
                actor=request.user,
                reason=data["reason"],
                days=data["days"],
                readings_per_day=data["readings_per_day"],
            ),
            success=_("Saved: cases opened from now on follow it."),
        )
        return redirect("isolation:rules")
    forms = [
        (rule, RuleForm(initial={"reason": rule.reason, "days": rule.days, "readings_per_day": rule.readings_per_day}))
        for rule in selectors.reason_rules()
    ]
    return render(request, "isolation/rules.html", {"forms": forms})


# --- The resident's own page, opened from their personal link without signing in ----------------


@require_http_methods(["GET", "POST"])
def resident(request: HttpRequest, token: str) -> HttpResponse:
    """The resident's phone page: today's readings, the form for the next one, the release notice
    once released. Shows their own case only, masked, and nothing of anyone else."""
    try:
        case = resident_case(request, token)
    except services.LinkExpired as error:
        return render(request, "isolation/resident_expired.html", {"message": error.message}, status=403)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.follow_up_record(actor=None, case=case, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            thanks = _("Recorded: %(temperature)s °C. Thank you.") % {"temperature": recorded.temperature}
            messages.success(request, thanks)
            return redirect("isolation:resident", token=token)
    today = timezone.localdate()
    calendar = selectors.case_calendar(case, today=today)
    return render(
        request,
        "isolation/resident.html",
        {
            "case": case,
            "form": form,
            "today": next((day for day in calendar if day.day == today), None),
            "follow_ups": selectors.follow_ups(case)[:30],
            "token": token,
        },
    )


def resident_notice(request: HttpRequest, token: str) -> HttpResponse:
    case = resident_case(request, token)
    if case.status != CaseStatus.RELEASED:
        raise NotFound()
    response = HttpResponse(release_notice_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="release-notice-{case.pk}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def cases_import(request: AuthedRequest) -> HttpResponse:
    _follower(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = imports.cases_import(actor=request.user, data=form.cleaned_data["file"].read())
        if report.written:
            messages.success(request, _("%(count)d cases opened.") % {"count": len(report.rows)})
            return redirect("isolation:cases")
    return render(request, "isolation/cases_import.html", {"form": form, "report": report})


@login_required
def cases_template(request: AuthedRequest) -> HttpResponseBase:
    _follower(request)
    return workbook_response(imports.cases_template(), _("home isolation list") + ".xlsx")
