from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.core.errors import ApplicationError
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, add_error_to_form, perform, perform_with_form, submit_form

from . import access, selectors, services
from .forms import AttachmentForm, NoticeForm
from .models import NoticeStatus


@login_required
def notice_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "notices/notice_list.html",
        {
            "page": paginate(request, selectors.notice_list(actor=request.user)),
            "can_author": access.can_author(request.user),
        },
    )


@login_required
def notice_create(request: AuthedRequest) -> HttpResponse:
    if not access.can_author(request.user):
        raise Http404
    form = NoticeForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attachment = data.pop("attachment")
        try:
            notice = services.notice_create(actor=request.user, **data)
            if attachment is not None:
                services.notice_attach(actor=request.user, notice=notice, file=attachment)
        except ApplicationError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The notice was saved as a draft: check the recipients, then publish it."))
            return redirect("notices:notice", pk=notice.pk)
    return render(request, "notices/notice_form.html", {"form": form})


@login_required
def notice_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Rewrite a draft: its text and its recipients. A published notice is not edited."""
    notice = selectors.notice_access(actor=request.user, pk=pk)
    if notice.status != NoticeStatus.DRAFT or not access.can_manage(request.user, notice):
        raise Http404
    initial = {
        "title": notice.title,
        "body": notice.body,
        "kinds": notice.audience_kinds,
        "sectors": list(notice.audience_sectors.all()),
        "communities": list(notice.audience_communities.all()),
        "organisations": list(notice.audience_organisations.all()),
    }
    form = NoticeForm(request.POST or None, initial=initial, actor=request.user)
    del form.fields["attachment"]  # attachments are added and kept on the draft's page
    done, _notice = submit_form(
        request,
        form,
        lambda data: services.notice_update(actor=request.user, notice=notice, **data),
        success=_("The draft was saved: check the recipients, then publish it."),
    )
    if done:
        return redirect("notices:notice", pk=notice.pk)
    return render(request, "notices/notice_form.html", {"form": form, "notice": notice})


@login_required
def notice_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_access(actor=request.user, pk=pk)
    services.notice_mark_read(actor=request.user, notice=notice)
    can_manage = access.can_manage(request.user, notice)
    is_draft = notice.status == NoticeStatus.DRAFT
    receipts = selectors.receipts(actor=request.user, notice=notice) if can_manage else None
    readers = list(selectors.reader_receipts(notice=notice)) if can_manage else []
    if readers and receipts is not None and not receipts:
        receipts = None  # sent to people by name: no organisations to list
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "attachments": notice.attachments.all(),
            "can_manage": can_manage,
            "is_draft": is_draft,
            "audience": services.audience_of(notice, actor=request.user) if can_manage and is_draft else None,
            "receipts": receipts,
            "read_count": sum(1 for r in receipts if r.read_at) if receipts is not None else 0,
            "readers": readers,
            "readers_read": sum(1 for r in readers if r.read_at),
            "attachment_form": AttachmentForm(),
        },
    )


@login_required
@require_POST
def notice_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_access(actor=request.user, pk=pk)
    perform(
        request,
        lambda: services.notice_publish(actor=request.user, notice=notice),
        success=lambda count: _("The notice was sent to %(count)s organisations.") % {"count": count},
    )
    return redirect("notices:notice", pk=pk)


@login_required
@require_POST
def notice_attach(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        AttachmentForm(request.POST, request.FILES),
        lambda data: services.notice_attach(actor=request.user, notice=notice, file=data["file"]),
        invalid=_("Choose a file to attach."),
    )
    return redirect("notices:notice", pk=pk)


@login_required
def attachment_download(request: AuthedRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    notice = selectors.notice_access(actor=request.user, pk=pk)
    attachment = notice.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
