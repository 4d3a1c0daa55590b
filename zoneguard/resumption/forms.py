from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneguard.core.web import BoundedDateField, DateInput, set_choices_queryset
from zoneguard.registry.forms import OrganisationChoiceField

from .models import RESUMABLE_KINDS, FilingStatus, ResumptionFiling
from .services import FILING_FIELDS


class FilingForm(forms.ModelForm):
    plan_document = forms.FileField(
        label=_("Prevention plan document"),
        required=False,
        help_text=_("PDF, Word, Excel or a photo of the signed plan."),
    )

    class Meta:
        model = ResumptionFiling
        fields = list(FILING_FIELDS)
        widgets = {
            "planned_date": DateInput(),
            "plan_notes": forms.Textarea(attrs={"rows": 5}),
        }

    def _post_clean(self) -> None:
        # Model validation happens in the service, which reports errors back onto the form.
        pass


class NewFilingForm(FilingForm):
    organisation = OrganisationChoiceField(label=_("Organisation"))

    field_order = ["organisation"]

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "organisation", organisations)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning the filing: say what must be changed."),
    )


class FilingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *FilingStatus.choices])
    to_review = forms.BooleanField(label=_("Waiting for my review"), required=False)


class RatesFilterForm(forms.Form):
    day = BoundedDateField(label=_("Day"), required=False, widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *[(k.value, k.label) for k in RESUMABLE_KINDS]],
    )
