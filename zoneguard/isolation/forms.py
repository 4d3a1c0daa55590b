from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.accounts.models import User
from zoneguard.core.excel import SpreadsheetRefused, spreadsheet_size_check
from zoneguard.core.web import BoundedDateField, DateInput
from zoneguard.health.models import Symptom
from zoneguard.registry.models import Organisation

from .models import Reason, Source


class CaseForm(forms.Form):
    # A registered person chosen elsewhere (a fever alert, an incident): name and ID number are
    # then theirs, shown but not entered.
    person = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    source = forms.ChoiceField(choices=Source.choices, required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    community = forms.ModelChoiceField(label=_("Community"), queryset=Organisation.objects.none(), required=True)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices)
    start_date = BoundedDateField(label=_("From"), required=False, widget=DateInput())
    worker = forms.ModelChoiceField(label=_("Community worker"), queryset=User.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, communities: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]
        if communities.count() == 1:
            self.fields["community"].initial = communities.first()
        if self.data.get("person") or self.initial.get("person"):
            for name in ("name", "id_number"):
                self.fields[name].required = False
                self.fields[name].disabled = True


class FollowUpForm(forms.Form):
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"),
        min_value=34,
        max_value=43,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms"), choices=Symptom.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class WorkerFollowUpForm(FollowUpForm):
    day = BoundedDateField(label=_("Day"), required=False, widget=DateInput())


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AssignForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Organisation.objects.none(), required=False)
    worker = forms.ModelChoiceField(label=_("Community worker"), queryset=User.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone for the follow-up"),
        max_length=20,
        required=False,
        help_text=_("Empty: the phone in the person's record."),
    )

    def __init__(self, *args: Any, communities: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]


class RuleForm(forms.Form):
    reason = forms.ChoiceField(choices=Reason.choices, widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("Days of isolation"), min_value=1, max_value=60)
    readings_per_day = forms.TypedChoiceField(
        label=_("Temperature readings a day"), choices=[(1, "1"), (2, "2")], coerce=int
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        try:
            spreadsheet_size_check(file.size or 0)
        except SpreadsheetRefused as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return file
