from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.web import (
    BoundedDateField,
    BoundedDateTimeField,
    DateInput,
    DateTimeLocalInput,
    set_choices_queryset,
)
from zoneguard.registry.models import Organisation, Site

from .models import (
    MAX_LEAFLETS,
    MAX_NEEDED,
    MAX_STAFF,
    Skill,
    TaskStatus,
    TodoStatus,
    Volunteer,
    VolunteerStatus,
    VolunteerTaskKind,
)

YES_NO = [(True, _("Yes")), (False, _("No"))]


def _datetime_field(label: Any) -> BoundedDateTimeField:
    return BoundedDateTimeField(label=label, widget=DateTimeLocalInput())


class VolunteerForm(forms.Form):
    """Registration by a community worker, and a volunteer's application (which adds the community)."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=Organisation.objects.none())
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=40)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    skills = forms.MultipleChoiceField(
        label=_("Skills"), choices=Skill.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    availability = forms.CharField(
        label=_("Availability"), max_length=200, required=False, help_text=_("For example: weekday mornings, weekends.")
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "community", communities)
        if len(communities) == 1:
            self.fields["community"].initial = communities[0].pk


class VolunteerFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *VolunteerStatus.choices], required=False)
    search = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50, required=False)


class ShiftForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Checkpoint site"), queryset=Site.objects.none())
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    needed = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=MAX_NEEDED, initial=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "site", sites)


class ShiftFilterForm(forms.Form):
    day = BoundedDateField(label=_("Day"), required=False, widget=DateInput())


class SignUpForm(forms.Form):
    """A worker puts a volunteer of the community on a shift."""

    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.none())

    def __init__(self, *args: Any, volunteers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "volunteer", volunteers)


class AttendanceForm(forms.Form):
    """A worker records a check-in or check-out afterwards; empty: now."""

    at = BoundedDateTimeField(
        label=_("Time"),
        required=False,
        widget=DateTimeLocalInput(attrs={"aria-label": _("Time")}),
    )


class TaskForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=VolunteerTaskKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = BoundedDateField(label=_("Due on"), required=False, widget=DateInput())
    volunteers = forms.ModelMultipleChoiceField(
        label=_("Volunteers"), queryset=Volunteer.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    shops = forms.ModelMultipleChoiceField(
        label=_("Shops to canvass"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every shop and market of the community."),
    )

    def __init__(self, *args: Any, communities: Any, volunteers: Any, shops: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices_queryset(self, "community", communities)
        if len(communities) == 1:
            self.fields["community"].initial = communities[0].pk
        set_choices_queryset(self, "volunteers", volunteers)
        set_choices_queryset(self, "shops", shops)


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *TaskStatus.choices], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *VolunteerTaskKind.choices], required=False)


class VisitForm(forms.Form):
    """One shop's checklist, on a phone at the shop's door."""

    is_open = forms.TypedChoiceField(
        label=_("Is the shop open?"),
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )
    staff_count = forms.IntegerField(
        label=_("Staff on site"),
        min_value=0,
        max_value=MAX_STAFF,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    masks_worn = forms.NullBooleanField(
        label=_("Masks worn by all staff"), required=False, widget=forms.RadioSelect(choices=YES_NO)
    )
    staff_registered = forms.NullBooleanField(
        label=_("Staff registered with the community"), required=False, widget=forms.RadioSelect(choices=YES_NO)
    )
    disinfection_done = forms.NullBooleanField(
        label=_("Disinfection done today"), required=False, widget=forms.RadioSelect(choices=YES_NO)
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )


class LeafletsForm(forms.Form):
    building = forms.CharField(label=_("Building"), max_length=100)
    leaflets = forms.IntegerField(label=_("Leaflets"), min_value=1, max_value=MAX_LEAFLETS)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class TodoCloseForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("What was done"), "aria-label": _("What was done")}),
    )


class TodoFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TodoStatus.choices, required=False, initial=TodoStatus.OPEN)


class PeriodForm(forms.Form):
    since = BoundedDateField(label=_("From"), required=False, widget=DateInput())
    until = BoundedDateField(label=_("To"), required=False, widget=DateInput())
