from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneguard.accounts.models import User
from zoneguard.core.roles import Role
from zoneguard.core.web import BoundedDateField, DateInput
from zoneguard.registry.models import Department, Sector

from .models import MAX_LIMIT_HOURS, Category, Urgency
from .services import ATTACHMENT_EXTENSIONS

ACCEPT = ",".join(sorted(ATTACHMENT_EXTENSIONS))


class TicketForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is the difficulty, since when, what it stops, what help you need."),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("A PDF, an image or an Office file. More can be added on the request."),
    )
    # A key drawn when the form is shown: sent twice (a double click, a reload after a lost
    # answer), the form files one request.
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_id"].initial = uuid.uuid4()


class AttachForm(forms.Form):
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class PassOnForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    reason = forms.CharField(label=_("Why"), max_length=1000)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=5000, required=False)


class ReopenForm(forms.Form):
    comment = forms.CharField(label=_("What is still not solved"), max_length=5000)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=5000)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(5, "★★★★★ 5"), (4, "★★★★ 4"), (3, "★★★ 3"), (2, "★★ 2"), (1, "★ 1")],
        initial=5,
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class PeriodForm(forms.Form):
    start = BoundedDateField(label=_("From"), widget=DateInput())
    end = BoundedDateField(label=_("To"), widget=DateInput())

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        default = (today - timedelta(days=29), today)
        if not self.is_bound or not self.is_valid():
            return default
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        return (start, end) if start <= end else default


class RuleForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.order_by("name"), required=False, empty_label=_("any sector")
    )
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.order_by("name"))


class LimitForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    accept_hours = forms.IntegerField(label=_("Hours to accept"), min_value=1, max_value=MAX_LIMIT_HOURS)
    resolve_hours = forms.IntegerField(label=_("Hours to resolve"), min_value=1, max_value=MAX_LIMIT_HOURS)


class HeadForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.order_by("name"))
    head = forms.ModelChoiceField(
        label=_("Department head"),
        queryset=User.objects.filter(role=Role.DEPARTMENT_OFFICER, is_active=True).order_by("username"),
        required=False,
    )
