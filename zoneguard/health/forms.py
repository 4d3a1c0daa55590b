from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.web import BoundedDateField, DateInput

from .models import HealthStatus, Symptom

TRAVEL_ROWS = 3
CONTACT_ROWS = 3


class DeclarationForm(forms.Form):
    """The phone form behind a site's QR poster. Field names follow the API's error keys with
    dots turned into underscores (travel.0.place → travel_0_place)."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "autocapitalize": "characters"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    temperature = forms.DecimalField(
        label=_("Today's temperature (°C), if measured"),
        required=False,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal", "placeholder": "36.5"}),
    )
    contact_with_case = forms.TypedChoiceField(
        label=_("In the last 14 days, were you in contact with a confirmed or suspected case?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda v: v == "yes",
        initial="no",
        widget=forms.RadioSelect,
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms today"), choices=Symptom.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, remembered: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.remembered = remembered
        if remembered is None:
            self.fields["id_number"].required = True
        else:
            self.fields["id_number"].help_text = _(
                "Remembered on this phone: %(masked)s. Leave empty to declare for this person."
            ) % {"masked": remembered.masked_id_number}
        for i in range(TRAVEL_ROWS):
            self.fields[f"travel_{i}_place"] = forms.CharField(label=_("Place"), max_length=100, required=False)
            self.fields[f"travel_{i}_from"] = BoundedDateField(label=_("From"), required=False, widget=DateInput())
            self.fields[f"travel_{i}_to"] = BoundedDateField(label=_("Back on"), required=False, widget=DateInput())
        for i in range(CONTACT_ROWS):
            self.fields[f"contacts_{i}_name"] = forms.CharField(
                label=pgettext_lazy("person", "Name"), max_length=50, required=False
            )
            self.fields[f"contacts_{i}_phone"] = forms.CharField(
                label=_("Mobile phone"),
                max_length=20,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "tel"}),
            )

    def travel_rows(self) -> list[list[Any]]:
        return [[self[f"travel_{i}_{part}"] for part in ("place", "from", "to")] for i in range(TRAVEL_ROWS)]

    def contact_rows(self) -> list[list[Any]]:
        return [[self[f"contacts_{i}_{part}"] for part in ("name", "phone")] for i in range(CONTACT_ROWS)]

    def declaration_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        travel = []
        for i in range(TRAVEL_ROWS):
            place, start, end = (data.get(f"travel_{i}_{p}") for p in ("place", "from", "to"))
            if place or start or end:
                travel.append({"place": place or "", "from": start, "to": end})
        contacts = []
        for i in range(CONTACT_ROWS):
            name, phone = data.get(f"contacts_{i}_name"), data.get(f"contacts_{i}_phone")
            if name or phone:
                contacts.append({"name": name or "", "phone": phone or ""})
        return {
            "name": data.get("name", ""),
            "phone": data.get("phone", ""),
            "temperature": data.get("temperature"),
            "contact_with_case": data.get("contact_with_case", False),
            "symptoms": data.get("symptoms") or [],
            "travel": travel,
            "contacts": contacts,
        }

    def add_check_errors(self, errors: dict[str, list[str]]) -> None:
        """The service's errors on a form that already has some of its own: only those on fields
        (and travel or contact rows) the form found nothing wrong with, so that a field does not
        get a second message for the same mistake."""
        flagged = {name for name in self.errors if name != "__all__"}
        rows = {name.rsplit("_", 1)[0] for name in flagged if name.startswith(("travel_", "contacts_"))}
        for key, messages in errors.items():
            name = key.replace(".", "_")
            if name in flagged or name.rsplit("_", 1)[0] in rows:
                continue
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            name = key.replace(".", "_")
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)


class DeclarationFilterForm(forms.Form):
    day = BoundedDateField(label=_("Day"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *HealthStatus.choices], required=False)
    unverified = forms.BooleanField(label=_("Only names not matching the registry"), required=False)
