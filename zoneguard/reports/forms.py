from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneguard.core.web import BoundedDateField, DateInput

from .models import DailyReport
from .services import REPORT_FIELDS


class ReportForm(forms.ModelForm):
    class Meta:
        model = DailyReport
        fields = list(REPORT_FIELDS)
        widgets = {"problems": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "staff_on_duty": _("People at work today."),
            "temperature_anomalies": _("Readings of 37.3 °C or more found today."),
        }

    def _post_clean(self) -> None:
        # Model validation happens in the service, which reports errors back onto the form.
        pass


class DayForm(forms.Form):
    day = BoundedDateField(label=_("Day"), required=False, widget=DateInput())


class DeadlineForm(forms.Form):
    deadline = forms.TimeField(
        label=_("Daily reports due by"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
