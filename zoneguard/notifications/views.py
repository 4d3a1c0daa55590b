from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.core.errors import ApplicationError
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, add_error_to_form, perform
from zoneguard.registry.scoping import is_commander

from . import selectors, services
from .forms import DeliveryRuleForm
from .models import Delivery, DeliveryStatus


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.notification_list(actor=request.user, unread_only=unread_only)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": paginate(request, notifications),
            "unread_only": unread_only,
        },
    )


@login_required
@require_POST
def open_notification(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark as read, then follow the notification's link."""
    notification = selectors.notification_list(actor=request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.notification_mark_read(actor=request.user, notification_id=pk)
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()}):
        return redirect(notification.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    services.notification_mark_all_read(actor=request.user)
    return redirect("notifications:inbox")


@login_required
def deliveries(request: AuthedRequest) -> HttpResponse:
    if not is_commander(request.user):
        raise Http404
    status = request.GET.get("status", "")
    if status not in DeliveryStatus.values:
        status = ""
    counts = selectors.delivery_counts(actor=request.user)
    return render(
        request,
        "notifications/deliveries.html",
        {
            "page": paginate(request, selectors.delivery_list(actor=request.user, status=status)),
            "status": status,
            "statuses": DeliveryStatus.choices,
            "counts": [(v, label, counts.get(v, 0)) for v, label in DeliveryStatus.choices],
        },
    )


@login_required
@require_POST
def delivery_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    if not is_commander(request.user):
        raise Http404
    found = Delivery.objects.filter(pk=pk).select_related("rule").first()
    if found is None:
        raise Http404
    # A delivery that is not failed (sent, or pending) is refused: its message shows as an error.
    done, delivery = perform(request, lambda: services.delivery_retry(actor=request.user, delivery=found))
    if done and delivery.status == DeliveryStatus.SENT:
        messages.success(request, _("Sent."))
    elif done:
        messages.error(request, _("Sending failed again: %(error)s") % {"error": delivery.last_error})
    return redirect("notifications:deliveries")


@login_required
def rules(request: AuthedRequest) -> HttpResponse:
    """Which recipient group gets which notifications by e-mail or group robot."""
    if not is_commander(request.user):
        raise Http404
    return render(request, "notifications/rules.html", {"rules": selectors.rule_list(actor=request.user)})


@login_required
def rule_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    if not is_commander(request.user):
        raise Http404
    rule = selectors.rule_access(actor=request.user, pk=pk) if pk else None
    form = DeliveryRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_save(actor=request.user, rule=rule, data=form.cleaned_data)
        except ApplicationError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The delivery rule was saved."))
            return redirect("notifications:rules")
    title = _("Edit %(name)s") % {"name": rule.name} if rule else _("New delivery rule")
    return render(request, "notifications/rule_form.html", {"form": form, "title": title})


@login_required
@require_POST
def rule_test(request: AuthedRequest, pk: int) -> HttpResponse:
    if not is_commander(request.user):
        raise Http404
    rule = selectors.rule_access(actor=request.user, pk=pk)
    ran, delivery = perform(request, lambda: services.rule_test(actor=request.user, rule=rule))
    if ran:
        if delivery.status == DeliveryStatus.SENT:
            messages.success(request, _("The test message was sent."))
        else:
            messages.error(request, _("Sending failed: %(error)s") % {"error": delivery.last_error})
    return redirect("notifications:rules")
