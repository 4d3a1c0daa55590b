from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneguard.core.web import set_choices_queryset
from zoneguard.registry.models import Site

from .models import AlertStatus, Decision, Direction


class LogFilterForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    day = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    direction = forms.ChoiceField(label=_("Direction"), choices=[("", _("Any")), *Direction.choices], required=False)
    decision = forms.ChoiceField(label=_("Result"), choices=[("", _("Any")), *Decision.choices], required=False)

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "site", sites)


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *AlertStatus.choices], required=False)


class AlertCloseForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SiteGateForm(forms.Form):
    face_check = forms.BooleanField(label=_("Face check"), required=False)
    require_declaration = forms.BooleanField(label=_("Require a valid health declaration"), required=False)
    admit_yellow = forms.BooleanField(label=_("Admit people with a yellow status"), required=False)


class FaceEnrolForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG or PNG, at most 2 MB)"))
