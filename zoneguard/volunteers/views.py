"""The corps' pages: for community workers (and the commander) the volunteers with their approval,
the shifts with who signed up, the tasks with their results, the to-dos and the hours; for a
volunteer "My tasks" on their phone. Each view: the selector, the form, the same service as the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.core.errors import Forbidden
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, perform, perform_with_form, submit_form

from . import access, selectors, services
from .forms import (
    AttendanceForm,
    LeafletsForm,
    PeriodForm,
    ShiftFilterForm,
    ShiftForm,
    SignUpForm,
    TaskFilterForm,
    TaskForm,
    TodoCloseForm,
    TodoFilterForm,
    VisitForm,
    VolunteerFilterForm,
    VolunteerForm,
)
from .models import ShopVisit, TaskStatus, TodoStatus, VolunteerTaskKind
from .my_tasks import sections_for


def _office(request: AuthedRequest) -> None:
    """The pages of the corps' office: the commander and community workers (others get 403; the
    selectors scope what they read)."""
    if not selectors.run_communities(actor=request.user).exists():
        raise Forbidden()


def _back(request: AuthedRequest, default: str) -> Any:
    """Where a button's form asks to go back to, if it is one of ours."""
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/volunteers/") and "//" not in back else default)


# --- A volunteer's pages --------------------------------------------------------------------


@login_required
def my_tasks(request: AuthedRequest) -> HttpResponse:
    """我的任务: a volunteer's day, from the sections every app offers (my_tasks.py)."""
    volunteer = selectors.volunteer_of(request.user)
    if volunteer is None:
        own = selectors.own_volunteer(request.user)
        return render(request, "volunteers/my_tasks.html", {"own": own, "may_apply": access.is_volunteer(request.user)})
    sections = [
        {
            "section": section,
            "html": mark_safe(render_to_string(section.template, dict(section.context), request=request)),  # noqa: S308
        }
        for section in sections_for(volunteer)
    ]
    return render(request, "volunteers/my_tasks.html", {"volunteer": volunteer, "sections": sections})


@login_required
def apply(request: AuthedRequest) -> HttpResponse:
    if not access.is_volunteer(request.user):
        raise Forbidden()
    own = selectors.own_volunteer(request.user)
    if own is not None:
        return redirect("volunteers:my")
    form = VolunteerForm(request.POST or None, communities=selectors.communities_to_join())
    done, _result = submit_form(
        request,
        form,
        lambda data: services.volunteer_apply(actor=request.user, **data),
        success=_("Thank you: your community will approve your application."),
    )
    if done:
        return redirect("volunteers:my")
    return render(request, "volunteers/apply.html", {"form": form})


@login_required
@require_POST
def signup(request: AuthedRequest, pk: int) -> HttpResponse:
    shift = selectors.shift_access(actor=request.user, pk=pk)
    volunteer = None
    if not access.is_volunteer(request.user):
        form = SignUpForm(request.POST, volunteers=selectors.community_roster(community_ids=[shift.community_id]))
        if not form.is_valid():
            messages.error(request, _("Choose a volunteer."))
            return _back(request, reverse("volunteers:shift", kwargs={"pk": pk}))
        volunteer = form.cleaned_data["volunteer"]
    perform(
        request,
        lambda: services.signup_create(actor=request.user, shift=shift, volunteer=volunteer),
        success=_("Signed up."),
    )
    return _back(request, reverse("volunteers:my"))


def _signup_action(request: AuthedRequest, pk: int, action: Any, success: str) -> HttpResponse:
    signup = selectors.signup_access(actor=request.user, pk=pk)
    form = AttendanceForm(request.POST)
    perform_with_form(request, form, lambda data: action(signup, data.get("at")), success=success)
    return _back(request, reverse("volunteers:my"))


@login_required
@require_POST
def cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    return _signup_action(
        request,
        pk,
        lambda s, _at: services.signup_cancel(actor=request.user, signup=s),
        _("Your place was given back."),
    )


@login_required
@require_POST
def check_in(request: AuthedRequest, pk: int) -> HttpResponse:
    return _signup_action(
        request,
        pk,
        lambda s, at: services.signup_check_in(actor=request.user, signup=s, at=at),
        _("Checked in. Thank you for being here."),
    )


@login_required
@require_POST
def check_out(request: AuthedRequest, pk: int) -> HttpResponse:
    return _signup_action(
        request,
        pk,
        lambda s, at: services.signup_check_out(actor=request.user, signup=s, at=at),
        _("Checked out. Thank you for your service."),
    )


# --- The corps' office ----------------------------------------------------------------------


@login_required
def volunteer_list(request: AuthedRequest) -> HttpResponse:
    _office(request)
    form = VolunteerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    volunteers = selectors.volunteer_list(actor=request.user, **filters)
    return render(
        request,
        "volunteers/volunteer_list.html",
        {"form": form, "page": paginate(request, volunteers), "pending": selectors.pending_count(actor=request.user)},
    )


@login_required
def volunteer_create(request: AuthedRequest) -> HttpResponse:
    _office(request)
    form = VolunteerForm(request.POST or None, communities=selectors.run_communities(actor=request.user))
    done, volunteer = submit_form(
        request,
        form,
        lambda data: services.volunteer_register(actor=request.user, **data),
        success=_("The volunteer is registered and approved."),
    )
    if done:
        return redirect("volunteers:volunteer", pk=volunteer.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form})


@login_required
def volunteer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_read(actor=request.user, pk=pk, purpose="volunteer_page")
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "served": None if volunteer.awaiting_approval else selectors.volunteer_hours(volunteer=volunteer),
            "signups": [] if volunteer.awaiting_approval else selectors.served_signups(volunteer=volunteer)[:50],
            "can_run": access.can_run_community(request.user, volunteer.community_id),
        },
    )


@login_required
@require_POST
def volunteer_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_access(actor=request.user, pk=pk)
    perform(
        request,
        lambda: services.volunteer_approve(actor=request.user, volunteer=volunteer),
        success=_("%(name)s is approved.") % {"name": volunteer.name},
    )
    return _back(request, reverse("volunteers:index"))


@login_required
@require_POST
def volunteer_suspend(request: AuthedRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_access(actor=request.user, pk=pk)
    perform(
        request,
        lambda: services.volunteer_suspend(actor=request.user, volunteer=volunteer),
        success=_("%(name)s is suspended; their places on shifts to come were given back.") % {"name": volunteer.name},
    )
    return _back(request, reverse("volunteers:index"))


@login_required
def certificate(request: AuthedRequest, pk: int) -> HttpResponse:
    volunteer = selectors.volunteer_access(actor=request.user, pk=pk)
    pdf = services.certificate_issue(actor=request.user, volunteer=volunteer)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{volunteer.pk}.pdf"'
    return response


# --- Shifts ---------------------------------------------------------------------------------


@login_required
def shift_list(request: AuthedRequest) -> HttpResponse:
    _office(request)
    form = ShiftFilterForm(request.GET or None)
    day = form.cleaned_data.get("day") if form.is_valid() else None
    shifts = selectors.shift_list(actor=request.user, day=day)
    if day is None:
        shifts = shifts.filter(ends_at__gt=selectors.day_bounds(timezone.localdate())[0])
    page = paginate(request, shifts)
    names = selectors.signup_names(shifts=list(page))
    rows = [(shift, names.get(shift.pk, [])) for shift in page]
    return render(request, "volunteers/shift_list.html", {"form": form, "page": page, "rows": rows})


@login_required
def shift_create(request: AuthedRequest) -> HttpResponse:
    _office(request)
    sites = selectors.community_sites(actor=request.user)
    form = ShiftForm(request.POST or None, sites=sites)
    done, shift = submit_form(
        request,
        form,
        lambda data: services.shift_create(actor=request.user, **data),
        success=_("The shift is planned; volunteers of the community can sign up."),
    )
    if done:
        return redirect("volunteers:shift", pk=shift.pk)
    return render(request, "volunteers/shift_form.html", {"form": form})


@login_required
def shift_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _office(request)
    shift = selectors.shift_access(actor=request.user, pk=pk)
    can_run = access.can_run_community(request.user, shift.community_id)
    return render(
        request,
        "volunteers/shift_detail.html",
        {
            "shift": shift,
            "signups": selectors.shift_signups(shift=shift),
            "can_run": can_run,
            "signup_form": SignUpForm(volunteers=selectors.community_roster(community_ids=[shift.community_id]))
            if can_run
            else None,
            "attendance_form": AttendanceForm(auto_id=False),
            "started": shift.starts_at <= timezone.now(),
        },
    )


# --- Tasks ----------------------------------------------------------------------------------


@login_required
def task_list(request: AuthedRequest) -> HttpResponse:
    _office(request)
    form = TaskFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "volunteers/task_list.html",
        {"form": form, "page": paginate(request, selectors.task_list(actor=request.user, **filters))},
    )


@login_required
def task_create(request: AuthedRequest) -> HttpResponse:
    _office(request)
    communities = selectors.run_communities(actor=request.user)
    community_ids = list(communities.values_list("pk", flat=True))
    form = TaskForm(
        request.POST or None,
        communities=communities,
        volunteers=selectors.community_roster(community_ids=community_ids),
        shops=selectors.shop_choices(community_ids=community_ids),
    )

    def create(data: dict[str, Any]) -> Any:
        shops = data.pop("shops")
        return services.task_create(
            actor=request.user,
            volunteer_ids=[v.pk for v in data.pop("volunteers")],
            shop_ids=[s.pk for s in shops] if shops else None,
            **data,
        )

    done, task = submit_form(request, form, create, success=_("The task is given; the volunteers were told."))
    if done:
        return redirect("volunteers:task", pk=task.pk)
    return render(request, "volunteers/task_form.html", {"form": form})


@login_required
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    task = selectors.task_access(actor=request.user, pk=pk)
    return render(
        request,
        "volunteers/task_detail.html",
        {
            "task": task,
            "shops": selectors.task_shops(task=task) if task.kind == VolunteerTaskKind.CANVASSING else [],
            "rollup": selectors.task_rollup(task=task),
            "leaflets": selectors.task_leaflets(task=task),
            "drops": task.drops.select_related("dropped_by")[:200],
            "leaflets_form": LeafletsForm() if task.kind == VolunteerTaskKind.LEAFLETS else None,
            "is_open": task.status == TaskStatus.OPEN,
            "can_run": access.can_run_community(request.user, task.community_id),
            "volunteers": task.volunteers.all(),
        },
    )


@login_required
@require_POST
def task_complete(request: AuthedRequest, pk: int) -> HttpResponse:
    task = selectors.task_access(actor=request.user, pk=pk)
    perform(request, lambda: services.task_complete(actor=request.user, task=task), success=_("The task is done."))
    return redirect("volunteers:task", pk=pk)


@login_required
def visit(request: AuthedRequest, pk: int, shop_pk: int) -> HttpResponse:
    """One shop's checklist, on the volunteer's phone."""
    task = selectors.task_access(actor=request.user, pk=pk)
    shop = selectors.task_shop(task=task, pk=shop_pk)
    if shop is None:
        raise Http404
    existing = ShopVisit.objects.filter(task=task, shop=shop).first()
    initial = (
        {
            "is_open": existing.is_open,
            "staff_count": existing.staff_count,
            "masks_worn": existing.masks_worn,
            "staff_registered": existing.staff_registered,
            "disinfection_done": existing.disinfection_done,
            "note": existing.note,
        }
        if existing
        else {}
    )
    form = VisitForm(request.POST or None, request.FILES or None, initial=initial)
    done, _visit = submit_form(
        request,
        form,
        lambda data: services.visit_record(actor=request.user, task=task, shop=shop, **data),
        success=_("%(shop)s is recorded.") % {"shop": shop.name},
    )
    if done:
        return redirect("volunteers:task", pk=task.pk)
    return render(request, "volunteers/visit_form.html", {"form": form, "task": task, "shop": shop})


@login_required
@require_POST
def leaflets(request: AuthedRequest, pk: int) -> HttpResponse:
    task = selectors.task_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        LeafletsForm(request.POST),
        lambda data: services.leaflets_record(actor=request.user, task=task, **data),
        success=_("The leaflets are recorded."),
    )
    return redirect("volunteers:task", pk=pk)


@login_required
def visit_photo(request: AuthedRequest, pk: int) -> FileResponse:
    visit = selectors.visit_access(actor=request.user, pk=pk)
    if not visit.photo:
        raise Http404
    response = FileResponse(visit.photo.open("rb"), content_type=_photo_type(visit.photo.name))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _photo_type(name: str) -> str:
    return "image/png" if name.lower().endswith(".png") else "image/jpeg"


# --- Results, to-dos, hours -----------------------------------------------------------------


@login_required
def results(request: AuthedRequest) -> HttpResponse:
    _office(request)
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "volunteers/results.html",
        {"form": form, "rows": selectors.community_results(actor=request.user, **period)},
    )


@login_required
def todo_list(request: AuthedRequest) -> HttpResponse:
    _office(request)
    form = TodoFilterForm(request.GET or None)
    status = (form.cleaned_data.get("status") if form.is_valid() else "") or TodoStatus.OPEN
    todos = selectors.todo_list(actor=request.user, status=status)
    return render(
        request,
        "volunteers/todo_list.html",
        {
            "form": form,
            "page": paginate(request, todos),
            "close_form": TodoCloseForm(auto_id=False),
            "open": status == TodoStatus.OPEN,
        },
    )


@login_required
@require_POST
def todo_close(request: AuthedRequest, pk: int) -> HttpResponse:
    todo = selectors.todo_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        TodoCloseForm(request.POST),
        lambda data: services.todo_close(actor=request.user, todo=todo, note=data["note"]),
        success=_("Closed."),
    )
    return redirect("volunteers:todos")


@login_required
def hours(request: AuthedRequest) -> HttpResponse:
    """Hours served per volunteer and per community; a volunteer sees their own."""
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "volunteers/hours.html",
        {
            "form": form,
            "volunteers": selectors.hours_by_volunteer(actor=request.user, **period),
            "communities": selectors.hours_by_community(actor=request.user, **period),
            "office": selectors.run_communities(actor=request.user).exists(),
        },
    )
