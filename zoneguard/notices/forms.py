from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneguard.accounts.models import User
from zoneguard.core.web import set_choices_queryset
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation, OrganisationKind, Sector


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 10, "data-richtext": "1"}),
        help_text=_("Bold, italics, lists, headings and links are kept."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Organisation kinds"),
        required=False,
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"), required=False, queryset=Sector.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("And these organisations"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "communities", Organisation.objects.filter(kind=OrganisationKind.COMMUNITY))
        set_choices_queryset(
            self, "organisations", Organisation.objects.filter(scoping.organisation_q(actor), is_active=True)
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attachment"))
