"""Pages of the tax services. Thin: a form, the service the API uses too, a redirect."""

from __future__ import annotations

import mimetypes
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.charts import chart_response
from zoneguard.core.collation import PinyinOrder
from zoneguard.core.errors import ApplicationError
from zoneguard.core.excel import workbook_response
from zoneguard.core.pagination import paginate, querystring_without_page
from zoneguard.core.web import AuthedRequest, perform, submit_form
from zoneguard.registry import scoping

from . import access, charts, exports, selectors, services
from .forms import (
    AnswerForm,
    AppointmentFilterForm,
    AttachmentForm,
    BookingForm,
    ClosureForm,
    ConditionForm,
    DayForm,
    DecisionForm,
    DeferralFilterForm,
    DeferralForm,
    GenerateSlotsForm,
    OpeningHoursForm,
    PolicyFilterForm,
    PolicyForm,
    QuestionForm,
    RescheduleForm,
    SummaryForm,
    TaxProfileForm,
    WindowForm,
)
from .models import AppointmentStatus, DeferralStatus, PolicyAttachment, PolicyStatus, Question


def _require_user(request: AuthedRequest) -> None:
    if not access.uses_tax_services(request.user):
        raise Http404


def _require_administrator(request: AuthedRequest) -> None:
    if not access.can_administer(request.user):
        raise Http404


def _day(request: AuthedRequest) -> tuple[DayForm, date]:
    """The day of `?date=`, else today; a date the form refuses is shown on it."""
    form = DayForm(request.GET if request.GET.get("date") else None, initial={"date": timezone.localdate()})
    day = form.cleaned_data["date"] if form.is_valid() else None
    return form, day or timezone.localdate()


def _file_response(file: Any, name: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


# --- Home -----------------------------------------------------------------------------------------


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    _require_user(request)
    actor = request.user
    today = timezone.localdate()
    context: dict[str, Any] = {
        "is_officer": access.can_administer(actor),
        "is_enterprise": access.is_enterprise_user(actor),
        "today": today,
    }
    if context["is_enterprise"]:
        taxpayers = list(selectors.taxpayer_choices(actor=actor))
        context["taxpayers"] = [
            {"organisation": o, "policies": selectors.eligible_policies(actor=actor, organisation=o)} for o in taxpayers
        ]
    else:
        context["unanswered"] = selectors.question_list(actor=actor, answered=False).count()
        context["submitted"] = selectors.deferral_list(actor=actor, status=DeferralStatus.SUBMITTED).count()
        context["today_bookings"] = (
            selectors.appointment_list(actor=actor, day=today).exclude(status=AppointmentStatus.CANCELLED).count()
        )
        context["published"] = selectors.policy_list(actor=actor, status=PolicyStatus.PUBLISHED).count()
        context["summary"] = selectors.deferral_summary(actor=actor)
    context["appointments"] = selectors.appointment_list(actor=actor, upcoming=True, status=AppointmentStatus.BOOKED)[
        :5
    ]
    context["deferrals"] = selectors.deferral_list(actor=actor)[:5]
    return render(request, "tax/home.html", context)


# --- Policies -------------------------------------------------------------------------------------


@login_required
def policy_list(request: AuthedRequest) -> HttpResponse:
    _require_user(request)
    form = PolicyFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "search": data["q"],
            "status": data["status"],
            "category_id": data["category"].pk if data["category"] else None,
        }
    policies = selectors.policy_list(actor=request.user, **filters)
    eligible: set[int] = set()
    if access.is_enterprise_user(request.user):
        for organisation in selectors.taxpayer_choices(actor=request.user):
            eligible |= {
                r.policy.pk for r in selectors.eligible_policies(actor=request.user, organisation=organisation)
            }
    return render(
        request,
        "tax/policy_list.html",
        {
            "form": form,
            "page": paginate(request, policies),
            "query": querystring_without_page(request),
            "can_edit": access.can_administer(request.user),
            "eligible": eligible,
            "show_status": access.can_administer(request.user) or scoping.is_commander(request.user),
        },
    )


@login_required
def policy_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_access(actor=request.user, pk=pk)
    actor = request.user
    context: dict[str, Any] = {
        "policy": policy,
        "conditions": selectors.policy_conditions(policy),
        "attachments": policy.attachments.all(),
        "faq": selectors.faq_list(actor=actor, policy_id=policy.pk),
        "can_edit": access.can_administer(actor),
        "sees_all": access.can_administer(actor) or scoping.is_commander(actor),
    }
    if context["sees_all"]:
        eligible = selectors.eligible_organisations(actor=actor, policy=policy)
        context["eligible"] = paginate(request, eligible)
        context["eligible_count"] = len(eligible)
        context["query"] = querystring_without_page(request)
        context["questions"] = selectors.question_list(actor=actor, policy_id=policy.pk)[:50]
    else:
        organisations = selectors.taxpayer_choices(actor=actor)
        context["results"] = [
            {"organisation": o, "result": selectors.policy_result(policy=policy, organisation=o)} for o in organisations
        ]
        context["questions"] = selectors.question_list(actor=actor, policy_id=policy.pk)
        if policy.status == PolicyStatus.PUBLISHED and organisations.exists():
            context["question_form"] = QuestionForm(organisations=organisations, own_id=actor.organisation_id)
    return render(request, "tax/policy_detail.html", context)


@login_required
def policy_create(request: AuthedRequest) -> HttpResponse:
    _require_administrator(request)
    form = PolicyForm(request.POST or None)
    done, policy = submit_form(
        request,
        form,
        lambda data: services.policy_create(actor=request.user, data=data),
        success=_("The policy was saved as a draft. Add its conditions, then publish it."),
    )
    if done:
        return redirect("tax:policy-edit", pk=policy.pk)
    return render(request, "tax/form.html", {"form": form, "title": _("New policy"), "back": "tax:policies"})


@login_required
def policy_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    policy = selectors.policy_access(actor=request.user, pk=pk)
    form = PolicyForm(request.POST or None, instance=policy)
    done, _result = submit_form(
        request,
        form,
        lambda data: services.policy_update(actor=request.user, policy=policy, data=data),
        success=_("The changes were saved."),
    )
    if done:
        return redirect("tax:policy-edit", pk=policy.pk)
    return render(request, "tax/policy_edit.html", _policy_edit_context(policy, form=form))


def _policy_edit_context(policy: Any, **forms: Any) -> dict[str, Any]:
    return {
        "policy": policy,
        "form": forms.get("form") or PolicyForm(instance=policy),
        "condition_form": forms.get("condition_form") or ConditionForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "conditions": selectors.policy_conditions(policy),
        "attachments": policy.attachments.all(),
        "facts": selectors.facts_catalogue(),
    }


@login_required
@require_POST
def condition_add(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    policy = selectors.policy_access(actor=request.user, pk=pk)
    form = ConditionForm(request.POST)
    done, _result = submit_form(
        request,
        form,
        lambda data: services.condition_add(actor=request.user, policy=policy, **data),
        success=_("The condition was added."),
    )
    if done:
        return redirect("tax:policy-edit", pk=policy.pk)
    return render(request, "tax/policy_edit.html", _policy_edit_context(policy, condition_form=form), status=422)


@login_required
@require_POST
def condition_remove(request: AuthedRequest, pk: int, condition_pk: int) -> HttpResponse:
    _require_administrator(request)
    policy = selectors.policy_access(actor=request.user, pk=pk)
    condition = policy.conditions.filter(pk=condition_pk).first()
    if condition is None:
        raise Http404
    services.condition_remove(actor=request.user, condition=condition)
    messages.success(request, _("The condition was removed."))
    return redirect("tax:policy-edit", pk=policy.pk)


@login_required
@require_POST
def attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    policy = selectors.policy_access(actor=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    done, _result = submit_form(
        request,
        form,
        lambda data: services.attachment_add(actor=request.user, policy=policy, file=data["file"]),
        success=_("The attachment was added."),
    )
    if done:
        return redirect("tax:policy-edit", pk=policy.pk)
    return render(request, "tax/policy_edit.html", _policy_edit_context(policy, attachment_form=form), status=422)


@login_required
@require_POST
def attachment_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    attachment = selectors.attachment_access(actor=request.user, pk=pk)
    services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, _("The attachment was removed."))
    return redirect("tax:policy-edit", pk=attachment.policy_id)


@login_required
def attachment_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    attachment: PolicyAttachment = selectors.attachment_access(actor=request.user, pk=pk)
    return _file_response(attachment.file, attachment.name)


@login_required
@require_POST
def policy_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    policy = selectors.policy_access(actor=request.user, pk=pk)
    before = policy.matches.filter(notified_at__isnull=False).count()
    services.policy_publish(actor=request.user, policy=policy)
    told = policy.matches.filter(notified_at__isnull=False).count() - before
    messages.success(request, _("The policy is published; %(n)s enterprises were notified.") % {"n": told})
    return redirect("tax:policy", pk=policy.pk)


@login_required
@require_POST
def policy_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    policy = selectors.policy_access(actor=request.user, pk=pk)
    services.policy_withdraw(actor=request.user, policy=policy)
    messages.success(request, _("The policy was withdrawn."))
    return redirect("tax:policy", pk=policy.pk)


# --- Questions ------------------------------------------------------------------------------------


@login_required
@require_POST
def question_ask(request: AuthedRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_access(actor=request.user, pk=pk)
    form = QuestionForm(request.POST, organisations=selectors.taxpayer_choices(actor=request.user))
    if form.is_valid():
        perform(
            request,
            lambda: services.question_ask(
                actor=request.user,
                policy=policy,
                organisation=form.cleaned_data["organisation"],
                question=form.cleaned_data["question"],
            ),
            success=_("Your question was sent to the tax bureau."),
        )
    else:
        messages.error(request, _("Enter your question."))
    return redirect(f"/tax/policies/{policy.pk}/#questions")


@login_required
def question_list(request: AuthedRequest) -> HttpResponse:
    _require_user(request)
    answered = {"yes": True, "no": False}.get(request.GET.get("answered", ""))
    questions = selectors.question_list(actor=request.user, answered=answered)
    return render(
        request,
        "tax/question_list.html",
        {
            "page": paginate(request, questions),
            "query": querystring_without_page(request),
            "answered": request.GET.get("answered", ""),
            "is_officer": access.can_administer(request.user),
        },
    )


@login_required
def question_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    question: Question = selectors.question_access(actor=request.user, pk=pk)
    form = None
    if access.can_administer(request.user):
        form = AnswerForm(request.POST or None, initial={"answer": question.answer, "publish": question.is_faq})
        done, _result = submit_form(
            request,
            form,
            lambda data: services.question_answer(actor=request.user, question=question, **data),
            success=_("The answer was sent."),
        )
        if done:
            return redirect("tax:questions")
    return render(request, "tax/question_detail.html", {"question": question, "form": form})


# --- Taxpayers' profiles --------------------------------------------------------------------------


@login_required
def taxpayer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = selectors.taxpayer_access(actor=request.user, pk=pk)
    return render(
        request,
        "tax/taxpayer_detail.html",
        {
            "organisation": organisation,
            "profile": selectors.tax_profile(organisation=organisation),
            "results": selectors.eligible_policies(actor=request.user, organisation=organisation),
            "can_edit": access.can_act_for(request.user, organisation),
            "deferrals": selectors.deferral_list(actor=request.user, organisation_id=organisation.pk)[:10],
            "appointments": selectors.appointment_list(
                actor=request.user, organisation_id=organisation.pk, upcoming=True
            )[:10],
        },
    )


@login_required
def taxpayer_profile_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = selectors.taxpayer_access(actor=request.user, pk=pk)
    if not access.can_act_for(request.user, organisation):
        raise Http404
    profile = selectors.tax_profile(organisation=organisation)
    form = TaxProfileForm(request.POST or None, instance=profile)
    done, _result = submit_form(
        request,
        form,
        lambda data: services.tax_profile_update(actor=request.user, organisation=organisation, data=data),
        success=_("The tax profile was saved."),
    )
    if done:
        return redirect("tax:taxpayer", pk=organisation.pk)
    return render(
        request,
        "tax/form.html",
        {
            "form": form,
            "title": _("Tax profile of %(name)s") % {"name": organisation.name},
            "back_url": f"/tax/taxpayers/{organisation.pk}/",
        },
    )


@login_required
def taxpayer_list(request: AuthedRequest) -> HttpResponse:
    """Tax officers and the commander: every taxpayer, to open its profile and matching policies."""
    if not (access.can_administer(request.user) or scoping.is_commander(request.user)):
        raise Http404
    search = (request.GET.get("q") or "").strip()[:100]
    qs = access.taxpayers().filter(scoping.organisation_q(request.user)).select_related("tax_profile", "sector")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(credit_code=search.upper()))
    return render(
        request,
        "tax/taxpayer_list.html",
        {
            "page": paginate(request, qs.order_by(PinyinOrder("name"), "id")),
            "query": querystring_without_page(request),
            "q": search,
        },
    )


# --- Appointments ---------------------------------------------------------------------------------


@login_required
def appointment_list(request: AuthedRequest) -> HttpResponse:
    """The enterprise's bookings; for the tax officer, the hall's day with arrivals to tick off."""
    _require_user(request)
    if access.can_administer(request.user):
        return _day_view(request)
    form = AppointmentFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {"day": form.cleaned_data["date"], "status": form.cleaned_data["status"]}
    appointments = selectors.appointment_list(actor=request.user, **filters).order_by("-slot__starts_at", "-id")
    return render(
        request,
        "tax/appointment_list.html",
        {
            "form": form,
            "page": paginate(request, appointments),
            "query": querystring_without_page(request),
            # The commander reads the bookings but books for no taxpayer.
            "can_book": selectors.taxpayer_choices(actor=request.user).exists(),
        },
    )


def _day_view(request: AuthedRequest) -> HttpResponse:
    form, day = _day(request)
    hall = selectors.hall_access(actor=request.user, pk=None)
    slots = selectors.day_view(actor=request.user, hall=hall, day=day)
    bookings = [a for s in slots for a in getattr(s, "bookings", [])]
    return render(
        request,
        "tax/day_view.html",
        {
            "hall": hall,
            "day": day,
            "slots": slots,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "is_today": day == timezone.localdate(),
            "now": timezone.now(),
            "booked": len(bookings),
            "arrived": sum(1 for a in bookings if a.status == AppointmentStatus.ARRIVED),
            "form": form,
        },
    )


@login_required
def appointment_book(request: AuthedRequest) -> HttpResponse:
    _require_user(request)
    organisations = selectors.taxpayer_choices(actor=request.user)
    if not organisations.exists():
        raise Http404
    days = selectors.days_with_slots(actor=request.user)
    _form, day = _day(request)
    if day not in days and days and not request.GET.get("date"):
        day = days[0]
    slots = selectors.slot_list(actor=request.user, day=day, bookable_only=True)
    form = BookingForm(
        request.POST or None, organisations=organisations, slots=slots, own_id=request.user.organisation_id
    )
    done, appointment = submit_form(
        request,
        form,
        lambda data: services.appointment_book(actor=request.user, **data),
        success=lambda booked: _("Booked. Your booking code is %(code)s.") % {"code": booked.code},
    )
    if done:
        return redirect("tax:appointment", pk=appointment.pk)
    return render(
        request,
        "tax/appointment_book.html",
        {"form": form, "day": day, "days": days, "slots": slots, "is_officer": access.can_administer(request.user)},
        status=422 if form.errors else 200,
    )


@login_required
def appointment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    return render(
        request,
        "tax/appointment_detail.html",
        {
            "appointment": appointment,
            "can_change": appointment.status == AppointmentStatus.BOOKED
            and access.can_act_for(request.user, appointment.organisation),
            "is_officer": access.can_administer(request.user),
        },
    )


@login_required
@require_POST
def appointment_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    perform(
        request,
        lambda: services.appointment_cancel(actor=request.user, appointment=appointment),
        success=_("The booking was cancelled."),
    )
    return redirect("tax:appointment", pk=appointment.pk)


@login_required
def appointment_reschedule(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    days = selectors.days_with_slots(actor=request.user)
    _form, day = _day(request)
    if day not in days and days and not request.GET.get("date"):
        day = days[0]
    slots = selectors.slot_list(actor=request.user, day=day, bookable_only=True).exclude(pk=appointment.slot_id)
    form = RescheduleForm(request.POST or None, slots=slots)
    done, _result = submit_form(
        request,
        form,
        lambda data: services.appointment_reschedule(actor=request.user, appointment=appointment, slot=data["slot"]),
        success=_("The booking was moved."),
    )
    if done:
        return redirect("tax:appointment", pk=appointment.pk)
    return render(
        request,
        "tax/appointment_reschedule.html",
        {"form": form, "appointment": appointment, "day": day, "days": days, "slots": slots},
    )


def _officer_mark(request: AuthedRequest, pk: int, action: Any, done: str) -> HttpResponse:
    _require_administrator(request)
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    perform(
        request,
        lambda: action(actor=request.user, appointment=appointment),
        success=done % {"code": appointment.code, "name": appointment.organisation.name},
    )
    return redirect(f"/tax/appointments/?date={appointment.day.isoformat()}")


@login_required
@require_POST
def appointment_arrived(request: AuthedRequest, pk: int) -> HttpResponse:
    return _officer_mark(request, pk, services.appointment_mark_arrived, _("%(name)s (%(code)s) has arrived."))


@login_required
@require_POST
def appointment_no_show(request: AuthedRequest, pk: int) -> HttpResponse:
    return _officer_mark(request, pk, services.appointment_mark_no_show, _("%(name)s (%(code)s) did not come."))


# --- The hall -------------------------------------------------------------------------------------


@login_required
def hall(request: AuthedRequest) -> HttpResponse:
    _require_administrator(request)
    the_hall = selectors.hall_access(actor=request.user, pk=None)
    today = timezone.localdate()
    return render(request, "tax/hall.html", _hall_context(the_hall, today))


def _hall_context(the_hall: Any, today: date, **forms: Any) -> dict[str, Any]:
    return {
        "hall": the_hall,
        "windows": the_hall.windows.all(),
        "hours": selectors.opening_hours(hall=the_hall),
        "closures": selectors.closures(hall=the_hall),
        "hours_form": forms.get("hours_form") or OpeningHoursForm(),
        "closure_form": forms.get("closure_form") or ClosureForm(),
        "generate_form": forms.get("generate_form")
        or GenerateSlotsForm(initial={"date_from": today, "date_to": today + timedelta(days=13), "minutes": 30}),
    }


def _hall_post(request: AuthedRequest, form: Any, key: str, run: Any, done: Any) -> HttpResponse:
    _require_administrator(request)
    the_hall = selectors.hall_access(actor=request.user, pk=None)
    ran, _result = submit_form(request, form, lambda data: run(the_hall, data), success=done)
    if ran:
        return redirect("tax:hall")
    return render(request, "tax/hall.html", _hall_context(the_hall, timezone.localdate(), **{key: form}), status=422)


@login_required
@require_POST
def hall_hours_add(request: AuthedRequest) -> HttpResponse:
    return _hall_post(
        request,
        OpeningHoursForm(request.POST),
        "hours_form",
        lambda h, d: services.opening_hours_add(actor=request.user, hall=h, **d),
        lambda _r: _("The opening hours were added."),
    )


@login_required
@require_POST
def hall_hours_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    the_hall = selectors.hall_access(actor=request.user, pk=None)
    hours = selectors.opening_hours(hall=the_hall).filter(pk=pk).first()
    if hours is None:
        raise Http404
    services.opening_hours_remove(actor=request.user, hours=hours)
    messages.success(request, _("The opening hours were removed."))
    return redirect("tax:hall")


@login_required
@require_POST
def hall_close_day(request: AuthedRequest) -> HttpResponse:
    return _hall_post(
        request,
        ClosureForm(request.POST),
        "closure_form",
        lambda h, d: services.hall_close_day(actor=request.user, hall=h, day=d["date"], reason=d["reason"]),
        lambda r: (
            _("The hall is closed that day; %(n)s bookings were cancelled and their taxpayers told.") % {"n": r[1]}
        ),
    )


@login_required
@require_POST
def hall_reopen_day(request: AuthedRequest, pk: int) -> HttpResponse:
    closure = selectors.closure_access(actor=request.user, pk=pk)
    services.hall_reopen_day(actor=request.user, closure=closure)
    messages.success(request, _("The hall is open that day again."))
    return redirect("tax:hall")


@login_required
@require_POST
def hall_generate(request: AuthedRequest) -> HttpResponse:
    return _hall_post(
        request,
        GenerateSlotsForm(request.POST),
        "generate_form",
        lambda h, d: services.slots_generate(actor=request.user, hall=h, **d),
        lambda n: _("%(n)s slots were created.") % {"n": n},
    )


@login_required
def window_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    _require_administrator(request)
    the_hall = selectors.hall_access(actor=request.user, pk=None)
    window = the_hall.windows.filter(pk=pk).first() if pk else None
    if pk and window is None:
        raise Http404
    form = WindowForm(request.POST or None, instance=window)
    done, _result = submit_form(
        request,
        form,
        lambda data: services.window_save(actor=request.user, hall=the_hall, window=window, data=data),
        success=_("The window was saved."),
    )
    if done:
        return redirect("tax:hall")
    title = _("Edit window %(name)s") % {"name": window.name} if window else _("New window")
    return render(request, "tax/form.html", {"form": form, "title": title, "back": "tax:hall"})


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
            "query": querystring_without_page(request),
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
    if can_decide:
        form = DecisionForm(request.POST or None, months=deferral.months, items=items)

        def decide(data: dict[str, Any]) -> Any:
            try:
                return services.deferral_decide(
                    actor=request.user,
                    deferral=deferral,
                    approve=data["decision"] == "approve",
                    months=data["months"],
                    amounts=form.amounts(),
                    note=data["note"],
                )
            except ApplicationError as error:
                # The service names amounts `amounts.<tax type>`; the form's fields are `amount_<tax type>`.
                error.errors = {k.replace("amounts.", "amount_"): v for k, v in error.errors.items()}
                raise

        done, _result = submit_form(
            request, form, decide, success=_("The decision was recorded and the taxpayer told.")
        )
        if done:
            return redirect("tax:deferral", pk=deferral.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "tax/deferral_detail.html",
        {
            "deferral": deferral,
            "items": items,
            "evidence": deferral.evidence.all(),
            "form": form,
            "evidence_form": AttachmentForm()
            if deferral.status == DeferralStatus.SUBMITTED and access.can_act_for(request.user, deferral.organisation)
            else None,
        },
        status=422 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def deferral_evidence_add(request: AuthedRequest, pk: int) -> HttpResponse:
    deferral = selectors.deferral_access(actor=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        perform(
            request,
            lambda: services.deferral_evidence_add(
                actor=request.user, deferral=deferral, file=form.cleaned_data["file"]
            ),
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
def deferral_summary(request: AuthedRequest) -> HttpResponse:
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
            "query": request.GET.urlencode(),
        },
    )
