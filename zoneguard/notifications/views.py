from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.core.pagination import paginate, querystring_without_page
from zoneguard.core.web import AuthedRequest
from zoneguard.registry.scoping import is_commander

from . import selectors, services
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
            "query": querystring_without_page(request),
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
    return render(
        request,
        "notifications/deliveries.html",
        {
            "page": paginate(request, selectors.delivery_list(actor=request.user, status=status)),
            "query": querystring_without_page(request),
            "status": status,
            "statuses": DeliveryStatus.choices,
        },
    )


@login_required
@require_POST
def delivery_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    if not is_commander(request.user):
        raise Http404
    delivery = Delivery.objects.filter(pk=pk).select_related("rule").first()
    if delivery is None:
        raise Http404
    delivery = services.delivery_retry(actor=request.user, delivery=delivery)
    if delivery.status == DeliveryStatus.SENT:
        messages.success(request, _("Sent."))
    else:
        messages.error(request, _("Sending failed again: %(error)s") % {"error": delivery.last_error})
    return redirect("notifications:deliveries")
