from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.accounts.models import User
from zoneguard.core.web import BoundedDateField, BoundedDateTimeField, DateInput, DateTimeLocalInput, MonthInput
from zoneguard.dispatch.models import Project
from zoneguard.registry.models import Department
from zoneguard.tickets.models import Ticket

from .models import MAX_POINTS, AgendaItem, Cadence, ItemStatus, KeyTask, TaskKind

REPORTED = [(s.value, s.label) for s in (ItemStatus.DONE, ItemStatus.PARTLY, ItemStatus.BLOCKED)]


def _with_department(obj: Any) -> str:
    # Two officers named 张伟, or two tasks named 复工复产, in different departments are told apart.
    if not obj.department_id:
        return str(obj)
    return _("%(name)s (%(department)s)") % {"name": obj, "department": obj.department}


class WithDepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _with_department(obj)


class WithDepartmentMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _with_department(obj)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's own recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    status = forms.ChoiceField(label=_("Progress"), choices=REPORTED, widget=forms.RadioSelect)
    percent = forms.IntegerField(
        label=_("Percent done"), min_value=0, max_value=100, required=False, help_text=_("When partly done.")
    )
    reason = forms.CharField(label=_("Why blocked"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    evidence = MultipleFileField(label=_("Evidence"), required=False, help_text=_("Photos or documents, up to five."))


class TaskForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)], coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    target = forms.CharField(
        label=pgettext_lazy("key task", "Target"), max_length=300, help_text=_("What is measured, e.g. 开工项目 5 个.")
    )
    target_quantity = forms.DecimalField(
        label=_("Target quantity"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)


class ItemForm(forms.Form):
    due_on = BoundedDateField(label=_("Due on"), widget=DateInput())
    cadence = forms.ChoiceField(label=_("Cadence"), choices=Cadence.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    expected_result = forms.CharField(label=_("Expected result"), max_length=300)
    responsible = forms.ModelChoiceField(
        label=pgettext_lazy("task item", "Responsible person"), queryset=User.objects.none()
    )


class MonthForm(forms.Form):
    month = BoundedDateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=MonthInput(),
    )


def _points(label: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=7, decimal_places=2, min_value=0, max_value=MAX_POINTS)


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    base = _points(_("Base points"))
    per_overdue_day = _points(_("Points per overdue day"))
    item_cap = _points(_("Most points deducted per item"))
    early_bonus = _points(_("Bonus for early completion"))
    monthly_bonus_cap = _points(_("Most bonus points per month"))
    floor = _points(_("Lowest score"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in TaskKind:
            self.fields[f"weight_{kind.value}"] = forms.DecimalField(
                label=_("Weight: %(kind)s") % {"kind": kind.label},
                max_digits=4,
                decimal_places=2,
                validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10))],
                initial=Decimal(1),
            )

    def weight_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("weight_")]

    def values(self) -> tuple[dict[str, Any], dict[str, Decimal]]:
        data = dict(self.cleaned_data)
        weights = {name.removeprefix("weight_"): data.pop(name) for name in list(data) if name.startswith("weight_")}
        return data, weights


class HeadForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    user = WithDepartmentChoiceField(label=_("Head"), queryset=User.objects.none())


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_at = BoundedDateTimeField(label=_("Held at"), widget=DateTimeLocalInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video link"), max_length=500, required=False, assume_scheme="https")
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments attending"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = WithDepartmentMultipleChoiceField(
        label=_("People attending"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    project = forms.ModelChoiceField(label=_("Investment project"), queryset=Project.objects.none(), required=False)
    task = WithDepartmentChoiceField(label=_("Key task"), queryset=KeyTask.objects.none(), required=False)
    ticket = forms.ModelChoiceField(
        label=pgettext_lazy("enterprise request", "Request"),
        queryset=Ticket.objects.none(),
        required=False,
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 8}))


class DecisionForm(forms.Form):
    text = forms.CharField(label=pgettext_lazy("meeting", "Decision"), max_length=300)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    owner = WithDepartmentChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = BoundedDateField(label=_("Due on"), widget=DateInput())
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False)
