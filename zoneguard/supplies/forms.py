from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneguard.core.web import BoundedDateField
from zoneguard.registry.models import OrganisationKind, Sector

from .models import MAX_QUANTITY, DepotKind, EntryKind, Item, ItemCategory, ReceiptSource

# Set per user in __init__.
NONE: Any = Item.objects.none()

LINE_ROWS = 4  # item rows a request form offers; blank ones are ignored
ALLOCATION_ROWS = 3


def _label_inline(form: forms.Form) -> None:
    """Fields shown in table rows or on one line, without a <label>: named for screen readers."""
    for field in form.fields.values():
        field.widget.attrs.setdefault("aria-label", str(field.label))


def _quantity_field(*, required: bool = True, signed: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Quantity"),
        max_digits=12,
        decimal_places=2,
        min_value=-MAX_QUANTITY if signed else Decimal("0.01"),
        max_value=MAX_QUANTITY,
        required=required,
    )


class LedgerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    item: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Item"), queryset=NONE)
    depot: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Depot"), queryset=NONE)
    quantity = _quantity_field(signed=True)
    to_depot: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("To depot"), queryset=NONE, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=[("", "—"), *ReceiptSource.choices], required=False)
    donor = forms.CharField(label=_("Donor"), max_length=100, required=False)
    recipient_organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Recipient organisation"), queryset=NONE, required=False
    )
    recipient_name = forms.CharField(label=_("Recipient"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, items: Any, depots: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
        self.fields["depot"].queryset = depots  # type: ignore[attr-defined]
        self.fields["to_depot"].queryset = depots  # type: ignore[attr-defined]
        self.fields["recipient_organisation"].queryset = organisations  # type: ignore[attr-defined]


def _require_whole_rows(form: forms.Form, rows: list[list[str]], message: Any) -> None:
    """A row partly filled in (an item and its quantity, but no depot) would otherwise be dropped
    without a word: each field it lacks gets `message`. Rows left empty are ignored."""
    for row in rows:
        if any(form.cleaned_data.get(name) or name in form.errors for name in row):
            for name in row:
                if not form.cleaned_data.get(name) and name not in form.errors:
                    form.add_error(name, message)


class RequestForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Organisation"), queryset=NONE)
    needed_by = BoundedDateField(label=_("Needed by"))
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, items: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        for i in range(LINE_ROWS):
            self.fields[f"item_{i}"] = forms.ModelChoiceField(label=_("Item"), queryset=items, required=False)
            self.fields[f"quantity_{i}"] = _quantity_field(required=False)
        _label_inline(self)

    def clean(self) -> dict[str, Any]:
        super().clean()
        _require_whole_rows(
            self,
            [[f"item_{i}", f"quantity_{i}"] for i in range(LINE_ROWS)],
            _("Fill in the item and the quantity of this row."),
        )
        return self.cleaned_data

    def rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"item_{i}"], self[f"quantity_{i}"]) for i in range(LINE_ROWS)]

    def lines(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {"item": data[f"item_{i}"], "quantity": data[f"quantity_{i}"]}
            for i in range(LINE_ROWS)
            if data.get(f"item_{i}") and data.get(f"quantity_{i}")
        ]


class AllocateForm(forms.Form):
    """Rows of (item, depot, quantity): part or all of the request, from one or more depots."""

    def __init__(self, *args: Any, items: Any, depots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(ALLOCATION_ROWS):
            self.fields[f"item_{i}"] = forms.ModelChoiceField(label=_("Item"), queryset=items, required=False)
            self.fields[f"depot_{i}"] = forms.ModelChoiceField(label=_("Depot"), queryset=depots, required=False)
            self.fields[f"quantity_{i}"] = _quantity_field(required=False)
        _label_inline(self)

    def clean(self) -> dict[str, Any]:
        super().clean()
        _require_whole_rows(
            self,
            [[f"item_{i}", f"depot_{i}", f"quantity_{i}"] for i in range(ALLOCATION_ROWS)],
            _("Fill in the item, the depot and the quantity of this row."),
        )
        return self.cleaned_data

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"item_{i}"], self[f"depot_{i}"], self[f"quantity_{i}"]) for i in range(ALLOCATION_ROWS)]

    def allocations(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {"item": data[f"item_{i}"], "depot": data[f"depot_{i}"], "quantity": data[f"quantity_{i}"]}
            for i in range(ALLOCATION_ROWS)
            if data.get(f"item_{i}") and data.get(f"depot_{i}") and data.get(f"quantity_{i}")
        ]


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        max_length=500,
        error_messages={"required": _("Say why the request is refused.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _label_inline(self)


class ThresholdForm(forms.Form):
    depot: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Depot"), queryset=NONE)
    item: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Item"), queryset=NONE)
    threshold = forms.DecimalField(
        label=_("Low-stock threshold"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        max_value=MAX_QUANTITY,
        required=False,
    )

    def __init__(self, *args: Any, items: Any, depots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
        self.fields["depot"].queryset = depots  # type: ignore[attr-defined]
        _label_inline(self)


class CountImportForm(forms.Form):
    file = forms.FileField(label=_("Stock count (.xlsx)"))
    reason = forms.CharField(label=_("Reason"), max_length=200, initial=_("Stock count"))


class ItemForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=ItemCategory.choices)
    unit = forms.CharField(label=_("Unit"), max_length=20, help_text=_("For example: piece, box, bottle, litre."))


class DepotForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=DepotKind.choices)
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Owning organisation"), queryset=NONE, required=False, help_text=_("Empty for the zone's own depot.")
    )
    keeper: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Keeper"), queryset=NONE, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, organisations: Any, keepers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["keeper"].queryset = keepers  # type: ignore[attr-defined]


class OwnStoreForm(DepotForm):
    """An organisation admin's store, opened from the ledger: of one of their organisations, and an
    enterprise store (the zone's and the communities' depots are opened on the setting-up page)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(DepotKind.ENTERPRISE, DepotKind.ENTERPRISE.label)]  # type: ignore[attr-defined]
        self.fields["organisation"].required = True
        self.fields["organisation"].help_text = ""


class PriorityRuleForm(forms.Form):
    rank = forms.IntegerField(label=_("Priority rank"), min_value=1, max_value=99, help_text=_("1 is served first."))
    label = forms.CharField(label=_("Label"), max_length=100)
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=[("", _("Any")), *OrganisationKind.choices], required=False
    )
    sector: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), required=False, empty_label=_("Any")
    )
    workers_on_site = forms.BooleanField(
        label=_("Only with workers on site"), required=False, help_text=_("Staff on duty in the latest daily report.")
    )
