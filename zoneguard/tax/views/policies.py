"""Tax pages: the policy library, taxpayers' questions and profiles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, carried, perform, perform_with_form, submit_form
from zoneguard.registry import scoping

from .. import access, selectors, services
from ..forms import (
    AnswerForm,
    AttachmentForm,
    ConditionForm,
    PolicyFilterForm,
    PolicyForm,
    QuestionForm,
    TaxProfileForm,
)
from ..models import PolicyAttachment, PolicyStatus, Question
from .common import _file_response, _require_administrator, _require_user, _submit_once

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
        context["questions"] = selectors.question_list(actor=actor, policy_id=policy.pk)[:50]
    else:
        organisations = selectors.taxpayer_choices(actor=actor)
        context["results"] = [
            {"organisation": o, "result": selectors.policy_result(policy=policy, organisation=o)} for o in organisations
        ]
        context["questions"] = selectors.question_list(actor=actor, policy_id=policy.pk)
        if policy.status == PolicyStatus.PUBLISHED and organisations.exists():
            # A question refused (too long, say) comes back as typed, with the reason beside it.
            context["question_form"] = carried(
                request,
                QuestionForm,
                reverse("tax:question-ask", args=[policy.pk]),
                organisations=organisations,
                own_id=actor.organisation_id,
            )
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
    perform(
        request,
        lambda: services.condition_remove(actor=request.user, condition=condition),
        success=_("The condition was removed."),
    )
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
    perform(
        request,
        lambda: services.attachment_remove(actor=request.user, attachment=attachment),
        success=_("The attachment was removed."),
    )
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
    perform(
        request,
        lambda: services.policy_publish(actor=request.user, policy=policy),
        success=lambda notified: _("The policy is published; %(n)s enterprises were notified.") % {"n": notified},
    )
    return redirect("tax:policy", pk=policy.pk)


@login_required
@require_POST
def policy_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    policy = selectors.policy_access(actor=request.user, pk=pk)
    perform(
        request,
        lambda: services.policy_withdraw(actor=request.user, policy=policy),
        success=_("The policy was withdrawn."),
    )
    return redirect("tax:policy", pk=policy.pk)


# --- Questions ------------------------------------------------------------------------------------


@login_required
@require_POST
def question_ask(request: AuthedRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        QuestionForm(request.POST, organisations=selectors.taxpayer_choices(actor=request.user)),
        lambda data: services.question_ask(actor=request.user, policy=policy, **data),
        success=_("Your question was sent to the tax bureau."),
    )
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
            "answered": request.GET.get("answered", ""),
            "is_officer": access.can_administer(request.user),
        },
    )


@login_required
def question_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    question: Question = selectors.question_access(actor=request.user, pk=pk)
    officer = access.can_administer(request.user)
    if request.method == "POST" and not officer:
        raise Http404
    if not officer or question.answer:  # answered once: the form is gone
        if request.method == "POST":
            # A second post, or an old tab after the answer was sent: the service says why.
            perform(request, lambda: _answer(request, question, request.POST))
            return redirect("tax:question", pk=question.pk)
        return render(request, "tax/question_detail.html", {"question": question, "form": None})
    form = AnswerForm(request.POST or None)
    done, taken = _submit_once(
        request,
        form,
        lambda data: _answer(request, question, data),
        success=_("The answer was sent."),
        taken="already_answered",
    )
    if taken:
        return redirect("tax:question", pk=question.pk)
    if done:
        return redirect("tax:questions")
    return render(
        request, "tax/question_detail.html", {"question": question, "form": form}, status=422 if form.errors else 200
    )


def _answer(request: AuthedRequest, question: Question, data: Any) -> Question:
    return services.question_answer(
        actor=request.user, question=question, answer=data.get("answer") or "", publish=bool(data.get("publish"))
    )


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
    qs = (
        access.taxpayers()
        .filter(scoping.organisation_q(request.user, served=True))
        .select_related("tax_profile", "sector")
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(credit_code=search.upper()))
    return render(
        request,
        "tax/taxpayer_list.html",
        {
            "page": paginate(request, qs.order_by("name_key", "id")),
            "q": search,
        },
    )
