from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneguard.accounts.models import User
from zoneguard.core.web import set_choices_queryset
from zoneguard.registry import scoping
from zoneguard.registry.forms import OrganisationChoiceField, SiteChoiceField
from zoneguard.registry.models import Site

from .models import IncidentKind, IncidentStatus, Severity


class IncidentForm(forms.Form):
    # No kind chosen for the reporter: a report filed in a hurry must not become a fever by default.
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "---------"), *IncidentKind.choices])
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.HIGH)
    title = forms.CharField(label=_("What happened"), max_length=200)
    organisation = OrganisationChoiceField(label=_("Organisation"), required=False)
    site = SiteChoiceField(label=_("Checkpoint site"), required=False)
    location = forms.CharField(
        label=_("Where"), max_length=200, required=False, help_text=_("Required when no organisation is chosen.")
    )
    people_involved = forms.CharField(
        label=_("Who is involved"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=_("Details"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        """Only the organisations and sites of the reporter's scope are offered."""
        super().__init__(*args, **kwargs)
        set_choices_queryset(
            self,
            "organisation",
            scoping.visible_organisations(actor).filter(is_active=True).order_by("name_key", "id"),
        )
        set_choices_queryset(
            self,
            "site",
            Site.objects.filter(scoping.organisation_q(actor, "organisation"), is_active=True)
            .select_related("organisation")
            .order_by("organisation__name_key", "name_key", "id"),
        )
        # An enterprise admin reports for the one organisation they manage: choose it for them.
        organisations = list(self.fields["organisation"].queryset[:2])  # type: ignore[attr-defined]
        if len(organisations) == 1 and not self.is_bound:
            self.initial.setdefault("organisation", organisations[0].pk)

    def clean(self) -> dict[str, Any]:
        """The service's "say where" rule checked here too, so that it shows with the other
        missing answers and not only after they are fixed."""
        data = super().clean() or {}
        said_where = data.get("organisation") or data.get("site") or (data.get("location") or "").strip()
        if not said_where and not {"location", "organisation", "site"} & set(self.errors):
            self.add_error("location", _("Say where it happened."))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Action taken"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class IncidentFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *IncidentStatus.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *IncidentKind.choices])


class EscalationForm(forms.Form):
    """One delay per severity, in minutes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Severity.choices:
            self.fields[value] = forms.IntegerField(label=label, min_value=1, max_value=1440)
