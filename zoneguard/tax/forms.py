from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneguard.core import facts as fact_registry
from zoneguard.core.web import BoundedDateField, DateInput, MonthInput, set_choices_queryset
from zoneguard.registry.models import Organisation

from .models import (
    MAX_DEFERRAL_MONTHS,
    MAX_SLOT_CAPACITY,
    MONEY_MAX,
    AppointmentStatus,
    DeferralItem,
    DeferralStatus,
    HallWindow,
    Operator,
    Policy,
    PolicyCategory,
    PolicyStatus,
    Purpose,
    Slot,
    TaxProfile,
    TaxType,
    Weekday,
)

DATE = DateInput()
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def amount_field(label: Any, *, required: bool = False, allow_zero: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=15,
        decimal_places=2,
        min_value=Decimal("0") if allow_zero else Decimal("0.01"),
        max_value=MONEY_MAX,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "amount", "autocomplete": "off"}),
    )


def taxpayer_field(form: forms.BaseForm, organisations: Any, own_id: int | None = None) -> None:
    """The taxpayer to act for: hidden when there is one; the user's own organisation preselected."""
    set_choices_queryset(form, "organisation", organisations)
    field = form.fields["organisation"]
    ids = list(organisations.values_list("pk", flat=True))
    if len(ids) == 1:
        field.initial = ids[0]
        field.widget = forms.HiddenInput()
    elif own_id in ids:
        field.initial = own_id


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["title", "category", "issuer", "document_number", "valid_from", "valid_until", "summary", "text"]
        widgets = {"valid_from": DATE, "valid_until": DATE, "summary": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self) -> None:
        pass


class PolicyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=PolicyCategory.objects.all(), empty_label=_("All categories")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *PolicyStatus.choices]
    )


class ConditionForm(forms.Form):
    fact = forms.ChoiceField(label=_("Fact"))
    operator = forms.ChoiceField(label=_("Operator"), choices=Operator.choices)
    value = forms.CharField(
        label=_("Value"),
        required=False,
        max_length=1000,
        help_text=_("Several values separated by commas or 、 for “is one of”; empty for “is yes” and “is no”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fact"].choices = [(f.name, f.label) for f in fact_registry.all_facts()]  # type: ignore[attr-defined]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attachment"))


class QuestionForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Enterprise"), queryset=Organisation.objects.none())
    question = forms.CharField(
        label=_("Your question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter your question."),
            "max_length": _("Keep the question under 2000 characters."),
        },
    )

    def __init__(self, *args: Any, organisations: Any, own_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taxpayer_field(self, organisations, own_id)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    publish = forms.BooleanField(label=_("Publish as FAQ"), required=False)


class TaxProfileForm(forms.ModelForm):
    class Meta:
        model = TaxProfile
        fields = ["taxpayer_type", "revenue_band", "hardship_reported", "hardship_note"]
        widgets = {"hardship_note": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        pass


class BookingForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Taxpayer"), queryset=Organisation.objects.none())
    slot = forms.ModelChoiceField(label=_("Time slot"), queryset=Slot.objects.none(), widget=forms.RadioSelect)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, organisations: Any, slots: Any, own_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taxpayer_field(self, organisations, own_id)
        set_choices_queryset(self, "slot", slots)
        self.fields["slot"].label_from_instance = slot_label  # type: ignore[attr-defined]


def slot_label(slot: Slot) -> str:
    start = timezone.localtime(slot.starts_at)
    end = timezone.localtime(slot.ends_at)
    return str(
        _("%(start)s–%(end)s (%(free)s of %(capacity)s free)")
        % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}", "free": slot.available, "capacity": slot.capacity}
    )


def change_reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the taxpayer"),
        max_length=200,
        required=False,
        help_text=_("Sent to the taxpayer's administrators with the notice of the change."),
    )


class RescheduleForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("New time slot"), queryset=Slot.objects.none(), widget=forms.RadioSelect)
    reason = change_reason_field()

    def __init__(self, *args: Any, slots: Any, by_the_bureau: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "slot", slots)
        self.fields["slot"].label_from_instance = slot_label  # type: ignore[attr-defined]
        if not by_the_bureau:
            del self.fields["reason"]  # the enterprise moving its own booking tells nobody


class CancelForm(forms.Form):
    """The tax bureau's reason for cancelling a booking; the enterprise cancels without one."""

    reason = change_reason_field()


class DayForm(forms.Form):
    date = BoundedDateField(label=_("Date"), widget=DATE)


class AppointmentFilterForm(forms.Form):
    date = BoundedDateField(label=_("Date"), required=False, widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *AppointmentStatus.choices]
    )


class WindowForm(forms.ModelForm):
    class Meta:
        model = HallWindow
        fields = ["name", "services", "is_active"]

    def _post_clean(self) -> None:
        pass


class OpeningHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    opens_at = forms.TimeField(label=_("Opens at"), widget=TIME)
    closes_at = forms.TimeField(label=_("Closes at"), widget=TIME)


class ClosureForm(forms.Form):
    date = BoundedDateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class GenerateSlotsForm(forms.Form):
    date_from = BoundedDateField(label=_("From"), widget=DATE)
    date_to = BoundedDateField(label=_("To"), widget=DATE)
    minutes = forms.IntegerField(label=_("Minutes per slot"), min_value=5, max_value=720, initial=30)
    capacity = forms.IntegerField(
        label=_("Capacity per slot"),
        min_value=1,
        max_value=MAX_SLOT_CAPACITY,
        required=False,
        help_text=_("Taxpayers received per slot; the number of open windows if left empty."),
    )


class DeferralForm(forms.Form):
    """One amount field per active tax type: the enterprise fills in the taxes it defers."""

    organisation = forms.ModelChoiceField(label=_("Taxpayer"), queryset=Organisation.objects.none())
    period = BoundedDateField(label=_("Tax period"), widget=MonthInput(), input_formats=["%Y-%m"])
    months = forms.TypedChoiceField(
        label=_("Months of deferral"),
        coerce=int,
        choices=[(m, m) for m in range(1, MAX_DEFERRAL_MONTHS + 1)],
        initial=MAX_DEFERRAL_MONTHS,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The difficulty the epidemic caused and why the taxes cannot be paid on time."),
    )
    evidence = forms.FileField(
        label=_("Hardship evidence"),
        help_text=_("Financial statements, cancelled contracts … (PDF, Word, Excel or a photo)."),
    )

    def __init__(
        self, *args: Any, organisations: Any, tax_types: list[TaxType], own_id: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        taxpayer_field(self, organisations, own_id)
        # The month picker stops at this month: a later one has not begun (services.deferrals).
        self.fields["period"].widget.attrs["max"] = f"{timezone.localdate():%Y-%m}"
        self.tax_types = tax_types
        for tax_type in tax_types:
            self.fields[f"amount_{tax_type.code}"] = amount_field(_("%(tax)s (yuan)") % {"tax": tax_type.name})

    def amount_fields(self) -> list[forms.BoundField]:
        return [self[f"amount_{t.code}"] for t in self.tax_types]

    def items(self) -> list[tuple[str, Decimal]]:
        return [
            (t.code, self.cleaned_data[f"amount_{t.code}"])
            for t in self.tax_types
            if self.cleaned_data.get(f"amount_{t.code}") is not None
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
        initial="approve",
    )
    months = forms.TypedChoiceField(label=_("Months granted"), coerce=int, choices=[])
    note = forms.CharField(
        label=_("Note to the taxpayer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when refusing."),
    )

    def __init__(self, *args: Any, months: int, items: list[DeferralItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months_field = self.fields["months"]
        months_field.choices = [(m, m) for m in range(1, months + 1)]  # type: ignore[attr-defined]
        months_field.initial = months
        self.items = items
        for item in items:
            field = amount_field(
                _("%(tax)s granted (yuan)") % {"tax": item.tax_type.name}, required=True, allow_zero=True
            )
            field.initial = item.amount
            self.fields[f"amount_{item.tax_type.code}"] = field

    def amount_fields(self) -> list[forms.BoundField]:
        return [self[f"amount_{i.tax_type.code}"] for i in self.items]

    def amounts(self) -> dict[str, Decimal]:
        return {i.tax_type.code: self.cleaned_data[f"amount_{i.tax_type.code}"] for i in self.items}


class DeferralFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *DeferralStatus.choices]
    )


class SummaryForm(forms.Form):
    date_from = BoundedDateField(label=_("Decided from"), required=False, widget=DATE)
    date_to = BoundedDateField(label=_("Decided until"), required=False, widget=DATE)
