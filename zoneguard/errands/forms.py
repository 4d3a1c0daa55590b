from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneguard.volunteers.models import Volunteer

from .models import MAX_AMOUNT, LineKind

LINE_ROWS = 6  # empty rows a request form offers; blank ones are ignored


class ErrandForm(forms.Form):
    """The lines as rows of (kind, item, quantity), then a note."""

    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(LINE_ROWS):
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("Kind"), choices=LineKind.choices, initial=LineKind.GROCERIES, required=False
            )
            self.fields[f"item_{i}"] = forms.CharField(label=_("Item"), max_length=100, required=False)
            self.fields[f"quantity_{i}"] = forms.CharField(label=_("Quantity"), max_length=30, required=False)
            for name in (f"kind_{i}", f"item_{i}", f"quantity_{i}"):  # in table cells, without a <label>
                self.fields[name].widget.attrs["aria-label"] = str(self.fields[name].label)

    def clean(self) -> dict[str, Any]:
        # A quantity typed on a row whose item was left empty would otherwise vanish with the row.
        super().clean()
        data = self.cleaned_data
        for i in range(LINE_ROWS):
            if (data.get(f"quantity_{i}") or "").strip() and not (data.get(f"item_{i}") or "").strip():
                self.add_error(f"item_{i}", _("Say what the quantity is of."))
        return data

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"kind_{i}"], self[f"item_{i}"], self[f"quantity_{i}"]) for i in range(LINE_ROWS)]

    def lines(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {
                "kind": data[f"kind_{i}"] or LineKind.GROCERIES,
                "item": data[f"item_{i}"],
                "quantity": data[f"quantity_{i}"],
            }
            for i in range(LINE_ROWS)
            if data[f"item_{i}"].strip()
        ]


class DeliverForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount spent (yuan)"),
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    receipt = forms.ImageField(
        label=_("Photo of the receipt"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )


class AssignForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.none())

    def __init__(self, *args: Any, volunteers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=200, required=False)
