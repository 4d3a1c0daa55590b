from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneguard.core.web import BoundedDateField, BoundedDateTimeField, DateInput, DateTimeLocalInput
from zoneguard.registry.forms import site_search_field

from .models import AlertStatus, Decision, Direction, RetestMethod


class LogFilterForm(forms.Form):
    site = site_search_field(_("Site"))
    day = BoundedDateField(label=_("Day"), required=False, widget=DateInput())
    direction = forms.ChoiceField(label=_("Direction"), choices=[("", _("Any")), *Direction.choices], required=False)
    decision = forms.ChoiceField(label=_("Result"), choices=[("", _("Any")), *Decision.choices], required=False)


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *AlertStatus.choices], required=False)


class AlertCloseForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AlertRetestForm(forms.Form):
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"), min_value=34, max_value=43, max_digits=4, decimal_places=1
    )
    method = forms.ChoiceField(label=_("Measured at the"), choices=RetestMethod.choices)
    measured_at = BoundedDateTimeField(
        label=_("Measured at"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=DateTimeLocalInput(),
    )


class SiteGateForm(forms.Form):
    face_check = forms.BooleanField(label=_("Face check"), required=False)
    require_declaration = forms.BooleanField(label=_("Require a valid health declaration"), required=False)
    admit_yellow = forms.BooleanField(label=_("Admit people with a yellow status"), required=False)


class FaceEnrolForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG or PNG, at most 2 MB)"))
